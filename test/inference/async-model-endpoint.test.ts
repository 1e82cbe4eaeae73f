import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AsyncModelEndpoint } from '../../src';
import { compliantTemplate, testStack } from '../harness';
import { AppRole, G5_2XLARGE, imageModel, M5_XLARGE, platform } from './fixtures';

describe('AsyncModelEndpoint', () => {
  describe('that scales to zero', () => {
    // GIVEN an asynchronous endpoint on a GPU instance, writing to the platform bucket
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const endpoint = new AsyncModelEndpoint(stack, 'Async', {
      network,
      encryptionKey: key,
      instanceVariants: [{ model: imageModel(stack, bucket), instanceType: G5_2XLARGE }],
      asyncOutput: { bucket },
      maxConcurrentInvocationsPerInstance: 4,
    });
    // WHEN it scales between 0 and 4 instances on its backlog
    const scaling = endpoint.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 4 });
    scaling.scaleOnBacklog('Backlog', { targetBacklogPerInstance: 3 });
    endpoint.grantInvokeAsync(new AppRole(stack, 'Client'));

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('writes outputs and failures to the platform bucket with KMS and notifies encrypted topics', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        AsyncInferenceConfig: {
          ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
          OutputConfig: {
            KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('PlatformKey'), 'Arn'] },
            S3OutputPath: { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/async-inference/output']] },
            S3FailurePath: { 'Fn::Join': ['', ['s3://', { Ref: Match.anyValue() }, '/async-inference/failure']] },
            NotificationConfig: {
              SuccessTopic: { Ref: Match.stringLikeRegexp('AsyncSuccessTopic') },
              ErrorTopic: { Ref: Match.stringLikeRegexp('AsyncErrorTopic') },
            },
          },
        },
      });
      // success, error and alarm topics, all encrypted
      const topics = template.findResources('AWS::SNS::Topic');
      expect(Object.values(topics).map((t: any) => t.Properties.KmsMasterKeyId).filter(Boolean)).toHaveLength(3);
    });

    test('lets the role read requests, write results and publish, nothing wider', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/async-inference/input/*']] } }),
            Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/async-inference/output/*']] } }),
            Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/async-inference/failure/*']] } }),
            Match.objectLike({ Action: 'sns:Publish', Resource: [{ Ref: Match.stringLikeRegexp('AsyncSuccessTopic') }, { Ref: Match.stringLikeRegexp('AsyncErrorTopic') }] }),
          ]),
        },
      });
    });

    test('tracks the backlog per instance and wakes from zero on HasBacklogWithoutCapacity', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 4 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          CustomizedMetricSpecification: {
            MetricName: 'ApproximateBacklogSizePerInstance',
            Namespace: 'AWS/SageMaker',
            Statistic: 'Average',
            Dimensions: [{ Name: 'EndpointName', Value: endpoint.endpointName }],
          },
          TargetValue: 3,
          ScaleInCooldown: 600,
          ScaleOutCooldown: 300,
        },
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'ChangeInCapacity',
          MetricAggregationType: 'Average',
          Cooldown: 300,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'HasBacklogWithoutCapacity',
        Namespace: 'AWS/SageMaker',
        Dimensions: [{ Name: 'EndpointName', Value: endpoint.endpointName }],
        Statistic: 'Average',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('ScaleOutFromZero') }],
      });
      expect(scaling.scaleOutFromZeroAlarm).toBeDefined();
    });

    test('no KMS volume key on the g5 instance store, and the guard protects instance-type changes', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: Match.absent() });
      template.hasResourceProperties('Custom::SageMakerPlatformScalingGuard', { ScalableVariants: [{ VariantName: 'AllTraffic', InstanceType: 'ml.g5.2xlarge' }] });
      template.hasResource('AWS::ApplicationAutoScaling::ScalableTarget', { DeletionPolicy: 'RetainExceptOnCreate' });
    });

    test('grantInvokeAsync lets a client invoke and upload requests under the input prefix', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('Client') }],
        PolicyDocument: {
          Statement: [
            { Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'], Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('Async') } },
            { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/async-inference/input/*']] } },
            { Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: Match.anyValue() },
          ],
        },
      });
      expect(JSON.stringify(stack.resolve(endpoint.inputLocation))).toMatch(/s3:\/\/.*\/async-inference\/input/);
    });

    test('names the backlog metrics after the real ones', () => {
      expect(endpoint.metricApproximateBacklogSizePerInstance().metricName).toBe('ApproximateBacklogSizePerInstance');
      expect(endpoint.metricHasBacklogWithoutCapacity().metricName).toBe('HasBacklogWithoutCapacity');
      expect(endpoint.metricApproximateAgeOfOldestRequest().statistic).toBe('Maximum');
      compliantTemplate(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('with provided topics', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const success = new sns.Topic(stack, 'Results', { masterKey: key, enforceSSL: true });
    const failures = new sns.Topic(stack, 'Failures', { masterKey: key, enforceSSL: true });
    new AsyncModelEndpoint(stack, 'Async', {
      network,
      encryptionKey: key,
      instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE }],
      asyncOutput: { bucket, outputPrefix: 'results', failurePrefix: 'failures', inputPrefix: 'requests' },
      successTopic: success,
      errorTopic: failures,
      includeResponseInSuccessNotification: true,
      dashboard: false,
    }).autoScaleInstanceCount({ minCapacity: 1, maxCapacity: 2 }).scaleOnBacklog('Backlog', { scaleInCooldown: Duration.minutes(15) });

    test('uses the provided topics and prefixes and creates no wake-from-zero policy at minimum 1', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        AsyncInferenceConfig: {
          OutputConfig: Match.objectLike({
            S3OutputPath: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/results']] },
            NotificationConfig: {
              SuccessTopic: { Ref: stack.getLogicalId(success.node.defaultChild as any) },
              ErrorTopic: { Ref: stack.getLogicalId(failures.node.defaultChild as any) },
              IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC'],
            },
          }),
        },
      });
      template.resourceCountIs('AWS::SNS::Topic', 3);
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', { TargetTrackingScalingPolicyConfiguration: Match.objectLike({ ScaleInCooldown: 900, TargetValue: 5 }) });
    });
  });

  test('rejects bad props, all at once', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    expect(() => new AsyncModelEndpoint(stack, 'Bad', {
      network,
      encryptionKey: key,
      instanceVariants: [],
      asyncOutput: { bucket, outputPrefix: 'results/' },
      maxConcurrentInvocationsPerInstance: 5000,
    })).toThrow(/instanceVariants must have at least one variant, got none[\s\S]*maxConcurrentInvocationsPerInstance must be an integer between 1 and 1000, got 5000[\s\S]*asyncOutput.outputPrefix must be an S3 key prefix without a trailing slash, got 'results\/'/);
    const endpoint = new AsyncModelEndpoint(stack, 'Ok', {
      network, encryptionKey: key, instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE }], asyncOutput: { bucket },
    });
    expect(() => endpoint.autoScaleInstanceCount({ minCapacity: 3, maxCapacity: 2 })).toThrow(/maxCapacity must be at least minCapacity \(3\), got 2/);
    const scaling = endpoint.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 2 });
    expect(() => scaling.scaleOnBacklog('B', { targetBacklogPerInstance: 0 })).toThrow(/targetBacklogPerInstance must be between 0.1 and 100000, got 0/);
  });
});
