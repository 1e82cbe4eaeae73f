import { Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ec2Arn, SageMakerServiceRole } from './execution-role';
import { IPlatformNetwork } from '../../network/platform-network';
import { allowCloudWatchLogs } from '../../private/kms-policies';
import { ModelSource } from '../model-source';

/** What the shared hosting pieces of an endpoint are built from. */
export interface HostingOptions {
  readonly network: IPlatformNetwork;
  readonly encryptionKey: kms.IKey;
  readonly logsEncryptionKey?: kms.IKey;
  readonly logRetention?: logs.RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  /** The CloudWatch log group SageMaker writes the containers' logs to. */
  readonly logGroupName: string;
  /** What the role is for, for its description. */
  readonly purpose: string;
  /** False for serverless endpoints, which cannot run in a VPC. */
  readonly inVpc: boolean;
}

/**
 * The pieces every endpoint of the module shares: the execution role (least privilege, one
 * customer-managed policy), the security group of its models, and the log group SageMaker writes
 * the containers' logs to, created ahead of SageMaker so it is KMS-encrypted and has a retention.
 */
export class Hosting {
  public readonly role: SageMakerServiceRole;
  public readonly securityGroup?: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  public readonly encryptionKey: kms.IKey;
  private readonly network: IPlatformNetwork;
  private readonly grantedKeys = new Set<string>();

  constructor(private readonly scope: Construct, options: HostingOptions) {
    this.network = options.network;
    this.encryptionKey = options.encryptionKey;
    this.role = new SageMakerServiceRole(scope, 'ExecutionRole', `SageMaker execution role of ${options.purpose} ${scope.node.path}`);

    const logsKey = options.logsEncryptionKey ?? options.encryptionKey;
    allowCloudWatchLogs(logsKey);
    this.logGroup = new logs.LogGroup(scope, 'LogGroup', {
      logGroupName: options.logGroupName,
      encryptionKey: logsKey,
      retention: options.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ContainerLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      // the log group's ARN attribute ends with ':*', which covers exactly its log streams
      resources: [this.logGroup.logGroupArn],
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'SageMakerMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': ['AWS/SageMaker', '/aws/sagemaker/*'] } },
    }));
    this.grantKey(options.encryptionKey);

    if (options.inVpc) {
      const sg = new ec2.SecurityGroup(scope, 'SecurityGroup', {
        vpc: options.network.vpc,
        description: `Models of ${scope.node.path}: no inbound; HTTPS out, which isolated subnets route to VPC endpoints only`.slice(0, 255),
        allowAllOutbound: false,
      });
      // the isolated subnets route nothing out of the VPC but the S3 gateway endpoint's prefix list,
      // so HTTPS anywhere reaches only the interface endpoints and S3 (model artifacts, data capture)
      sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC interface endpoints and the S3 gateway endpoint');
      options.network.allowEndpointAccessFrom(sg);
      this.securityGroup = sg;
      this.addNetworkInterfaceStatements(this.role, sg);
    }
  }

  /** Lets `role` create and clean up SageMaker network interfaces in the platform subnets and `sg`. */
  public addNetworkInterfaceStatements(role: iam.IRole, sg: ec2.ISecurityGroup): void {
    const scope = this.scope;
    const networkInterfaces = ec2Arn(scope, 'network-interface/*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        networkInterfaces,
        ...this.network.subnets.map((s) => ec2Arn(scope, `subnet/${s.subnetId}`)),
        ec2Arn(scope, `security-group/${sg.securityGroupId}`),
      ],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      // SageMaker attaches the interfaces to instances in its service account
      actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
      resources: [networkInterfaces],
      conditions: { ArnEquals: { 'ec2:Vpc': this.network.vpc.vpcArn } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
      resources: ['*'],
    }));
  }

  /** Lets the role encrypt and decrypt with `key` (data keys for S3 objects and SNS messages). */
  public grantKey(key: kms.IKey): void {
    const id = Stack.of(this.scope).resolve(key.keyArn);
    const idString = JSON.stringify(id);
    if (this.grantedKeys.has(idString)) return;
    this.grantedKeys.add(idString);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [key.keyArn],
    }));
  }

  /** Lets SageMaker write objects under `prefix` of `bucket` (data capture, async outputs). */
  public grantObjectWrites(bucket: s3.IBucket, prefix: string): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}/*`)],
    }));
    if (bucket.encryptionKey) this.grantKey(bucket.encryptionKey);
  }

  /** Lets SageMaker read objects under `prefix` of `bucket` (async inputs). */
  public grantObjectReads(bucket: s3.IBucket, prefix: string): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${prefix}/*`)],
    }));
    if (bucket.encryptionKey) this.grantKey(bucket.encryptionKey);
  }

  /**
   * A model for one variant or inference component, on the execution role, in the platform VPC
   * with network isolation (serverless models: neither, the service does not support them).
   */
  public createModel(scope: Construct, source: ModelSource): sagemaker.CfnModel {
    const config = source.bind(scope, this.role);
    const model = new sagemaker.CfnModel(scope, 'Model', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: {
        image: config.image,
        modelDataUrl: config.modelDataUrl,
        modelPackageName: config.modelPackageName,
        environment: config.environment,
      },
      vpcConfig: this.securityGroup ? {
        subnets: this.network.subnetIds,
        securityGroupIds: [this.securityGroup.securityGroupId],
      } : undefined,
      enableNetworkIsolation: this.securityGroup ? true : undefined,
    });
    // SageMaker checks the role's permissions (image pull, artifacts) when it creates the model
    model.node.addDependency(this.role.policy);
    return model;
  }
}

/** A physical name for a SageMaker resource, from the construct path: at most 63 characters. */
export function generatedName(scope: Construct, maxLength = 63): string {
  const unique = Names.uniqueResourceName(scope, { maxLength, separator: '-' });
  // SageMaker names: letters and digits, with hyphens between them
  return unique.replace(/[^a-zA-Z0-9-]/g, '').replace(/^-+|-+$/g, '').slice(0, maxLength);
}

/** True for a value that is a literal string (not a token). */
export function isLiteralString(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}

const CLOUDWATCH_GRANTED = new WeakSet<kms.IKey>();

/**
 * A KMS-encrypted SNS topic that only accepts TLS, for alarms and notifications. The key policy of
 * keys in the stack gets the statement CloudWatch alarms need to publish to an encrypted topic.
 */
export function encryptedTopic(scope: Construct, id: string, key: kms.IKey, displayName: string): sns.Topic {
  const topic = new sns.Topic(scope, id, { masterKey: key, enforceSSL: true, displayName: displayName.slice(0, 100) });
  if (!CLOUDWATCH_GRANTED.has(key)) {
    CLOUDWATCH_GRANTED.add(key);
    // the statement the CloudWatch user guide gives for alarm actions on encrypted topics
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    }), true);
  }
  return topic;
}
