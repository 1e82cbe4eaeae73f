import { Duration } from 'aws-cdk-lib';
import {
  AutoMLContentType, AutoMLMode, AutoMLObjectiveMetric, AutoMLProblemType, AutoMLStep, AutoMLStepProps, Condition, ConditionStep, FailStep,
  ModelApprovalStatus, ModelPackageGroup, PipelineValue,
} from '../../src';
import { compliantTemplate, testStack } from '../harness';
import { fixturesOf, pipelineOf, stringParam } from './fixtures';
import { definitionOf, pipelineStatements, statement, validateDefinition } from './util';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const BEST = 'BestCandidate.InferenceContainers[0]';

describe('AutoMLStep', () => {
  describe('for binary classification, handed off to a model and a registration', () => {
    // GIVEN an AutoML step with training and validation channels, completion criteria and both hand-offs
    const stack = testStack();
    const f = fixturesOf(stack);
    const train = stringParam('TrainData', 's3://ml-data-123456789012/train/');
    const automl = new AutoMLStep('AutoML', {
      role: f.jobRole,
      problemType: AutoMLProblemType.BINARY_CLASSIFICATION,
      objectiveMetric: AutoMLObjectiveMetric.F1,
      targetAttribute: 'left',
      trainingData: train,
      validationData: PipelineValue.fromString('s3://ml-data-123456789012/validation/'),
      outputPath: PipelineValue.fromString('s3://ml-data-123456789012/automl/'),
      maxCandidates: 20,
      maxRuntimePerTrainingJob: Duration.minutes(30),
      maxAutoMLJobRuntime: Duration.hours(2),
      gzipCompressed: true,
    });
    const model = automl.toModelStep('BestModel', { role: f.modelRole });
    const group = new ModelPackageGroup(stack, 'Models', { modelPackageGroupName: 'employee-retention' });
    const register = automl.toRegisterModelStep('RegisterBest', { modelPackageGroup: group, inferenceInstanceTypes: ['ml.m5.large'] });
    const check = new ConditionStep('CheckF1', {
      conditions: [Condition.greaterThanOrEqualTo(automl.bestCandidateObjectiveMetricValue, PipelineValue.fromFloat(0.7))],
      ifSteps: [register],
      elseSteps: [new FailStep('TooLow')],
    });
    pipelineOf(stack, [automl, model, check], [train]);
    const template = compliantTemplate(stack);
    const def = definitionOf(stack, template);
    const step = (name: string) => def.Steps.find((s: any) => s.Name === name);

    test('passes every rule pack and validates against the extended schema', () => {
      expect(() => validateDefinition(def)).not.toThrow();
    });

    test('runs in ENSEMBLING mode with the objective, channels and completion criteria', () => {
      const args = step('AutoML').Arguments;
      expect(args.AutoMLJobConfig).toMatchObject({
        Mode: 'ENSEMBLING',
        CompletionCriteria: { MaxCandidates: 20, MaxRuntimePerTrainingJobInSeconds: 1800, MaxAutoMLJobRuntimeInSeconds: 7200 },
      });
      expect(args.AutoMLJobObjective).toEqual({ MetricName: 'F1' });
      expect(args.ProblemType).toEqual('BinaryClassification');
      expect(args.InputDataConfig).toEqual([
        {
          ChannelType: 'training',
          ContentType: 'text/csv;header=present',
          CompressionType: 'Gzip',
          TargetAttributeName: 'left',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: { Get: 'Parameters.TrainData' } } },
        },
        {
          ChannelType: 'validation',
          ContentType: 'text/csv;header=present',
          CompressionType: 'Gzip',
          TargetAttributeName: 'left',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data-123456789012/validation/' } },
        },
      ]);
      expect(args.AutoMLJobName.length).toBeLessThanOrEqual(32);
    });

    test('secure defaults: VPC, traffic encryption, volume and output keys', () => {
      const args = step('AutoML').Arguments;
      expect(args.AutoMLJobConfig.SecurityConfig).toEqual({
        EnableInterContainerTrafficEncryption: true,
        VolumeKmsKeyId: KEY_ARN,
        VpcConfig: { SecurityGroupIds: ['sg-0123456789abcdef0'], Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      });
      expect(args.OutputDataConfig).toEqual({ S3OutputPath: 's3://ml-data-123456789012/automl/', KmsKeyId: KEY_ARN });
    });

    test('the model step takes the best candidate\'s image, model data and environment', () => {
      const container = step('BestModel').Arguments.PrimaryContainer;
      expect(container.Image).toEqual({ Get: `Steps.AutoML.${BEST}.Image` });
      expect(container.ModelDataUrl).toEqual({ Get: `Steps.AutoML.${BEST}.ModelDataUrl` });
      expect(container.Environment.SAGEMAKER_PROGRAM).toEqual({ Get: `Steps.AutoML.${BEST}.Environment['SAGEMAKER_PROGRAM']` });
      expect(Object.keys(container.Environment).sort()).toEqual([
        'MODEL_NAME', 'SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT', 'SAGEMAKER_INFERENCE_OUTPUT', 'SAGEMAKER_INFERENCE_SUPPORTED', 'SAGEMAKER_PROGRAM', 'SAGEMAKER_SUBMIT_DIRECTORY',
      ]);
      expect(step('BestModel').Arguments).toMatchObject({ EnableNetworkIsolation: true, ExecutionRoleArn: 'arn:aws:iam::123456789012:role/ml-model-role' });
    });

    test('the registration takes the same container, pending manual approval, inside the condition', () => {
      const registration = step('CheckF1').Arguments.IfSteps[0];
      expect(registration).toMatchObject({
        Name: 'RegisterBest',
        Type: 'RegisterModel',
        Arguments: {
          ModelPackageGroupName: 'employee-retention',
          ModelApprovalStatus: 'PendingManualApproval',
          InferenceSpecification: { SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'], SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'] },
        },
      });
      expect(registration.Arguments.InferenceSpecification.Containers[0].Image).toEqual({ Get: `Steps.AutoML.${BEST}.Image` });
      expect(step('CheckF1').Arguments.Conditions[0].LeftValue).toEqual({ Get: 'Steps.AutoML.BestCandidate.FinalAutoMLJobObjectiveMetric.Value' });
    });

    test('the pipeline role may create AutoML jobs under the prefix, with the encryption and VPC guardrails', () => {
      const statements = pipelineStatements(template);
      expect(statement(statements, 'CreateAutoMLJobs').Condition).toMatchObject({
        Bool: { 'sagemaker:InterContainerTrafficEncryption': 'true' },
        ArnEquals: { 'sagemaker:VolumeKmsKeyArn': [KEY_ARN], 'sagemaker:OutputKmsKeyArn': [KEY_ARN] },
      });
      expect(statement(statements, 'CreateAutoMLJobs').Condition.Bool['sagemaker:NetworkIsolation']).toBeUndefined();
      expect(statement(statements, 'ManageAutoMLJobs').Action).toEqual(['sagemaker:DescribeAutoMLJob', 'sagemaker:DescribeAutoMLJobV2', 'sagemaker:StopAutoMLJob']);
      expect(statement(statements, 'CreateAutoMLJobs').Action).toEqual(['sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2']);
    });
  });

  describe('for regression with a validation fraction, Parquet data and a registration that is approved', () => {
    const stack = testStack();
    const f = fixturesOf(stack);
    const automl = new AutoMLStep('AutoML', {
      role: f.jobRole,
      problemType: AutoMLProblemType.REGRESSION,
      objectiveMetric: AutoMLObjectiveMetric.MSE,
      targetAttribute: 'salary',
      trainingData: PipelineValue.fromString('s3://ml-data-123456789012/train/'),
      validationFraction: 0.25,
      contentType: AutoMLContentType.PARQUET,
      outputPath: PipelineValue.fromString('s3://ml-data-123456789012/automl/'),
    });
    const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'salaries');
    const register = automl.toRegisterModelStep('Register', {
      modelPackageGroup: group, approvalStatus: ModelApprovalStatus.APPROVED, contentTypes: ['application/x-parquet'], responseTypes: ['text/csv'],
    });
    pipelineOf(stack, [automl, register]);
    const template = compliantTemplate(stack);
    const def = definitionOf(stack, template);

    test('passes every rule pack and validates against the extended schema', () => {
      expect(() => validateDefinition(def)).not.toThrow();
    });

    test('splits the training data and reads Parquet', () => {
      const args = def.Steps[0].Arguments;
      expect(args.AutoMLJobConfig.DataSplitConfig).toEqual({ ValidationFraction: 0.25 });
      expect(args.AutoMLJobConfig.CompletionCriteria).toBeUndefined();
      expect(args.InputDataConfig).toHaveLength(1);
      expect(args.InputDataConfig[0]).toMatchObject({ ContentType: 'x-application/vnd.amazon+parquet', CompressionType: 'None' });
    });

    test('registers as Approved, and the role may register only as Approved', () => {
      expect(def.Steps[1].Arguments.ModelApprovalStatus).toEqual('Approved');
      expect(statement(pipelineStatements(template), 'RegisterIn0').Condition).toEqual({ StringEquals: { 'sagemaker:ModelApprovalStatus': ['Approved'] } });
    });
  });

  describe('validation', () => {
    const props = (extra: Partial<AutoMLStepProps>, role: any): AutoMLStepProps => ({
      role,
      problemType: AutoMLProblemType.BINARY_CLASSIFICATION,
      objectiveMetric: AutoMLObjectiveMetric.AUC,
      targetAttribute: 'left',
      trainingData: PipelineValue.fromString('s3://b/train'),
      outputPath: PipelineValue.fromString('s3://b/out'),
      ...extra,
    });

    test('any mode other than ENSEMBLING is an error', () => {
      for (const mode of [AutoMLMode.HYPERPARAMETER_TUNING, AutoMLMode.AUTO]) {
        const stack = testStack();
        expect(() => pipelineOf(stack, [new AutoMLStep('AutoML', props({ mode }, fixturesOf(stack).jobRole))]))
          .toThrow(new RegExp(`mode must be ENSEMBLING \\(an AutoML step runs only in ensembling mode\\), got '${mode.name}'`));
      }
    });

    test('an objective metric of another problem type is an error', () => {
      const stack = testStack();
      expect(() => pipelineOf(stack, [new AutoMLStep('AutoML', props({ problemType: AutoMLProblemType.MULTICLASS_CLASSIFICATION, objectiveMetric: AutoMLObjectiveMetric.F1 }, fixturesOf(stack).jobRole))]))
        .toThrow(/objectiveMetric F1 does not apply to MulticlassClassification \(it applies to BinaryClassification\)/);
    });

    test('a validation fraction with validation data, or out of range, is an error', () => {
      const stack = testStack();
      const role = fixturesOf(stack).jobRole;
      expect(() => pipelineOf(stack, [new AutoMLStep('AutoML', props({ validationData: PipelineValue.fromString('s3://b/v'), validationFraction: 1.5, maxCandidates: 0, targetAttribute: '' }, role))]))
        .toThrow(/validationFraction splits the training data; it cannot be combined with validationData[\s\S]*validationFraction must be greater than 0 and less than 1, got 1.5[\s\S]*targetAttribute must not be empty[\s\S]*maxCandidates must be a positive integer, got 0/);
    });

    test('AutoML jobs have no network isolation setting', () => {
      const stack = testStack();
      expect(() => pipelineOf(stack, [new AutoMLStep('AutoML', props({ networkIsolation: true }, fixturesOf(stack).jobRole))]))
        .toThrow(/this step type has no networkIsolation setting/);
    });
  });
});
