import { Duration } from 'aws-cdk-lib';
import {
  AutoMLObjectiveMetric, AutoMLProblemType, AutoMLStep, CheckDatasetFormat, ClarifyCheckStep, ClarifyCheckType, ModelPackageGroup, ModelStep,
  QualityCheckStep, QualityCheckType, RegisterModelStep, TrainingStep, TransformStep, TuningObjectiveType, TuningStep,
  Condition, ConditionStep, ExecutionVariable, FailStep, Join, JsonGet, ParameterBoolean, ParameterFloat, ParameterInteger, ParameterString,
  Pipeline, PipelineDefinition, PipelineExperimentConfig, PipelineValue, PipelineValueType, PropertyFile, RetryExceptionType, RetryPolicy,
  StepProperty,
} from '../../src';
import { compliantTemplate, testStack } from '../harness';
import { fixturesOf, pipelineOf, processing, stringParam } from './fixtures';
import { definitionOf, pipelineStatements, validateDefinition } from './util';

describe('PipelineDefinition', () => {
  describe('with every kind of value', () => {
    // GIVEN parameters of every type, execution variables, step properties, Join, JsonGet and every condition
    const stack = testStack();
    const f = fixturesOf(stack);
    const input = new ParameterString({ name: 'InputData', defaultValue: 's3://ml-data-123456789012/raw/', description: 'Raw data' });
    const count = new ParameterInteger({ name: 'InstanceCount', defaultValue: 2 });
    const threshold = new ParameterFloat({ name: 'Threshold', defaultValue: 0.75 });
    const strict = new ParameterBoolean({ name: 'Strict', defaultValue: true });
    const report = new PropertyFile({ name: 'Evaluation', outputName: 'evaluation', path: 'evaluation.json' });
    const prepare = processing('Prepare', f.jobRole, {
      instanceCount: count,
      containerArguments: [PipelineValue.fromString('--run'), ExecutionVariable.PIPELINE_EXECUTION_ID],
      inputs: [{ inputName: 'raw', source: input, destination: '/opt/ml/processing/input' }],
      outputs: [
        { outputName: 'train', source: '/opt/ml/processing/train', destination: Join.of([PipelineValue.fromString('s3://ml-data-123456789012/runs'), ExecutionVariable.PIPELINE_EXECUTION_ID, PipelineValue.fromString('train')], '/') },
        { outputName: 'evaluation', source: '/opt/ml/processing/evaluation', destination: PipelineValue.fromString('s3://ml-data-123456789012/evaluation') },
      ],
      propertyFiles: [report],
      retryPolicies: [new RetryPolicy({
        exceptionTypes: [RetryExceptionType.CAPACITY_ERROR, RetryExceptionType.STEP_THROTTLING],
        expireAfter: Duration.hours(2),
        interval: Duration.seconds(30),
        backoffRate: 1.5,
      })],
      cacheExpireAfter: Duration.days(30),
    });
    const evaluate = processing('Evaluate', f.jobRole, {
      inputs: [{ inputName: 'train', source: prepare.outputUri('train'), destination: '/opt/ml/processing/train' }],
      dependsOn: [prepare],
      displayName: 'Evaluate-model',
      description: 'Evaluates the model',
    });
    const metric = JsonGet.fromPropertyFile(prepare, report, 'metrics.f1.value', PipelineValueType.FLOAT);
    const fail = new FailStep('TooLow', { errorMessage: Join.of([PipelineValue.fromString('F1 is below'), threshold], ' ') });
    const check = new ConditionStep('Check', {
      conditions: [
        Condition.greaterThanOrEqualTo(metric, threshold),
        Condition.equalTo(strict, PipelineValue.fromBoolean(true)),
        Condition.negate(Condition.isIn(input, [PipelineValue.fromString('s3://a/'), PipelineValue.fromString('s3://b/')])),
        Condition.anyOf(
          Condition.lessThan(count, PipelineValue.fromInteger(10)),
          Condition.lessThanOrEqualTo(threshold, PipelineValue.fromFloat(0.9)),
          Condition.greaterThan(count, PipelineValue.fromInteger(0)),
        ),
      ],
      elseSteps: [fail],
    });
    pipelineOf(stack, [prepare, evaluate, check], [input, count, threshold, strict]);
    const template = compliantTemplate(stack);
    const def = definitionOf(stack, template);
    const step = (name: string) => def.Steps.find((s: any) => s.Name === name);

    test('passes every rule pack and validates against the extended schema', () => {
      expect(() => validateDefinition(def)).not.toThrow();
    });

    test('has the version, metadata and parameters of the SageMaker Python SDK', () => {
      expect(def.Version).toEqual('2020-12-01');
      expect(def.Metadata).toEqual({});
      expect(def.Parameters).toEqual([
        { Name: 'InputData', Type: 'String', DefaultValue: 's3://ml-data-123456789012/raw/', Description: 'Raw data' },
        { Name: 'InstanceCount', Type: 'Integer', DefaultValue: 2 },
        { Name: 'Threshold', Type: 'Float', DefaultValue: 0.75 },
        { Name: 'Strict', Type: 'Boolean', DefaultValue: true },
      ]);
      expect(def.PipelineExperimentConfig).toBeUndefined();
    });

    test('renders parameters, execution variables and Join as Get and Std:Join', () => {
      const args = step('Prepare').Arguments;
      expect(args.ProcessingResources.ClusterConfig.InstanceCount).toEqual({ Get: 'Parameters.InstanceCount' });
      expect(args.ProcessingInputs[0].S3Input.S3Uri).toEqual({ Get: 'Parameters.InputData' });
      expect(args.AppSpecification.ContainerArguments).toEqual(['--run', { Get: 'Execution.PipelineExecutionId' }]);
      expect(args.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toEqual({
        'Std:Join': { On: '/', Values: ['s3://ml-data-123456789012/runs', { Get: 'Execution.PipelineExecutionId' }, 'train'] },
      });
      expect(step('Check').Arguments.ElseSteps[0].Arguments.ErrorMessage).toEqual({ 'Std:Join': { On: ' ', Values: ['F1 is below', { Get: 'Parameters.Threshold' }] } });
    });

    test('renders step properties, property files and JsonGet', () => {
      expect(step('Evaluate').Arguments.ProcessingInputs[0].S3Input.S3Uri).toEqual({ Get: "Steps.Prepare.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
      expect(step('Prepare').PropertyFiles).toEqual([{ PropertyFileName: 'Evaluation', OutputName: 'evaluation', FilePath: 'evaluation.json' }]);
      expect(step('Check').Arguments.Conditions[0].LeftValue).toEqual({
        'Std:JsonGet': { PropertyFile: { Get: 'Steps.Prepare.PropertyFiles.Evaluation' }, Path: 'metrics.f1.value' },
      });
    });

    test('renders every condition type as the SDK does', () => {
      const [gte, eq, not, or] = step('Check').Arguments.Conditions;
      expect(gte).toMatchObject({ Type: 'GreaterThanOrEqualTo', RightValue: { Get: 'Parameters.Threshold' } });
      expect(eq).toEqual({ Type: 'Equals', LeftValue: { Get: 'Parameters.Strict' }, RightValue: true });
      expect(not).toEqual({ Type: 'Not', Condition: { Type: 'In', QueryValue: { Get: 'Parameters.InputData' }, Values: ['s3://a/', 's3://b/'] } });
      expect(or.Type).toEqual('Or');
      expect(or.Conditions.map((c: any) => c.Type)).toEqual(['LessThan', 'LessThanOrEqualTo', 'GreaterThan']);
      expect(step('Check').Arguments.IfSteps).toEqual([]);
      expect(step('Check').Arguments.ElseSteps[0]).toMatchObject({ Name: 'TooLow', Type: 'Fail' });
    });

    test('emits DependsOn only for explicit dependencies', () => {
      expect(step('Evaluate').DependsOn).toEqual(['Prepare']);
      expect(step('Check').DependsOn).toBeUndefined();
      expect(step('Evaluate')).toMatchObject({ DisplayName: 'Evaluate-model', Description: 'Evaluates the model' });
    });

    test('renders retry policies with a list of exception types, and the cache config', () => {
      expect(step('Prepare').RetryPolicies).toEqual([{
        ExceptionType: ['SageMaker.CAPACITY_ERROR', 'Step.THROTTLING'], IntervalSeconds: 30, BackoffRate: 1.5, ExpireAfterMin: 120,
      }]);
      expect(step('Prepare').CacheConfig).toEqual({ Enabled: true, ExpireAfter: 'P30D' });
    });

    test('lets the pipeline role read the property file output only when it can name the bucket', () => {
      // the outputs here are plain strings: no S3 statement is derived, only the key to decrypt them
      const statements = pipelineStatements(template);
      expect(statements.map((s) => s.Sid)).not.toContain('ReadStepResults');
      expect(statements.find((s) => s.Sid === 'DecryptStepResults')).toMatchObject({ Action: 'kms:Decrypt' });
    });
  });

  describe('with an experiment configuration', () => {
    const stack = testStack();
    const f = fixturesOf(stack);
    new Pipeline(stack, 'Pipeline', {
      subnets: f.subnets,
      securityGroups: f.securityGroups,
      volumeKey: f.key,
      definition: new PipelineDefinition({ steps: [processing('Prepare', f.jobRole)], experimentConfig: PipelineExperimentConfig.pipelineNameAndExecutionId() }),
    });
    const template = compliantTemplate(stack);

    test('renders PipelineExperimentConfig with the execution variables', () => {
      const def = definitionOf(stack, template);
      expect(def.PipelineExperimentConfig).toEqual({ ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } });
      validateDefinition(def);
    });

    test('lets the pipeline role record experiments', () => {
      expect(pipelineStatements(template)).toContainEqual(expect.objectContaining({
        Sid: 'RecordExperiments',
        Action: expect.arrayContaining(['sagemaker:CreateExperiment', 'sagemaker:CreateTrial']),
      }));
    });
  });

  describe('validation', () => {
    const build = (steps: any[], parameters: any[] = []) => {
      const stack = testStack();
      return () => pipelineOf(stack, steps, parameters);
    };
    const role = () => fixturesOf(testStack()).jobRole;

    test('rejects invalid, too long and duplicate step names', () => {
      const r = role();
      expect(build([processing('bad name', r)])).toThrow(/step name must be 1-64 letters, digits, hyphens or underscores, got 'bad name'/);
      expect(build([processing('a'.repeat(65), r)])).toThrow(/step name must be 1-64/);
      expect(build([processing('Same', r), new FailStep('Same')])).toThrow(/step name 'Same' is used by two different steps/);
    });

    test('rejects a step used twice', () => {
      const fail = new FailStep('Fail');
      expect(build([fail, fail])).toThrow(/step 'Fail' is used more than once/);
      expect(build([fail, new ConditionStep('Check', { conditions: [Condition.equalTo(PipelineValue.fromInteger(1), PipelineValue.fromInteger(1))], ifSteps: [fail] })]))
        .toThrow(/step 'Fail' is used more than once/);
    });

    test('rejects references to steps and parameters outside the definition', () => {
      const r = role();
      const outside = processing('Outside', r, { outputs: [{ outputName: 'out', source: '/opt/ml/processing/out', destination: PipelineValue.fromString('s3://b/o') }] });
      const undeclared = new ParameterString({ name: 'Undeclared' });
      const reader = processing('Reader', r, { inputs: [{ inputName: 'in', source: outside.outputUri('out'), destination: '/opt/ml/processing/in' }], dependsOn: [new FailStep('Ghost')] });
      const user = processing('User', r, { image: undeclared });
      expect(build([reader, user])).toThrow(/step 'Reader' refers to step 'Outside', which is not in the pipeline definition[\s\S]*step 'User' uses parameter 'Undeclared', which is not declared[\s\S]*step 'Reader' depends on step 'Ghost', which is not in the pipeline definition/);
    });

    test('rejects parameters of the wrong type, naming the field and the parameter', () => {
      const count = new ParameterInteger({ name: 'Count', defaultValue: 1 });
      const flag = new ParameterBoolean({ name: 'Flag' });
      const step = processing('Prepare', role(), { image: count });
      const check = new ConditionStep('Check', { conditions: [Condition.greaterThan(flag, PipelineValue.fromInteger(1))], elseSteps: [new FailStep('F')] });
      expect(build([step, check], [count, flag])).toThrow(/step 'Prepare': image expects a String value, got Integer parameter 'Count'[\s\S]*GreaterThan cannot order booleans, got Boolean parameter 'Flag'/);
    });

    test('rejects a parameter declared with another type than it is used with', () => {
      const declared = new ParameterInteger({ name: 'Size' });
      const used = new ParameterString({ name: 'Size' });
      expect(build([processing('Prepare', role(), { image: used })], [declared])).toThrow(/uses parameter 'Size' as String, but it is declared as Integer/);
    });

    test('rejects cycles, naming the steps', () => {
      const r = role();
      const a = processing('A', r, { outputs: [{ outputName: 'o', source: '/opt/ml/processing/o', destination: PipelineValue.fromString('s3://b/a') }] });
      const b = processing('B', r, {
        inputs: [{ inputName: 'i', source: a.outputUri('o'), destination: '/opt/ml/processing/i' }],
        outputs: [{ outputName: 'o', source: '/opt/ml/processing/o', destination: PipelineValue.fromString('s3://b/b') }],
      });
      a.addDependsOn(b);
      expect(build([a, b])).toThrow(/the steps form a cycle: (A -> B -> A|B -> A -> B)/);
    });

    test('rejects nested condition steps', () => {
      const always = Condition.equalTo(PipelineValue.fromInteger(1), PipelineValue.fromInteger(1));
      const inner = new ConditionStep('Inner', { conditions: [always], ifSteps: [new FailStep('F')] });
      expect(build([new ConditionStep('Outer', { conditions: [always], ifSteps: [inner] })])).toThrow(/condition steps cannot be nested, but 'Inner' is in a branch/);
    });

    test('rejects nested functions in Join, and an empty In', () => {
      const nested = Join.of([Join.of([PipelineValue.fromString('a')])]);
      expect(build([new FailStep('F', { errorMessage: nested })])).toThrow(/Join values must be literals, parameters, execution variables or step properties, got Join function/);
      expect(build([new ConditionStep('C', { conditions: [Condition.isIn(PipelineValue.fromString('a'), [])], ifSteps: [new FailStep('F')] })]))
        .toThrow(/In needs at least one value/);
    });

    test('rejects invalid and duplicate parameters', () => {
      const bad = new ParameterString({ name: 'has space' });
      const fraction = new ParameterInteger({ name: 'Fraction', defaultValue: 0.5 });
      expect(build([new FailStep('F')], [bad, fraction, stringParam('Twice'), stringParam('Twice')]))
        .toThrow(/parameter name must be 1-64 letters[\s\S]*defaultValue must be an integer, got 0.5[\s\S]*parameter name 'Twice' is declared twice/);
    });

    test('rejects retry policies without exactly one limit', () => {
      const step = processing('P', role(), { retryPolicies: [new RetryPolicy({ exceptionTypes: [RetryExceptionType.JOB_INTERNAL_ERROR] }), new RetryPolicy({ exceptionTypes: [], maxAttempts: 30 })] });
      expect(build([step])).toThrow(/give exactly one of maxAttempts and expireAfter[\s\S]*exceptionTypes must not be empty[\s\S]*maxAttempts must be an integer between 1 and 20, got 30/);
    });

    test('reports every problem at once', () => {
      expect(build([processing('bad name', role()), new FailStep('F'), new FailStep('F')])).toThrow(/Pipeline 'TestStack\/Pipeline' has invalid props:\n  - step name must be[\s\S]*\n  - step name 'F' is used by two different steps/);
    });

    test('rejects values that cannot be what they claim, and unknown outputs', () => {
      expect(() => PipelineValue.fromInteger(1.5)).toThrow(/expected an integer, got 1.5/);
      const step = processing('P', role());
      expect(() => step.outputUri('missing')).toThrow(/ProcessingStep 'P' has no output named 'missing' \(outputs: none\)/);
      expect(() => StepProperty.of(step, '.Bad', PipelineValueType.STRING)).toThrow(/path must be a non-empty property path/);
      expect(() => Join.of([])).toThrow(/values must not be empty/);
    });

    test('rejects an empty definition', () => {
      expect(build([])).toThrow(/the definition has no steps/);
    });
  });
});

describe('step properties', () => {
  test('every typed property renders the path of the step\'s Describe response, with its type', () => {
    const stack = testStack();
    const f = fixturesOf(stack);
    const s3 = PipelineValue.fromString('s3://ml-data-123456789012/x');
    const image = PipelineValue.fromString('image');
    const it = PipelineValue.fromString('ml.m5.xlarge');
    const p = processing('P', f.jobRole);
    const t = new TrainingStep('T', { role: f.jobRole, image, instanceType: it, inputs: [{ channelName: 'c', s3Uri: s3 }], outputPath: s3 });
    const h = new TuningStep('H', {
      role: f.jobRole,
      image,
      instanceType: it,
      inputs: [{ channelName: 'c', s3Uri: s3 }],
      outputPath: s3,
      objectiveMetricName: 'm',
      objectiveType: TuningObjectiveType.MINIMIZE,
      maxNumberOfTrainingJobs: 1,
      maxParallelTrainingJobs: 1,
    });
    const a = new AutoMLStep('A', {
      role: f.jobRole, problemType: AutoMLProblemType.REGRESSION, objectiveMetric: AutoMLObjectiveMetric.MSE, targetAttribute: 'y', trainingData: s3, outputPath: s3,
    });
    const m = new ModelStep('M', { role: f.modelRole, container: { image } });
    const r = new RegisterModelStep('R', { modelPackageGroup: ModelPackageGroup.fromModelPackageGroupName(stack, 'G', 'g'), containers: [{ image }], contentTypes: ['a'], responseTypes: ['b'] });
    const x = new TransformStep('X', { modelName: m.modelName, instanceType: it, inputS3Uri: s3, outputPath: s3 });
    const q = new QualityCheckStep('Q', {
      role: f.jobRole,
      image,
      instanceType: it,
      checkType: QualityCheckType.DATA_QUALITY,
      baselineDataset: s3,
      datasetFormat: CheckDatasetFormat.parquet(),
      outputS3Uri: s3,
    });
    const c = new ClarifyCheckStep('C', { role: f.jobRole, image, instanceType: it, checkType: ClarifyCheckType.DATA_BIAS, analysisConfig: s3, dataset: s3, outputS3Uri: s3 });
    const k = new ConditionStep('K', { conditions: [Condition.equalTo(s3, s3)] });
    const paths = [
      [p.processingJobName, 'Steps.P.ProcessingJobName', 'String'],
      [p.processingJobArn, 'Steps.P.ProcessingJobArn', 'String'],
      [t.modelArtifactsS3Uri, 'Steps.T.ModelArtifacts.S3ModelArtifacts', 'String'],
      [t.trainingJobName, 'Steps.T.TrainingJobName', 'String'],
      [t.finalMetricValue('validation:auc'), "Steps.T.FinalMetricDataList['validation:auc'].Value", 'Float'],
      [h.bestTrainingJobName, 'Steps.H.BestTrainingJob.TrainingJobName', 'String'],
      [h.bestObjectiveValue, 'Steps.H.BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value', 'Float'],
      [a.autoMLJobName, 'Steps.A.AutoMLJobName', 'String'],
      [a.bestCandidateName, 'Steps.A.BestCandidate.CandidateName', 'String'],
      [a.bestCandidateObjectiveMetricValue, 'Steps.A.BestCandidate.FinalAutoMLJobObjectiveMetric.Value', 'Float'],
      [a.bestCandidateModelDataUrl, 'Steps.A.BestCandidate.InferenceContainers[0].ModelDataUrl', 'String'],
      [m.modelName, 'Steps.M.ModelName', 'String'],
      [r.modelPackageArn, 'Steps.R.ModelPackageArn', 'String'],
      [x.outputS3Uri, 'Steps.X.TransformOutput.S3OutputPath', 'String'],
      [q.calculatedBaselineConstraints, 'Steps.Q.CalculatedBaselineConstraints', 'String'],
      [q.calculatedBaselineStatistics, 'Steps.Q.CalculatedBaselineStatistics', 'String'],
      [q.baselineUsedForDriftCheckConstraints, 'Steps.Q.BaselineUsedForDriftCheckConstraints', 'String'],
      [q.baselineUsedForDriftCheckStatistics, 'Steps.Q.BaselineUsedForDriftCheckStatistics', 'String'],
      [c.calculatedBaselineConstraints, 'Steps.C.CalculatedBaselineConstraints', 'String'],
      [c.baselineUsedForDriftCheckConstraints, 'Steps.C.BaselineUsedForDriftCheckConstraints', 'String'],
      [k.outcome, 'Steps.K.Outcome', 'Boolean'],
    ] as const;
    for (const [value, path, type] of paths) {
      expect(value._toJson()).toEqual({ Get: path });
      expect(value.type).toEqual(type);
      expect(value.describe()).toContain(path.split('.').slice(2).join('.'));
    }
    expect(ExecutionVariable.START_DATETIME.describe()).toEqual("execution variable 'StartDateTime'");
    expect(JsonGet.fromS3Uri(Join.of([s3, ExecutionVariable.PIPELINE_EXECUTION_ID], '/'), 'metrics.auc', PipelineValueType.FLOAT, p)._toJson())
      .toEqual({ 'Std:JsonGet': { S3Uri: { 'Std:Join': { On: '/', Values: ['s3://ml-data-123456789012/x', { Get: 'Execution.PipelineExecutionId' }] } }, Path: 'metrics.auc' } });
  });
});
