import { App, Aws, CfnResource, Fn, Stack, Validations } from 'aws-cdk-lib';
import { SageMakerPlatformChecks } from '../../src/nag';

const ACCOUNT = '123456789012';
const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
const SGS = ['sg-0123456789abcdef0'];
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/alice`;

type Props = Record<string, unknown>;
const res = (type: string, properties: Props) => (stack: Stack) => { new CfnResource(stack, 'Subject', { type, properties }); };

const domain = (overrides: Props = {}, settings: Props = {}) => res('AWS::SageMaker::Domain', {
  DomainName: 'd',
  AuthMode: 'IAM',
  VpcId: 'vpc-0123456789abcdef0',
  SubnetIds: SUBNETS,
  AppNetworkAccessType: 'VpcOnly',
  KmsKeyId: KEY,
  DomainSettings: { ExecutionRoleIdentityConfig: 'USER_PROFILE_NAME', DockerSettings: { EnableDockerAccess: 'DISABLE' } },
  DefaultUserSettings: {
    ExecutionRole: ROLE,
    JupyterLabAppSettings: { AppLifecycleManagement: { IdleSettings: { LifecycleManagement: 'ENABLED' } } },
    CodeEditorAppSettings: { AppLifecycleManagement: { IdleSettings: { LifecycleManagement: 'ENABLED' } } },
    SharingSettings: { NotebookOutputOption: 'Disabled' },
    ...settings,
  },
  ...overrides,
});
const userProfile = (settings: Props) => res('AWS::SageMaker::UserProfile', { DomainId: 'd-abc', UserProfileName: 'alice', UserSettings: settings });
const featureGroup = (overrides: Props) => res('AWS::SageMaker::FeatureGroup', {
  FeatureGroupName: 'g',
  RecordIdentifierFeatureName: 'id',
  EventTimeFeatureName: 't',
  FeatureDefinitions: [],
  OnlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: KEY } },
  OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://b/p', KmsKeyId: KEY } },
  ...overrides,
});
const trainingStep = (args: Props = {}) => ({
  Name: 'Train',
  Type: 'Training',
  Arguments: {
    VpcConfig: { Subnets: SUBNETS, SecurityGroupIds: SGS },
    ResourceConfig: { VolumeKmsKeyId: KEY },
    OutputDataConfig: { KmsKeyId: KEY },
    ...args,
  },
});
const pipeline = (steps: unknown[], asJoin = false) => (stack: Stack) => {
  const body = JSON.stringify({ Version: '2020-12-01', Steps: steps });
  new CfnResource(stack, 'Subject', {
    type: 'AWS::SageMaker::Pipeline',
    properties: {
      PipelineName: 'p',
      RoleArn: ROLE,
      // with asJoin the key ARN's account becomes a token, as a definition built from CDK resources renders it
      PipelineDefinition: { PipelineDefinitionBody: asJoin ? Fn.join('', body.split(ACCOUNT).flatMap((part, i) => (i === 0 ? [part] : [Aws.ACCOUNT_ID, part]))) : body },
    },
  });
};
const model = (overrides: Props) => res('AWS::SageMaker::Model', {
  ExecutionRoleArn: ROLE, EnableNetworkIsolation: true, VpcConfig: { Subnets: SUBNETS, SecurityGroupIds: SGS }, ...overrides,
});
const endpointConfig = (overrides: Props, instanceType = 'ml.m5.large') => res('AWS::SageMaker::EndpointConfig', {
  KmsKeyId: KEY,
  ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InstanceType: instanceType, InitialInstanceCount: 2 }],
  ...overrides,
});
const endpoint = (scaled: boolean, deployment?: Props) => (stack: Stack) => {
  const ep = new CfnResource(stack, 'Subject', {
    type: 'AWS::SageMaker::Endpoint',
    properties: { EndpointConfigName: 'c', ...(deployment ? { DeploymentConfig: deployment } : {}) },
  });
  if (scaled) {
    new CfnResource(stack, 'Target', {
      type: 'AWS::ApplicationAutoScaling::ScalableTarget',
      properties: {
        ServiceNamespace: 'sagemaker',
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        MinCapacity: 2,
        MaxCapacity: 4,
        ResourceId: Fn.join('', ['endpoint/', ep.getAtt('EndpointName').toString(), '/variant/AllTraffic']),
      },
    });
  }
};
const cluster = (overrides: Props) => res('AWS::SageMaker::Cluster', {
  InstanceGroups: [], NodeRecovery: 'Automatic', VpcConfig: { Subnets: SUBNETS, SecurityGroupIds: SGS }, ...overrides,
});
const monitoring = (network: Props, volumeKey?: string, instanceType = 'ml.m5.large') => res('AWS::SageMaker::DataQualityJobDefinition', {
  DataQualityAppSpecification: { ImageUri: 'i' },
  RoleArn: ROLE,
  NetworkConfig: network,
  JobResources: {
    ClusterConfig: { InstanceCount: 1, InstanceType: instanceType, VolumeSizeInGB: 20, ...(volumeKey ? { VolumeKmsKeyId: volumeKey } : {}) },
  },
  DataQualityJobOutputConfig: { KmsKeyId: KEY, MonitoringOutputs: [] },
});
const role = (managed: string[], statements: unknown[] = []) => res('AWS::IAM::Role', {
  AssumeRolePolicyDocument: {},
  ManagedPolicyArns: managed,
  Policies: statements.length ? [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement: statements } }] : undefined,
});
const vpce = (props: Props) => res('AWS::EC2::VPCEndpoint', { VpcId: 'vpc-0123456789abcdef0', ...props });

// rule → [compliant fixture, non-compliant fixture]
const CASES: Array<[string, (s: Stack) => void, (s: Stack) => void]> = [
  ['DomainVpcOnly', domain(), domain({ AppNetworkAccessType: 'PublicInternetOnly' })],
  ['DomainKms', domain(), domain({ KmsKeyId: undefined })],
  ['DomainUserIdentityInCloudTrail', domain(), domain({ DomainSettings: { ExecutionRoleIdentityConfig: 'DISABLED' } })],
  ['DomainIdleShutdown', domain(), domain({}, { CodeEditorAppSettings: {} })],
  ['DomainDockerDisabled', domain(), domain({ DomainSettings: { ExecutionRoleIdentityConfig: 'USER_PROFILE_NAME', DockerSettings: { EnableDockerAccess: 'ENABLED' } } })],
  ['DomainSharingEncrypted', domain({}, { SharingSettings: { NotebookOutputOption: 'Allowed', S3KmsKeyId: KEY } }), domain({}, { SharingSettings: { NotebookOutputOption: 'Allowed' } })],
  ['UserProfileOwnRole', userProfile({ ExecutionRole: ROLE, SecurityGroups: SGS }), userProfile({ SecurityGroups: SGS })],
  ['UserProfileOwnSecurityGroup', userProfile({ ExecutionRole: ROLE, SecurityGroups: SGS }), userProfile({ ExecutionRole: ROLE })],
  ['FeatureGroupOnlineStoreKms', featureGroup({ OnlineStoreConfig: { EnableOnlineStore: true, StorageType: 'InMemory' } }), featureGroup({ OnlineStoreConfig: { EnableOnlineStore: true } })],
  ['FeatureGroupOfflineStoreKms', featureGroup({}), featureGroup({ OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://b/p' } } })],
  ['PipelineJobStepsInVpc', pipeline([{ Name: 'C', Type: 'Condition', Arguments: { IfSteps: [trainingStep()], ElseSteps: [] } }]), pipeline([trainingStep({ VpcConfig: undefined })])],
  ['PipelineJobStepsEncrypted', pipeline([trainingStep()]), pipeline([trainingStep({ OutputDataConfig: { S3OutputPath: 's3://b' } })])],
  ['ModelNetworkIsolation', model({}), model({ EnableNetworkIsolation: false })],
  ['ModelInVpc', model({}), model({ VpcConfig: undefined })],
  ['EndpointConfigKms', endpointConfig({ KmsKeyId: undefined }, 'ml.g5.xlarge'), endpointConfig({ KmsKeyId: undefined })],
  ['EndpointDataCaptureKms', endpointConfig({ DataCaptureConfig: { EnableCapture: true, KmsKeyId: KEY } }), endpointConfig({ DataCaptureConfig: { EnableCapture: true } })],
  ['EndpointAutoscaling', endpoint(true), endpoint(false)],
  ['EndpointRollbackAlarms', endpoint(true, { AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'a' }] } }), endpoint(true)],
  ['HyperPodClusterInVpc', cluster({}), cluster({ VpcConfig: undefined })],
  ['HyperPodNodeRecovery', cluster({}), cluster({ NodeRecovery: 'None' })],
  ['MonitoringJobInVpc', monitoring({ EnableNetworkIsolation: true, VpcConfig: { Subnets: SUBNETS, SecurityGroupIds: SGS } }, KEY), monitoring({ EnableNetworkIsolation: true }, KEY)],
  ['MonitoringJobKms', monitoring({}, KEY), monitoring({})],
  ['NoSageMakerFullAccess', role([]), role(['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'])],
  ['NoSageMakerWildcard', role([], [{ Effect: 'Allow', Action: 'sagemaker:DescribeDomain', Resource: '*' }]), role([], [{ Effect: 'Allow', Action: ['sagemaker:*'], Resource: '*' }])],
  ['InterfaceEndpointPrivateDns', vpce({ VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-east-1.sts', PrivateDnsEnabled: true }), vpce({ VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-east-1.sts' })],
  ['S3GatewayEndpointPolicy', vpce({ ServiceName: 'com.amazonaws.us-east-1.s3', PolicyDocument: { Statement: [] } }), vpce({ ServiceName: Fn.join('', ['com.amazonaws.', Stack.of(new Stack()).region, '.s3']) })],
];

function findingsFor(build: (s: Stack) => void): string[] {
  const stack = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
  build(stack);
  return new SageMakerPlatformChecks().validateScope(stack).violations.map((v) => v.ruleName);
}

describe('SageMakerPlatformChecks', () => {
  test('has at least 20 rules, each with a compliant and a non-compliant case here', () => {
    expect(SageMakerPlatformChecks.ruleNames.length).toBeGreaterThanOrEqual(20);
    expect(CASES.map(([name]) => name).sort()).toEqual([...SageMakerPlatformChecks.ruleNames].sort());
  });

  describe.each(CASES)('%s', (rule, compliant, nonCompliant) => {
    const id = `SageMakerPlatform-${rule}`;
    test('passes a compliant resource', () => {
      expect(findingsFor(compliant)).not.toContain(id);
    });
    test('flags a non-compliant resource', () => {
      expect(findingsFor(nonCompliant)).toContain(id);
    });
  });

  test('reads pipeline definitions rendered with Fn::Join', () => {
    // GIVEN a definition with a token, whose training step lost its output key
    const ids = findingsFor(pipeline([trainingStep({ OutputDataConfig: {} })], true));
    expect(ids).toContain('SageMakerPlatform-PipelineJobStepsEncrypted');
    expect(ids).not.toContain('SageMakerPlatform-PipelineJobStepsInVpc');
  });

  test('a job step on instance types with local NVMe storage needs no volume key, one on EBS-only types does', () => {
    const local = { VolumeKmsKeyId: undefined, InstanceType: 'ml.p4d.24xlarge', InstanceCount: 1 };
    expect(findingsFor(pipeline([trainingStep({ ResourceConfig: local })]))).not.toContain('SageMakerPlatform-PipelineJobStepsEncrypted');
    const mixed = { InstanceGroups: [{ InstanceType: 'ml.g5.xlarge' }, { InstanceType: 'ml.m5.xlarge' }] };
    expect(findingsFor(pipeline([trainingStep({ ResourceConfig: mixed })]))).toContain('SageMakerPlatform-PipelineJobStepsEncrypted');
    const parameter = { InstanceType: { Get: 'Parameters.TrainingInstanceType' } };
    expect(findingsFor(pipeline([trainingStep({ ResourceConfig: parameter })]))).toContain('SageMakerPlatform-PipelineJobStepsEncrypted');
  });

  test('a monitoring job on an instance type with local NVMe storage needs no volume key', () => {
    expect(findingsFor(monitoring({}, undefined, 'ml.m5d.large'))).not.toContain('SageMakerPlatform-MonitoringJobKms');
  });

  describe.each([
    ['with rollback alarms on every component', true],
    ['without rollback alarms on a component', false],
  ])('an endpoint hosting inference components %s', (_label, withAlarms) => {
    test(withAlarms ? 'is compliant' : 'is flagged', () => {
      const ids = findingsFor((stack) => {
        const config = new CfnResource(stack, 'Config', {
          type: 'AWS::SageMaker::EndpointConfig',
          properties: { KmsKeyId: KEY, ProductionVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] },
        });
        new CfnResource(stack, 'Subject', {
          type: 'AWS::SageMaker::Endpoint',
          properties: { EndpointName: 'llm', EndpointConfigName: config.getAtt('EndpointConfigName') },
        });
        new CfnResource(stack, 'Component', {
          type: 'AWS::SageMaker::InferenceComponent',
          properties: {
            EndpointName: 'llm',
            ...(withAlarms ? { DeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'a' }] } } } : {}),
          },
        });
      });
      expect(ids.includes('SageMakerPlatform-EndpointRollbackAlarms')).toBe(!withAlarms);
    });
  });

  test('an acknowledgment on the resource silences the finding', () => {
    const stack = new Stack(new App(), 'S', { env: { account: ACCOUNT, region: 'us-east-1' } });
    model({ EnableNetworkIsolation: false })(stack);
    Validations.of(stack.node.findChild('Subject')).acknowledge({ id: 'SageMakerPlatform-ModelNetworkIsolation', reason: 'the model downloads nothing at run time' });
    expect(new SageMakerPlatformChecks().validateScope(stack).violations.map((v) => v.ruleName)).not.toContain('SageMakerPlatform-ModelNetworkIsolation');
  });
});
