import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { DataQualityMonitor, ModelEndpoint } from '../../src';
import { compliantTemplate, inspect, testStack } from '../harness';
import { imageModel, M5_XLARGE, platform } from './fixtures';

const STATISTICS = 's3://ml-artifacts-123456789012/employee-retention/baseline/statistics.json';
const CONSTRAINTS = 's3://ml-artifacts-123456789012/employee-retention/baseline/constraints.json';

describe('DataQualityMonitor', () => {
  describe('on an endpoint with data capture', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const endpoint = new ModelEndpoint(stack, 'Endpoint', {
      network,
      encryptionKey: key,
      dashboard: false,
      instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE }],
      dataCapture: { bucket, prefix: 'capture' },
    });
    const monitor = endpoint.addDataQualityMonitor('DataQuality', {
      baselineStatisticsUri: STATISTICS,
      baselineConstraintsUri: CONSTRAINTS,
      outputBucket: bucket,
    });

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('runs in the VPC with network isolation, traffic encryption and KMS, against the baseline', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
        JobDefinitionName: Match.stringLikeRegexp('^[a-z0-9-]+-[0-9a-f]{8}$'),
        DataQualityAppSpecification: {
          ImageUri: { 'Fn::Join': ['', ['156813124566.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer:latest']] },
          Environment: { publish_cloudwatch_metrics: 'Disabled' },
        },
        DataQualityBaselineConfig: { StatisticsResource: { S3Uri: STATISTICS }, ConstraintsResource: { S3Uri: CONSTRAINTS } },
        DataQualityJobInput: { EndpointInput: { EndpointName: endpoint.endpointName, LocalPath: '/opt/ml/processing/input/endpoint', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated' } },
        DataQualityJobOutputConfig: { KmsKeyId: Match.anyValue(), MonitoringOutputs: [{ S3Output: Match.objectLike({ S3UploadMode: 'EndOfJob' }) }] },
        JobResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 20, VolumeKmsKeyId: Match.anyValue() } },
        NetworkConfig: {
          EnableNetworkIsolation: true,
          EnableInterContainerTrafficEncryption: true,
          VpcConfig: { Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], SecurityGroupIds: Match.anyValue() },
        },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      });
    });

    test('schedules it hourly against the endpoint', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
        MonitoringScheduleName: monitor.scheduleName,
        EndpointName: endpoint.endpointName,
        MonitoringScheduleConfig: {
          MonitoringType: 'DataQuality',
          ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
          MonitoringJobDefinitionName: Match.stringLikeRegexp('-[0-9a-f]{8}$'),
        },
      });
    });

    test('reads exactly the baseline objects and the capture prefix, writes the report prefix', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/capture/*']] } }),
            Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['capture/*'] } } }),
            Match.objectLike({
              Action: 's3:GetObject',
              Resource: [
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ml-artifacts-123456789012/employee-retention/baseline/statistics.json']] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ml-artifacts-123456789012/employee-retention/baseline/constraints.json']] },
              ],
            }),
            Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [Match.anyValue(), '/model-monitor/data-quality/*']] } }),
          ]),
        },
      });
      const acks = inspect(stack).acknowledgments.filter((a) => a.path.includes('DataQuality')).map((a) => a.id);
      expect(acks).toEqual(expect.arrayContaining([expect.stringMatching(/ProcessingJobs:\*\]$/)]));
    });
  });

  test('needs data capture, literal S3 URIs and a known Region', () => {
    const stack = testStack();
    const { network, key, bucket } = platform(stack);
    const endpoint = new ModelEndpoint(stack, 'NoCapture', { network, encryptionKey: key, instanceVariants: [{ model: imageModel(stack, bucket), instanceType: M5_XLARGE }] });
    expect(() => endpoint.addDataQualityMonitor('Dq', { baselineConstraintsUri: CONSTRAINTS, baselineStatisticsUri: STATISTICS, outputBucket: bucket }))
      .toThrow(/addDataQualityMonitor needs dataCapture/);
    expect(() => new DataQualityMonitor(stack, 'Bad', {
      endpoint,
      network,
      encryptionKey: key,
      captureBucket: bucket,
      outputBucket: bucket,
      baselineStatisticsUri: 'https://example.com/statistics.json',
      baselineConstraintsUri: 's3://Bad_Bucket/x',
      scheduleExpression: 'rate(1 hour)',
      instanceCount: 0,
    })).toThrow(/baselineStatisticsUri must be an S3 URI[\s\S]*baselineConstraintsUri must be an S3 URI[\s\S]*instanceCount must be an integer between 1 and 100, got 0[\s\S]*scheduleExpression must be a cron\(...\) expression, got 'rate\(1 hour\)'/);

    const agnostic = new Stack(new App(), 'Agnostic');
    const p = platform(agnostic);
    const e = new ModelEndpoint(agnostic, 'E', { network: p.network, encryptionKey: p.key, instanceVariants: [{ model: imageModel(agnostic, p.bucket), instanceType: M5_XLARGE }], dataCapture: { bucket: p.bucket } });
    expect(() => e.addDataQualityMonitor('Dq', { baselineConstraintsUri: CONSTRAINTS, baselineStatisticsUri: STATISTICS, outputBucket: p.bucket }))
      .toThrow(/analyzerImageUri is required: .*not known at synth \(set env on the stack\)/);
  });
});
