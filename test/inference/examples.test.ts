import { Match } from 'aws-cdk-lib/assertions';
import { EmployeeRetentionEndpointStack, GpuInferenceComponentsStack } from '../../examples/inference';
import { compliantTemplate, TEST_ENV, testApp } from '../harness';

describe('inference examples', () => {
  const app = testApp();
  const retention = new EmployeeRetentionEndpointStack(app, 'EmployeeRetentionEndpoint', { env: TEST_ENV });
  const gpu = new GpuInferenceComponentsStack(app, 'GpuInferenceComponents', { env: TEST_ENV });

  test('EmployeeRetentionEndpoint passes every rule pack, from the registry with canary, capture and autoscaling', () => {
    const template = compliantTemplate(retention);
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelPackageName: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/employee-retention/1' },
      EnableNetworkIsolation: true,
    });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'employee-retention',
      DeploymentConfig: Match.objectLike({
        BlueGreenUpdatePolicy: Match.objectLike({ TrafficRoutingConfiguration: Match.objectLike({ Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 } }) }),
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 750 }),
    });
    template.resourceCountIs('AWS::SageMaker::MonitoringSchedule', 1);
  });

  test('GpuInferenceComponents passes every rule pack and scales the component to zero', () => {
    const template = compliantTemplate(gpu);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ResourceId: 'inference-component/assistant-llm', MinCapacity: 0 });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 2 } })],
    });
  });
});
