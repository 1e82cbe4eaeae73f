import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CallbackStep, CheckDatasetFormat, ClarifyCheckStep, ClarifyCheckType, EmrActionOnFailure, EmrStep, LambdaStep, ModelApprovalStatus,
  ModelPackageGroup, ModelStep, ParameterString, PipelineValue, PipelineValueType, QualityCheckStep, QualityCheckType, RegisterModelStep,
  TrainingStep, TransformStep, TuningObjectiveType, TuningStep,
} from '../../src';
import { compliantTemplate, testStack } from '../harness';
import { fixturesOf, IMAGE, pipelineOf, processing } from './fixtures';
import { definitionOf, pipelineStatements, statement, validateDefinition } from './util';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const VPC = { SecurityGroupIds: ['sg-0123456789abcdef0'], Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] };
const image = PipelineValue.fromString(IMAGE);
const s3 = (key: string) => PipelineValue.fromString(`s3://ml-data-123456789012/${key}`);

describe('job steps', () => {
  describe('with secure defaults', () => {
    // GIVEN every job step type with only its required props
    const stack = testStack();
    const f = fixturesOf(stack);
    const group = new ModelPackageGroup(stack, 'Models', { modelPackageGroupName: 'churn-models' });
    const prepare = processing('Prepare', f.jobRole, {
      outputs: [{ outputName: 'train', source: '/opt/ml/processing/train', destination: s3('train') }],
    });
    const train = new TrainingStep('Train', {
      role: f.jobRole,
      image,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      inputs: [{ channelName: 'train', s3Uri: prepare.outputUri('train'), contentType: 'text/csv' }],
      outputPath: s3('models'),
      hyperparameters: { max_depth: PipelineValue.fromString('5') },
      metricDefinitions: [{ name: 'validation:auc', regex: 'auc=([0-9.]+)' }],
    });
    const gpuTrain = new TrainingStep('TrainOnGpu', {
      role: f.jobRole,
      image,
      instanceType: PipelineValue.fromString('ml.g5.2xlarge'),
      inputs: [{ channelName: 'train', s3Uri: prepare.outputUri('train') }],
      outputPath: s3('models-gpu'),
    });
    const tune = new TuningStep('Tune', {
      role: f.jobRole,
      image,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      inputs: [{ channelName: 'train', s3Uri: prepare.outputUri('train') }],
      outputPath: s3('tuning'),
      metricDefinitions: [{ name: 'validation:auc', regex: 'auc=([0-9.]+)' }],
      objectiveMetricName: 'validation:auc',
      objectiveType: TuningObjectiveType.MAXIMIZE,
      continuousParameterRanges: [{ name: 'eta', minValue: 0.05, maxValue: 0.5 }],
      integerParameterRanges: [{ name: 'max_depth', minValue: 3, maxValue: 9, scalingType: 'Linear' }],
      categoricalParameterRanges: [{ name: 'booster', values: ['gbtree', 'dart'] }],
      maxNumberOfTrainingJobs: 10,
      maxParallelTrainingJobs: 2,
      earlyStopping: true,
    });
    const model = new ModelStep('CreateModel', { role: f.modelRole, container: { image, modelDataUrl: train.modelArtifactsS3Uri } });
    const transform = new TransformStep('Score', {
      modelName: model.modelName,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      inputS3Uri: s3('score-input'),
      outputPath: s3('scores'),
      contentType: 'text/csv',
      splitType: 'Line',
    });
    const register = new RegisterModelStep('Register', {
      modelPackageGroup: group,
      containers: [{ image, modelDataUrl: tune.topModelS3Uri(0) }],
      contentTypes: ['text/csv'],
      responseTypes: ['text/csv'],
      inferenceInstanceTypes: ['ml.m5.large'],
      modelQualityStatistics: { s3Uri: s3('evaluation/statistics.json') },
    });
    const quality = new QualityCheckStep('DataQuality', {
      role: f.jobRole,
      image: PipelineValue.fromString('156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer'),
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      checkType: QualityCheckType.DATA_QUALITY,
      baselineDataset: prepare.outputUri('train'),
      datasetFormat: CheckDatasetFormat.csv(true),
      outputS3Uri: s3('data-quality'),
      modelPackageGroup: group,
      registerNewBaseline: true,
    });
    const bias = new ClarifyCheckStep('DataBias', {
      role: f.jobRole,
      image: PipelineValue.fromString('205585389593.dkr.ecr.us-east-1.amazonaws.com/sagemaker-clarify-processing:1.0'),
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      checkType: ClarifyCheckType.DATA_BIAS,
      analysisConfig: s3('clarify/analysis_config.json'),
      dataset: prepare.outputUri('train'),
      outputS3Uri: s3('bias'),
    });
    pipelineOf(stack, [prepare, train, gpuTrain, tune, model, transform, register, quality, bias]);
    const template = compliantTemplate(stack);
    const def = definitionOf(stack, template);
    const args = (name: string) => def.Steps.find((s: any) => s.Name === name).Arguments;
    const statements = pipelineStatements(template);

    test('passes every rule pack and validates against the extended schema', () => {
      expect(() => validateDefinition(def)).not.toThrow();
    });

    test('processing: VPC, network isolation, traffic encryption, volume and output keys', () => {
      const a = args('Prepare');
      expect(a.NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: VPC });
      expect(a.ProcessingResources.ClusterConfig).toEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: KEY_ARN });
      expect(a.ProcessingOutputConfig.KmsKeyId).toEqual(KEY_ARN);
      expect(a.RoleArn).toEqual('arn:aws:iam::123456789012:role/ml-job-role');
      expect(a.ProcessingJobName).toMatch(/^[a-z0-9-]+-prepare$/);
    });

    test('training: VPC, network isolation, traffic encryption, keys and a one-day stopping condition', () => {
      const a = args('Train');
      expect(a).toMatchObject({
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: VPC,
        OutputDataConfig: { S3OutputPath: 's3://ml-data-123456789012/models', KmsKeyId: KEY_ARN },
        ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30, VolumeKmsKeyId: KEY_ARN },
        StoppingCondition: { MaxRuntimeInSeconds: 86400 },
        HyperParameters: { max_depth: '5' },
        AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'validation:auc', Regex: 'auc=([0-9.]+)' }] },
      });
      expect(a.InputDataConfig[0]).toEqual({
        ChannelName: 'train',
        ContentType: 'text/csv',
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: { Get: "Steps.Prepare.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" }, S3DataDistributionType: 'FullyReplicated' } },
      });
    });

    test('no volume key for instance types with local NVMe storage', () => {
      expect(args('TrainOnGpu').ResourceConfig.VolumeKmsKeyId).toBeUndefined();
      expect(args('TrainOnGpu').OutputDataConfig.KmsKeyId).toEqual(KEY_ARN);
      // a job of that kind without a volume key: the role cannot require one for every training job
      expect(statement(statements, 'CreateTrainingJobs').Condition.ArnEquals).toEqual({ 'sagemaker:OutputKmsKeyArn': [KEY_ARN] });
    });

    test('tuning: every training job gets the secure settings', () => {
      const a = args('Tune');
      expect(a.TrainingJobDefinition).toMatchObject({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: VPC });
      expect(a.TrainingJobDefinition.ResourceConfig.VolumeKmsKeyId).toEqual(KEY_ARN);
      expect(a.HyperParameterTuningJobConfig).toEqual({
        Strategy: 'Bayesian',
        HyperParameterTuningJobObjective: { Type: 'Maximize', MetricName: 'validation:auc' },
        ResourceLimits: { MaxNumberOfTrainingJobs: 10, MaxParallelTrainingJobs: 2 },
        TrainingJobEarlyStoppingType: 'Auto',
        ParameterRanges: {
          ContinuousParameterRanges: [{ Name: 'eta', MinValue: '0.05', MaxValue: '0.5', ScalingType: 'Auto' }],
          IntegerParameterRanges: [{ Name: 'max_depth', MinValue: '3', MaxValue: '9', ScalingType: 'Linear' }],
          CategoricalParameterRanges: [{ Name: 'booster', Values: ['gbtree', 'dart'] }],
        },
      });
      expect(a.HyperParameterTuningJobName.length).toBeLessThanOrEqual(32);
    });

    test('model: VPC and network isolation; transform: keys and the model', () => {
      expect(args('CreateModel')).toMatchObject({
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/ml-model-role',
        EnableNetworkIsolation: true,
        VpcConfig: VPC,
        PrimaryContainer: { Image: IMAGE, ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' } },
      });
      expect(args('Score')).toMatchObject({
        ModelName: { Get: 'Steps.CreateModel.ModelName' },
        TransformOutput: { S3OutputPath: 's3://ml-data-123456789012/scores', KmsKeyId: KEY_ARN },
        TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeKmsKeyId: KEY_ARN },
        TransformInput: { ContentType: 'text/csv', SplitType: 'Line' },
      });
    });

    test('register: pending manual approval, the tuning job\'s best model', () => {
      expect(args('Register')).toMatchObject({
        ModelPackageGroupName: 'churn-models',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [{ Image: IMAGE, ModelDataUrl: { 'Std:Join': { On: '/', Values: ['s3://ml-data-123456789012/tuning', { Get: 'Steps.Tune.TrainingJobSummaries[0].TrainingJobName' }, 'output/model.tar.gz'] } } }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
          SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
        },
        ModelMetrics: { ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://ml-data-123456789012/evaluation/statistics.json' } } },
      });
    });

    test('quality and clarify checks: the analysis jobs run isolated in the VPC, with keys', () => {
      const q = def.Steps.find((s: any) => s.Name === 'DataQuality');
      expect(q).toMatchObject({ CheckType: 'DATA_QUALITY', ModelPackageGroupName: 'churn-models', SkipCheck: false, RegisterNewBaseline: true });
      expect(q.Arguments.NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: VPC });
      expect(q.Arguments.Environment).toEqual({
        dataset_format: '{"csv":{"header":true,"output_columns_position":"START"}}',
        dataset_source: '/opt/ml/processing/input/baseline_dataset_input',
        output_path: '/opt/ml/processing/output',
        publish_cloudwatch_metrics: 'Disabled',
      });
      const b = def.Steps.find((s: any) => s.Name === 'DataBias');
      expect(b.CheckType).toEqual('DATA_BIAS');
      expect(b.Arguments.NetworkConfig.EnableNetworkIsolation).toBe(true);
      expect(b.Arguments.ProcessingInputs.map((i: any) => i.InputName)).toEqual(['analysis_config', 'dataset']);
      expect(b.Arguments.ProcessingOutputConfig).toMatchObject({ KmsKeyId: KEY_ARN, Outputs: [{ OutputName: 'analysis_result' }] });
    });

    test('the pipeline role may create exactly the job types used, under the job prefix, with guardrail conditions', () => {
      const creates = statements.filter((s) => /^Create.*s$/.test(s.Sid)).map((s) => s.Action);
      // one create action per job type used
      expect(creates.sort()).toEqual(['sagemaker:CreateHyperParameterTuningJob', 'sagemaker:CreateModel', 'sagemaker:CreateProcessingJob',
        'sagemaker:CreateTrainingJob', 'sagemaker:CreateTransformJob']);
      expect(statement(statements, 'CreateProcessingJobs').Condition).toEqual({
        'Bool': { 'sagemaker:NetworkIsolation': 'true', 'sagemaker:InterContainerTrafficEncryption': 'true' },
        'ArnEquals': { 'sagemaker:VolumeKmsKeyArn': [KEY_ARN], 'sagemaker:OutputKmsKeyArn': [KEY_ARN] },
        'ForAllValues:StringEquals': { 'sagemaker:VpcSubnets': VPC.Subnets, 'sagemaker:VpcSecurityGroupIds': VPC.SecurityGroupIds },
        'Null': { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false' },
      });
      expect(statement(statements, 'CreateModels').Condition).toEqual({
        'Bool': { 'sagemaker:NetworkIsolation': 'true' },
        'ForAllValues:StringEquals': { 'sagemaker:VpcSubnets': VPC.Subnets, 'sagemaker:VpcSecurityGroupIds': VPC.SecurityGroupIds },
        'Null': { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false' },
      });
      expect(JSON.stringify(statement(statements, 'CreateTrainingJobs').Resource)).toMatch(/:training-job\/testine-28b9b4c0-\*"/);
    });

    test('the pipeline role registers only as PendingManualApproval, in the group used', () => {
      const registration = statement(statements, 'RegisterIn0');
      expect(registration).toMatchObject({ Action: 'sagemaker:CreateModelPackage', Condition: { StringEquals: { 'sagemaker:ModelApprovalStatus': ['PendingManualApproval'] } } });
      expect(JSON.stringify(registration.Resource)).toContain(':model-package/churn-models/*');
    });

    test('the pipeline role passes only the step roles, only to SageMaker', () => {
      expect(statement(statements, 'PassStepRolesToSageMaker')).toEqual({
        Sid: 'PassStepRolesToSageMaker',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: ['arn:aws:iam::123456789012:role/ml-job-role', 'arn:aws:iam::123456789012:role/ml-model-role'],
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
    });
  });

  describe('with explicit opt-outs and overrides', () => {
    const stack = testStack();
    const f = fixturesOf(stack);
    const stepKey = new kms.Key(stack, 'StepKey', { enableKeyRotation: true });
    const stepSg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'StepSg', 'sg-0123456789abcdef5');
    const open = processing('CallsApis', f.jobRole, { networkIsolation: false, interContainerTrafficEncryption: false });
    const outside = processing('OutsideVpc', f.jobRole, { runInVpc: false });
    const own = processing('OwnSettings', f.jobRole, { securityGroups: [stepSg], subnets: [f.subnets[0]], volumeKey: stepKey, outputKey: stepKey });
    const modelCheck = new ClarifyCheckStep('ModelBias', {
      role: f.jobRole,
      image,
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      checkType: ClarifyCheckType.MODEL_BIAS,
      analysisConfig: s3('clarify/analysis_config.json'),
      dataset: s3('test'),
      outputS3Uri: s3('model-bias'),
      modelName: PipelineValue.fromString('churn-model'),
    });
    pipelineOf(stack, [open, outside, own, modelCheck]);
    const template = compliantTemplate(stack);
    const def = definitionOf(stack, template);
    const args = (name: string) => def.Steps.find((s: any) => s.Name === name).Arguments;
    const statements = pipelineStatements(template);

    test('passes every rule pack and validates against the extended schema', () => {
      expect(() => validateDefinition(def)).not.toThrow();
    });

    test('networkIsolation: false and interContainerTrafficEncryption: false turn only those off', () => {
      expect(args('CallsApis').NetworkConfig).toEqual({ EnableNetworkIsolation: false, EnableInterContainerTrafficEncryption: false, VpcConfig: VPC });
    });

    test('runInVpc: false removes the VPC config only', () => {
      expect(args('OutsideVpc').NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
      expect(args('OutsideVpc').ProcessingResources.ClusterConfig.VolumeKmsKeyId).toEqual(KEY_ARN);
    });

    test('uses the step\'s own subnets, security groups and keys', () => {
      expect(args('OwnSettings').NetworkConfig.VpcConfig).toEqual({ SecurityGroupIds: ['sg-0123456789abcdef5'], Subnets: ['subnet-0123456789abcdef0'] });
      expect(args('OwnSettings').ProcessingResources.ClusterConfig.VolumeKmsKeyId).toMatch(/StepKey/);
    });

    test('model checks default to no network isolation (Clarify creates a shadow endpoint)', () => {
      const step = def.Steps.find((s: any) => s.Name === 'ModelBias');
      expect(step).toMatchObject({ CheckType: 'MODEL_BIAS', ModelName: 'churn-model' });
      expect(step.Arguments.NetworkConfig.EnableNetworkIsolation).toBe(false);
    });

    test('the role requires a protection only when every job of the type has it', () => {
      const condition = statement(statements, 'CreateProcessingJobs').Condition;
      expect(condition.Bool).toBeUndefined();
      expect(condition.Null).toBeUndefined();
      expect(Object.keys(condition.ArnEquals)).toEqual(['sagemaker:VolumeKmsKeyArn', 'sagemaker:OutputKmsKeyArn']);
    });
  });

  describe('validation', () => {
    const build = (steps: any[], props: any = {}) => {
      const stack = testStack();
      return () => pipelineOf(stack, steps, [], props);
    };
    const role = () => fixturesOf(testStack()).jobRole;

    test('a job step without subnets or security groups names the ways to fix it', () => {
      expect(build([processing('P', role())], { subnets: undefined, securityGroups: undefined }))
        .toThrow(/step 'P': runs in a VPC by default, but no subnets were given: pass `network` or `subnets` to the Pipeline or `subnets` to the step, or opt out with `runInVpc: false`/);
    });

    test('a volume key for an instance type with local NVMe storage is an error', () => {
      const stack = testStack();
      const f = fixturesOf(stack);
      expect(() => pipelineOf(stack, [processing('P', f.jobRole, { instanceType: PipelineValue.fromString('ml.p4d.24xlarge'), volumeKey: f.key })]))
        .toThrow(/instance type ml.p4d.24xlarge has local NVMe storage, which a hardware module encrypts/);
    });

    test('conflicting and unsupported security settings', () => {
      const stack = testStack();
      const f = fixturesOf(stack);
      const automlLike = new ModelStep('M', { role: f.modelRole, container: { image }, interContainerTrafficEncryption: true, volumeKey: f.key });
      expect(() => pipelineOf(stack, [processing('P', f.jobRole, { runInVpc: false, subnets: f.subnets }), automlLike]))
        .toThrow(/subnets and securityGroups cannot be combined with runInVpc: false[\s\S]*this step type has no interContainerTrafficEncryption setting[\s\S]*this step type has no volumeKey setting/);
    });

    test('invalid job resources', () => {
      expect(build([processing('P', role(), { volumeSizeInGb: 0, maxRuntime: Duration.millis(1500), instanceCount: PipelineValue.fromInteger(0) })]))
        .toThrow(/volumeSizeInGb must be an integer between 1 and 16384, got 0[\s\S]*maxRuntime must be a whole number of seconds[\s\S]*instanceCount must be at least 1, got 0/);
    });

    test('tuning and check steps without what they need', () => {
      const r = role();
      const tune = new TuningStep('T', {
        role: r,
        image,
        instanceType: PipelineValue.fromString('ml.m5.xlarge'),
        inputs: [],
        outputPath: s3('t'),
        objectiveMetricName: 'auc',
        objectiveType: TuningObjectiveType.MAXIMIZE,
        maxNumberOfTrainingJobs: 0,
        maxParallelTrainingJobs: 1,
      });
      const quality = new QualityCheckStep('Q', {
        role: r,
        image,
        instanceType: PipelineValue.fromString('ml.m5.xlarge'),
        checkType: QualityCheckType.MODEL_QUALITY,
        baselineDataset: s3('b'),
        datasetFormat: CheckDatasetFormat.json(),
        outputS3Uri: s3('q'),
      });
      const clarify = new ClarifyCheckStep('C', {
        role: r,
        image,
        instanceType: PipelineValue.fromString('ml.m5.xlarge'),
        checkType: ClarifyCheckType.MODEL_EXPLAINABILITY,
        analysisConfig: s3('a'),
        dataset: s3('d'),
        outputS3Uri: s3('o'),
      });
      expect(build([tune, quality, clarify])).toThrow(
        /inputs must have at least one channel[\s\S]*maxNumberOfTrainingJobs must be a positive integer, got 0[\s\S]*give at least one hyperparameter range[\s\S]*problemType is required for MODEL_QUALITY[\s\S]*modelName is required for MODEL_EXPLAINABILITY/);
    });

    test('register steps without containers or with an unknown status', () => {
      const stack = testStack();
      const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'G', 'models');
      const invalid = new RegisterModelStep('R', { modelPackageGroup: group, containers: [], contentTypes: [], responseTypes: ['text/csv'], approvalStatus: ModelApprovalStatus.of('Maybe') });
      expect(() => pipelineOf(stack, [invalid])).toThrow(/containers must not be empty[\s\S]*contentTypes must not be empty[\s\S]*approvalStatus must be Approved, Rejected or PendingManualApproval, got 'Maybe'/);
    });
  });
});

describe('integration steps', () => {
  // GIVEN Lambda, callback and EMR steps and a register step with an approval-status parameter
  const stack = testStack();
  const fn = lambda.Function.fromFunctionArn(stack, 'Notifier', 'arn:aws:lambda:us-east-1:123456789012:function:notify-ml-team');
  const queueKey = kms.Key.fromKeyArn(stack, 'QueueKey', 'arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555');
  const queue = sqs.Queue.fromQueueAttributes(stack, 'Approvals', { queueArn: 'arn:aws:sqs:us-east-1:123456789012:ml-approvals', keyArn: queueKey.keyArn });
  const status = new ParameterString({ name: 'ApprovalStatus', defaultValue: 'PendingManualApproval' });
  const notify = new LambdaStep('Notify', {
    function: fn,
    inputs: { pipeline: PipelineValue.fromString('churn') },
    outputs: [{ name: 'ticket' }, { name: 'approved', type: PipelineValueType.BOOLEAN }],
    cacheExpireAfter: Duration.hours(1),
  });
  const approve = new CallbackStep('WaitForApproval', { queue, inputs: { ticket: notify.output('ticket') }, outputs: [{ name: 'decision' }] });
  const spark = new EmrStep('FeatureEngineering', {
    clusterId: 'j-1ABCDEFGHIJKL',
    jar: PipelineValue.fromString('command-runner.jar'),
    args: [PipelineValue.fromString('spark-submit'), approve.output('decision')],
    mainClass: 'com.example.Features',
    properties: { 'spark.executor.memory': '4g' },
    actionOnFailure: EmrActionOnFailure.CONTINUE,
  });
  const group = ModelPackageGroup.fromModelPackageGroupArn(stack, 'Group', 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/churn-models');
  const register = new RegisterModelStep('Register', {
    modelPackageGroup: group,
    containers: [{ image }],
    contentTypes: ['text/csv'],
    responseTypes: ['text/csv'],
    approvalStatus: ModelApprovalStatus.fromValue(status),
  });
  pipelineOf(stack, [notify, approve, spark, register], [status]);
  const template = compliantTemplate(stack);
  const def = definitionOf(stack, template);
  const step = (name: string) => def.Steps.find((s: any) => s.Name === name);
  const statements = pipelineStatements(template);

  test('passes every rule pack and validates against the extended schema', () => {
    expect(() => validateDefinition(def)).not.toThrow();
  });

  test('Lambda: FunctionArn, output parameters and the cache config', () => {
    expect(step('Notify')).toEqual({
      Name: 'Notify',
      Type: 'Lambda',
      Arguments: { pipeline: 'churn' },
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:notify-ml-team',
      OutputParameters: [{ OutputName: 'ticket', OutputType: 'String' }, { OutputName: 'approved', OutputType: 'Boolean' }],
      CacheConfig: { Enabled: true, ExpireAfter: 'PT1H' },
    });
  });

  test('callback: the queue URL and outputs', () => {
    expect(step('WaitForApproval').SqsQueueUrl).toMatch(/^https:\/\/sqs\.us-east-1\..+\/123456789012\/ml-approvals$/);
    expect(step('WaitForApproval')).toMatchObject({
      Type: 'Callback',
      Arguments: { ticket: { Get: "Steps.Notify.OutputParameters['ticket']" } },
      OutputParameters: [{ OutputName: 'decision', OutputType: 'String' }],
    });
  });

  test('EMR: the cluster and the Hadoop JAR step, without a step name', () => {
    expect(step('FeatureEngineering').Arguments).toEqual({
      ClusterId: 'j-1ABCDEFGHIJKL',
      StepConfig: {
        HadoopJarStep: {
          Jar: 'command-runner.jar',
          Args: ['spark-submit', { Get: "Steps.WaitForApproval.OutputParameters['decision']" }],
          MainClass: 'com.example.Features',
          Properties: [{ Key: 'spark.executor.memory', Value: '4g' }],
        },
        ActionOnFailure: 'CONTINUE',
      },
    });
  });

  test('the pipeline role may invoke exactly the function, send to exactly the queue and run steps on exactly the cluster', () => {
    expect(statement(statements, 'InvokeStepFunctions')).toMatchObject({ Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:notify-ml-team' });
    expect(statement(statements, 'SendCallbackMessages')).toMatchObject({ Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:123456789012:ml-approvals' });
    expect(statement(statements, 'EncryptCallbackMessages')).toMatchObject({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] });
    expect(JSON.stringify(statement(statements, 'RunEmrSteps').Resource)).toContain(':elasticmapreduce:us-east-1:123456789012:cluster/j-1ABCDEFGHIJKL');
    expect(JSON.stringify(statement(statements, 'FollowEmrSteps').Resource)).toContain(':rule/SageMakerPipelineExecutionEMRStepStatusUpdateRule');
    expect(statements.map((s) => s.Sid)).not.toContain('PassStepRolesToSageMaker');
  });

  test('an approval status chosen at run time leaves registration unconditioned', () => {
    expect(step('Register').Arguments.ModelApprovalStatus).toEqual({ Get: 'Parameters.ApprovalStatus' });
    expect(statement(statements, 'RegisterIn0').Condition).toBeUndefined();
  });

  test('unknown outputs and invalid clusters are errors', () => {
    expect(() => notify.output('missing')).toThrow(/Lambda step 'Notify' has no output named 'missing' \(outputs: ticket, approved\)/);
    const other = testStack();
    expect(() => pipelineOf(other, [new EmrStep('E', { clusterId: 'cluster-1', jar: PipelineValue.fromString('x.jar') })]))
      .toThrow(/clusterId must be an EMR cluster ID like j-1ABCDEFGHIJKL, got 'cluster-1'/);
  });
});
