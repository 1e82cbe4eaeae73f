import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IDependable } from 'constructs';
import { LifecycleFile } from './lifecycle-scripts';
import { acknowledge } from '../private/acknowledgments';
import { allowCloudWatchLogs } from '../private/kms-policies';

/** Properties of {@link LifecycleUpload}. */
export interface LifecycleUploadProps {
  readonly bucket: s3.IBucket;
  readonly bucketKey: kms.IKey;
  /** Key prefix without leading or trailing slash. */
  readonly prefix: string;
  readonly files: LifecycleFile[];
  /** Encrypts the uploader's log group when this upload creates it. */
  readonly logKey: kms.IKey;
}

/**
 * Writes the lifecycle scripts and the generated provisioning parameters to the `sagemaker-` lifecycle bucket
 * at deploy time, one S3 PutObject per file through aws-cdk-lib's AwsCustomResource.
 *
 * The function runs outside the VPC, like the platform's other deploy-time custom-resource functions.
 *
 * Why not an asset or BucketDeployment: assets land in the CDK staging bucket, which the HyperPod instance
 * role does not read, and cannot carry deploy-time values such as the FSx DNS name; BucketDeployment adds a
 * Python function with the AWS CLI layer that copies from the staging bucket. PutObject with the content in the
 * template needs no staging, resolves the tokens in CloudFormation, keeps the scripts reviewable in the template
 * and `cdk diff`, and its policy names each object it writes.
 */
export class LifecycleUpload extends Construct {
  /** What the cluster waits for. */
  public readonly uploads: IDependable[] = [];

  constructor(scope: Construct, id: string, props: LifecycleUploadProps) {
    super(scope, id);
    const shared = UploaderFunction.of(this, props.logKey);
    const objectArns = props.files.map((f) => props.bucket.arnForObjects(`${props.prefix}/${f.name}`));

    let principalRole: iam.IRole | undefined;
    const resources: cr.AwsCustomResource[] = [];
    props.files.forEach((file, i) => {
      const key = `${props.prefix}/${file.name}`;
      const put: cr.AwsSdkCall = {
        service: 'S3',
        action: 'putObject',
        parameters: {
          Bucket: props.bucket.bucketName,
          Key: key,
          Body: file.body,
          ContentType: file.contentType,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: props.bucketKey.keyArn,
          BucketKeyEnabled: true,
        },
        physicalResourceId: cr.PhysicalResourceId.of(`s3://${props.bucket.bucketName}/${key}`),
      };
      const resource = new cr.AwsCustomResource(this, `File${i}`, {
        resourceType: 'Custom::HyperPodLifecycleFile',
        onCreate: put,
        onUpdate: put,
        role: shared.role,
        logGroup: shared.logGroup,
        installLatestAwsSdk: false,
        timeout: Duration.minutes(2),
      });
      resources.push(resource);
      this.uploads.push(resource);
      // the singleton function's role: ours, unless another AwsCustomResource of the stack created it first
      principalRole ??= resource.grantPrincipal as iam.IRole;
    });

    shared.configureFunction();

    // exactly these objects, encrypted with the bucket's key through S3 (bucket keys use the bucket ARN as context)
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Writes the HyperPod lifecycle scripts under s3://.../${props.prefix}/`,
      statements: [
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objectArns }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [props.bucketKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` },
            ArnEquals: { 'kms:EncryptionContext:aws:s3:arn': props.bucket.bucketArn },
          },
        }),
      ],
      roles: principalRole ? [principalRole] : [],
    });
    for (const r of resources) r.node.addDependency(policy);
  }
}

/** The construct id aws-cdk-lib gives the AwsCustomResource singleton function in the stack. */
const SINGLETON_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/**
 * The execution role and log group of aws-cdk-lib's AwsCustomResource singleton function, created once per
 * stack. Like the platform's other custom-resource functions it runs outside the VPC (it calls only the S3 API
 * during deployments), with a KMS-encrypted log group, reserved concurrency and a role whose permissions are
 * customer managed policies.
 */
class UploaderFunction extends Construct {
  public static of(scope: Construct, logKey: kms.IKey): UploaderFunction {
    const stack = Stack.of(scope);
    const id = 'HyperPodLifecycleUploader';
    return (stack.node.tryFindChild(id) as UploaderFunction | undefined) ?? new UploaderFunction(stack, id, logKey);
  }

  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  private configured = false;

  private constructor(scope: Construct, id: string, logKey: kms.IKey) {
    super(scope, id);
    allowCloudWatchLogs(logKey);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the AwsCustomResource function that writes HyperPod lifecycle scripts',
    });
    new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: 'Logs of the HyperPod lifecycle-script uploader function',
      roles: [this.role],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] })],
    });
  }

  /** Settles the stack's AwsCustomResource function once it exists, when it runs with this role. */
  public configureFunction(): void {
    const fn = Stack.of(this).node.tryFindChild(SINGLETON_ID);
    if (this.configured || !(fn instanceof lambda.Function) || fn.role !== this.role) return;
    this.configured = true;
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    // deployments write a handful of objects; a small reservation keeps the function from starving others
    cfn.reservedConcurrentExecutions = 5;
    acknowledge(cfn, 'HYPERPOD_UPLOADER_OUTSIDE_VPC');
    acknowledge(cfn, 'HYPERPOD_UPLOADER_NO_DLQ');
  }
}
