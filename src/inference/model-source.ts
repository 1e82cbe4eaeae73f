import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ModelArtifacts } from './model-artifacts';
import { IModelPackage } from './model-package';

/** What a {@link ModelSource} resolves to for one model: the fields of its primary container. */
export interface ModelSourceConfig {
  /**
   * The inference image URI.
   *
   * @default - the image of the model package
   */
  readonly image?: string;

  /**
   * The S3 URI of the model artifacts.
   *
   * @default - none (the image carries the model, or the model package names its artifacts)
   */
  readonly modelDataUrl?: string;

  /**
   * The ARN of the model package to deploy.
   *
   * @default - not from the registry
   */
  readonly modelPackageName?: string;

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * True when the image comes from a Marketplace or registry package whose contents are not known
   * at synth time.
   */
  readonly fromRegistry: boolean;
}

/** Options of {@link ModelSource.fromContainerImage}. */
export interface ContainerModelOptions {
  /**
   * The model artifacts (`model.tar.gz`) the container loads.
   *
   * @default - none: the image carries the model
   */
  readonly modelData?: ModelArtifacts;

  /**
   * Environment variables of the container (at most 100 entries; values are visible in the
   * SageMaker console, so never put secrets here).
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };
}

/** Options of {@link ModelSource.fromModelPackage}. */
export interface ModelPackageModelOptions {
  /**
   * The bucket that holds the package's model artifacts, so the execution role may read them.
   * The registry stores artifact URIs in the package; SageMaker reads them with the model's role.
   *
   * @default - no artifact read access is granted (packages whose image carries the model, or
   * buckets whose policy grants the role)
   */
  readonly artifactsBucket?: s3.IBucket;

  /**
   * The key prefix of the package's artifacts in `artifactsBucket`, ending with `/` (for example
   * `employee-retention/models/`). Only objects under it are readable. Required with `artifactsBucket`.
   *
   * @default - none (only without `artifactsBucket`)
   */
  readonly artifactsKeyPrefix?: string;

  /**
   * The ECR repositories of the package's inference images, so the execution role may pull them.
   *
   * @default - none (SageMaker-provided algorithm and framework images need no grant in the account)
   */
  readonly imageRepositories?: ecr.IRepository[];

  /**
   * Environment variables that override the package's container environment.
   *
   * @default - the package's environment
   */
  readonly environment?: { [key: string]: string };
}

/**
 * Where the model of a production variant or inference component comes from: a container image
 * (optionally with model artifacts in S3), or a model package version of the SageMaker Model Registry.
 *
 * Binding grants the model's execution role exactly what SageMaker needs to load it: pulling the
 * image's repository and reading the artifacts object (or the package's artifacts prefix).
 *
 * @example
 * ModelSource.fromContainerImage(ContainerImage.fromEcrRepository(repo, '1.4.0'), {
 *   modelData: ModelArtifacts.fromBucket(models, 'churn/model.tar.gz'),
 * });
 * ModelSource.fromModelPackage(ModelPackage.fromModelPackageArn(this, 'Pkg', arn), { artifactsBucket: models });
 */
export abstract class ModelSource {
  /**
   * A container image (`ContainerImage` of @aws-cdk/aws-sagemaker-alpha: an ECR repository, a local
   * Docker asset or an AWS Deep Learning Container), with optional model artifacts.
   */
  public static fromContainerImage(image: sagemakerAlpha.ContainerImage, options: ContainerModelOptions = {}): ModelSource {
    return new ImageSource(image, options);
  }

  /** A model package version from the SageMaker Model Registry. */
  public static fromModelPackage(modelPackage: IModelPackage, options: ModelPackageModelOptions = {}): ModelSource {
    const prefix = options.artifactsKeyPrefix;
    if (options.artifactsBucket && (prefix === undefined || (!Token.isUnresolved(prefix) && !/^[^*]+\/$/.test(prefix)))) {
      throw new Error('ModelSource.fromModelPackage: artifactsKeyPrefix must be a key prefix ending with \'/\' (for example '
        + `'employee-retention/models/'), so the role reads only the package's artifacts, got ${prefix === undefined ? 'none' : `'${prefix}'`}`);
    }
    return new PackageSource(modelPackage, options);
  }

  /**
   * Resolves the source for one model and grants `grantee` what loading it needs.
   *
   * @param scope a construct that belongs to the model alone (assets and imports are created under it)
   * @param grantee the model's execution role
   */
  public abstract bind(scope: Construct, grantee: iam.IGrantable): ModelSourceConfig;
}

class ImageSource extends ModelSource {
  constructor(private readonly image: sagemakerAlpha.ContainerImage, private readonly options: ContainerModelOptions) {
    super();
  }

  public bind(scope: Construct, grantee: iam.IGrantable): ModelSourceConfig {
    // the alpha images only use the model as the grantee of their pull permissions
    const imageConfig = this.image.bind(scope, grantee as unknown as sagemakerAlpha.Model);
    const data = this.options.modelData?.bind(scope, grantee);
    return {
      image: imageConfig.imageName,
      modelDataUrl: data?.uri,
      environment: this.options.environment,
      fromRegistry: false,
    };
  }
}

class PackageSource extends ModelSource {
  constructor(private readonly modelPackage: IModelPackage, private readonly options: ModelPackageModelOptions) {
    super();
  }

  public bind(_scope: Construct, grantee: iam.IGrantable): ModelSourceConfig {
    const bucket = this.options.artifactsBucket;
    if (bucket) {
      const prefix = this.options.artifactsKeyPrefix!;
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${prefix}*`)],
      }));
      if (bucket.encryptionKey) {
        grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [bucket.encryptionKey.keyArn],
        }));
      }
    }
    for (const repository of this.options.imageRepositories ?? []) {
      repository.grantPull(grantee);
    }
    return {
      modelPackageName: this.modelPackage.modelPackageArn,
      environment: this.options.environment,
      fromRegistry: true,
    };
  }
}
