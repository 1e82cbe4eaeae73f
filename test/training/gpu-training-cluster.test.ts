import { CfnParameter, CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ClusterOrchestrator,
  DeepHealthCheck,
  GpuTrainingCluster,
  HyperPodInstanceType,
  IdleComputeSharing,
  KeyUsageService,
  NodeRecovery,
  PlatformKeys,
  SecureBucket,
  TaskGovernancePolicy,
  TeamComputeQuota,
  TrainingPlan,
  VolumeEncryption,
} from '../../src';
import { compliantTemplate, inspect, testStack } from '../harness';
import { fixtureNetwork, ManagedPolicyRole, subnet, SUBNET_A1, SUBNET_A2, SUBNET_B1, uploadedObject } from './fixtures';

const P5 = HyperPodInstanceType.ML_P5_48XLARGE;

/** The statements of every managed policy attached to the role with this logical-ID prefix. */
function statementsOfRole(template: Template, rolePrefix: string): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies)
    .filter((p: any) => (p.Properties.Roles ?? []).some((r: any) => String(r.Ref).startsWith(rolePrefix)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function roleId(template: Template, group: string): string {
  const ids = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(`ClusterGroup${group}ExecutionRole`));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('GpuTrainingCluster with Slurm (defaults, two GPU workers sharing FSx for Lustre)', () => {
  // GIVEN a platform network and a cluster with defaults, workers, a file system and a user
  const stack = testStack();
  const network = fixtureNetwork(stack);
  const cluster = new GpuTrainingCluster(stack, 'Cluster', {
    network,
    clusterName: 'llm-training',
    workerGroups: [{ name: 'gpu', instanceType: P5, instanceCount: 2, ebsVolumeSizeGiB: 500 }],
    sharedFileSystem: {},
    users: [{ name: 'alice', uid: 2001 }, { name: 'bob', uid: 2002 }],
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('creates the cluster with a controller, the workers, automatic node recovery and customer-managed volume keys', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::SageMaker::Cluster', {
      ClusterName: 'llm-training',
      NodeRecovery: 'Automatic',
      // customer-managed EBS keys need continuous provisioning
      NodeProvisioningMode: 'Continuous',
      VpcConfig: { Subnets: [SUBNET_A1], SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterSecurityGroup'), 'GroupId'] }] },
      InstanceGroups: [
        Match.objectLike({
          InstanceGroupName: 'controller',
          InstanceType: 'ml.m5.xlarge',
          InstanceCount: 1,
          LifeCycleConfig: { OnCreate: 'on_create.sh', SourceS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^ClusterLifecycleBucket') }, '/hyperpod/llm-training/']] } },
          InstanceStorageConfigs: [{ EbsVolumeConfig: { RootVolume: true, VolumeKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterKey'), 'Arn'] } } }],
        }),
        Match.objectLike({
          InstanceGroupName: 'gpu',
          InstanceType: 'ml.p5.48xlarge',
          InstanceCount: 2,
          InstanceStorageConfigs: [
            { EbsVolumeConfig: { RootVolume: true, VolumeKmsKeyId: Match.anyValue() } },
            { EbsVolumeConfig: { VolumeSizeInGB: 500, VolumeKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterKey'), 'Arn'] } } },
          ],
        }),
      ],
    });
    expect(cluster.instanceGroupNames).toEqual(['controller', 'gpu']);
  });

  test('creates a KMS-encrypted lifecycle bucket whose name starts with sagemaker-, and a retained key', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.stringLikeRegexp('^sagemaker-hyperpod-123456789012-us-east-1-[0-9a-f]{8}$'),
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
    });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  test('generates provisioning_parameters.json from the instance groups and the file system', () => {
    const upload = uploadedObject(compliantTemplate(stack), 'provisioning_parameters.json');
    expect(upload.key).toBe('hyperpod/llm-training/provisioning_parameters.json');
    expect(JSON.parse(upload.body)).toEqual({
      version: '1.0.0',
      workload_manager: 'slurm',
      controller_group: 'controller',
      worker_groups: [{ instance_group_name: 'gpu', partition_name: 'gpu' }],
      fsx_dns_name: '<ClusterFileSystemCC3072DE>.fsx.us-east-1.<AWS::URLSuffix>',
      fsx_mountname: '<ClusterFileSystemCC3072DE.LustreMountName>',
      fsx_mount_path: '/fsx',
    });
    // encrypted with the bucket's key, through S3 with a bucket key
    expect(upload.call.parameters).toMatchObject({ ServerSideEncryption: 'aws:kms', BucketKeyEnabled: true, ContentType: 'application/json' });
  });

  test('uploads the lifecycle scripts and the users next to the parameters', () => {
    const template = compliantTemplate(stack);
    for (const file of ['on_create.sh', 'setup_slurm.sh', 'mount_fsx.sh', 'add_users.sh']) {
      expect(uploadedObject(template, file).body.startsWith('#!/bin/bash\n')).toBe(true);
    }
    expect(uploadedObject(template, 'shared_users.txt').body).toBe('alice,2001\nbob,2002\n');
    template.resourceCountIs('Custom::HyperPodLifecycleFile', 6);
  });

  test('the uploader may write exactly those objects and nothing else', () => {
    const template = compliantTemplate(stack);
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .find((p: any) => String(p.Properties.Description).startsWith('Writes the HyperPod lifecycle scripts')) as any;
    const put = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Action === 's3:PutObject');
    expect(put.Resource).toHaveLength(6);
    expect(JSON.stringify(put.Resource)).not.toContain('/*');
    // the function runs with reserved concurrency and a retained, encrypted log group
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5, Runtime: Match.stringLikeRegexp('^nodejs') });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  test('waits for the scripts, the roles and the file system before creating the cluster', () => {
    const template = compliantTemplate(stack);
    const [resource] = Object.values(template.findResources('AWS::SageMaker::Cluster')) as any[];
    const files = Object.keys(template.findResources('Custom::HyperPodLifecycleFile'));
    expect(resource.DependsOn).toEqual(expect.arrayContaining([...files, roleId(template, 'gpu'), 'ClusterFileSystemCC3072DE']));
  });

  test('gives each instance group its own role, with customer managed policies only', () => {
    const template = compliantTemplate(stack);
    template.resourceCountIs('AWS::IAM::Role', 3); // controller, gpu, uploader
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' }, Effect: 'Allow' }] },
      ManagedPolicyArns: Match.absent(),
    });
    expect(roleId(template, 'controller')).not.toBe(roleId(template, 'gpu'));
  });

  test('scopes the node role to this cluster: its logs, its script objects, its subnets and security group', () => {
    const template = compliantTemplate(stack);
    const statements = statementsOfRole(template, roleId(template, 'gpu'));
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(JSON.stringify(bySid('ClusterLogGroup').Resource)).toContain(':log-group:/aws/sagemaker/Clusters/llm-training/*');
    expect(bySid('ClusterMetrics').Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Clusters' } });
    expect(bySid('ReadLifecycleScripts').Resource).toHaveLength(6);
    expect(bySid('ListLifecycleScripts').Condition.StringLike['s3:prefix']).toContain('hyperpod/llm-training/*');
    expect(bySid('DecryptLifecycleScripts').Condition).toEqual({
      StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
      ArnEquals: { 'kms:EncryptionContext:aws:s3:arn': { 'Fn::GetAtt': [expect.stringMatching(/^ClusterLifecycleBucket/), 'Arn'] } },
    });
    expect(JSON.stringify(bySid('CreateNodeInterfaces').Resource)).toContain(`subnet/${SUBNET_A1}`);
    expect(JSON.stringify(bySid('CreateNodeInterfaces').Resource)).not.toContain(SUBNET_B1);
    // auto-resume moves ENIs: detach is allowed, on ENIs of this VPC only
    expect(bySid('ManageNodeInterfaces').Action).toContain('ec2:DetachNetworkInterface');
    expect(JSON.stringify(bySid('ManageNodeInterfaces').Condition)).toContain('vpc/vpc-0123456789abcdef0');
    expect(bySid('VolumeKeyGrants').Action).toEqual(['kms:CreateGrant', 'kms:DescribeKey']);
    // no service-wide wildcards
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContainEqual(expect.stringMatching(/^[a-z0-9-]+:\*$/));
  });

  test('allows all traffic within the security group both ways (EFA) and HTTPS out to the endpoints', () => {
    const template = compliantTemplate(stack);
    const sg = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterSecurityGroup'), 'GroupId'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: '-1', GroupId: sg, SourceSecurityGroupId: sg });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { IpProtocol: '-1', GroupId: sg, DestinationSecurityGroupId: sg });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('HyperPod cluster'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    });
    // the endpoints admit the cluster
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkEndpointSecurityGroup'), 'GroupId'] }, SourceSecurityGroupId: sg, FromPort: 443,
    });
  });

  test('registers the interface endpoints a closed-network Slurm cluster needs', () => {
    const names = Object.values(compliantTemplate(stack).findResources('AWS::EC2::VPCEndpoint'))
      .map((e: any) => JSON.stringify(e.Properties.ServiceName));
    for (const service of ['ec2', 'ecr.api', 'ecr.dkr', 'sts', 'logs', 'monitoring', 'ssm', 'ssmmessages', 'ec2messages', 's3']) {
      expect(names.some((n) => n.includes(`.${service}"`) || n.endsWith(`.${service}"`))).toBe(true);
    }
    expect(names.some((n) => n.includes('.eks'))).toBe(false);
  });

  test('creates a PERSISTENT_2, KMS-encrypted, retained FSx for Lustre file system in the cluster subnet', () => {
    compliantTemplate(stack).hasResource('AWS::FSx::FileSystem', {
      Properties: {
        FileSystemType: 'LUSTRE',
        StorageCapacity: 1200,
        SubnetIds: [SUBNET_A1],
        KmsKeyId: Match.anyValue(),
        LustreConfiguration: Match.objectLike({ DeploymentType: 'PERSISTENT_2', PerUnitStorageThroughput: 250, AutomaticBackupRetentionDays: 7 }),
      },
      DeletionPolicy: 'Retain',
    });
    expect(cluster.fileSystem).toBeDefined();
  });

  test('acknowledges only registered findings, each on one resource', () => {
    const ids = new Set(inspect(stack).acknowledgments.map((a) => a.id.replace(/\[.*\]$/, '')));
    expect([...ids].sort()).toEqual([
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
      'HIPAA.Security-EC2RestrictedCommonPorts',
      'HIPAA.Security-LambdaDLQ',
      'HIPAA.Security-LambdaInsideVPC',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'HIPAA.Security-S3BucketReplicationEnabled',
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-EC2RestrictedCommonPorts',
      'NIST.800.53.R5-LambdaDLQ',
      'NIST.800.53.R5-LambdaInsideVPC',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'PCI.DSS.321-EC2RestrictedCommonPorts',
      'PCI.DSS.321-LambdaInsideVPC',
      'PCI.DSS.321-S3BucketLoggingEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3DefaultEncryptionKMS',
    ]);
  });
});

describe('grantConnect', () => {
  // GIVEN a cluster and an engineer's role
  const stack = testStack();
  const cluster = new GpuTrainingCluster(stack, 'Cluster', {
    network: fixtureNetwork(stack),
    workerGroups: [{ name: 'gpu', instanceType: HyperPodInstanceType.ML_G5_12XLARGE }],
  });
  const engineer = new ManagedPolicyRole(stack, 'Engineer');
  // WHEN
  cluster.grantConnect(engineer);

  test('allows SSM sessions to this cluster only, and reading its nodes to build the targets', () => {
    compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Engineer') }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['ssm:StartSession', 'sagemaker:DescribeCluster', 'sagemaker:ListClusterNodes', 'sagemaker:DescribeClusterNode'],
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterArn'] },
        }],
      },
    });
  });

  test('works on an imported cluster', () => {
    const imported = GpuTrainingCluster.fromClusterAttributes(stack, 'Imported', {
      clusterArn: 'arn:aws:sagemaker:us-east-1:123456789012:cluster/abcdefghij12',
      clusterName: 'shared',
    });
    const other = new ManagedPolicyRole(stack, 'Other');
    expect(imported.grantConnect(other).success).toBe(true);
    expect(imported.orchestrator).toBeUndefined();
    // SSM targets start with sagemaker-cluster:<cluster-id>_, the last part of the ARN
    expect(JSON.stringify(stack.resolve(cluster.clusterId))).toMatch(/^\{"Fn::Select":\[1,\{"Fn::Split":\["\/",\{"Fn::GetAtt":\["Cluster[0-9A-F]+","ClusterArn"\]\}\]\}\]\}$/);
  });
});

describe('GpuTrainingCluster with EKS, deep health checks and task governance', () => {
  // GIVEN an existing EKS cluster
  const stack = testStack();
  const network = fixtureNetwork(stack);
  const eksCluster = eks.Cluster.fromClusterAttributes(stack, 'Eks', {
    clusterName: 'ml-platform',
    securityGroupIds: ['sg-0123456789abcdef0'],
  });
  const cluster = new GpuTrainingCluster(stack, 'Cluster', {
    network,
    orchestrator: ClusterOrchestrator.eks(eksCluster),
    workerGroups: [
      { name: 'p5', instanceType: P5, instanceCount: 4, deepHealthChecks: [DeepHealthCheck.INSTANCE_STRESS, DeepHealthCheck.INSTANCE_CONNECTIVITY] },
      { name: 'trn', instanceType: HyperPodInstanceType.ML_TRN1_32XLARGE, threadsPerCore: 1 },
    ],
  });
  new TaskGovernancePolicy(stack, 'Governance', {
    cluster,
    priorityClasses: [{ name: 'inference', weight: 90 }, { name: 'training', weight: 50 }],
  });
  new TeamComputeQuota(stack, 'Research', {
    cluster,
    team: 'research',
    allocations: [{ instanceType: P5, instanceCount: 2 }],
    fairShareWeight: 60,
    borrowLimitPercent: 100,
  });
  new TeamComputeQuota(stack, 'Product', {
    cluster,
    team: 'product',
    allocations: [{ instanceType: HyperPodInstanceType.ML_TRN1_32XLARGE, accelerators: 16 }],
    idleComputeSharing: IdleComputeSharing.LEND,
    preemptLowerPriorityTasks: false,
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('attaches the cluster to the EKS cluster, with worker groups only and deep health checks', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::SageMaker::Cluster', {
      Orchestrator: { Eks: { ClusterArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':eks:us-east-1:123456789012:cluster/ml-platform')])] } } },
      InstanceGroups: [
        Match.objectLike({ InstanceGroupName: 'p5', OnStartDeepHealthChecks: ['InstanceStress', 'InstanceConnectivity'] }),
        Match.objectLike({ InstanceGroupName: 'trn', ThreadsPerCore: 1, OnStartDeepHealthChecks: Match.absent() }),
      ],
    });
    expect(uploadedObject(template, 'provisioning_parameters.json').body).toBe('{\n  "version": "1.0.0",\n  "workload_manager": "eks"\n}');
  });

  test('registers the EKS endpoints and lets the control plane reach the nodes', () => {
    const template = compliantTemplate(stack);
    const names = JSON.stringify(Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => e.Properties.ServiceName));
    expect(names).toContain('.eks"');
    expect(names).toContain('.eks-auth"');
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: '-1', SourceSecurityGroupId: 'sg-0123456789abcdef0' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 443, DestinationSecurityGroupId: 'sg-0123456789abcdef0' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0123456789abcdef0', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterSecurityGroup'), 'GroupId'] },
    });
  });

  test('gives the EKS nodes pod identity in this EKS cluster and image pulls', () => {
    const template = compliantTemplate(stack);
    const statements = statementsOfRole(template, roleId(template, 'p5'));
    const pod = statements.find((s) => s.Sid === 'PodIdentity');
    expect(JSON.stringify(pod.Resource)).toContain(':eks:us-east-1:123456789012:cluster/ml-platform');
    expect(statements.find((s) => s.Sid === 'ManageNodeInterfaces').Action).toContain('ec2:AssignPrivateIpAddresses');
  });

  test('creates the task governance policy and one quota per team', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::SageMaker::ClusterSchedulerConfig', {
      ClusterArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterArn'] },
      SchedulerConfig: {
        FairShare: 'Enabled',
        IdleResourceSharing: 'Enabled',
        PriorityClasses: [{ Name: 'inference', Weight: 90 }, { Name: 'training', Weight: 50 }],
      },
    });
    template.resourceCountIs('AWS::SageMaker::ComputeQuota', 2);
    template.hasResourceProperties('AWS::SageMaker::ComputeQuota', {
      ComputeQuotaTarget: { TeamName: 'research', FairShareWeight: 60 },
      ComputeQuotaConfig: {
        ComputeQuotaResources: [{ InstanceType: 'ml.p5.48xlarge', Count: 2 }],
        ResourceSharingConfig: { Strategy: 'LendAndBorrow', BorrowLimit: 100 },
        PreemptTeamTasks: 'LowerPriority',
      },
      ActivationState: 'Enabled',
    });
    template.hasResourceProperties('AWS::SageMaker::ComputeQuota', {
      ComputeQuotaTarget: { TeamName: 'product' },
      ComputeQuotaConfig: { ResourceSharingConfig: { Strategy: 'Lend' }, PreemptTeamTasks: 'Never' },
    });
  });
});

describe('GpuTrainingCluster with provided resources and options', () => {
  // GIVEN a key, an existing sagemaker- bucket, a training plan and a login group
  const stack = testStack();
  const network = fixtureNetwork(stack);
  const keys = new PlatformKeys(stack, 'Keys');
  const key = keys.addKey('training', {
    description: 'HyperPod clusters',
    viaServices: [KeyUsageService.SAGEMAKER, KeyUsageService.S3, KeyUsageService.EBS, KeyUsageService.FSX],
  });
  const bucket = new SecureBucket(stack, 'Scripts', { bucketName: 'sagemaker-platform-lifecycle-scripts', encryptionKey: key });
  const plan = TrainingPlan.fromTrainingPlanArn(stack, 'Plan', 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p5-reservation');
  new GpuTrainingCluster(stack, 'Cluster', {
    network,
    encryptionKey: key,
    logsEncryptionKey: keys.logsKey,
    lifecycleBucket: bucket,
    volumeEncryption: VolumeEncryption.AWS_OWNED_KEY,
    nodeRecovery: NodeRecovery.NONE,
    controller: { instanceType: HyperPodInstanceType.ML_C5_2XLARGE },
    login: { instanceType: HyperPodInstanceType.ML_M5_2XLARGE, instanceCount: 2 },
    workerGroups: [{
      name: 'reserved',
      instanceType: P5,
      instanceCount: 2,
      trainingPlan: plan,
      threadsPerCore: 2,
      slurmPartition: 'p5',
      subnets: [subnet(network, SUBNET_A2)],
    }],
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('uses the provided keys and bucket instead of creating them', () => {
    const template = compliantTemplate(stack);
    template.resourceCountIs('AWS::KMS::Key', 4); // the platform's studio, data and logs keys, and the training key
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(keys.logsKey.node.defaultChild as CfnResource), 'Arn'] } });
    template.resourceCountIs('AWS::S3::Bucket', 2); // the provided bucket and its access-log bucket
    template.hasResourceProperties('AWS::SageMaker::Cluster', {
      InstanceGroups: Match.arrayWith([Match.objectLike({
        LifeCycleConfig: { OnCreate: 'on_create.sh', SourceS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Scripts') }, Match.stringLikeRegexp('^/hyperpod/')]] } },
      })]),
    });
  });

  test('with AWS owned volume keys, uses the classic provisioning mode and grants nothing on the key for volumes', () => {
    const template = compliantTemplate(stack);
    const [resource] = Object.values(template.findResources('AWS::SageMaker::Cluster')) as any[];
    expect(resource.Properties.NodeProvisioningMode).toBeUndefined();
    expect(resource.Properties.NodeRecovery).toBe('None');
    expect(resource.Properties.InstanceGroups.map((g: any) => g.InstanceStorageConfigs)).toEqual([undefined, undefined, undefined]);
    expect(statementsOfRole(template, roleId(template, 'reserved')).find((s) => s.Sid === 'VolumeKeyGrants')).toBeUndefined();
  });

  test('sets the login group, the training plan, threads per core and the group subnets', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::SageMaker::Cluster', {
      InstanceGroups: [
        Match.objectLike({ InstanceGroupName: 'controller', InstanceType: 'ml.c5.2xlarge' }),
        Match.objectLike({ InstanceGroupName: 'login', InstanceType: 'ml.m5.2xlarge', InstanceCount: 2 }),
        Match.objectLike({
          InstanceGroupName: 'reserved',
          TrainingPlanArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p5-reservation',
          ThreadsPerCore: 2,
          OverrideVpcConfig: { Subnets: [SUBNET_A2], SecurityGroupIds: Match.anyValue() },
        }),
      ],
    });
    const params = JSON.parse(uploadedObject(template, 'provisioning_parameters.json').body);
    expect(params).toEqual({
      version: '1.0.0',
      workload_manager: 'slurm',
      controller_group: 'controller',
      login_group: 'login',
      worker_groups: [{ instance_group_name: 'reserved', partition_name: 'p5' }],
    });
    // the group's role may create ENIs in its own subnet as well as the cluster's
    const create = statementsOfRole(template, roleId(template, 'reserved')).find((s) => s.Sid === 'CreateNodeInterfaces');
    expect(JSON.stringify(create.Resource)).toContain(SUBNET_A2);
  });
});

describe('GpuTrainingCluster bad input', () => {
  const ok = { name: 'gpu', instanceType: P5 };

  test('refuses instance types HyperPod does not support and zero counts, naming the prop and the value', () => {
    const stack = testStack();
    expect(() => new GpuTrainingCluster(stack, 'Bad', {
      network: fixtureNetwork(stack),
      workerGroups: [{ name: 'old', instanceType: HyperPodInstanceType.of('ml.p3.16xlarge'), instanceCount: 0 }],
    })).toThrow(/GpuTrainingCluster 'TestStack\/Bad' has invalid props:[\s\S]*workerGroups\[0\]\.instanceType 'ml\.p3\.16xlarge' is not an instance type SageMaker HyperPod supports[\s\S]*workerGroups\[0\]\.instanceCount must be an integer between 1 and 6758, got 0/);
  });

  test('refuses deep health checks with Slurm', () => {
    const stack = testStack();
    expect(() => new GpuTrainingCluster(stack, 'Bad', {
      network: fixtureNetwork(stack),
      workerGroups: [{ ...ok, deepHealthChecks: [DeepHealthCheck.INSTANCE_STRESS] }],
    })).toThrow(/workerGroups\[0\]\.deepHealthChecks need EKS orchestration/);
  });

  test('refuses a file system in another Availability Zone than the nodes', () => {
    const stack = testStack();
    const network = fixtureNetwork(stack);
    expect(() => new GpuTrainingCluster(stack, 'Bad', {
      network,
      workerGroups: [ok],
      sharedFileSystem: { subnet: subnet(network, SUBNET_B1) },
    })).toThrow(/sharedFileSystem is in us-east-1b but nodes run in us-east-1a/);
  });

  test('refuses an EFA-capable group spread over Availability Zones, but not a CPU group', () => {
    const stack = testStack();
    const network = fixtureNetwork(stack);
    const subnets = [subnet(network, SUBNET_A1), subnet(network, SUBNET_B1)];
    expect(() => new GpuTrainingCluster(stack, 'Bad', { network, workerGroups: [{ ...ok, subnets }] }))
      .toThrow(/workerGroups\[0\] uses EFA-capable ml\.p5\.48xlarge but its subnets span us-east-1a, us-east-1b/);
    expect(() => new GpuTrainingCluster(stack, 'Cpu', {
      network,
      workerGroups: [{ name: 'prep', instanceType: HyperPodInstanceType.ML_C5_4XLARGE, subnets }],
    })).not.toThrow();
  });

  test('refuses a lifecycle bucket whose name does not start with sagemaker-, or without a KMS key', () => {
    const stack = testStack();
    expect(() => new GpuTrainingCluster(stack, 'Bad', {
      network: fixtureNetwork(stack),
      workerGroups: [ok],
      lifecycleBucket: s3.Bucket.fromBucketName(stack, 'Scripts', 'my-lifecycle-scripts'),
    })).toThrow(/lifecycleBucket name must start with 'sagemaker-'.*got 'my-lifecycle-scripts'[\s\S]*lifecycleBucket must be encrypted with a KMS key/);
  });

  test('refuses more instance groups than the service allows', () => {
    const stack = testStack();
    const workerGroups = Array.from({ length: 100 }, (_, i) => ({ name: `g${i}`, instanceType: HyperPodInstanceType.ML_C5_LARGE }));
    expect(() => new GpuTrainingCluster(stack, 'Bad', { network: fixtureNetwork(stack), workerGroups }))
      .toThrow(/a HyperPod cluster has at most 100 instance groups, got 101/);
  });

  test('collects every error and throws once', () => {
    const stack = testStack();
    let message = '';
    try {
      new GpuTrainingCluster(stack, 'Bad', {
        network: fixtureNetwork(stack),
        clusterName: 'not_valid',
        controller: { instanceType: HyperPodInstanceType.ML_M5_XLARGE, instanceCount: 2 },
        workerGroups: [
          { name: 'gpu', instanceType: P5, threadsPerCore: 4, ebsVolumeSizeGiB: 0 },
          { name: 'gpu', instanceType: P5 },
        ],
        sharedFileSystem: { storageCapacityGiB: 1000, perUnitStorageThroughput: 300 },
        users: [{ name: 'Root!', uid: 0 }],
      });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const expected of [
      /clusterName must be letters, digits and hyphens.*got 'not_valid'/,
      /controller\.instanceCount must be 1/,
      /workerGroups\[0\]\.threadsPerCore must be one of 1, 2, got '4'/,
      /workerGroups\[0\]\.ebsVolumeSizeGiB must be an integer between 1 and 16384, got 0/,
      /workerGroups\[1\]\.name 'gpu' is already used by workerGroups\[0\]/,
      /sharedFileSystem\.storageCapacityGiB must be 1200 or a multiple of 2400, got 1000/,
      /sharedFileSystem\.perUnitStorageThroughput must be one of 125, 250, 500, 1000, got '300'/,
      /users\[0\]\.name must be lowercase letters/,
      /users\[0\]\.uid must be an integer between 2000 and 60000, got 0/,
    ]) {
      expect(message).toMatch(expected);
    }
  });

  test('refuses Slurm groups on an EKS cluster', () => {
    const stack = testStack();
    const eksCluster = eks.Cluster.fromClusterAttributes(stack, 'Eks', { clusterName: 'ml' });
    expect(() => new GpuTrainingCluster(stack, 'Bad', {
      network: fixtureNetwork(stack),
      orchestrator: ClusterOrchestrator.eks(eksCluster),
      controller: { instanceType: HyperPodInstanceType.ML_M5_XLARGE },
      workerGroups: [ok],
    })).toThrow(/controller is a Slurm group: an EKS-orchestrated cluster has worker groups only/);
  });

  test('refuses task governance on a Slurm cluster and bad team settings', () => {
    const stack = testStack();
    const cluster = new GpuTrainingCluster(stack, 'Slurm', { network: fixtureNetwork(stack), workerGroups: [ok] });
    expect(() => new TaskGovernancePolicy(stack, 'Policy', { cluster, priorityClasses: [{ name: 'High', weight: 101 }] }))
      .toThrow(/cluster must be orchestrated by Amazon EKS[\s\S]*priorityClasses\[0\]\.name must be lowercase[\s\S]*priorityClasses\[0\]\.weight must be an integer between 0 and 100, got 101/);
    expect(() => new TeamComputeQuota(stack, 'Quota', {
      cluster,
      team: 'Team_A',
      allocations: [{ instanceType: HyperPodInstanceType.of('ml.p3.2xlarge') }],
      borrowLimitPercent: 600,
    })).toThrow(/HyperPod rejects compute quotas on Slurm clusters[\s\S]*team must be lowercase[\s\S]*'ml\.p3\.2xlarge' is not an instance type[\s\S]*must give instanceCount, accelerators, vCpu or memoryGiB[\s\S]*borrowLimitPercent must be an integer between 1 and 500, got 600/);
  });

  test('refuses a malformed training plan ARN', () => {
    const stack = testStack();
    expect(() => TrainingPlan.fromTrainingPlanArn(stack, 'Plan', 'arn:aws:sagemaker:us-east-1:123456789012:cluster/abc'))
      .toThrow(/trainingPlanArn must match .*training-plan.*got 'arn:aws:sagemaker:us-east-1:123456789012:cluster\/abc'/);
  });

  test('skips unresolved tokens', () => {
    const stack = testStack();
    const type = new CfnParameter(stack, 'Type').valueAsString;
    const count = new CfnParameter(stack, 'Count', { type: 'Number' }).valueAsNumber;
    expect(() => new GpuTrainingCluster(stack, 'Tok', {
      network: fixtureNetwork(stack),
      workerGroups: [{ name: 'gpu', instanceType: HyperPodInstanceType.of(type), instanceCount: count }],
      sharedFileSystem: { automaticBackupRetention: Duration.days(0), removalPolicy: RemovalPolicy.DESTROY },
    })).not.toThrow();
  });
});
