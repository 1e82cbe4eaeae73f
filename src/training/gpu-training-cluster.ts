import { ArnFormat, Duration, Fn, IResource, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork } from '../network';
import { PropsValidator } from '../private/validation';
import { SecureBucket } from '../security';
import { ClusterOrchestrator } from './cluster-orchestrator';
import { HyperPodInstanceType } from './hyperpod-instance-type';
import { ClusterUser, InstanceGroupOptions, WorkerGroupOptions } from './instance-group';
import { LifecycleFile, lifecycleScripts, ON_CREATE, provisioningParameters, sharedUsers } from './lifecycle-scripts';
import { LifecycleUpload } from './lifecycle-upload';
import { acknowledge, AcknowledgmentName } from '../private/acknowledgments';
import { HYPERPOD_LIMITS, HYPERPOD_RULES } from '../private/hyperpod-rules';
import { policyWildcardFindings } from '../private/nag-detail';

/**
 * Whether HyperPod replaces or reboots faulty nodes by itself.
 */
export enum NodeRecovery {
  /** HyperPod reboots or replaces nodes that fail health checks. */
  AUTOMATIC = 'Automatic',
  /** Faulty nodes are only labeled; an operator replaces them. */
  NONE = 'None',
}

/**
 * How the nodes' EBS volumes are encrypted.
 */
export enum VolumeEncryption {
  /**
   * Root and additional volumes with the cluster's customer-managed key. HyperPod supports this only with
   * continuous node provisioning, which the cluster then uses.
   */
  CUSTOMER_MANAGED_KEY = 'CUSTOMER_MANAGED_KEY',
  /** Volumes with an AWS owned key (HyperPod's default); the classic provisioning mode. */
  AWS_OWNED_KEY = 'AWS_OWNED_KEY',
}

/**
 * An FSx for Lustre file system shared by every node of the cluster.
 */
export interface SharedFileSystemOptions {
  /**
   * Capacity in GiB: 1200, or a multiple of 2400.
   *
   * @default 1200
   */
  readonly storageCapacityGiB?: number;

  /**
   * Throughput in MB/s per TiB of storage: 125, 250, 500 or 1000.
   *
   * @default 250
   */
  readonly perUnitStorageThroughput?: number;

  /**
   * Where the lifecycle scripts mount it on each node; user homes go under `<mountPath>/home`.
   *
   * @default '/fsx'
   */
  readonly mountPath?: string;

  /**
   * The subnet of the file system. It must be in the Availability Zone of the cluster's nodes.
   *
   * @default - the cluster's first subnet
   */
  readonly subnet?: ec2.ISubnet;

  /**
   * What happens to the file system when it leaves the stack. `RemovalPolicy.DESTROY` deletes the data.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long daily automatic backups are kept (0 to 90 days).
   *
   * @default Duration.days(7)
   */
  readonly automaticBackupRetention?: Duration;
}

/**
 * A SageMaker HyperPod cluster.
 */
export interface IGpuTrainingCluster extends IResource {
  /**
   * The ARN of the cluster (`arn:aws:sagemaker:<region>:<account>:cluster/<cluster-id>`).
   * @attribute
   */
  readonly clusterArn: string;

  /**
   * The name of the cluster.
   * @attribute
   */
  readonly clusterName: string;

  /**
   * The orchestrator, when known (undefined for imported clusters).
   */
  readonly orchestrator?: ClusterOrchestrator;

  /**
   * Lets the principal open AWS Systems Manager sessions to this cluster's nodes, and only this cluster's.
   */
  grantConnect(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of a {@link GpuTrainingCluster}.
 */
export interface GpuTrainingClusterProps {
  /**
   * The platform network the nodes run in. The cluster registers the interface endpoints it needs.
   */
  readonly network: IPlatformNetwork;

  /**
   * The worker groups: Slurm compute nodes, or EKS worker nodes.
   */
  readonly workerGroups: WorkerGroupOptions[];

  /**
   * Name of the cluster (letters, digits and hyphens, at most 63 characters). Changing it replaces the cluster.
   *
   * @default - a name derived from the construct path
   */
  readonly clusterName?: string;

  /**
   * What schedules work on the cluster.
   *
   * @default ClusterOrchestrator.slurm()
   */
  readonly orchestrator?: ClusterOrchestrator;

  /**
   * The Slurm controller group (Slurm only), named `controller`.
   *
   * @default - one ml.m5.xlarge instance
   */
  readonly controller?: InstanceGroupOptions;

  /**
   * A Slurm login group (Slurm only), named `login`.
   *
   * @default - no login nodes
   */
  readonly login?: InstanceGroupOptions;

  /**
   * Subnets of the cluster, from the platform network. EFA-capable groups must stay in one Availability Zone.
   *
   * @default - the network's first subnet
   */
  readonly subnets?: ec2.ISubnet[];

  /**
   * Customer-managed key for the EBS volumes, the lifecycle bucket and the file system. Its policy must let
   * SageMaker, S3, EC2 (EBS) and FSx use it for this account, without encryption-context conditions (HyperPod
   * passes none).
   *
   * @default - a new key with yearly rotation, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Key of the log group of the function that uploads the lifecycle scripts (for example `PlatformKeys.logsKey`).
   * A key from outside this app must let CloudWatch Logs use it.
   *
   * @default - the cluster's `encryptionKey`
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * How the nodes' EBS volumes are encrypted.
   *
   * @default VolumeEncryption.CUSTOMER_MANAGED_KEY
   */
  readonly volumeEncryption?: VolumeEncryption;

  /**
   * The bucket the lifecycle scripts are uploaded to. Its name must start with `sagemaker-` and it must be
   * encrypted with a KMS key that it exposes (`Bucket.fromBucketAttributes({ encryptionKey })` for an import).
   *
   * @default - a `SecureBucket` named `sagemaker-hyperpod-<account>-<region>-<hash>`
   */
  readonly lifecycleBucket?: s3.IBucket;

  /**
   * An FSx for Lustre file system that every node mounts.
   *
   * @default - no shared file system
   */
  readonly sharedFileSystem?: SharedFileSystemOptions;

  /**
   * POSIX users the lifecycle scripts create on every node.
   *
   * @default - none
   */
  readonly users?: ClusterUser[];

  /**
   * Whether HyperPod recovers faulty nodes by itself.
   *
   * @default NodeRecovery.AUTOMATIC
   */
  readonly nodeRecovery?: NodeRecovery;

  /**
   * What happens to the key and the lifecycle bucket this construct creates when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of an existing HyperPod cluster.
 */
export interface GpuTrainingClusterAttributes {
  /** The ARN of the cluster. */
  readonly clusterArn: string;

  /** The name of the cluster. */
  readonly clusterName: string;
}

/**
 * What every HyperPod cluster, created or imported, offers.
 */
export abstract class GpuTrainingClusterBase extends Resource implements IGpuTrainingCluster {
  public abstract readonly clusterArn: string;
  public abstract readonly clusterName: string;
  public abstract readonly orchestrator?: ClusterOrchestrator;

  /**
   * Lets the principal open Session Manager sessions to this cluster's nodes: `ssm:StartSession` on the
   * cluster ARN (HyperPod's SSM targets are `sagemaker-cluster:<cluster-id>_<group>-<instance-id>`), and
   * `sagemaker:DescribeCluster`/`ListClusterNodes`/`DescribeClusterNode` to build those targets.
   */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:StartSession', 'sagemaker:DescribeCluster', 'sagemaker:ListClusterNodes', 'sagemaker:DescribeClusterNode'],
      resourceArns: [this.clusterArn],
    });
  }
}

/**
 * A SageMaker HyperPod cluster for distributed training on GPU or Trainium instances.
 *
 * - Slurm by default (a controller, optional login nodes, worker groups), or an existing EKS cluster.
 * - The library's lifecycle scripts and a `provisioning_parameters.json` generated from the typed props,
 *   uploaded at deploy time to a KMS-encrypted `sagemaker-` bucket.
 * - One least-privilege execution role per instance group.
 * - Nodes in the platform network's subnets, EFA groups in one Availability Zone, a security group that
 *   allows all traffic within itself (as EFA requires) and HTTPS out to the VPC endpoints.
 * - Automatic node recovery; customer-managed EBS encryption; an optional FSx for Lustre file system.
 *
 * @example
 * const cluster = new GpuTrainingCluster(this, 'Training', {
 *   network,
 *   workerGroups: [{ name: 'gpu', instanceType: HyperPodInstanceType.ML_P5_48XLARGE, instanceCount: 2 }],
 *   sharedFileSystem: {},
 * });
 * cluster.grantConnect(mlEngineers);
 */
export class GpuTrainingCluster extends GpuTrainingClusterBase {
  /**
   * Imports a cluster by ARN and name.
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: GpuTrainingClusterAttributes): IGpuTrainingCluster {
    class Import extends GpuTrainingClusterBase {
      public readonly clusterArn = attrs.clusterArn;
      public readonly clusterName = attrs.clusterName;
      public readonly orchestrator = undefined;
    }
    return new Import(scope, id, { environmentFromArn: attrs.clusterArn });
  }

  public readonly clusterArn: string;
  public readonly clusterName: string;
  /** The cluster ID, the last part of the ARN; SSM targets start with `sagemaker-cluster:<cluster-id>_`. */
  public readonly clusterId: string;
  /** What schedules work on the cluster (always set for a created cluster). */
  public readonly orchestrator?: ClusterOrchestrator;
  /** The security group of the nodes (and of the file system). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The customer-managed key of the cluster. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket holding the lifecycle scripts. */
  public readonly lifecycleBucket: s3.IBucket;
  /** Where the lifecycle scripts are (`s3://sagemaker-.../hyperpod/<cluster>/`). */
  public readonly lifecycleScriptsUri: string;
  /** The shared FSx for Lustre file system, when one was requested. */
  public readonly fileSystem?: fsx.LustreFileSystem;
  /** The names of the instance groups, controller and login first. */
  public readonly instanceGroupNames: string[];

  private readonly roles = new Map<string, iam.Role>();
  private readonly orchestration: ClusterOrchestrator;

  constructor(scope: Construct, id: string, props: GpuTrainingClusterProps) {
    const orchestrator = props.orchestrator ?? ClusterOrchestrator.slurm();
    const groups = planGroups(props, orchestrator);
    validate(scope, id, props, orchestrator, groups);

    const clusterName = props.clusterName;
    super(scope, id, { physicalName: clusterName });
    const stack = Stack.of(this);
    this.orchestrator = orchestrator;
    this.orchestration = orchestrator;
    this.clusterName = clusterName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });
    this.instanceGroupNames = groups.map((g) => g.name);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const network = props.network;
    const clusterSubnets = props.subnets ?? [network.subnets[0]];

    // ----- key, bucket -----
    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = new kms.Key(this, 'Key', {
        enableKeyRotation: true,
        description: `Encrypts the HyperPod cluster ${this.node.path}: EBS volumes, lifecycle scripts, file system, logs`,
        removalPolicy,
      });
      this.encryptionKey = key;
    }

    if (props.lifecycleBucket) {
      this.lifecycleBucket = props.lifecycleBucket;
    } else {
      // HyperPod reads lifecycle scripts only from buckets named sagemaker-*
      const suffix = this.node.addr.slice(-8);
      this.lifecycleBucket = new SecureBucket(this, 'LifecycleBucket', {
        bucketName: `${HYPERPOD_RULES.lifecycleBucketPrefix}hyperpod-${stack.account}-${stack.region}-${suffix}`,
        encryptionKey: this.encryptionKey,
        removalPolicy,
      });
    }
    const bucketKey = this.lifecycleBucket.encryptionKey ?? this.encryptionKey;
    const prefix = `hyperpod/${this.clusterName}`;
    this.lifecycleScriptsUri = `s3://${this.lifecycleBucket.bucketName}/${prefix}/`;

    // ----- network -----
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `HyperPod cluster ${this.node.path}: all traffic within the group (EFA, Slurm, Lustre), HTTPS out`,
      allowAllOutbound: false,
    });
    // EFA needs all traffic to and from the group itself, in both directions
    sg.addIngressRule(sg, ec2.Port.allTraffic(), 'All traffic between the nodes (EFA, NCCL, Slurm, Lustre)');
    sg.addEgressRule(sg, ec2.Port.allTraffic(), 'All traffic between the nodes (EFA, NCCL, Slurm, Lustre)');
    acknowledgeIngress(sg, 'HYPERPOD_EFA_SELF_TRAFFIC');
    // the subnets are isolated: HTTPS reaches only the interface endpoints and the S3 gateway endpoint
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');
    this.securityGroup = sg;
    network.allowEndpointAccessFrom(sg);
    network.addInterfaceEndpoints(
      InterfaceEndpointService.EC2,
      InterfaceEndpointService.ECR_API,
      InterfaceEndpointService.ECR_DKR,
      InterfaceEndpointService.STS,
      InterfaceEndpointService.LOGS,
      InterfaceEndpointService.MONITORING,
      InterfaceEndpointService.SSM,
      InterfaceEndpointService.SSM_MESSAGES,
      InterfaceEndpointService.EC2_MESSAGES,
    );
    const eksCluster = orchestrator.eksCluster;
    if (eksCluster) {
      network.addInterfaceEndpoints(InterfaceEndpointService.EKS, InterfaceEndpointService.EKS_AUTH);
      // kubelet and the control plane talk both ways
      for (const peer of eksCluster.connections.securityGroups) {
        sg.connections.allowFrom(peer, ec2.Port.allTraffic(), 'From the EKS cluster security group (kubelet, webhooks)');
        // both sides: egress here, and an ingress rule on the EKS cluster security group
        sg.connections.allowTo(peer, ec2.Port.tcp(443), 'HyperPod nodes to the EKS API server');
      }
      acknowledgeIngress(sg, 'HYPERPOD_EKS_CONTROL_PLANE_TRAFFIC');
    }

    // ----- shared file system -----
    let fsxParams: { dnsName: string; mountName: string; mountPath: string } | undefined;
    if (props.sharedFileSystem) {
      const opts = props.sharedFileSystem;
      const fileSystem = new fsx.LustreFileSystem(this, 'FileSystem', {
        vpc: network.vpc,
        vpcSubnet: opts.subnet ?? clusterSubnets[0],
        securityGroup: sg,
        storageCapacityGiB: opts.storageCapacityGiB ?? 1200,
        kmsKey: this.encryptionKey,
        fileSystemTypeVersion: fsx.FileSystemTypeVersion.V_2_15,
        lustreConfiguration: {
          deploymentType: fsx.LustreDeploymentType.PERSISTENT_2,
          perUnitStorageThroughput: opts.perUnitStorageThroughput ?? 250,
          dataCompressionType: fsx.LustreDataCompressionType.LZ4,
          automaticBackupRetention: opts.automaticBackupRetention ?? Duration.days(7),
          copyTagsToBackups: true,
        },
        removalPolicy: opts.removalPolicy ?? RemovalPolicy.RETAIN,
      });
      this.fileSystem = fileSystem;
      fsxParams = { dnsName: fileSystem.dnsName, mountName: fileSystem.mountName, mountPath: opts.mountPath ?? '/fsx' };
    }

    // ----- lifecycle scripts -----
    const params = provisioningParameters({
      workloadManager: orchestrator.kind === 'eks' ? 'eks' : 'slurm',
      controllerGroup: groups.find((g) => g.slurmNodeType === 'controller')?.name,
      loginGroup: groups.find((g) => g.slurmNodeType === 'login')?.name,
      workerGroups: groups.filter((g) => g.slurmNodeType === 'compute').map((g) => ({ name: g.name, partition: g.partition })),
      fsx: fsxParams,
    });
    const files: LifecycleFile[] = [
      ...lifecycleScripts(),
      { name: 'provisioning_parameters.json', body: stack.toJsonString(params, 2), contentType: 'application/json' },
      { name: 'shared_users.txt', body: sharedUsers(props.users ?? []), contentType: 'text/plain' },
    ];
    const upload = new LifecycleUpload(this, 'LifecycleScripts', {
      bucket: this.lifecycleBucket,
      bucketKey,
      prefix,
      files,
      logKey: props.logsEncryptionKey ?? this.encryptionKey,
    });
    const objectArns = files.map((f) => this.lifecycleBucket.arnForObjects(`${prefix}/${f.name}`));

    // ----- execution roles -----
    const cmkVolumes = (props.volumeEncryption ?? VolumeEncryption.CUSTOMER_MANAGED_KEY) === VolumeEncryption.CUSTOMER_MANAGED_KEY;
    const groupSpecs: sagemaker.CfnCluster.ClusterInstanceGroupProperty[] = [];
    for (const group of groups) {
      const role = this.createExecutionRole(group, {
        objectArns,
        bucketKey,
        prefix,
        subnets: uniqueSubnets([...clusterSubnets, ...(group.options.subnets ?? [])]),
        vpcId: network.vpc.vpcId,
        volumeKey: cmkVolumes ? this.encryptionKey : undefined,
      });
      const storage: sagemaker.CfnCluster.ClusterInstanceStorageConfigProperty[] = [];
      if (cmkVolumes) {
        storage.push({ ebsVolumeConfig: { rootVolume: true, volumeKmsKeyId: this.encryptionKey.keyArn } });
      }
      if (group.options.ebsVolumeSizeGiB !== undefined) {
        storage.push({
          ebsVolumeConfig: {
            volumeSizeInGb: group.options.ebsVolumeSizeGiB,
            volumeKmsKeyId: cmkVolumes ? this.encryptionKey.keyArn : undefined,
          },
        });
      }
      groupSpecs.push({
        instanceGroupName: group.name,
        instanceType: group.options.instanceType.name,
        instanceCount: group.options.instanceCount ?? 1,
        executionRole: role.roleArn,
        threadsPerCore: group.options.threadsPerCore,
        lifeCycleConfig: { sourceS3Uri: this.lifecycleScriptsUri, onCreate: ON_CREATE },
        instanceStorageConfigs: storage.length > 0 ? storage : undefined,
        trainingPlanArn: group.options.trainingPlan?.trainingPlanArn,
        onStartDeepHealthChecks: group.deepHealthChecks,
        overrideVpcConfig: group.options.subnets
          ? { securityGroupIds: [sg.securityGroupId], subnets: group.options.subnets.map((s) => s.subnetId) }
          : undefined,
      });
    }

    const resource = new sagemaker.CfnCluster(this, 'Resource', {
      clusterName: this.clusterName,
      instanceGroups: groupSpecs,
      vpcConfig: { securityGroupIds: [sg.securityGroupId], subnets: clusterSubnets.map((s) => s.subnetId) },
      nodeRecovery: props.nodeRecovery ?? NodeRecovery.AUTOMATIC,
      // customer-managed EBS keys need continuous provisioning
      nodeProvisioningMode: cmkVolumes ? 'Continuous' : undefined,
      orchestrator: eksCluster ? { eks: { clusterArn: eksCluster.clusterArn } } : undefined,
    });
    // nodes run the scripts as they boot: the objects and the roles' policies must exist first
    for (const u of upload.uploads) resource.node.addDependency(u);
    // HyperPod assumes the roles as soon as the cluster is created: their policies must be attached first
    for (const role of this.roles.values()) resource.node.addDependency(role.node.scope!);
    if (this.fileSystem) resource.node.addDependency(this.fileSystem);

    this.clusterArn = resource.attrClusterArn;
    this.clusterId = Fn.select(1, Fn.split('/', resource.attrClusterArn));
  }

  /** The execution role of an instance group. */
  public executionRole(instanceGroupName: string): iam.IRole {
    const role = this.roles.get(instanceGroupName);
    if (!role) {
      throw new Error(`GpuTrainingCluster '${this.node.path}' has no instance group '${instanceGroupName}' (it has ${[...this.roles.keys()].join(', ')})`);
    }
    return role;
  }

  /**
   * The scoped equivalent of AmazonSageMakerClusterInstanceRolePolicy for one group, plus the ENI permissions
   * HyperPod uses in a VPC (including ec2:DetachNetworkInterface for auto-resume), as customer managed policies:
   * `NodePolicy` (logs, metrics, lifecycle scripts, Session Manager, volume key), `NetworkPolicy` (the ENIs)
   * and, with EKS, `EksPolicy` (pod identity, image pulls).
   */
  private createExecutionRole(group: PlannedGroup, scope: RoleScope): iam.Role {
    const stack = Stack.of(this);
    const container = new Construct(this, `Group-${group.name}`);
    const role = new iam.Role(container, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `HyperPod instance group ${group.name} of ${this.node.path}`,
    });
    this.roles.set(group.name, role);

    // CloudWatch Logs of this cluster only: HyperPod names its group /aws/sagemaker/Clusters/<name>/<cluster-id>
    const logGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Clusters/${this.clusterName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const node: iam.PolicyStatement[] = [
      // DescribeLogStreams acts on the log group (the managed policy names the streams, which never matches)
      new iam.PolicyStatement({ sid: 'ClusterLogGroup', actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'], resources: [logGroups] }),
      new iam.PolicyStatement({
        sid: 'ClusterLogStreams',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroups}:log-stream:*`],
      }),
      // PutMetricData has no resource type: the namespace condition scopes it
      new iam.PolicyStatement({
        sid: 'ClusterMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Clusters' } },
      }),
      // the lifecycle scripts of this cluster, object by object
      new iam.PolicyStatement({
        sid: 'ListLifecycleScripts',
        actions: ['s3:ListBucket'],
        resources: [this.lifecycleBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [scope.prefix, `${scope.prefix}/`, `${scope.prefix}/*`] } },
      }),
      new iam.PolicyStatement({ sid: 'ReadLifecycleScripts', actions: ['s3:GetObject'], resources: scope.objectArns }),
      new iam.PolicyStatement({
        sid: 'DecryptLifecycleScripts',
        actions: ['kms:Decrypt'],
        resources: [scope.bucketKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          ArnEquals: { 'kms:EncryptionContext:aws:s3:arn': this.lifecycleBucket.bucketArn },
        },
      }),
      // the node's SSM agent opens Session Manager channels; ssmmessages has no resource types
      new iam.PolicyStatement({
        sid: 'SessionManagerChannels',
        actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        resources: ['*'],
      }),
    ];
    if (scope.volumeKey) {
      // HyperPod creates grants on the volume key when it adds, scales or patches nodes
      node.push(new iam.PolicyStatement({ sid: 'VolumeKeyGrants', actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [scope.volumeKey.keyArn] }));
    }
    this.attachPolicy(container, role, 'NodePolicy', `HyperPod instance group ${group.name}: logs and metrics of its cluster, lifecycle scripts, Session Manager`,
      node, 'HYPERPOD_NODE_ROLE_WILDCARDS');

    // HyperPod attaches the nodes to the VPC through ENIs it creates, and moves them on auto-resume, with this role
    const eni = stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' });
    const vpcArn = stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: scope.vpcId });
    const network: iam.PolicyStatement[] = [
      new iam.PolicyStatement({
        sid: 'DescribeNetwork',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        resources: ['*'],
      }),
      // an ENI only in the cluster's subnets, with the cluster's security group
      new iam.PolicyStatement({
        sid: 'CreateNodeInterfaces',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          eni,
          ...scope.subnets.map((s) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s.subnetId })),
          stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: this.securityGroup.securityGroupId }),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ManageNodeInterfaces',
        actions: [
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission',
          'ec2:DetachNetworkInterface',
          ...(this.orchestration.kind === 'eks'
            ? ['ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', 'ec2:ModifyNetworkInterfaceAttribute']
            : []),
        ],
        resources: [eni],
        conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } },
      }),
      // auto-resume detaches the ENI from the faulty node, an instance HyperPod runs in its own account
      new iam.PolicyStatement({
        sid: 'DetachFromNodes',
        actions: ['ec2:DetachNetworkInterface'],
        resources: [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*', account: '*' })],
      }),
      new iam.PolicyStatement({
        sid: 'TagNewInterfaces',
        actions: ['ec2:CreateTags'],
        resources: [eni],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' } },
      }),
    ];
    this.attachPolicy(container, role, 'NetworkPolicy', `HyperPod instance group ${group.name}: node network interfaces in the cluster's VPC`,
      network, 'HYPERPOD_NODE_INTERFACES');

    const eksCluster = this.orchestration.eksCluster;
    if (eksCluster) {
      // kubelet and the VPC CNI on the node: pod identity in this EKS cluster, image pulls
      this.attachPolicy(container, role, 'EksPolicy', `HyperPod instance group ${group.name}: EKS node`, [
        new iam.PolicyStatement({ sid: 'PodIdentity', actions: ['eks-auth:AssumeRoleForPodIdentity'], resources: [eksCluster.clusterArn] }),
        new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PullImages',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*', account: '*' })],
        }),
      ], 'HYPERPOD_EKS_NODE_WILDCARDS');
    }
    return role;
  }

  private attachPolicy(scope: Construct, role: iam.Role, id: string, description: string, statements: iam.PolicyStatement[],
    wildcards: AcknowledgmentName): void {
    const policy = new iam.ManagedPolicy(scope, id, { description, statements, roles: [role] });
    acknowledge(policy, wildcards, policyWildcardFindings(policy));
  }
}

/** What a role of a group is scoped to. */
interface RoleScope {
  readonly objectArns: string[];
  readonly bucketKey: kms.IKey;
  readonly prefix: string;
  readonly subnets: ec2.ISubnet[];
  readonly vpcId: string;
  readonly volumeKey?: kms.IKey;
}

/** An instance group as the cluster creates it. */
interface PlannedGroup {
  readonly name: string;
  /** What the props called it, for messages. */
  readonly prop: string;
  readonly options: InstanceGroupOptions;
  readonly slurmNodeType?: 'controller' | 'login' | 'compute';
  readonly partition: string;
  readonly deepHealthChecks?: string[];
}

function planGroups(props: GpuTrainingClusterProps, orchestrator: ClusterOrchestrator): PlannedGroup[] {
  const slurm = orchestrator.kind === 'slurm';
  const groups: PlannedGroup[] = [];
  if (slurm) {
    groups.push({
      name: 'controller',
      prop: 'controller',
      options: props.controller ?? { instanceType: HyperPodInstanceType.ML_M5_XLARGE, instanceCount: 1 },
      slurmNodeType: 'controller',
      partition: 'controller',
    });
    if (props.login) groups.push({ name: 'login', prop: 'login', options: props.login, slurmNodeType: 'login', partition: 'login' });
  }
  props.workerGroups.forEach((w, i) => groups.push({
    name: w.name,
    prop: `workerGroups[${i}]`,
    options: w,
    slurmNodeType: slurm ? 'compute' : undefined,
    partition: w.slurmPartition ?? w.name,
    deepHealthChecks: w.deepHealthChecks?.map((d) => String(d)),
  }));
  return groups;
}

function validate(scope: Construct, id: string, props: GpuTrainingClusterProps, orchestrator: ClusterOrchestrator, groups: PlannedGroup[]): void {
  const v = PropsValidator.forNew('GpuTrainingCluster', scope, id);
  const slurm = orchestrator.kind === 'slurm';
  v.pattern('clusterName', props.clusterName, HYPERPOD_LIMITS.namePattern,
    'letters, digits and hyphens, starting and ending with a letter or digit', HYPERPOD_LIMITS.nameMaxLength);

  v.check(props.workerGroups.length >= 1, 'workerGroups must list at least one group');
  v.check(groups.length <= HYPERPOD_LIMITS.maxInstanceGroups,
    `a HyperPod cluster has at most ${HYPERPOD_LIMITS.maxInstanceGroups} instance groups, got ${groups.length}`);
  if (!slurm) {
    v.check(props.controller === undefined, 'controller is a Slurm group: an EKS-orchestrated cluster has worker groups only');
    v.check(props.login === undefined, 'login is a Slurm group: an EKS-orchestrated cluster has worker groups only');
  }
  v.check(props.network.subnets.length > 0 || props.subnets !== undefined, 'network has no subnets to place the cluster in');

  const names = new Map<string, string>();
  for (const g of groups) {
    const o = g.options;
    v.pattern(`${g.prop}.name`, g.name, HYPERPOD_LIMITS.namePattern,
      'letters, digits and hyphens, starting and ending with a letter or digit', HYPERPOD_LIMITS.nameMaxLength);
    if (!Token.isUnresolved(g.name)) {
      const other = names.get(g.name);
      v.check(other === undefined, `${g.prop}.name '${g.name}' is already used by ${other}`);
      names.set(g.name, g.prop);
    }
    const type = o.instanceType.name;
    if (!Token.isUnresolved(type)) {
      v.check(o.instanceType.isSupported, `${g.prop}.instanceType '${type}' is not an instance type SageMaker HyperPod supports`);
    }
    const count = o.instanceCount ?? 1;
    if (!Token.isUnresolved(count)) {
      v.check(Number.isInteger(count) && count >= 1 && count <= HYPERPOD_LIMITS.maxInstanceCount,
        `${g.prop}.instanceCount must be an integer between 1 and ${HYPERPOD_LIMITS.maxInstanceCount}, got ${count}`);
    }
    if (g.slurmNodeType === 'controller' && !Token.isUnresolved(count)) {
      v.check(count <= HYPERPOD_RULES.maxSlurmControllers,
        `controller.instanceCount must be 1: several controllers need an external Slurm accounting database these lifecycle scripts do not set up, got ${count}`);
    }
    v.oneOf(`${g.prop}.threadsPerCore`, o.threadsPerCore, HYPERPOD_LIMITS.threadsPerCore);
    v.range(`${g.prop}.ebsVolumeSizeGiB`, o.ebsVolumeSizeGiB, HYPERPOD_LIMITS.ebsVolumeSizeGiB.min, HYPERPOD_LIMITS.ebsVolumeSizeGiB.max);
    if (g.deepHealthChecks && g.deepHealthChecks.length > 0) {
      v.check(!slurm, `${g.prop}.deepHealthChecks need EKS orchestration: HyperPod runs deep health checks only on EKS clusters`);
      v.check(new Set(g.deepHealthChecks).size === g.deepHealthChecks.length, `${g.prop}.deepHealthChecks lists a check twice`);
    }
    const partition = g.partition;
    if (slurm && g.slurmNodeType === 'compute') {
      v.pattern(`${g.prop}.slurmPartition`, partition, /^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -', 64);
    }

    // EFA only reaches EFAs in the same Availability Zone
    const subnets = o.subnets ?? props.subnets ?? [props.network.subnets[0]];
    const azs = knownAzs(subnets);
    if (o.instanceType.supportsEfa && azs.length > 1) {
      v.error(`${g.prop} uses EFA-capable ${type} but its subnets span ${azs.join(', ')}: EFA traffic does not cross Availability Zones, give the group subnets in one zone`);
    }
  }

  // the file system serves the nodes from one zone
  const fs = props.sharedFileSystem;
  if (fs) {
    const fsSubnet = fs.subnet ?? (props.subnets ?? [props.network.subnets[0]])[0];
    const fsAz = fsSubnet ? knownAzs([fsSubnet])[0] : undefined;
    const nodeAzs = knownAzs(groups.flatMap((g) => g.options.subnets ?? props.subnets ?? [props.network.subnets[0]]));
    const others = nodeAzs.filter((az) => az !== fsAz);
    if (fsAz && others.length > 0) {
      v.error(`sharedFileSystem is in ${fsAz} but nodes run in ${others.join(', ')}: put the file system in the cluster's Availability Zone`);
    }
    const capacity = fs.storageCapacityGiB;
    if (capacity !== undefined && !Token.isUnresolved(capacity)) {
      v.check(capacity === 1200 || (Number.isInteger(capacity) && capacity % 2400 === 0 && capacity > 0),
        `sharedFileSystem.storageCapacityGiB must be 1200 or a multiple of 2400, got ${capacity}`);
    }
    v.oneOf('sharedFileSystem.perUnitStorageThroughput', fs.perUnitStorageThroughput, [125, 250, 500, 1000]);
    v.pattern('sharedFileSystem.mountPath', fs.mountPath, /^\/[A-Za-z0-9._/-]*$/, 'an absolute path of letters, digits, ., _, - and /', 256);
    const backups = fs.automaticBackupRetention?.toDays();
    v.range('sharedFileSystem.automaticBackupRetention (days)', backups, 0, 90);
  }

  // HyperPod's instance policy only reads sagemaker-* buckets
  const bucket = props.lifecycleBucket;
  if (bucket) {
    if (!Token.isUnresolved(bucket.bucketName)) {
      v.check(bucket.bucketName.startsWith(HYPERPOD_RULES.lifecycleBucketPrefix),
        `lifecycleBucket name must start with '${HYPERPOD_RULES.lifecycleBucketPrefix}' (HyperPod reads lifecycle scripts only from such buckets), got '${bucket.bucketName}'`);
    }
    v.check(bucket.encryptionKey !== undefined,
      'lifecycleBucket must be encrypted with a KMS key it exposes: import it with Bucket.fromBucketAttributes({ bucketName, encryptionKey })');
  }

  const users = props.users ?? [];
  const userNames = new Set<string>();
  const uids = new Set<number>();
  users.forEach((u, i) => {
    v.pattern(`users[${i}].name`, u.name, /^[a-z_][a-z0-9_-]*$/, 'lowercase letters, digits, _ or -, starting with a letter or _', 32);
    v.range(`users[${i}].uid`, u.uid, 2000, 60000);
    v.check(!userNames.has(u.name), `users has '${u.name}' twice`);
    v.check(!uids.has(u.uid), `users has uid ${u.uid} twice`);
    userNames.add(u.name);
    uids.add(u.uid);
  });

  v.throwIfInvalid();
}

/** Acknowledges the all-traffic ingress rules of `sg` not yet acknowledged (their sources are security groups). */
function acknowledgeIngress(sg: ec2.SecurityGroup, name: AcknowledgmentName): void {
  for (const child of sg.node.findAll()) {
    if (!(child instanceof ec2.CfnSecurityGroupIngress) || ACKNOWLEDGED_INGRESS.has(child)) continue;
    if (child.ipProtocol !== '-1' || child.cidrIp !== undefined || child.sourceSecurityGroupId === undefined) continue;
    ACKNOWLEDGED_INGRESS.add(child);
    acknowledge(child, name);
  }
}
const ACKNOWLEDGED_INGRESS = new WeakSet<ec2.CfnSecurityGroupIngress>();

/** The literal Availability Zones of the subnets, without duplicates. */
function knownAzs(subnets: ec2.ISubnet[]): string[] {
  const azs = new Set<string>();
  for (const s of subnets) {
    const az = s.availabilityZone;
    if (az && !Token.isUnresolved(az)) azs.add(az);
  }
  return [...azs];
}

function uniqueSubnets(subnets: ec2.ISubnet[]): ec2.ISubnet[] {
  const seen = new Set<string>();
  return subnets.filter((s) => {
    const key = Token.isUnresolved(s.subnetId) ? Stack.of(s).resolve(s.subnetId) : s.subnetId;
    const k = JSON.stringify(key);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

