import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Duration, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { InferenceComponent, InferenceComponentEndpoint, InterfaceEndpointService } from '../../src';
import { compliantTemplate, inspect, testStack } from '../harness';
import { AppRole, G5_2XLARGE, imageModel, M5_XLARGE, packageModel, platform } from './fixtures';

describe('InferenceComponentEndpoint and InferenceComponent', () => {
  describe('a GPU model that scales to zero', () => {
    // GIVEN an endpoint with managed instance scaling down to zero instances
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const endpoint = new InferenceComponentEndpoint(stack, 'Gpu', {
      network, encryptionKey: key, instanceType: G5_2XLARGE, minInstanceCount: 0, maxInstanceCount: 2,
    });
    // WHEN a component needs one GPU per copy and scales between 0 and 2 copies
    const llm = new InferenceComponent(stack, 'Llm', {
      endpoint,
      model: imageModel(stack, bucket),
      computeResources: { acceleratorCount: 1, minMemory: Size.gibibytes(16), cpuCores: 2 },
      containerStartupHealthCheckTimeout: Duration.minutes(10),
    });
    const scaling = llm.autoScaleCopyCount({ minCapacity: 0, maxCapacity: 2 });
    scaling.scaleOnConcurrentRequests('Concurrency', { targetConcurrentRequestsPerCopy: 4 });
    scaling.scaleOnSchedule('Night', { schedule: appscaling.Schedule.cron({ hour: '20', minute: '0' }), maxCapacity: 0 });
    endpoint.grantInvoke(new AppRole(stack, 'Client'));

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('runs the endpoint with managed instance scaling, its role, the VPC and network isolation', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('GpuExecutionRole'), 'Arn'] },
        EnableNetworkIsolation: true,
        VpcConfig: { Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], SecurityGroupIds: Match.anyValue() },
        KmsKeyId: Match.absent(),
        ProductionVariants: [{
          VariantName: 'AllTraffic',
          InstanceType: 'ml.g5.2xlarge',
          InitialInstanceCount: 1,
          ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 2 },
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        }],
      });
      const acks = inspect(stack).acknowledgments.filter((a) => a.path.endsWith('/Gpu/Config')).map((a) => a.id);
      expect(acks).toHaveLength(3);
    });

    test('creates the component with its compute, copies and an isolated model in the VPC', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
        InferenceComponentName: llm.inferenceComponentName,
        EndpointName: endpoint.endpointName,
        VariantName: 'AllTraffic',
        Specification: {
          ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('LlmModel'), 'ModelName'] },
          ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 1, MinMemoryRequiredInMb: 16384, NumberOfCpuCoresRequired: 2 },
          StartupParameters: { ContainerStartupHealthCheckTimeoutInSeconds: 600 },
        },
        RuntimeConfig: { CopyCount: 1 },
      });
      template.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: true, VpcConfig: Match.anyValue() });
      template.hasResource('AWS::SageMaker::InferenceComponent', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('Gpu')]) });
    });

    test('scales copies on concurrent requests per copy and wakes from zero on NoCapacityInvocationFailures', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ResourceId: `inference-component/${llm.inferenceComponentName}`,
        ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
        MinCapacity: 0,
        MaxCapacity: 2,
        ScheduledActions: [Match.objectLike({ ScalableTargetAction: { MaxCapacity: 0 } })],
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution' },
          TargetValue: 4,
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'ChangeInCapacity',
          MetricAggregationType: 'Maximum',
          Cooldown: 60,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'NoCapacityInvocationFailures',
        Dimensions: [{ Name: 'InferenceComponentName', Value: llm.inferenceComponentName }],
        Statistic: 'Maximum',
        Period: 30,
        Threshold: 1,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    test('logs to encrypted log groups and alarms on 5XX through an encrypted topic', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/sagemaker/InferenceComponents/${llm.inferenceComponentName}`, KmsKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Invocation5XXErrors',
        Dimensions: [{ Name: 'InferenceComponentName', Value: llm.inferenceComponentName }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('GpuAlarmTopic') }],
      });
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(network.interfaceEndpointServices.map((s) => s.key)).toContain(InterfaceEndpointService.SAGEMAKER_RUNTIME.key);
    });

    test('names the component metrics after the real ones', () => {
      expect(llm.metricConcurrentRequestsPerCopy().metricName).toBe('ConcurrentRequestsPerCopy');
      expect(llm.metricNoCapacityInvocationFailures().dimensions).toEqual({ InferenceComponentName: llm.inferenceComponentName });
      expect(llm.metricGpuUtilizationNormalized().namespace).toBe('/aws/sagemaker/InferenceComponents');
      expect(llm.metricInvocationsPerCopy().metricName).toBe('InvocationsPerCopy');
    });
  });

  describe('a CPU endpoint with a registry model and provided names', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const endpoint = new InferenceComponentEndpoint(stack, 'Cpu', {
      network,
      encryptionKey: key,
      instanceType: M5_XLARGE,
      minInstanceCount: 2,
      maxInstanceCount: 4,
      endpointName: 'shared-cpu',
      variantName: 'Main',
      volumeSize: Size.gibibytes(50),
      dashboard: false,
    });
    new InferenceComponent(stack, 'Retention', {
      endpoint,
      model: packageModel(stack, bucket),
      inferenceComponentName: 'employee-retention',
      computeResources: { minMemory: Size.gibibytes(2), maxMemory: Size.gibibytes(4), cpuCores: 1 },
      initialCopyCount: 2,
    }).autoScaleCopyCount({ minCapacity: 2, maxCapacity: 6 }).scaleOnInvocations('Rps', { maxRequestsPerSecondPerCopy: 15 });

    test('uses the provided names, keeps the KMS volume key on EBS, and does not wake from zero above zero', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        KmsKeyId: Match.anyValue(),
        ProductionVariants: [Match.objectLike({ VariantName: 'Main', InitialInstanceCount: 2, VolumeSizeInGB: 50 })],
      });
      template.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'shared-cpu' });
      template.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
        InferenceComponentName: 'employee-retention',
        VariantName: 'Main',
        RuntimeConfig: { CopyCount: 2 },
        Specification: Match.objectLike({
          ComputeResourceRequirements: { MinMemoryRequiredInMb: 2048, MaxMemoryRequiredInMb: 4096, NumberOfCpuCoresRequired: 1 },
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentInvocationsPerCopy' }, TargetValue: 450 }),
      });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    });
  });

  test('rejects bad props, all at once', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    expect(() => new InferenceComponentEndpoint(stack, 'Bad', {
      network, encryptionKey: key, instanceType: G5_2XLARGE, minInstanceCount: 3, maxInstanceCount: 2, volumeSize: Size.gibibytes(100),
    })).toThrow(/maxInstanceCount must be at least minInstanceCount \(3\), got 2[\s\S]*initialInstanceCount must be at most maxInstanceCount \(2\), got 3[\s\S]*volumeSize must not be set for ml.g5.2xlarge/);
    const endpoint = new InferenceComponentEndpoint(stack, 'Ok', { network, encryptionKey: key, instanceType: sagemakerAlpha.InstanceType.M5_LARGE, minInstanceCount: 1, maxInstanceCount: 1 });
    expect(() => new InferenceComponent(stack, 'BadComponent', {
      endpoint,
      model: imageModel(stack, bucket),
      computeResources: { minMemory: Size.gibibytes(4), maxMemory: Size.gibibytes(2), cpuCores: 0.3, acceleratorCount: 0 },
      initialCopyCount: 0,
    })).toThrow(/maxMemory must be at least minMemory \(4096 MiB\), got 2048 MiB[\s\S]*acceleratorCount must be an integer between 1 and 64, got 0[\s\S]*cpuCores must be a multiple of 0.25, at least 0.25, got 0.3[\s\S]*initialCopyCount must be an integer between 1 and 10000, got 0/);
    const component = new InferenceComponent(stack, 'Component', { endpoint, model: imageModel(stack, bucket, 'Repo2'), computeResources: { minMemory: Size.gibibytes(1) } });
    expect(() => component.autoScaleCopyCount({ minCapacity: 2, maxCapacity: 1 })).toThrow(/maxCapacity must be at least minCapacity \(2\), got 1/);
    const scaling = component.autoScaleCopyCount({ minCapacity: 1, maxCapacity: 2 });
    expect(() => component.autoScaleCopyCount({ minCapacity: 1, maxCapacity: 2 })).toThrow(/autoScaleCopyCount was already called/);
    expect(() => scaling.scaleOnInvocations('Rps', { maxRequestsPerSecondPerCopy: 10, safetyFactor: 0 })).toThrow(/safetyFactor must be above 0 and at most 1, got 0/);
    expect(() => scaling.scaleOnSchedule('S', { schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 3, maxCapacity: 2 })).toThrow(/scheduled maxCapacity must be at least its minCapacity \(3\), got 2/);
  });
});
