import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import {
  AutoMLObjectiveMetric, AutoMLProblemType, AutoMLStep, Condition, ConditionStep, ExecutionVariable, FailStep, Join, ModelApprovalStatus,
  ModelPackageGroup, ParameterFloat, ParameterString, Pipeline, PipelineDefinition, PipelineStepRole, PipelineValue, PlatformKeys,
  PlatformNetwork, ProcessingStep, RetryExceptionType, RetryPolicy, SecureBucket,
} from '../src';

/**
 * An employee-retention pipeline: split the HR data, let SageMaker Autopilot (AutoML, ensembling)
 * find the best binary classifier for `left`, create a SageMaker model from the best candidate, and
 * register it for manual approval when its F1 score reaches the threshold, failing the execution
 * otherwise. It runs weekly, in its own VPC-only network, with its own keys and data bucket.
 */
export class EmployeeRetentionPipelineStack extends Stack {
  public readonly pipeline: Pipeline;
  public readonly models: ModelPackageGroup;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const keys = new PlatformKeys(this, 'Keys', { aliasPrefix: 'employee-retention' });
    const network = new PlatformNetwork(this, 'Network', { flowLogsEncryptionKey: keys.logsKey });
    const data = new SecureBucket(this, 'Data', { encryptionKey: keys.dataKey });
    const jobSecurityGroup = new ec2.SecurityGroup(this, 'JobSecurityGroup', {
      vpc: network.vpc,
      description: 'Jobs of the employee-retention pipeline',
      allowAllOutbound: false,
    });
    jobSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');
    jobSecurityGroup.connections.allowInternally(ec2.Port.allTcp(), 'Traffic between the instances of a distributed job');
    network.allowEndpointAccessFrom(jobSecurityGroup);

    const jobRole = new PipelineStepRole(this, 'JobRole', { network, securityGroups: [jobSecurityGroup], volumeKey: keys.dataKey });
    const modelRole = new PipelineStepRole(this, 'ModelRole', { network, securityGroups: [jobSecurityGroup], volumeKey: keys.dataKey });
    this.models = new ModelPackageGroup(this, 'Models', {
      modelPackageGroupName: 'employee-retention',
      description: 'Employee-retention classifiers (predicts the "left" column)',
    });

    // parameters: the input data and the metric threshold
    const inputData = new ParameterString({
      name: 'InputData',
      defaultValue: `s3://${data.bucketName}/employee-retention/raw/`,
      description: 'S3 prefix of the HR data (CSV with a header row and a "left" column)',
    });
    const minimumF1 = new ParameterFloat({ name: 'MinimumF1', defaultValue: 0.8, description: 'The F1 score a model needs to be registered' });

    // split the data into training and validation sets, under a prefix per execution
    const runPrefix = (name: string) => Join.of([PipelineValue.fromS3Location(data, 'employee-retention/runs'), ExecutionVariable.PIPELINE_EXECUTION_ID, PipelineValue.fromString(name)], '/');
    const split = new ProcessingStep('SplitData', {
      role: jobRole.role,
      image: PipelineValue.fromString(`${this.account}.dkr.ecr.${this.region}.amazonaws.com/employee-retention-split:1.0`),
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      containerEntrypoint: ['python3', '/opt/program/split.py', '--validation-fraction', '0.2'],
      inputs: [{ inputName: 'raw', source: inputData, destination: '/opt/ml/processing/input' }],
      outputs: [
        { outputName: 'train', source: '/opt/ml/processing/train', destination: runPrefix('train') },
        { outputName: 'validation', source: '/opt/ml/processing/validation', destination: runPrefix('validation') },
      ],
      maxRuntime: Duration.hours(1),
    });

    // AutoML in ensembling mode, the only mode a pipeline step runs
    const automl = new AutoMLStep('AutoML', {
      role: jobRole.role,
      problemType: AutoMLProblemType.BINARY_CLASSIFICATION,
      objectiveMetric: AutoMLObjectiveMetric.F1,
      targetAttribute: 'left',
      trainingData: split.outputUri('train'),
      validationData: split.outputUri('validation'),
      outputPath: runPrefix('automl'),
      maxCandidates: 20,
      maxAutoMLJobRuntime: Duration.hours(4),
      retryPolicies: [new RetryPolicy({ exceptionTypes: [RetryExceptionType.CAPACITY_ERROR], maxAttempts: 3, interval: Duration.minutes(5) })],
    });

    // the best candidate as a SageMaker model, and as a model package when it is good enough
    const bestModel = automl.toModelStep('BestModel', { role: modelRole.role });
    const register = automl.toRegisterModelStep('RegisterModel', {
      modelPackageGroup: this.models,
      approvalStatus: ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
      inferenceInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
      transformInstanceTypes: ['ml.m5.xlarge'],
      modelPackageDescription: 'Best Autopilot candidate for employee retention',
    });
    const tooLow = new FailStep('F1BelowThreshold', {
      errorMessage: Join.of([PipelineValue.fromString('The best candidate\'s F1 score is below MinimumF1 ='), minimumF1], ' '),
    });
    const check = new ConditionStep('CheckF1', {
      conditions: [Condition.greaterThanOrEqualTo(automl.bestCandidateObjectiveMetricValue, minimumF1)],
      ifSteps: [register],
      elseSteps: [tooLow],
    });

    this.pipeline = new Pipeline(this, 'Pipeline', {
      pipelineName: 'employee-retention',
      description: 'Splits the HR data, runs Autopilot and registers the best model for approval',
      definition: new PipelineDefinition({ parameters: [inputData, minimumF1], steps: [split, automl, bestModel, check] }),
      network,
      securityGroups: [jobSecurityGroup],
      volumeKey: keys.dataKey,
      outputKey: keys.dataKey,
      jobPrefix: 'emp-retention',
      maxParallelExecutionSteps: 2,
    });
    this.pipeline.addSchedule('Weekly', {
      schedule: scheduler.ScheduleExpression.cron({ weekDay: 'MON', hour: '3', minute: '0' }),
      description: 'Retrain the employee-retention model every Monday',
    });
  }
}
