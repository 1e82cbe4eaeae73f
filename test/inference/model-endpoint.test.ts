import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { App, CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CapacitySize, DeploymentStrategy, InterfaceEndpointService, ModelEndpoint, RoutingStrategy,
} from '../../src';
import { compliantTemplate, inspect, testApp, testStack } from '../harness';
import { AppRole, G5_2XLARGE, imageModel, M5_XLARGE, PACKAGE_ARN, packageModel, platform } from './fixtures';

/** Every resource of a type, by logical ID. */
function resourcesOf(template: Template, type: string): { [id: string]: any } {
  return template.findResources(type);
}

describe('ModelEndpoint', () => {
  describe('from the registry, autoscaled, with canary deployments and data capture', () => {
    // GIVEN the employee-retention model package, the platform network, key and bucket
    const stack = testStack();
    const { network, key, bucket } = platform(stack);

    // WHEN it is deployed on two instances, autoscaled, with data capture
    const endpoint = new ModelEndpoint(stack, 'Endpoint', {
      network,
      encryptionKey: key,
      instanceVariants: [{ model: packageModel(stack, bucket), instanceType: M5_XLARGE }],
      dataCapture: { bucket, samplingPercentage: 25 },
    });
    const scaling = endpoint.autoScaleInstanceCount({ minCapacity: 2, maxCapacity: 6 });
    scaling.scaleOnInvocations('Rps', { maxRequestsPerSecondPerInstance: 20, safetyFactor: 0.5 });
    scaling.scaleOnConcurrentRequests('Concurrency', { targetConcurrentRequestsPerModel: 8 });
    scaling.scaleOnSchedule('BusinessHours', { schedule: appscaling.Schedule.cron({ hour: '8', minute: '0' }), minCapacity: 4 });
    endpoint.grantInvoke(new AppRole(stack, 'Caller'));

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('creates the model from the package, in the VPC, with network isolation', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::Model', {
        PrimaryContainer: { ModelPackageName: PACKAGE_ARN },
        EnableNetworkIsolation: true,
        VpcConfig: {
          Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
          SecurityGroupIds: [Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('EndpointSecurityGroup'), 'GroupId'] })],
        },
      });
    });

    test('encrypts the volume and the captured data with the platform key, two instances by default', () => {
      const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] };
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        KmsKeyId: keyArn,
        ProductionVariants: [Match.objectLike({
          VariantName: 'AllTraffic',
          InstanceType: 'ml.m5.xlarge',
          InitialInstanceCount: 2,
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        })],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 25,
          KmsKeyId: keyArn,
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          DestinationS3Uri: { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/data-capture']] },
        },
      });
    });

    test('keeps autoscaled counts across updates and deploys blue/green with a canary and automatic rollback', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::Endpoint', {
        EndpointName: endpoint.endpointName,
        RetainAllVariantProperties: true,
        ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }],
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
            TerminationWaitInSeconds: 300,
          },
          AutoRollbackConfiguration: { Alarms: Match.arrayWith([{ AlarmName: { Ref: Match.stringLikeRegexp('NewFleetModelLatencyAlarm') } }]) },
        },
      });
      expect(endpoint.endpointName).toMatch(/^[a-z0-9-]{1,63}$/);
    });

    test('rolls back on 5XX and 4XX error rates and on the new fleet\'s latency, notifying an encrypted topic', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Invocation5XXErrors',
        Namespace: 'AWS/SageMaker',
        Statistic: 'Average',
        Threshold: 0.01,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('EndpointAlarmTopic') }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Invocation4XXErrors', Threshold: 0.05 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ModelLatency',
        Threshold: 1_000_000,
        Dimensions: Match.arrayWith([{ Name: 'EndpointConfigName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('EndpointConfig'), 'EndpointConfigName'] } }]),
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      expect(endpoint.alarms).toHaveLength(3);
    });

    test('registers the variant with the service-linked role, retained except on create, after the endpoint', () => {
      const template = compliantTemplate(stack);
      const targets = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
      const [id, target] = Object.entries(targets)[0];
      expect(Object.keys(targets)).toHaveLength(1);
      // the instance type is part of the logical ID: a new type means a new target
      expect(id).toMatch(/Targetmlm5xlarge/);
      expect(target.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(target.UpdateReplacePolicy).toBe('Delete');
      expect(target.DependsOn).toContain(stack.getLogicalId(endpoint.node.defaultChild as any));
      expect(target.Properties).toMatchObject({
        ResourceId: `endpoint/${endpoint.endpointName}/variant/AllTraffic`,
        ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        MinCapacity: 2,
        MaxCapacity: 6,
        Tags: [{ Key: 'sagemaker-platform:endpoint', Value: endpoint.endpointName }],
        ScheduledActions: [{ ScheduledActionName: 'BusinessHours', Schedule: 'cron(0 8 * * ? *)', ScalableTargetAction: { MinCapacity: 4 } }],
      });
      expect(JSON.stringify(target.Properties.RoleARN)).toContain('AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint');
    });

    test('scales on invocations with target = max RPS x safety factor x 60, and on concurrent requests', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          TargetValue: 600,
          ScaleInCooldown: 300,
          ScaleOutCooldown: 60,
        },
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantConcurrentRequestsPerModelHighResolution' },
          TargetValue: 8,
        }),
      });
    });

    test('the scaling guard runs before the endpoint and lists the autoscaled variant with its instance type', () => {
      const template = compliantTemplate(stack);
      const guards = resourcesOf(template, 'Custom::SageMakerPlatformScalingGuard');
      const [guardId, guard] = Object.entries(guards)[0];
      expect(guard.Properties).toMatchObject({
        EndpointName: endpoint.endpointName,
        ScalableVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.m5.xlarge' }],
      });
      template.hasResource('AWS::SageMaker::Endpoint', { DependsOn: Match.arrayWith([guardId]) });
      // the guard may deregister only tagged SageMaker variant targets
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: 'application-autoscaling:DeregisterScalableTarget',
            Condition: {
              StringEquals: {
                'application-autoscaling:service-namespace': 'sagemaker',
                'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
              },
              Null: { 'aws:ResourceTag/sagemaker-platform:endpoint': 'false' },
            },
          })]),
        },
      });
    });

    test('the execution role has one customer-managed policy, scoped, without sagemaker wildcards or managed policies', () => {
      const template = compliantTemplate(stack);
      const roleId = stack.getLogicalId(endpoint.role.node.defaultChild as any);
      const role = template.toJSON().Resources[roleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' } },
      ]);
      const policies = JSON.stringify([template.findResources('AWS::IAM::ManagedPolicy'), template.findResources('AWS::IAM::Role')]);
      expect(policies).not.toMatch(/"sagemaker:\*"|AmazonSageMakerFullAccess|"s3:\*"|"kms:\*"/);
      // artifacts of the registered versions: only under the package's prefix
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/employee-retention/models/*']] } }),
            Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/data-capture/*']] } }),
          ]),
        },
      });
    });

    test('grantInvoke allows InvokeEndpoint and InvokeEndpointAsync on this endpoint only', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [{
            Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'],
            Effect: 'Allow',
            Resource: { Ref: stack.getLogicalId(endpoint.node.defaultChild as any) },
          }],
        },
      });
    });

    test('writes the containers\' logs to a KMS-encrypted, retained log group created ahead of SageMaker', () => {
      compliantTemplate(stack).hasResource('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: `/aws/sagemaker/Endpoints/${endpoint.endpointName}`, KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
    });

    test('declares the sagemaker.runtime and ECR interface endpoints on the network', () => {
      expect(network.interfaceEndpointServices.map((s) => s.key)).toEqual(expect.arrayContaining([
        InterfaceEndpointService.SAGEMAKER_RUNTIME.key, InterfaceEndpointService.ECR_API.key, InterfaceEndpointService.ECR_DKR.key,
      ]));
    });

    test('creates a dashboard and names the metrics after the real ones', () => {
      compliantTemplate(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(endpoint.metricInvocations().metricName).toBe('Invocations');
      expect(endpoint.metricModelLatency().metricName).toBe('ModelLatency');
      expect(endpoint.metricInvocation4XXErrors().metricName).toBe('Invocation4XXErrors');
      expect(endpoint.metricInvocation5XXErrors().metricName).toBe('Invocation5XXErrors');
      expect(endpoint.metricGpuUtilization().namespace).toBe('/aws/sagemaker/Endpoints');
      expect(endpoint.metricMemoryUtilization().dimensions).toEqual({ EndpointName: endpoint.endpointName, VariantName: 'AllTraffic' });
      expect(endpoint.metricApproximateBacklogSize().dimensions).toEqual({ EndpointName: endpoint.endpointName });
      expect(endpoint.metricConcurrentRequestsPerModel().statistic).toBe('Maximum');
    });

    test('acknowledges only the wildcards the service needs, each on its one policy', () => {
      const ids = inspect(stack).acknowledgments.filter((a) => a.path.includes('/Endpoint/') || a.path.includes('ScalingGuard'));
      const iam5 = ids.filter((a) => a.id.startsWith('AwsSolutions-IAM5')).map((a) => a.id.replace(/<[^>]+>/g, '<ref>'));
      expect(iam5).toEqual(expect.arrayContaining([
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:<ref>:ec2:us-east-1:123456789012:network-interface/*]',
        'AwsSolutions-IAM5[Resource::<ref>/employee-retention/models/*]',
        'AwsSolutions-IAM5[Resource::<ref>/data-capture/*]',
        'AwsSolutions-IAM5[Resource::arn:<ref>:application-autoscaling:us-east-1:123456789012:scalable-target/*]',
      ]));
      // the m5 volume is encrypted: nothing about the endpoint configuration is acknowledged
      expect(ids.filter((a) => a.path.includes('/Endpoint/Config'))).toEqual([]);
    });
  });

  describe('changing the instance type of an autoscaled variant', () => {
    // GIVEN the same app synthesized before and after the change
    function synth(instanceType: sagemakerAlpha.InstanceType, autoscaled = true) {
      const stack = new Stack(new App(), 'Inference', { env: { account: '123456789012', region: 'us-east-1' } });
      const { network, key, bucket } = platform(stack);
      const endpoint = new ModelEndpoint(stack, 'Endpoint', {
        network, encryptionKey: key, instanceVariants: [{ model: imageModel(stack, bucket), instanceType }],
      });
      if (autoscaled) {
        endpoint.autoScaleInstanceCount({ minCapacity: 2, maxCapacity: 4 }).scaleOnInvocations('Rps', { maxRequestsPerSecondPerInstance: 10 });
      }
      return Template.fromStack(stack);
    }
    const before = synth(M5_XLARGE);
    const after = synth(sagemakerAlpha.InstanceType.M5_2XLARGE);
    const configName = (t: Template) => (Object.values(t.findResources('AWS::SageMaker::EndpointConfig'))[0] as any).Properties.EndpointConfigName;

    test('gives the scalable target and its policies new logical IDs, so CloudFormation registers them after the update', () => {
      const ids = (t: Template, type: string) => Object.keys(t.findResources(type));
      const targetsBefore = ids(before, 'AWS::ApplicationAutoScaling::ScalableTarget');
      const targetsAfter = ids(after, 'AWS::ApplicationAutoScaling::ScalableTarget');
      expect(targetsBefore).toHaveLength(1);
      expect(targetsAfter).toHaveLength(1);
      expect(targetsAfter[0]).not.toEqual(targetsBefore[0]);
      expect(ids(after, 'AWS::ApplicationAutoScaling::ScalingPolicy')[0]).not.toEqual(ids(before, 'AWS::ApplicationAutoScaling::ScalingPolicy')[0]);
      // the endpoint keeps its name and logical ID: an update, not a replacement
      expect(ids(after, 'AWS::SageMaker::Endpoint')).toEqual(ids(before, 'AWS::SageMaker::Endpoint'));
    });

    test('names each endpoint configuration after its settings and the autoscaled variants, so SageMaker gets a new one', () => {
      expect(configName(before)).toMatch(/^inference-endpoint-[0-9a-f]{8}-[0-9a-f]{8}$/);
      expect(configName(after)).not.toEqual(configName(before));
      // starting autoscaling changes which variant properties the endpoint keeps: a new configuration deploys it
      const unscaled = synth(M5_XLARGE, false);
      expect(configName(unscaled)).not.toEqual(configName(before));
      unscaled.hasResourceProperties('AWS::SageMaker::Endpoint', {
        ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }, { VariantPropertyType: 'DesiredInstanceCount' }],
      });
    });

    test('changes the guard\'s properties, so it runs (and deregisters) before the endpoint update', () => {
      after.hasResourceProperties('Custom::SageMakerPlatformScalingGuard', {
        ScalableVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.m5.2xlarge' }],
      });
      before.hasResourceProperties('Custom::SageMakerPlatformScalingGuard', {
        ScalableVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.m5.xlarge' }],
      });
    });
  });

  describe('on a GPU instance type with local NVMe storage, with a linear deployment', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const topic = new sns.Topic(stack, 'OpsTopic', { masterKey: key, enforceSSL: true });
    const endpoint = new ModelEndpoint(stack, 'Gpu', {
      network,
      encryptionKey: key,
      endpointName: 'vision-gpu',
      instanceVariants: [{ model: imageModel(stack, bucket), instanceType: G5_2XLARGE, variantName: 'Blue', initialInstanceCount: 4, routingStrategy: RoutingStrategy.RANDOM }],
      deployment: DeploymentStrategy.linear({
        stepSize: CapacitySize.instances(1), bakeTime: Duration.minutes(3), maximumExecutionTimeout: Duration.hours(1),
      }),
      rollbackAlarms: { maxModelLatency: Duration.millis(250), evaluationPeriods: 3 },
      alarmTopic: topic,
      dashboard: false,
    });
    endpoint.autoScaleInstanceCount({ minCapacity: 4, maxCapacity: 8 }).scaleOnGpuUtilization('Gpu', { targetUtilizationPercent: 60 });

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('names no volume key (SageMaker rejects one for local NVMe storage) and acknowledges that', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.absent() });
      const acks = inspect(stack).acknowledgments.filter((a) => a.path.endsWith('/Gpu/Config')).map((a) => a.id).sort();
      expect(acks).toEqual([
        'HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured',
        'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured',
        'PCI.DSS.321-SageMakerEndpointConfigurationKMSKeyConfigured',
      ]);
    });

    test('uses the provided name, topic and deployment strategy; creates no dashboard', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::Endpoint', {
        EndpointName: 'vision-gpu',
        DeploymentConfig: Match.objectLike({
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 180 },
            TerminationWaitInSeconds: 300,
            MaximumExecutionTimeoutInSeconds: 3600,
          },
        }),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', Threshold: 250_000, EvaluationPeriods: 3, AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }] });
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ RoutingConfig: { RoutingStrategy: 'RANDOM' } })] });
    });

    test('scales on normalized GPU utilization', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          CustomizedMetricSpecification: {
            MetricName: 'GPUUtilizationNormalized',
            Namespace: '/aws/sagemaker/Endpoints',
            Statistic: 'Average',
            Dimensions: [{ Name: 'EndpointName', Value: 'vision-gpu' }, { Name: 'VariantName', Value: 'Blue' }],
          },
          TargetValue: 60,
        }),
      });
    });
  });

  describe('without autoscaling, for development', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    new ModelEndpoint(stack, 'Dev', {
      network,
      encryptionKey: key,
      production: false,
      deployment: DeploymentStrategy.allAtOnce(),
      instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE, volumeSize: Size.gibibytes(30) }],
    });

    test('runs one instance, deploys all at once, and lets the template set the instance count', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InitialInstanceCount: 1, VolumeSizeInGB: 30 })] });
      template.hasResourceProperties('AWS::SageMaker::Endpoint', {
        ExcludeRetainedVariantProperties: [{ VariantPropertyType: 'DesiredWeight' }, { VariantPropertyType: 'DesiredInstanceCount' }],
        DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE' }, TerminationWaitInSeconds: 300 }, AutoRollbackConfiguration: Match.anyValue() },
      });
      template.hasResourceProperties('Custom::SageMakerPlatformScalingGuard', { ScalableVariants: [] });
    });
  });

  describe('serverless', () => {
    test('is refused without the platform\'s explicit permission', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      expect(() => new ModelEndpoint(stack, 'Serverless', {
        network,
        encryptionKey: key,
        serverlessVariant: { model: imageModel(stack, bucket), memorySize: Size.gibibytes(2), maxConcurrency: 5 },
      })).toThrow(/serverlessVariant runs outside the platform VPC.*Set allowServerlessOutsideVpc: true/);
    });

    describe('with allowServerlessOutsideVpc', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      const endpoint = new ModelEndpoint(stack, 'Serverless', {
        network,
        encryptionKey: key,
        allowServerlessOutsideVpc: true,
        serverlessVariant: { model: imageModel(stack, bucket), memorySize: Size.gibibytes(2), maxConcurrency: 5, provisionedConcurrency: 1 },
      });

      test('passes every rule pack', () => {
        expect(() => compliantTemplate(stack)).not.toThrow();
      });

      test('runs the model outside the VPC, without a deployment config, guard or security group', () => {
        const template = compliantTemplate(stack);
        template.hasResourceProperties('AWS::SageMaker::Model', { VpcConfig: Match.absent(), EnableNetworkIsolation: Match.absent() });
        template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
          KmsKeyId: Match.anyValue(),
          ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: Match.anyValue(), ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 1 } }],
        });
        template.hasResourceProperties('AWS::SageMaker::Endpoint', { DeploymentConfig: Match.absent(), RetainAllVariantProperties: Match.absent() });
        template.resourceCountIs('Custom::SageMakerPlatformScalingGuard', 0);
        expect(endpoint.securityGroup).toBeUndefined();
        expect(() => endpoint.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 })).toThrow(/needs an instance variant; serverless variants scale on their own/);
      });
    });
  });

  describe('imports', () => {
    const stack = testStack();
    const byName = ModelEndpoint.fromEndpointName(stack, 'ByName', 'Employee-Retention');
    const byArn = ModelEndpoint.fromEndpointArn(stack, 'ByArn', 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scoring');

    test('by name, with the ARN SageMaker writes in lower case', () => {
      expect(byName.endpointName).toBe('Employee-Retention');
      expect(stack.resolve(byName.endpointArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:endpoint/employee-retention']] });
    });

    test('by ARN, with the name taken from it', () => {
      expect(byArn.endpointName).toBe('fraud-scoring');
      expect(byArn.metricInvocations().dimensions).toEqual({ EndpointName: 'fraud-scoring', VariantName: 'AllTraffic' });
    });

    test('grantInvoke on an import names only that endpoint', () => {
      const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      byArn.grantInvoke(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'], Effect: 'Allow', Resource: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scoring' }] },
      });
    });

    test('needs a name or an ARN', () => {
      expect(() => ModelEndpoint.fromEndpointAttributes(stack, 'Neither', {})).toThrow(/give endpointName or endpointArn, got neither/);
    });
  });

  describe('bad input', () => {
    test('collects every problem of the props into one error', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      const model = imageModel(stack, bucket);
      expect(() => new ModelEndpoint(stack, 'Bad', {
        network,
        encryptionKey: key,
        endpointName: 'bad_name!',
        instanceVariants: [
          { model, instanceType: M5_XLARGE, initialInstanceCount: 1 },
          { model, instanceType: G5_2XLARGE, variantName: 'gpu', volumeSize: Size.gibibytes(100), modelDataDownloadTimeout: Duration.seconds(10) },
        ],
        dataCapture: { bucket, samplingPercentage: 0, captureInput: false, captureOutput: false },
        deployment: DeploymentStrategy.canary({ canarySize: CapacitySize.percent(80) }),
        rollbackAlarms: { maxServerErrorRate: 2 },
      })).toThrow(new RegExp([
        'ModelEndpoint \'TestStack/Bad\' has invalid props:',
        'endpointName must be letters and digits with single hyphens between them, got \'bad_name!\'',
        'instanceVariants\\[0\\].variantName is required when the endpoint has 2 variants, got none',
        'instanceVariants\\[0\\].initialInstanceCount must be at least 2 \\(production endpoints run at least two instances',
        'instanceVariants\\[1\\].volumeSize must not be set for ml.g5.2xlarge: its storage is the local NVMe instance store',
        'instanceVariants\\[1\\].modelDataDownloadTimeout \\(seconds\\) must be an integer between 60 and 3600, got 10',
        'dataCapture.samplingPercentage must be an integer between 1 and 100, got 0',
        'dataCapture must capture the input, the output or both',
        'deployment canarySize \\(percent\\) must be between 1 and 50, got 80',
        'rollbackAlarms.maxServerErrorRate must be between 0 and 1, got 2',
      ].join('[\\s\\S]*')));
    });

    test('refuses mixing or missing variants and deployments for serverless', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      const model = imageModel(stack, bucket);
      expect(() => new ModelEndpoint(stack, 'None', { network, encryptionKey: key })).toThrow(/give instanceVariants or serverlessVariant, got neither/);
      expect(() => new ModelEndpoint(stack, 'Both', {
        network,
        encryptionKey: key,
        allowServerlessOutsideVpc: true,
        instanceVariants: [{ model, instanceType: M5_XLARGE }],
        serverlessVariant: { model, memorySize: Size.mebibytes(1500), maxConcurrency: 500 },
        dataCapture: { bucket },
        deployment: DeploymentStrategy.canary(),
      })).toThrow(/not both[\s\S]*memorySize must be 1, 2, 3, 4, 5 or 6 GiB, got 1500 MiB[\s\S]*maxConcurrency must be an integer between 1 and 200, got 500[\s\S]*dataCapture is not supported by SageMaker Serverless Inference[\s\S]*deployment applies to instance variants/);
    });

    test('refuses a canary on Inf1, where SageMaker would silently deploy all at once', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      expect(() => new ModelEndpoint(stack, 'Inf1', {
        network,
        encryptionKey: key,
        instanceVariants: [{ model: imageModel(stack, bucket), instanceType: sagemakerAlpha.InstanceType.INF1_XLARGE }],
      })).toThrow(/deployment CANARY is not available for variant 'AllTraffic' on ml.inf1.xlarge.*use DeploymentStrategy.allAtOnce\(\)/);
    });

    test('refuses an instance type token, and too many rollback alarms', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      const model = imageModel(stack, bucket);
      const type = new CfnParameter(stack, 'Type').valueAsString;
      expect(() => new ModelEndpoint(stack, 'Token', {
        network,
        encryptionKey: key,
        instanceVariants: ['a', 'b', 'c', 'd'].map((variantName) => ({ model, variantName, instanceType: sagemakerAlpha.InstanceType.of(type) })),
      })).toThrow(/instanceVariants\[0\].instanceType must be a literal[\s\S]*at most 10 rollback alarms; 4 variant\(s\) make 12/);
    });

    test('validates autoscaling: minimum, maximum, burstable types, variants, repeats', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      const model = imageModel(stack, bucket);
      const endpoint = new ModelEndpoint(stack, 'Scaled', {
        network,
        encryptionKey: key,
        instanceVariants: [
          { model, instanceType: M5_XLARGE, variantName: 'Main' },
          { model, instanceType: sagemakerAlpha.InstanceType.T2_MEDIUM, variantName: 'Small' },
        ],
      });
      expect(() => endpoint.autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 4 })).toThrow(/needs variantName, the endpoint has 2 variants \(Main, Small\)/);
      expect(() => endpoint.autoScaleInstanceCount({ variantName: 'Other', minCapacity: 2, maxCapacity: 4 })).toThrow(/got variantName 'Other', which is not one of Main, Small/);
      expect(() => endpoint.autoScaleInstanceCount({ variantName: 'Main', minCapacity: 1, maxCapacity: 0 }))
        .toThrow(/maxCapacity must be an integer between 1 and 10000, got 0[\s\S]*minCapacity must be at least 2 \(production endpoints keep at least two instances, one per Availability Zone\), got 1[\s\S]*maxCapacity must be at least minCapacity \(1\), got 0/);
      expect(() => endpoint.autoScaleInstanceCount({ variantName: 'Small', minCapacity: 2, maxCapacity: 4 }))
        .toThrow(/variant 'Small' runs on ml.t2.medium, a burstable instance type that cannot be registered for auto scaling/);
      const scaling = endpoint.autoScaleInstanceCount({ variantName: 'Main', minCapacity: 2, maxCapacity: 4 });
      expect(() => endpoint.autoScaleInstanceCount({ variantName: 'Main', minCapacity: 2, maxCapacity: 4 })).toThrow(/already called for variant 'Main'/);
      expect(() => scaling.scaleOnInvocations('Rps', { maxRequestsPerSecondPerInstance: 0, safetyFactor: 1.5 }))
        .toThrow(/maxRequestsPerSecondPerInstance must be between 0.001 and 1000000, got 0[\s\S]*safetyFactor must be above 0 and at most 1, got 1.5/);
      expect(() => scaling.scaleOnGpuUtilization('Gpu')).toThrow(/variant 'Main' runs on ml.m5.xlarge, which has no GPU/);
      expect(() => scaling.scaleOnSchedule('Night', { schedule: appscaling.Schedule.cron({ hour: '0' }), minCapacity: 1, maxCapacity: 6 }))
        .toThrow(/scheduled minCapacity must be at least 2 \(production endpoints keep at least two instances/);
      expect(() => scaling.scaleOnSchedule('Empty', { schedule: appscaling.Schedule.cron({ hour: '0' }) })).toThrow(/needs minCapacity or maxCapacity, got neither/);
      expect(() => scaling.scaleOnConcurrentRequests('C', { targetConcurrentRequestsPerModel: 0 })).toThrow(/targetConcurrentRequestsPerModel must be between 0.1 and 100000, got 0/);
    });

    test('a development endpoint still needs one instance when autoscaled', () => {
      const stack = testStack();
      const { network, key, bucket } = platform(stack);
      const endpoint = new ModelEndpoint(stack, 'Dev', { network, encryptionKey: key, production: false, instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE }] });
      expect(() => endpoint.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 })).toThrow(/minCapacity must be at least 1 \(a real-time variant needs an instance to answer requests\), got 0/);
    });

    test('accepts an endpoint name token', () => {
      const stack = testApp() && testStack();
      const { network, key, bucket } = platform(stack);
      const name = new CfnParameter(stack, 'Name').valueAsString;
      expect(() => new ModelEndpoint(stack, 'Tok', { network, encryptionKey: key, endpointName: name, instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE }] })).not.toThrow();
    });
  });
});
