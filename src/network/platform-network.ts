import * as fs from 'fs';
import * as path from 'path';
import {
  Aws,
  CustomResource,
  CustomResourceProvider,
  CustomResourceProviderRuntime,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Tags,
  Token,
} from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { InterfaceEndpointService } from './endpoint-service';
import { allowCloudWatchLogs } from '../private/kms-policies';
import { PropsValidator } from '../private/validation';

/**
 * Read access through the S3 gateway endpoint to a bucket that AWS owns.
 *
 * The gateway endpoint policy of a {@link PlatformNetwork} admits only this account's buckets (a data
 * perimeter: `s3:ResourceAccount`). Some AWS features read from AWS-owned buckets instead; each
 * exception here names the buckets by ARN and allows only what the feature needs.
 */
export class AwsOwnedBucketAccess {
  /**
   * Amazon ECR image layers (`prod-<region>-starport-layer-bucket`, `s3:GetObject`). Every image pull
   * through the ECR endpoints downloads its layers from this bucket; the ECR user guide lists it under
   * "Minimum Amazon S3 bucket permissions for Amazon ECR". Studio apps, jobs and endpoints pull images.
   */
  public static readonly ECR_IMAGE_LAYERS = new AwsOwnedBucketAccess('EcrImageLayers', 'Amazon ECR image layers',
    ['s3:GetObject'], (region) => [`prod-${region}-starport-layer-bucket/*`]);

  /**
   * SageMaker JumpStart model and script artifacts (`jumpstart-cache-prod-<region>` and
   * `jumpstart-private-cache-prod-<region>`, `s3:GetObject` and `s3:ListBucket`).
   */
  public static readonly JUMPSTART = new AwsOwnedBucketAccess('JumpStart', 'SageMaker JumpStart artifacts',
    ['s3:GetObject', 's3:ListBucket'], (region) => [
      `jumpstart-cache-prod-${region}`,
      `jumpstart-cache-prod-${region}/*`,
      `jumpstart-private-cache-prod-${region}`,
      `jumpstart-private-cache-prod-${region}/*`,
    ]);

  /**
   * CloudFormation custom-resource responses (`cloudformation-custom-resource-response-<region without
   * dashes>`, `s3:PutObject`). A custom-resource Lambda function that runs in this VPC answers
   * CloudFormation with a pre-signed PUT to this bucket; without it, stack operations hang for an hour.
   */
  public static readonly CLOUDFORMATION_RESPONSES = new AwsOwnedBucketAccess('CloudFormationResponses',
    'CloudFormation custom-resource responses', ['s3:PutObject'],
    (region) => [`cloudformation-custom-resource-response-${Token.isUnresolved(region) ? Fn.join('', Fn.split('-', region)) : region.replace(/-/g, '')}/*`]);

  /**
   * Read-only access (`s3:GetObject`, `s3:ListBucket`) to another bucket, by name: for example an AWS
   * sample-data bucket or a partner's bucket.
   *
   * @param bucketName the bucket's name
   */
  public static readOnly(bucketName: string): AwsOwnedBucketAccess {
    return new AwsOwnedBucketAccess(`ReadOnly-${bucketName}`, `read-only access to ${bucketName}`,
      ['s3:GetObject', 's3:ListBucket'], () => [bucketName, `${bucketName}/*`]);
  }

  private constructor(
    /** A stable identifier, used as the statement ID. */
    public readonly id: string,
    /** What the exception is for. */
    public readonly description: string,
    private readonly actions: string[],
    private readonly resourceNames: (region: string) => string[],
  ) {}

  /** The endpoint policy statement of this exception, in `scope`'s Region. */
  public toStatement(scope: IConstruct): iam.PolicyStatement {
    const stack = Stack.of(scope);
    return new iam.PolicyStatement({
      sid: `AwsOwned${this.id.replace(/[^A-Za-z0-9]/g, '')}`,
      effect: iam.Effect.ALLOW,
      principals: [new iam.AnyPrincipal()],
      actions: this.actions,
      resources: this.resourceNames(stack.region).map((name) => `arn:${stack.partition}:s3:::${name}`),
    });
  }
}

/**
 * The VPC-only network the platform's constructs run in.
 *
 * Constructs receive it from their caller, declare the AWS services they call with
 * `addInterfaceEndpoints` (the network creates each interface endpoint once), and let their
 * security groups reach the endpoints with `allowEndpointAccessFrom`.
 */
export interface IPlatformNetwork extends IConstruct {
  /** The VPC. */
  readonly vpc: ec2.IVpc;

  /** The isolated subnets platform workloads run in (at least two, in different AZs). */
  readonly subnets: ec2.ISubnet[];

  /** The IDs of `subnets`. */
  readonly subnetIds: string[];

  /** The security group of the interface endpoints. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;

  /**
   * Declares AWS services that platform workloads call; each interface endpoint is created once,
   * with private DNS, however many constructs declare it.
   */
  addInterfaceEndpoints(...services: InterfaceEndpointService[]): void;

  /** Admits HTTPS from a platform security group to the interface endpoints. */
  allowEndpointAccessFrom(peer: ec2.ISecurityGroup): void;
}

/**
 * Properties of a {@link PlatformNetwork}.
 *
 * Either the network creates its VPC (leave `vpc` unset; `maxAzs`, `ipAddresses`,
 * `subnetCidrMask` and the flow-log props apply), or it uses an existing one (`vpc` and optionally
 * `vpcSubnets`; the VPC owner keeps its flow logs and default security group).
 */
export interface PlatformNetworkProps {
  /**
   * An existing VPC to use instead of creating one. Import it without lookups, with
   * `ec2.Vpc.fromVpcAttributes` (subnet IDs, their AZs and their route table IDs: the S3 gateway
   * endpoint is added to the route tables).
   *
   * @default - a new VPC with isolated subnets only, no internet gateway and no NAT
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets of `vpc` platform workloads run in: at least two, in at least two AZs, none public.
   * Only with `vpc`.
   *
   * @default - the isolated subnets of `vpc`, or its private subnets when it has no isolated ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * How many Availability Zones the created VPC spans, 2 or 3. Only when the network creates the VPC.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * The IPv4 address range of the created VPC (a CIDR block or an IPAM pool).
   *
   * @default - ec2.IpAddresses.cidr('10.0.0.0/16')
   */
  readonly ipAddresses?: ec2.IIpAddresses;

  /**
   * Prefix length of each isolated subnet of the created VPC, 16 to 28. Studio apps, jobs and endpoint
   * ENIs all take addresses from these subnets: keep them large.
   *
   * @default - the VPC range is split evenly between the subnets
   */
  readonly subnetCidrMask?: number;

  /**
   * KMS key that encrypts the VPC flow-log group. It must allow CloudWatch Logs to use it: keys
   * created in this app are granted that here, and `PlatformKeys.logsKey` already allows it.
   *
   * @default - a new customer-managed key with rotation (retained unless `removalPolicy` says otherwise)
   */
  readonly flowLogsEncryptionKey?: kms.IKey;

  /**
   * How long the VPC flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogsRetention?: logs.RetentionDays;

  /**
   * What happens to the flow-log group and a key created here when they leave the stack.
   * `RemovalPolicy.DESTROY` is the explicit opt-in to delete logs and keys.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * In how many Availability Zones the interface endpoints get a network interface, from 1 to the number
   * of workload AZs. Each interface endpoint is billed per AZ-hour: fewer AZs cut that cost, at the price
   * of cross-AZ traffic and of the endpoints' availability when that AZ fails.
   *
   * @default - every AZ of the workload subnets
   */
  readonly endpointAzCount?: number;

  /**
   * The AWS services platform workloads call, as interface endpoints to create now. Constructs add more
   * with `addInterfaceEndpoints`.
   *
   * @default - none until a construct declares them
   */
  readonly interfaceEndpoints?: InterfaceEndpointService[];

  /**
   * The AWS-owned buckets the S3 gateway endpoint policy admits besides this account's buckets.
   *
   * @default - [AwsOwnedBucketAccess.ECR_IMAGE_LAYERS, AwsOwnedBucketAccess.JUMPSTART, AwsOwnedBucketAccess.CLOUDFORMATION_RESPONSES]
   */
  readonly awsOwnedBuckets?: AwsOwnedBucketAccess[];

  /**
   * Close the created VPC's default security group (remove all its rules) with the custom resource
   * aws-cdk-lib uses for `ec2.Vpc.restrictDefaultSecurityGroup`. CloudFormation cannot change the
   * default group's rules, so this is the only way to close it at deploy time.
   *
   * @default true
   */
  readonly restrictDefaultSecurityGroup?: boolean;
}

/**
 * A VPC-only network for the platform: isolated subnets in two or three AZs, no internet gateway,
 * no NAT, the default security group closed, VPC flow logs (all traffic) to a KMS-encrypted log group,
 * an S3 gateway endpoint with a data-perimeter policy, and interface endpoints created on demand,
 * once each, behind a security group that admits HTTPS from platform security groups only.
 *
 * It creates the VPC without any context lookup (Availability Zones come from `Fn::GetAZs`), so it
 * synthesizes without AWS credentials.
 *
 * @example
 * const network = new PlatformNetwork(this, 'Network', { flowLogsEncryptionKey: keys.logsKey });
 * network.addInterfaceEndpoints(InterfaceEndpointService.SAGEMAKER_API, InterfaceEndpointService.STS);
 * network.allowEndpointAccessFrom(studioSecurityGroup);
 */
export class PlatformNetwork extends Construct implements IPlatformNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.ISubnet[];
  public readonly subnetIds: string[];
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The Availability Zones of `subnets`, in subnet order. */
  public readonly availabilityZones: string[];
  /** The subnets that hold the interface endpoints' network interfaces (one per endpoint AZ). */
  public readonly endpointSubnets: ec2.ISubnet[];
  /** The S3 gateway endpoint. */
  public readonly s3GatewayEndpoint: ec2.IGatewayVpcEndpoint;
  /** The flow-log group, when the network created the VPC. */
  public readonly flowLogGroup?: logs.ILogGroup;
  /** The key of the flow-log group, when the network created the VPC. */
  public readonly flowLogsEncryptionKey?: kms.IKey;
  /** True when the network created the VPC, false when it uses an existing one. */
  public readonly createdVpc: boolean;

  private readonly endpoints = new Map<string, { service: InterfaceEndpointService; endpoint: ec2.InterfaceVpcEndpoint }>();
  private readonly s3Endpoint: ec2.GatewayVpcEndpoint;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps = {}) {
    super(scope, id);
    const v = PropsValidator.forNew('PlatformNetwork', scope, id);
    validateCommonProps(v, props);

    if (props.vpc) {
      const imported = selectImportedSubnets(v, props.vpc, props);
      if (!v.hasErrors) v.range('endpointAzCount', props.endpointAzCount, 1, onePerAz(imported).length);
      v.throwIfInvalid();
      this.vpc = props.vpc;
      this.subnets = imported;
      this.createdVpc = false;
    } else {
      validateCreateProps(v, props);
      v.range('endpointAzCount', props.endpointAzCount, 1, props.maxAzs ?? 2);
      v.throwIfInvalid();
      const created = this.createVpc(props);
      this.vpc = created.vpc;
      this.subnets = created.subnets;
      this.flowLogGroup = created.logGroup;
      this.flowLogsEncryptionKey = created.key;
      this.createdVpc = true;
    }

    this.subnetIds = this.subnets.map((s) => s.subnetId);
    this.availabilityZones = this.subnets.map((s) => s.availabilityZone);

    // interface endpoints in the first `endpointAzCount` AZs, one subnet per AZ
    const perAz = onePerAz(this.subnets);
    this.endpointSubnets = perAz.slice(0, props.endpointAzCount ?? perAz.length);

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface VPC endpoints of the ML platform: HTTPS from platform security groups only',
      // endpoints answer connections and never open any; CDK adds a rule that matches no traffic
      allowAllOutbound: false,
    });

    this.s3Endpoint = new ec2.GatewayVpcEndpoint(this, 'S3GatewayEndpoint', {
      vpc: this.vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnets: this.subnets }],
    });
    this.s3GatewayEndpoint = this.s3Endpoint;
    // data perimeter: through this endpoint, principals reach only this account's buckets...
    this.s3Endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'OnlyThisAccountsBuckets',
      effect: iam.Effect.ALLOW,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: ['*'],
      conditions: { StringEquals: { 's3:ResourceAccount': Stack.of(this).account } },
    }));
    // ...and the AWS-owned buckets the platform's features need, by ARN and with the least actions
    const awsOwned = props.awsOwnedBuckets ?? [
      AwsOwnedBucketAccess.ECR_IMAGE_LAYERS,
      AwsOwnedBucketAccess.JUMPSTART,
      AwsOwnedBucketAccess.CLOUDFORMATION_RESPONSES,
    ];
    const added = new Set<string>();
    for (const access of awsOwned) {
      if (added.has(access.id)) continue;
      added.add(access.id);
      this.s3Endpoint.addToPolicy(access.toStatement(this));
    }

    if (props.interfaceEndpoints) this.addInterfaceEndpoints(...props.interfaceEndpoints);
  }

  /** The interface endpoints created so far, in the order they were first declared. */
  public get interfaceEndpoints(): ec2.IInterfaceVpcEndpoint[] {
    return [...this.endpoints.values()].map((e) => e.endpoint);
  }

  /** How many interface endpoints the network has (each is billed per AZ-hour). */
  public get interfaceEndpointCount(): number {
    return this.endpoints.size;
  }

  /** The services of the interface endpoints created so far. */
  public get interfaceEndpointServices(): InterfaceEndpointService[] {
    return [...this.endpoints.values()].map((e) => e.service);
  }

  /**
   * The interface endpoint of `service`, when one was declared: for example to limit
   * `sagemaker:CreatePresignedDomainUrl` to the sagemaker.api endpoint with `aws:SourceVpce`.
   */
  public interfaceEndpointFor(service: InterfaceEndpointService): ec2.IInterfaceVpcEndpoint | undefined {
    return this.endpoints.get(service.key)?.endpoint;
  }

  public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
    const v = new PropsValidator('PlatformNetwork', this.node.path);
    for (const service of services) {
      if (Token.isUnresolved(service.name) || Token.isUnresolved(service.prefix)) {
        v.error(`addInterfaceEndpoints: the service name must be a literal, got a token ('${service.key}')`);
        continue;
      }
      v.pattern('addInterfaceEndpoints service name', service.name, SERVICE_NAME, 'lowercase letters, digits, dots and hyphens (for example sagemaker.api)', 100);
      v.pattern('addInterfaceEndpoints service prefix', service.prefix, SERVICE_NAME, 'lowercase letters, digits, dots and hyphens (for example com.amazonaws)', 100);
    }
    v.throwIfInvalid();

    for (const service of services) {
      if (this.endpoints.has(service.key)) continue;
      const id = endpointConstructId(service);
      if (this.node.tryFindChild(id)) {
        throw new Error(`PlatformNetwork '${this.node.path}': the interface endpoint of '${service.key}' would reuse the construct ID '${id}' of another service`);
      }
      const endpoint = new ec2.InterfaceVpcEndpoint(this, id, {
        vpc: this.vpc,
        service: new ec2.InterfaceVpcEndpointAwsService(service.name, service.prefix),
        privateDnsEnabled: true,
        subnets: { subnets: this.endpointSubnets },
        securityGroups: [this.endpointSecurityGroup],
        // no implicit rule from the VPC CIDR: only registered platform security groups get in
        open: false,
      });
      this.endpoints.set(service.key, { service, endpoint });
    }
  }

  /**
   * Admits HTTPS (443) from `peer` to the interface endpoints. When `peer` restricts its own egress,
   * it also gets the matching egress rule to the endpoint security group. Idempotent.
   */
  public allowEndpointAccessFrom(peer: ec2.ISecurityGroup): void {
    this.endpointSecurityGroup.connections.allowFrom(peer, ec2.Port.tcp(443), 'HTTPS from a platform security group to the interface endpoints');
  }

  /**
   * Adds a statement to the S3 gateway endpoint policy, to widen the data perimeter on purpose (for
   * example a partner's bucket). Prefer `awsOwnedBuckets` for AWS-owned buckets.
   */
  public addToS3EndpointPolicy(statement: iam.PolicyStatement): void {
    this.s3Endpoint.addToPolicy(statement);
  }

  private createVpc(props: PlatformNetworkProps): { vpc: ec2.IVpc; subnets: ec2.ISubnet[]; logGroup: logs.ILogGroup; key: kms.IKey } {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const ipAddresses = props.ipAddresses ?? ec2.IpAddresses.cidr('10.0.0.0/16');
    // the first zones of the Region, chosen at deploy time; explicit zone names would draw the
    // CloudFormation linter's W3010 warning (to pin zones, bring your own VPC with `vpc`)
    const azs = Array.from({ length: props.maxAzs ?? 2 }, (_, i) => Fn.select(i, Fn.getAzs()));

    // L1 VPC: ec2.Vpc reads the stack's AZs through a context lookup, which needs AWS credentials at
    // synth time for environment-specific stacks. Fn::GetAZs picks the zones at deploy time instead.
    const vpcCidr = ipAddresses.allocateVpcCidr();
    const cfnVpc = new ec2.CfnVPC(this, 'Vpc', {
      cidrBlock: vpcCidr.cidrBlock,
      ipv4IpamPoolId: vpcCidr.ipv4IpamPoolId,
      ipv4NetmaskLength: vpcCidr.ipv4NetmaskLength,
      // interface endpoints with private DNS need both
      enableDnsHostnames: true,
      enableDnsSupport: true,
      instanceTenancy: ec2.DefaultInstanceTenancy.DEFAULT,
    });
    Tags.of(cfnVpc).add('Name', this.node.path);

    const configuration: ec2.SubnetConfiguration = {
      name: 'Isolated',
      subnetType: ec2.SubnetType.PRIVATE_ISOLATED,
      cidrMask: props.subnetCidrMask,
    };
    const allocated = ipAddresses.allocateSubnetsCidr({
      vpcCidr: cfnVpc.attrCidrBlock,
      requestedSubnets: azs.map((az, i) => ({ availabilityZone: az, subnetConstructId: `IsolatedSubnet${i + 1}`, configuration })),
    }).allocatedSubnets;

    const subnets = azs.map((az, i) => {
      const subnet = new ec2.PrivateSubnet(this, `IsolatedSubnet${i + 1}`, {
        vpcId: cfnVpc.ref,
        availabilityZone: az,
        cidrBlock: allocated[i].cidr,
        mapPublicIpOnLaunch: false,
      });
      Tags.of(subnet).add('Name', `${this.node.path}/IsolatedSubnet${i + 1}`);
      Tags.of(subnet).add('aws-cdk:subnet-type', 'Isolated');
      return subnet;
    });

    const vpc = ec2.Vpc.fromVpcAttributes(this, 'VpcReference', {
      vpcId: cfnVpc.ref,
      vpcCidrBlock: cfnVpc.attrCidrBlock,
      availabilityZones: azs,
      isolatedSubnetIds: subnets.map((s) => s.subnetId),
      isolatedSubnetRouteTableIds: subnets.map((s) => s.routeTable.routeTableId),
      isolatedSubnetIpv4CidrBlocks: subnets.map((s) => s.ipv4CidrBlock),
    });

    if (props.restrictDefaultSecurityGroup ?? true) this.restrictDefaultSecurityGroup(cfnVpc);

    let key = props.flowLogsEncryptionKey;
    if (!key) {
      key = new kms.Key(this, 'FlowLogsKey', {
        description: `Encrypts the VPC flow logs of ${this.node.path}`,
        enableKeyRotation: true,
        removalPolicy,
      });
    }
    allowCloudWatchLogs(key);
    const logGroup = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: key,
      retention: props.flowLogsRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    const role = new iam.Role(this, 'FlowLogsRole', {
      description: `Delivers the VPC flow logs of ${this.node.path} to CloudWatch Logs`,
      // the confused-deputy guard the VPC user guide recommends for the flow-logs role
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': Stack.of(this).formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
        },
      }),
    });
    // a customer-managed policy rather than an inline one (HIPAA/NIST/PCI IAMNoInlinePolicy)
    const flowLogsPolicy = new iam.ManagedPolicy(this, 'FlowLogsPolicy', {
      description: `Lets VPC flow logs write to ${this.node.path}/FlowLogs`,
      roles: [role],
      statements: [new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup.logGroupArn],
      })],
    });
    // L1: the ec2.FlowLog L2 acknowledges CloudFormation-validation findings on itself (for S3
    // destination options we do not use), which this library's harness rejects as unscoped
    const flowLog = new ec2.CfnFlowLog(this, 'FlowLog', {
      resourceId: cfnVpc.ref,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: logGroup.logGroupName,
      deliverLogsPermissionArn: role.roleArn,
      maxAggregationInterval: 60,
    });
    flowLog.node.addDependency(flowLogsPolicy);
    return { vpc, subnets, logGroup, key };
  }

  /** The same custom resource aws-cdk-lib's `ec2.Vpc` uses for `restrictDefaultSecurityGroup`. */
  private restrictDefaultSecurityGroup(cfnVpc: ec2.CfnVPC): void {
    const stack = Stack.of(this);
    const provider = CustomResourceProvider.getOrCreateProvider(this, 'PlatformNetworkRestrictDefaultSG', {
      codeDirectory: restrictDefaultSgHandlerDirectory(),
      runtime: CustomResourceProviderRuntime.NODEJS_24_X,
      description: 'Removes all inbound and outbound rules from the default security group of a platform VPC',
      timeout: Duration.minutes(5),
    });
    provider.addToRolePolicy({
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:AuthorizeSecurityGroupEgress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupEgress',
      ],
      Resource: [stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: cfnVpc.attrDefaultSecurityGroup })],
    });
    // the ID and type are what cdk-nag's VPCDefaultSecurityGroupClosed rule recognizes
    new CustomResource(this, 'RestrictDefaultSecurityGroupCustomResource', {
      resourceType: 'Custom::VpcRestrictDefaultSG',
      serviceToken: provider.serviceToken,
      properties: { DefaultSecurityGroupId: cfnVpc.attrDefaultSecurityGroup, Account: Aws.ACCOUNT_ID },
    });
  }
}

/** The first subnet of each Availability Zone, in subnet order. */
function onePerAz(subnets: ec2.ISubnet[]): ec2.ISubnet[] {
  const seen = new Set<string>();
  return subnets.filter((subnet) => {
    if (seen.has(subnet.availabilityZone)) return false;
    seen.add(subnet.availabilityZone);
    return true;
  });
}

const SERVICE_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/** `Endpoint-sagemaker.api` for com.amazonaws services, `Endpoint-aws.sagemaker.studio` otherwise. */
function endpointConstructId(service: InterfaceEndpointService): string {
  return service.prefix === 'com.amazonaws' ? `Endpoint-${service.name}` : `Endpoint-${service.key}`;
}

/** The handler aws-cdk-lib ships for `ec2.Vpc.restrictDefaultSecurityGroup` (not an exported module path). */
function restrictDefaultSgHandlerDirectory(): string {
  const root = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  const directory = path.join(root, 'custom-resource-handlers', 'dist', 'aws-ec2', 'restrict-default-security-group-handler');
  if (!fs.existsSync(path.join(directory, 'index.js'))) {
    throw new Error(`PlatformNetwork: this aws-cdk-lib version has no default-security-group handler at ${directory}; `
      + 'set restrictDefaultSecurityGroup: false and close the default security group another way');
  }
  return directory;
}

function validateCommonProps(v: PropsValidator, props: PlatformNetworkProps): void {
  if (props.vpcSubnets && !props.vpc) v.error('vpcSubnets applies only with vpc (an existing VPC); it was given without one');
}

function validateCreateProps(v: PropsValidator, props: PlatformNetworkProps): void {
  // both shape the template at synth (how many subnets, which ranges): tokens cannot work here
  if (props.maxAzs !== undefined && Token.isUnresolved(props.maxAzs)) v.error('maxAzs must be a literal number (it decides how many subnets to create), got a token');
  if (props.subnetCidrMask !== undefined && Token.isUnresolved(props.subnetCidrMask)) v.error('subnetCidrMask must be a literal number (subnet ranges are computed at synth), got a token');
  v.range('maxAzs', props.maxAzs, 2, 3);
  v.range('subnetCidrMask', props.subnetCidrMask, 16, 28);
}

function selectImportedSubnets(v: PropsValidator, vpc: ec2.IVpc, props: PlatformNetworkProps): ec2.ISubnet[] {
  const createOnly: Array<[string, unknown]> = [
    ['maxAzs', props.maxAzs],
    ['ipAddresses', props.ipAddresses],
    ['subnetCidrMask', props.subnetCidrMask],
    ['flowLogsEncryptionKey', props.flowLogsEncryptionKey],
    ['flowLogsRetention', props.flowLogsRetention],
    ['restrictDefaultSecurityGroup', props.restrictDefaultSecurityGroup],
  ];
  for (const [name, value] of createOnly) {
    if (value !== undefined) v.error(`${name} applies only when PlatformNetwork creates the VPC; with an existing vpc, the VPC owner manages it`);
  }

  const selection = props.vpcSubnets
    ?? { subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS };
  if (selection.subnetType === ec2.SubnetType.PUBLIC) {
    v.error('vpcSubnets must not select public subnets, got subnetType PUBLIC: platform workloads run in private or isolated subnets');
    return [];
  }
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(selection);
  } catch (e) {
    v.error(`vpcSubnets selects no usable subnets of ${vpc.vpcId}: ${(e as Error).message}`);
    return [];
  }
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  const publicSelected = selected.subnets.filter((s) => publicIds.has(s.subnetId)).map((s) => s.subnetId);
  if (selected.hasPublic || publicSelected.length > 0) {
    v.error(`vpcSubnets must not include public subnets, got ${publicSelected.length > 0 ? publicSelected.join(', ') : 'a selection with public subnets'}`);
  }

  const azs = new Set<string>();
  for (const subnet of selected.subnets) {
    try {
      azs.add(subnet.availabilityZone);
    } catch {
      v.error(`subnet ${subnet.subnetId} has no availabilityZone: import it with ec2.Subnet.fromSubnetAttributes or ec2.Vpc.fromVpcAttributes`);
    }
    const routeTableId = subnet.routeTable?.routeTableId;
    if (routeTableId === undefined) {
      v.error(`subnet ${subnet.subnetId} has no routeTableId, which the S3 gateway endpoint needs: import it with its route table (for example isolatedSubnetRouteTableIds)`);
    }
  }
  if (selected.subnets.length < 2) {
    v.error(`vpcSubnets must select at least two subnets, got ${selected.subnets.length} (${selected.subnetIds.join(', ') || 'none'})`);
  }
  const literalAzs = [...azs].filter((az) => !Token.isUnresolved(az));
  if (selected.subnets.length >= 2 && literalAzs.length === azs.size && azs.size < 2) {
    v.error(`vpcSubnets must span at least two Availability Zones, got ${azs.size} (${[...azs].join(', ')})`);
  }
  return selected.subnets;
}
