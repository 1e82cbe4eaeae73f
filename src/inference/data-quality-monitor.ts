import * as crypto from 'crypto';
import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Duration, Fn, Intrinsic, Lazy, Size, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { IModelEndpoint } from './model-endpoint';
import { ec2Arn, SageMakerServiceRole } from './private/execution-role';
import { generatedName } from './private/hosting';
import { IPlatformNetwork } from '../network/platform-network';
import { MODEL_MONITOR_REGISTRIES, MODEL_MONITOR_REPOSITORY } from '../private/inference-rules';
import { localStorageRule } from '../private/instance-storage-rules';
import { PropsValidator } from '../private/validation';

/** What a data-quality monitor checks and where it writes. */
export interface DataQualityMonitorOptions {
  /** The S3 URI of the baseline statistics (`statistics.json` of a baselining job). */
  readonly baselineStatisticsUri: string;

  /** The S3 URI of the baseline constraints (`constraints.json` of a baselining job). */
  readonly baselineConstraintsUri: string;

  /** The bucket the monitoring reports go to (a platform bucket with SSE-KMS). */
  readonly outputBucket: s3.IBucket;

  /**
   * The key prefix of the reports.
   *
   * @default 'model-monitor/data-quality'
   */
  readonly outputPrefix?: string;

  /**
   * When the job runs, as a SageMaker monitoring schedule expression.
   *
   * @default 'cron(0 * ? * * *)' (hourly)
   */
  readonly scheduleExpression?: string;

  /**
   * The instance type of the monitoring job.
   *
   * @default ml.m5.xlarge
   */
  readonly instanceType?: sagemakerAlpha.InstanceType;

  /**
   * The number of instances of the monitoring job.
   *
   * @default 1
   */
  readonly instanceCount?: number;

  /**
   * The ML storage volume of each instance (1 to 16384 GiB).
   *
   * @default Size.gibibytes(20)
   */
  readonly volumeSize?: Size;

  /**
   * How long one monitoring job may run (at most one hour for hourly schedules).
   *
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;

  /**
   * The Model Monitor analyzer image.
   *
   * @default - the SageMaker Model Monitor prebuilt container of the stack's Region
   */
  readonly analyzerImageUri?: string;
}

/** Properties of a {@link DataQualityMonitor}. */
export interface DataQualityMonitorProps extends DataQualityMonitorOptions {
  /** The endpoint whose captured data is checked. */
  readonly endpoint: IModelEndpoint;

  /** The platform network: the job runs in its subnets, with network isolation. */
  readonly network: IPlatformNetwork;

  /** The platform key: the job's volume and reports are encrypted with it. */
  readonly encryptionKey: kms.IKey;

  /** The bucket of the endpoint's captured data. */
  readonly captureBucket: s3.IBucket;

  /**
   * The key prefix of the captured data.
   *
   * @default 'data-capture'
   */
  readonly capturePrefix?: string;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/**
 * A SageMaker Model Monitor data-quality schedule: a job definition that compares the endpoint's
 * captured data with baseline statistics and constraints, run in the platform VPC with network
 * isolation and inter-container traffic encryption, its volume and reports encrypted with the
 * platform key, on a least-privilege role; and the monitoring schedule that runs it.
 *
 * The job definition's name carries a hash of its settings: SageMaker job definitions cannot be
 * changed, so a new one replaces the old one whenever the settings change. The analyzer does not
 * publish CloudWatch metrics (it has no network); read the violations from the reports or the
 * schedule's executions.
 *
 * @example
 * endpoint.addDataQualityMonitor('DataQuality', {
 *   baselineStatisticsUri: 's3://ml-artifacts-123456789012/employee-retention/baseline/statistics.json',
 *   baselineConstraintsUri: 's3://ml-artifacts-123456789012/employee-retention/baseline/constraints.json',
 *   outputBucket: reports,
 * });
 */
export class DataQualityMonitor extends Construct {
  /** The monitoring schedule. */
  public readonly schedule: sagemaker.CfnMonitoringSchedule;
  /** The job definition. */
  public readonly jobDefinition: sagemaker.CfnDataQualityJobDefinition;
  /** The role of the monitoring jobs. */
  public readonly role: iam.IRole;
  /** The security group of the monitoring jobs. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The name of the monitoring schedule. */
  public readonly scheduleName: string;

  constructor(scope: Construct, id: string, props: DataQualityMonitorProps) {
    const v = PropsValidator.forNew('DataQualityMonitor', scope, id);
    const stackOfScope = Stack.of(scope);
    const statistics = parseS3Uri(v, 'baselineStatisticsUri', props.baselineStatisticsUri);
    const constraints = parseS3Uri(v, 'baselineConstraintsUri', props.baselineConstraintsUri);
    const statisticsArn = baselineObjectArn(v, 'baselineStatisticsUri', stackOfScope, props.baselineStatisticsUri, statistics);
    const constraintsArn = baselineObjectArn(v, 'baselineConstraintsUri', stackOfScope, props.baselineConstraintsUri, constraints);
    const instanceType = (props.instanceType ?? sagemakerAlpha.InstanceType.M5_XLARGE).toString();
    v.range('instanceCount', props.instanceCount, 1, 100);
    v.range('volumeSize (GiB)', props.volumeSize?.toGibibytes(), 1, 16_384);
    v.range('maxRuntime (seconds)', props.maxRuntime?.toSeconds(), 1, 86_400);
    v.pattern('scheduleExpression', props.scheduleExpression, /^(cron\(.+\)|NOW)$/, 'a cron(...) expression', 256);
    const region = Stack.of(scope).region;
    if (!props.analyzerImageUri && (Token.isUnresolved(region) || !MODEL_MONITOR_REGISTRIES[region])) {
      v.error(`analyzerImageUri is required: the Model Monitor image is known for ${Object.keys(MODEL_MONITOR_REGISTRIES).length} Regions `
        + `and the stack's Region is ${Token.isUnresolved(region) ? 'not known at synth (set env on the stack)' : `'${region}'`}`);
    }
    v.throwIfInvalid();
    super(scope, id);

    const stack = Stack.of(this);
    const capturePrefix = props.capturePrefix ?? 'data-capture';
    const outputPrefix = props.outputPrefix ?? 'model-monitor/data-quality';
    this.scheduleName = generatedName(this).toLowerCase();

    const role = new SageMakerServiceRole(this, 'Role', `SageMaker Model Monitor data-quality jobs of ${this.node.path}`);
    this.role = role;
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.network.vpc,
      description: `Model Monitor jobs of ${this.node.path}: no inbound; HTTPS out, which isolated subnets route to VPC endpoints only`.slice(0, 255),
      allowAllOutbound: false,
    });
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC interface endpoints and the S3 gateway endpoint');
    props.network.allowEndpointAccessFrom(sg);
    this.securityGroup = sg;

    const networkInterfaces = ec2Arn(this, 'network-interface/*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface'],
      resources: [networkInterfaces, ...props.network.subnets.map((s) => ec2Arn(this, `subnet/${s.subnetId}`)), ec2Arn(this, `security-group/${sg.securityGroupId}`)],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
      resources: [networkInterfaces],
      conditions: { ArnEquals: { 'ec2:Vpc': props.network.vpc.vpcArn } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
      resources: ['*'],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [props.captureBucket.arnForObjects(`${capturePrefix}/*`)],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [props.captureBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${capturePrefix}/*`] } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [statisticsArn, constraintsArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [props.outputBucket.arnForObjects(`${outputPrefix}/*`)],
    }));
    const keyArns = new Set([props.encryptionKey.keyArn, props.captureBucket.encryptionKey?.keyArn, props.outputBucket.encryptionKey?.keyArn]
      .filter((k): k is string => k !== undefined));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [...keyArns],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: [props.encryptionKey.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [`arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/ProcessingJobs:*`],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*'] } },
    }));

    let imageUri = props.analyzerImageUri;
    if (!imageUri) {
      const account = MODEL_MONITOR_REGISTRIES[region];
      imageUri = `${account}.dkr.ecr.${region}.${stack.urlSuffix}/${MODEL_MONITOR_REPOSITORY}:latest`;
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [`arn:${stack.partition}:ecr:${region}:${account}:repository/${MODEL_MONITOR_REPOSITORY}`],
      }));
    }
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));

    const localStorage = localStorageRule(instanceType) !== undefined;
    const jobProps: sagemaker.CfnDataQualityJobDefinitionProps = {
      roleArn: role.roleArn,
      endpointName: props.endpoint.endpointName,
      dataQualityAppSpecification: {
        imageUri,
        // network isolation leaves the analyzer no route to CloudWatch
        environment: { publish_cloudwatch_metrics: 'Disabled' },
      },
      dataQualityBaselineConfig: {
        statisticsResource: { s3Uri: props.baselineStatisticsUri },
        constraintsResource: { s3Uri: props.baselineConstraintsUri },
      },
      dataQualityJobInput: {
        endpointInput: {
          endpointName: props.endpoint.endpointName,
          localPath: '/opt/ml/processing/input/endpoint',
          s3InputMode: 'File',
          s3DataDistributionType: 'FullyReplicated',
        },
      },
      dataQualityJobOutputConfig: {
        kmsKeyId: props.encryptionKey.keyArn,
        monitoringOutputs: [{
          s3Output: { localPath: '/opt/ml/processing/output', s3Uri: props.outputBucket.s3UrlForObject(outputPrefix), s3UploadMode: 'EndOfJob' },
        }],
      },
      jobResources: {
        clusterConfig: {
          instanceType,
          instanceCount: props.instanceCount ?? 1,
          volumeSizeInGb: (props.volumeSize ?? Size.gibibytes(20)).toGibibytes(),
          // SageMaker rejects a volume key on instance types with local NVMe storage (see instance-storage-rules)
          volumeKmsKeyId: localStorage ? undefined : props.encryptionKey.keyArn,
        },
      },
      networkConfig: {
        enableNetworkIsolation: true,
        enableInterContainerTrafficEncryption: true,
        vpcConfig: { securityGroupIds: [sg.securityGroupId], subnets: props.network.subnetIds },
      },
      stoppingCondition: { maxRuntimeInSeconds: (props.maxRuntime ?? Duration.hours(1)).toSeconds() },
    };
    const baseName = generatedName(this, 54).toLowerCase();
    // job definitions cannot be updated: a settings hash in the name lets CloudFormation replace them
    const jobDefinitionName = Lazy.string({
      produce: () => `${baseName}-${crypto.createHash('sha256').update(JSON.stringify(stack.resolve(jobProps))).digest('hex').slice(0, 8)}`,
    });
    this.jobDefinition = new sagemaker.CfnDataQualityJobDefinition(this, 'JobDefinition', { ...jobProps, jobDefinitionName });
    this.jobDefinition.node.addDependency(role.policy);

    this.schedule = new sagemaker.CfnMonitoringSchedule(this, 'Resource', {
      monitoringScheduleName: this.scheduleName,
      endpointName: props.endpoint.endpointName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: jobDefinitionName,
        monitoringType: 'DataQuality',
        scheduleConfig: { scheduleExpression: props.scheduleExpression ?? 'cron(0 * ? * * *)' },
      },
    });
    this.schedule.node.addDependency(this.jobDefinition);
    const endpointResource = props.endpoint.node.defaultChild;
    if (endpointResource) this.schedule.node.addDependency(endpointResource);
  }
}

function parseS3Uri(v: PropsValidator, prop: string, uri: string): { bucket: string; key: string } | undefined {
  if (Token.isUnresolved(uri)) return undefined;
  const match = S3_URI.exec(uri);
  if (!match) {
    v.error(`${prop} must be an S3 URI such as s3://bucket/baseline/statistics.json, got '${uri}'`);
    return undefined;
  }
  return { bucket: match[1], key: match[2] };
}

/**
 * The ARN of the object an S3 URI names. Tokens are supported in the form `bucket.s3UrlForObject(key)`
 * produces (`s3://` joined with the bucket name and the key); the ARN is then computed at deploy time.
 */
function baselineObjectArn(v: PropsValidator, prop: string, stack: Stack, uri: string, parsed: { bucket: string; key: string } | undefined): string {
  if (parsed) return `arn:${stack.partition}:s3:::${parsed.bucket}/${parsed.key}`;
  if (!Token.isUnresolved(uri)) return uri;
  const resolved = stack.resolve(uri) as { 'Fn::Join'?: [string, unknown[]] };
  const join = resolved['Fn::Join'];
  if (join && join[0] === '' && Array.isArray(join[1]) && typeof join[1][0] === 'string' && join[1][0].startsWith('s3://')) {
    const [first, ...rest] = join[1];
    return Fn.join('', [
      `arn:${stack.partition}:s3:::${(first as string).slice('s3://'.length)}`,
      ...rest.map((item) => typeof item === 'string' ? item : Token.asString(new Intrinsic(item))),
    ]);
  }
  v.error(`${prop} must be a literal S3 URI or built with bucket.s3UrlForObject(key), got a token that resolves to ${JSON.stringify(resolved)}`);
  return uri;
}
