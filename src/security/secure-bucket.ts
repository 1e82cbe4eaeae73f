import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../private/acknowledgments';
import { PropsValidator } from '../private/validation';

/**
 * Properties of a {@link SecureBucket}.
 */
export interface SecureBucketProps {
  /**
   * Physical name of the bucket.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly bucketName?: string;

  /**
   * Customer-managed KMS key for default encryption (SSE-KMS with an S3 Bucket Key).
   *
   * @default - a new customer-managed key with yearly rotation, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Bucket that receives the server access logs of this bucket. It must use SSE-S3 encryption:
   * S3 does not deliver server access logs to SSE-KMS targets.
   *
   * @default - a dedicated access-log bucket (SSE-S3, TLS only, versioned, retained) is created
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Prefix of the server access log objects.
   *
   * @default - 'access-logs/'
   */
  readonly serverAccessLogsPrefix?: string;

  /**
   * What happens to the bucket (and a key created here) when it leaves the stack.
   * `RemovalPolicy.DESTROY` is the explicit opt-in to delete data; CloudFormation can only delete an empty bucket.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Delete noncurrent object versions after this long.
   *
   * @default - noncurrent versions are kept
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * Additional lifecycle rules.
   *
   * @default - none
   */
  readonly lifecycleRules?: s3.LifecycleRule[];

  /**
   * Send S3 events to Amazon EventBridge.
   *
   * @default false
   */
  readonly eventBridgeEnabled?: boolean;
}

/**
 * An S3 bucket that passes the AwsSolutions, HIPAA, NIST 800-53 and PCI DSS checks as it stands:
 * SSE-KMS with a customer-managed key, TLS 1.2+ only, versioning, server access logs,
 * public access blocked, object ownership enforced, and RETAIN by default.
 *
 * @example
 * const data = new SecureBucket(this, 'Data', { encryptionKey: keys.data });
 * data.grantRead(role);
 */
export class SecureBucket extends s3.Bucket {
  /** The access-log bucket created for this bucket, when none was given. */
  public readonly accessLogsBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    validateSecureBucketProps(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const lifecycleRules = [...(props.lifecycleRules ?? [])];
    if (props.noncurrentVersionExpiration) {
      lifecycleRules.push({ id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: props.noncurrentVersionExpiration });
    }
    lifecycleRules.push({ id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) });

    super(scope, id, {
      bucketName: props.bucketName,
      // without a key, s3.Bucket creates one as child 'Key'; rotation and retention are set below
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      lifecycleRules,
      eventBridgeEnabled: props.eventBridgeEnabled,
    });

    if (!props.encryptionKey && this.encryptionKey) {
      const cfnKey = this.encryptionKey.node.defaultChild as kms.CfnKey;
      cfnKey.enableKeyRotation = true;
      cfnKey.description = `Encrypts the objects of ${this.node.path}`;
      cfnKey.applyRemovalPolicy(removalPolicy);
    }

    let logsBucket = props.serverAccessLogsBucket;
    if (!logsBucket) {
      const created = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removalPolicy,
        lifecycleRules: [{ id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      });
      acknowledge(created, 'ACCESS_LOG_BUCKET_NOT_LOGGED');
      acknowledge(created, 'ACCESS_LOG_BUCKET_SSE_S3');
      acknowledge(created, 'BUCKET_NOT_REPLICATED');
      logsBucket = created;
      this.accessLogsBucket = created;
    }
    const prefix = props.serverAccessLogsPrefix ?? 'access-logs/';
    (this.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: logsBucket.bucketName,
      logFilePrefix: prefix,
    };
    // the log-delivery grant the S3 user guide prescribes, scoped to this source bucket and account
    logsBucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.ALLOW,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logsBucket.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
    acknowledge(this, 'BUCKET_NOT_REPLICATED');
  }
}

function validateSecureBucketProps(scope: Construct, id: string, props: SecureBucketProps): void {
  const v = PropsValidator.forNew('SecureBucket', scope, id);
  v.pattern('bucketName', props.bucketName, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    '3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit', 63);
  if (props.bucketName && !Token.isUnresolved(props.bucketName)) {
    v.check(!props.bucketName.includes('..'), `bucketName must not contain '..', got '${props.bucketName}'`);
  }
  if (props.serverAccessLogsPrefix !== undefined && !Token.isUnresolved(props.serverAccessLogsPrefix)) {
    v.check(props.serverAccessLogsPrefix.length <= 512, `serverAccessLogsPrefix must be at most 512 characters, got ${props.serverAccessLogsPrefix.length}`);
  }
  v.throwIfInvalid();
}
