import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import {
  DefinitionStorage, FailStep, InterfaceEndpointService, ParameterString, Pipeline, PipelineDefinition, PipelineValue, ProcessingStep,
} from '../../src';
import { ManagedPolicyRole } from '../../src/pipelines/private/iam';
import { acknowledge } from '../../src/private/acknowledgments';
import { compliantTemplate, testStack } from '../harness';
import { fixturesOf, IMAGE, pipelineOf, processing } from './fixtures';
import { definitionOf, FakeNetwork, flatten, pipelineStatements, statement, validateDefinition } from './util';

/** Processing steps with enough environment to make the definition larger than `bytes`. */
function largeSteps(stack: Stack, bytes: number): ProcessingStep[] {
  const f = fixturesOf(stack);
  const steps: ProcessingStep[] = [];
  const environment: { [name: string]: PipelineValue } = {};
  for (let i = 0; i < 40; i++) environment[`SETTING_${i}`] = PipelineValue.fromString('x'.repeat(60));
  for (let size = 0, i = 0; size < bytes; size += 3000, i++) steps.push(processing(`Step${i}`, f.jobRole, { environment }));
  return steps;
}

describe('Pipeline', () => {
  describe('with a platform network and no keys', () => {
    // GIVEN only a network: the pipeline creates the job security group and the job key
    const stack = testStack();
    const f = fixturesOf(stack);
    const network = new FakeNetwork(stack, 'Network');
    const pipeline = new Pipeline(stack, 'Pipeline', { network, definition: new PipelineDefinition({ steps: [processing('Prepare', f.jobRole)] }) });
    const template = compliantTemplate(stack);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(pipeline.definitionStorage).toEqual(DefinitionStorage.INLINE);
      validateDefinition(definitionOf(stack, template));
    });

    test('creates a job security group when none is given: HTTPS out, all TCP between its members, admitted to the endpoints', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        VpcId: 'vpc-0123456789abcdef0',
        SecurityGroupEgress: Match.arrayWith([Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 });
      expect(network.admitted).toEqual([pipeline.jobSecurityGroup]);
      expect(definitionOf(stack, template).Steps[0].Arguments.NetworkConfig.VpcConfig.Subnets).toEqual(network.subnetIds);
    });

    test('declares the interface endpoints its jobs call', () => {
      expect(network.endpoints).toEqual(expect.arrayContaining([
        InterfaceEndpointService.LOGS, InterfaceEndpointService.MONITORING, InterfaceEndpointService.STS, InterfaceEndpointService.KMS,
      ]));
    });

    test('creates a job key when none is given: rotated and retained', () => {
      template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(pipeline.jobKey).toBeDefined();
    });

    test('has an execution role SageMaker assumes, with only a customer-managed policy', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
      });
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('PipelineRole') }] });
    });

    test('creates the pipeline with the role and the inline definition, after the role policy', () => {
      template.hasResourceProperties('AWS::SageMaker::Pipeline', { RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('PipelineRole'), 'Arn'] } });
      const resource = template.findResources('AWS::SageMaker::Pipeline');
      const [id] = Object.keys(resource);
      expect(resource[id].Properties.PipelineName).toMatch(/^[a-zA-Z0-9-]+$/);
      expect(resource[id].DependsOn).toEqual([expect.stringMatching(/PipelineRolePolicy/)]);
      expect(resource[id].Properties.PipelineDefinition.PipelineDefinitionBody).toBeDefined();
    });

    test('tags only on create, and only what it creates', () => {
      expect(statement(pipelineStatements(template), 'TagOnCreate')).toMatchObject({
        Action: 'sagemaker:AddTags',
        Condition: { StringEquals: { 'sagemaker:TaggingAction': ['CreateProcessingJob'] } },
      });
    });
  });

  describe('uses the provided name, job prefix, keys, subnets and security groups', () => {
    const stack = testStack();
    const pipeline = pipelineOf(stack, [processing('Prepare', fixturesOf(stack).jobRole)], [], {
      pipelineName: 'employee-retention',
      jobPrefix: 'emp-ret',
      displayName: 'Employee-retention',
      description: 'Trains the retention model',
      maxParallelExecutionSteps: 4,
    });
    const template = compliantTemplate(stack);

    test('passes every rule pack and validates against the extended schema', () => {
      expect(pipeline.jobPrefix).toEqual('emp-ret');
      validateDefinition(definitionOf(stack, template));
    });

    test('sets the CloudFormation properties', () => {
      template.hasResourceProperties('AWS::SageMaker::Pipeline', {
        PipelineName: 'employee-retention',
        PipelineDisplayName: 'Employee-retention',
        PipelineDescription: 'Trains the retention model',
        ParallelismConfiguration: { MaxParallelExecutionSteps: 4 },
      });
    });

    test('names jobs and scopes the role with the job prefix', () => {
      expect(definitionOf(stack, template).Steps[0].Arguments.ProcessingJobName).toEqual('emp-ret-prepare');
      expect(JSON.stringify(statement(pipelineStatements(template), 'CreateProcessingJobs').Resource)).toContain(':processing-job/emp-ret-*');
    });

    test('creates no key and no security group', () => {
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
      expect(pipeline.jobKey).toBeUndefined();
      expect(pipeline.jobSecurityGroup).toBeUndefined();
    });
  });

  describe('without job steps', () => {
    // GIVEN a network but only steps that run no job
    const stack = testStack();
    const network = new FakeNetwork(stack, 'Network');
    const pipeline = new Pipeline(stack, 'Pipeline', { network, definition: new PipelineDefinition({ steps: [new FailStep('Stop')] }) });
    const template = compliantTemplate(stack);

    test('creates no job key, no job security group, and declares no endpoints', () => {
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
      expect(pipeline.jobKey).toBeUndefined();
      expect(network.endpoints).toEqual([]);
    });

    test('its role may only describe the pipeline (IAM rejects an empty policy)', () => {
      expect(pipelineStatements(template).map((s) => s.Action)).toEqual(['sagemaker:DescribePipeline']);
      validateDefinition(definitionOf(stack, template));
    });
  });

  describe('with a definition above the inline limit', () => {
    // GIVEN a large definition whose values are all known at synth (imported by literal ARNs and IDs)
    const stack = testStack();
    const pipeline = pipelineOf(stack, largeSteps(stack, Pipeline.INLINE_DEFINITION_LIMIT + 10_000));
    const template = compliantTemplate(stack);

    test('stores it in S3 as an asset', () => {
      expect(pipeline.definitionSize).toBeGreaterThan(Pipeline.INLINE_DEFINITION_LIMIT);
      expect(pipeline.definitionStorage).toEqual(DefinitionStorage.S3);
      template.hasResourceProperties('AWS::SageMaker::Pipeline', {
        PipelineDefinition: { PipelineDefinitionS3Location: { Bucket: Match.anyValue(), Key: Match.stringLikeRegexp('\\.json$') } },
      });
    });

    test('the stored definition is complete and validates against the extended schema', () => {
      const def = definitionOf(stack, template);
      expect(def.Steps.length).toBeGreaterThan(20);
      expect(def.Steps[0].Arguments.RoleArn).toEqual('arn:aws:iam::123456789012:role/ml-job-role');
      expect(() => validateDefinition(def)).not.toThrow();
    });
  });

  describe('with a large definition that holds deploy-time values', () => {
    const stack = testStack();
    const f = fixturesOf(stack);
    const role = new iam.Role(stack, 'StepRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const steps = largeSteps(stack, Pipeline.INLINE_DEFINITION_LIMIT + 10_000);
    steps.push(new ProcessingStep('UsesStackRole', { role, image: PipelineValue.fromString(IMAGE), instanceType: PipelineValue.fromString('ml.m5.xlarge') }));
    const pipeline = pipelineOf(stack, steps);
    const template = compliantTemplate(stack);
    void f;

    test('keeps it inline and says why', () => {
      expect(pipeline.definitionStorage).toEqual(DefinitionStorage.INLINE);
      template.hasResourceProperties('AWS::SageMaker::Pipeline', { PipelineDefinition: { PipelineDefinitionBody: Match.anyValue() } });
      const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Pipeline', Match.anyValue());
      expect(JSON.stringify(warnings)).toMatch(/holds values known only at deploy time \(\/Steps\[\d+\]\/Arguments\/RoleArn[^)]*\), which an S3 asset cannot: it stays inline/);
    });

    test('validates against the extended schema', () => {
      validateDefinition(definitionOf(stack, template));
    });

    test('DefinitionStorage.S3 with deploy-time values is an error naming them', () => {
      const other = testStack();
      const otherRole = new iam.Role(other, 'R', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
      expect(() => pipelineOf(other, [processing('P', otherRole)], [], { definitionStorage: DefinitionStorage.S3 }))
        .toThrow(/definitionStorage is DefinitionStorage.S3, so it must be stored in S3 as an asset, which is written at synth; these values are only known at deploy time: \/Steps\[0\]\/Arguments\/RoleArn/);
    });
  });

  describe('grants, metrics, schedules and imports', () => {
    const stack = testStack();
    const pipeline = pipelineOf(stack, [processing('Prepare', fixturesOf(stack).jobRole)], [new ParameterString({ name: 'Mode', defaultValue: 'full' })]);
    const operator = new ManagedPolicyRole(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    pipeline.grantStartPipelineExecution(operator);
    pipeline.grantRead(operator);
    pipeline.grantStopExecution(operator);
    pipeline.grantSendCallback(operator);
    acknowledge(operator.policy, 'PIPELINE_EXECUTIONS', [`Resource::${flatten(stack.resolve(`${pipeline.pipelineArn}/execution/*`))}`]);
    const schedule = pipeline.addSchedule('Nightly', { schedule: scheduler.ScheduleExpression.cron({ hour: '2', minute: '0' }), parameters: { Mode: 'incremental' } });
    const template = compliantTemplate(stack);
    const operatorStatements = () => Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles).includes('Operator')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);

    test('validates against the extended schema', () => {
      validateDefinition(definitionOf(stack, template));
    });

    test('grants start on the pipeline and read, stop and callbacks on its executions', () => {
      const actions = operatorStatements().flatMap((s: any) => [].concat(s.Action));
      expect(actions.sort()).toEqual([
        'sagemaker:DescribePipeline', 'sagemaker:DescribePipelineDefinitionForExecution', 'sagemaker:DescribePipelineExecution',
        'sagemaker:ListPipelineExecutionSteps', 'sagemaker:ListPipelineExecutions', 'sagemaker:ListPipelineParametersForExecution',
        'sagemaker:RetryPipelineExecution', 'sagemaker:SendPipelineExecutionStepFailure', 'sagemaker:SendPipelineExecutionStepSuccess',
        'sagemaker:StartPipelineExecution', 'sagemaker:StopPipelineExecution',
      ]);
    });

    test('metrics are in the ModelBuildingPipeline namespace, by pipeline name', () => {
      const metric = pipeline.metricExecutionFailed();
      expect(metric.namespace).toEqual('AWS/Sagemaker/ModelBuildingPipeline');
      expect(metric.metricName).toEqual('ExecutionFailed');
      expect(stack.resolve(metric.dimensions)).toEqual({ PipelineName: stack.resolve(pipeline.pipelineName) });
      expect(pipeline.metricExecutionDuration().statistic).toEqual('Average');
      expect([pipeline.metricExecutionStarted(), pipeline.metricExecutionSucceeded(), pipeline.metricExecutionStopped()].map((m) => m.metricName))
        .toEqual(['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionStopped']);
      const step = pipeline.metricStep('Prepare', 'StepFailed');
      expect(stack.resolve(step.dimensions)).toEqual({ PipelineName: stack.resolve(pipeline.pipelineName), StepName: 'Prepare' });
      expect(pipeline.metricStep('Prepare', 'StepDuration').statistic).toEqual('Average');
    });

    test('schedules executions with EventBridge Scheduler and parameters', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 2 * * ? *)',
        State: 'ENABLED',
        Target: { SageMakerPipelineParameters: { PipelineParameterList: [{ Name: 'Mode', Value: 'incremental' }] } },
      });
      expect(schedule.role).toBeDefined();
    });

    test('a schedule with a parameter the definition does not have is an error', () => {
      expect(() => pipeline.addSchedule('Bad', { schedule: scheduler.ScheduleExpression.rate(Duration.days(1)), parameters: { Nope: 'x' } }))
        .toThrow(/addSchedule\('Bad'\): 'Nope' is not a parameter of the definition \(parameters: Mode\)/);
    });

    test('imports a pipeline by name or ARN', () => {
      const byName = Pipeline.fromPipelineName(stack, 'ByName', 'churn');
      expect(byName.pipelineArn).toMatch(/:pipeline\/churn$/);
      const byArn = Pipeline.fromPipelineArn(stack, 'ByArn', 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn');
      expect(byArn.pipelineName).toEqual('churn');
      expect(byArn.pipelineRef.pipelineName).toEqual('churn');
    });
  });

  describe('with start on deploy', () => {
    const stack = testStack();
    const mode = new ParameterString({ name: 'Mode', defaultValue: 'full' });
    pipelineOf(stack, [processing('Prepare', fixturesOf(stack).jobRole)], [mode], { startExecutionOnDeploy: { parameters: { Mode: 'smoke-test' } } });
    const template = compliantTemplate(stack);

    test('passes every rule pack and validates against the extended schema', () => {
      template.resourceCountIs('Custom::SageMakerPlatformPipelineStarter', 1);
      validateDefinition(definitionOf(stack, template));
    });

    test('starts an execution with the parameters, again when the definition changes', () => {
      template.hasResourceProperties('Custom::SageMakerPlatformPipelineStarter', {
        PipelineName: { Ref: Match.stringLikeRegexp('Pipeline') },
        PipelineParameters: [{ Name: 'Mode', Value: 'smoke-test' }],
        StartOnUpdate: 'true',
        DefinitionHash: Match.stringLikeRegexp('^[0-9a-f]{64}$'),
      });
    });

    test('its handler may start exactly this pipeline', () => {
      const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).map((p: any) => JSON.stringify(p.Properties.PolicyDocument));
      expect(policies.some((p) => p.includes('sagemaker:StartPipelineExecution') && p.includes(':pipeline/'))).toBe(true);
    });

    test('an unknown parameter is an error', () => {
      const other = testStack();
      expect(() => pipelineOf(other, [processing('Prepare', fixturesOf(other).jobRole)], [], { startExecutionOnDeploy: { parameters: { Nope: 'x' } } }))
        .toThrow(/startExecutionOnDeploy.parameters: 'Nope' is not a parameter of the definition \(parameters: none\)/);
    });
  });

  describe('validation of props', () => {
    test('reports every invalid prop at once', () => {
      const stack = testStack();
      const network = new FakeNetwork(stack, 'Network');
      expect(() => pipelineOf(stack, [processing('P', fixturesOf(stack).jobRole)], [], {
        pipelineName: 'has_underscore', jobPrefix: 'Upper', maxParallelExecutionSteps: 0, network, displayName: '-x',
      })).toThrow(/pipelineName must be 1-256 letters, digits and hyphens[\s\S]*displayName must be[\s\S]*jobPrefix must be lower-case letters[\s\S]*maxParallelExecutionSteps must be an integer between 1 and 1000, got 0[\s\S]*give either network or subnets, not both/);
    });

    test('a job prefix longer than 16 characters is an error', () => {
      const stack = testStack();
      expect(() => pipelineOf(stack, [processing('P', fixturesOf(stack).jobRole)], [], { jobPrefix: 'a'.repeat(17) })).toThrow(/jobPrefix must be at most 16 characters, got 17/);
    });
  });
});

