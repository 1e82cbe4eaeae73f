import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Pipeline, PipelineSchedule } from '../../src';
import { compliantTemplate, testStack } from '../harness';

describe('PipelineSchedule', () => {
  describe('with a key and retry settings', () => {
    // GIVEN an existing pipeline, started nightly with parameters
    const stack = testStack();
    const pipeline = Pipeline.fromPipelineName(stack, 'Pipeline', 'employee-retention');
    const key = new kms.Key(stack, 'ScheduleKey', { enableKeyRotation: true });
    new PipelineSchedule(stack, 'Nightly', {
      pipeline,
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      parameters: { InputData: 's3://ml-data-123456789012/raw/latest/' },
      key,
      retryAttempts: 3,
      maxEventAge: Duration.hours(2),
      description: 'Nightly retraining',
    });
    const template = compliantTemplate(stack);

    test('starts the pipeline with the parameters, encrypted with the key', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 day)',
        Description: 'Nightly retraining',
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ScheduleKey'), 'Arn'] },
        Target: {
          Arn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':pipeline/employee-retention')])] },
          SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'InputData', Value: 's3://ml-data-123456789012/raw/latest/' }] },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        },
      });
    });

    test('its role trusts EventBridge Scheduler of this account only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } })],
        },
      });
    });

    test('its role may start exactly this pipeline and decrypt with the key, in a customer-managed policy', () => {
      template.resourceCountIs('AWS::IAM::Policy', 0);
      const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(expect.objectContaining({
        Action: 'sagemaker:StartPipelineExecution',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:pipeline/employee-retention']] },
      }));
      expect(statements).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt' }));
    });
  });

  test('rejects invalid parameters and retry attempts', () => {
    const stack = testStack();
    const pipeline = Pipeline.fromPipelineName(stack, 'Pipeline', 'p');
    expect(() => new PipelineSchedule(stack, 'S', {
      pipeline, schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)), parameters: { 'bad name': 'x', 'Long': 'y'.repeat(1025) }, retryAttempts: 200,
    })).toThrow(/PipelineSchedule 'TestStack\/S' has invalid props:[\s\S]*retryAttempts must be an integer between 0 and 185, got 200[\s\S]*name must be 1-256 letters[\s\S]*value of 'Long' must be at most 1024 characters/);
  });
});
