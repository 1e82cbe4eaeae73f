import { EmployeeRetentionPipelineStack } from '../../examples/pipelines';
import { compliantTemplate, TEST_ENV, testApp } from '../harness';
import { definitionOf, pipelineStatements, statement, validateDefinition } from './util';

describe('EmployeeRetentionPipelineStack (examples/pipelines.ts)', () => {
  const stack = new EmployeeRetentionPipelineStack(testApp(), 'EmployeeRetentionPipeline', { env: TEST_ENV });
  const template = compliantTemplate(stack);
  const def = definitionOf(stack, template);
  const step = (name: string) => def.Steps.find((s: any) => s.Name === name);

  test('passes every rule pack and validates against the extended schema', () => {
    expect(() => validateDefinition(def)).not.toThrow();
  });

  test('has parameters for the input data and the metric threshold', () => {
    expect(def.Parameters.map((p: any) => [p.Name, p.Type])).toEqual([['InputData', 'String'], ['MinimumF1', 'Float']]);
  });

  test('splits the data, runs AutoML in ensembling mode, creates the best model and checks its F1', () => {
    expect(def.Steps.map((s: any) => [s.Name, s.Type])).toEqual([
      ['SplitData', 'Processing'], ['AutoML', 'AutoML'], ['BestModel', 'Model'], ['CheckF1', 'Condition'],
    ]);
    expect(step('AutoML').Arguments.AutoMLJobConfig.Mode).toEqual('ENSEMBLING');
    expect(step('AutoML').Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toEqual({ Get: "Steps.SplitData.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
    expect(step('BestModel').Arguments.PrimaryContainer.Image).toEqual({ Get: 'Steps.AutoML.BestCandidate.InferenceContainers[0].Image' });
    expect(step('CheckF1').Arguments.Conditions).toEqual([{
      Type: 'GreaterThanOrEqualTo',
      LeftValue: { Get: 'Steps.AutoML.BestCandidate.FinalAutoMLJobObjectiveMetric.Value' },
      RightValue: { Get: 'Parameters.MinimumF1' },
    }]);
  });

  test('registers for manual approval when the check passes, and fails otherwise', () => {
    const [register] = step('CheckF1').Arguments.IfSteps;
    expect(register).toMatchObject({ Name: 'RegisterModel', Type: 'RegisterModel', Arguments: { ModelPackageGroupName: 'employee-retention', ModelApprovalStatus: 'PendingManualApproval' } });
    const [fail] = step('CheckF1').Arguments.ElseSteps;
    expect(fail).toMatchObject({ Name: 'F1BelowThreshold', Type: 'Fail' });
  });

  test('runs every job in the network with the data key, and lets the role register only for approval', () => {
    expect(step('SplitData').Arguments.NetworkConfig).toMatchObject({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true });
    expect(step('AutoML').Arguments.AutoMLJobConfig.SecurityConfig.VpcConfig.Subnets).toHaveLength(2);
    const statements = pipelineStatements(template);
    expect(statement(statements, 'RegisterIn0').Condition).toEqual({ StringEquals: { 'sagemaker:ModelApprovalStatus': ['PendingManualApproval'] } });
    expect(JSON.stringify(statement(statements, 'CreateAutoMLJobs').Resource)).toContain(':automl-job/emp-retention-*');
  });

  test('creates the network endpoints its jobs call, and a weekly schedule', () => {
    const endpoints = JSON.stringify(template.findResources('AWS::EC2::VPCEndpoint'));
    for (const service of ['sagemaker.api', 'sagemaker.runtime', 'logs', 'monitoring', 'sts', 'kms']) expect(endpoints).toContain(`.${service}`);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 3 ? * MON *)' });
  });
});
