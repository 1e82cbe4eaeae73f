import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';

/** What a {@link ModelArtifacts} resolves to for one model. */
export interface ModelArtifactsConfig {
  /** The S3 URI of the `model.tar.gz`. */
  readonly uri: string;
}

/**
 * The S3 object that holds a model's artifacts (`model.tar.gz`).
 *
 * Unlike `ModelData` of @aws-cdk/aws-sagemaker-alpha, which grants read access to the whole bucket
 * (`s3:GetObject*`, `s3:List*` on every object), binding grants `s3:GetObject` on this one object
 * only, and `kms:Decrypt` on the bucket's key when the bucket knows it.
 *
 * @example
 * const artifacts = ModelArtifacts.fromBucket(modelsBucket, 'employee-retention/model.tar.gz');
 */
export abstract class ModelArtifacts {
  /** An object that already exists in a bucket. */
  public static fromBucket(bucket: s3.IBucket, objectKey: string): ModelArtifacts {
    return new BucketArtifacts(bucket, objectKey);
  }

  /**
   * A local `.tar.gz` file, uploaded to the CDK assets bucket at deployment.
   *
   * @param path the local path of the gzipped tar file
   * @param options asset options
   */
  public static fromAsset(path: string, options: s3assets.AssetOptions = {}): ModelArtifacts {
    if (!path.toLowerCase().endsWith('.tar.gz')) {
      throw new Error(`ModelArtifacts.fromAsset: path must be a gzipped tar file ending in .tar.gz, got '${path}'`);
    }
    return new AssetArtifacts(path, options);
  }

  /**
   * Resolves the artifacts for one model and grants `grantee` read access to exactly them.
   *
   * @param scope a construct of the model (assets are created under it)
   * @param grantee the model's execution role
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): ModelArtifactsConfig;
}

class BucketArtifacts extends ModelArtifacts {
  constructor(private readonly bucket: s3.IBucket, private readonly objectKey: string) {
    super();
  }

  public bind(_scope: Construct, grantee: iam.IGrantable): ModelArtifactsConfig {
    grantObjectRead(grantee, this.bucket, this.objectKey);
    return { uri: this.bucket.s3UrlForObject(this.objectKey) };
  }
}

class AssetArtifacts extends ModelArtifacts {
  private asset?: s3assets.Asset;

  constructor(private readonly path: string, private readonly options: s3assets.AssetOptions) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ModelArtifactsConfig {
    // one asset per model scope: the same file bound twice uploads once (assets are content-addressed)
    const asset = this.asset && this.asset.node.scope === scope ? this.asset : new s3assets.Asset(scope, 'ModelArtifacts', { path: this.path, ...this.options });
    this.asset = asset;
    grantObjectRead(grantee, asset.bucket, asset.s3ObjectKey);
    return { uri: asset.s3ObjectUrl };
  }
}

function grantObjectRead(grantee: iam.IGrantable, bucket: s3.IBucket, objectKey: string): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['s3:GetObject'],
    resources: [bucket.arnForObjects(objectKey)],
  }));
  if (bucket.encryptionKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [bucket.encryptionKey.keyArn],
    }));
  }
}
