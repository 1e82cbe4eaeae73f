import * as path from 'path';
import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import {
  AutoMLObjectiveMetric, AutoMLProblemType, AutoMLStep, Canvas, CanvasFeature, Condition, ConditionStep, DataWranglerFlow, DataWranglerOutput,
  DataWranglerStep, ExecutionVariable, FailStep, Join, MlflowTrackingServer, ModelApprovalStatus, ModelPackageGroup, ParameterFloat, Pipeline,
  PipelineDefinition, PipelineExperimentConfig, PipelineStepRole, PipelineValue, PlatformKeys, PlatformNetwork, ProcessingStep, SecureBucket,
  StudioDomain,
} from '../src';

/**
 * The employee-retention platform's low-code and experiment-tracking tools, in a VPC-only network:
 *
 * - a Studio domain where the people-analytics analyst uses SageMaker Canvas (her team's workspace in
 *   the platform bucket, batch predictions, and registration to the employee-retention model registry
 *   for approval) while the data scientist does not;
 * - a pipeline whose first step runs the Data Wrangler flow the analyst exported (`assets/employee-retention.flow`)
 *   to prepare the training data, then Autopilot (AutoML) finds the best classifier for `left`, a step
 *   reports the best candidate to the team's MLflow tracking server, and a good enough model is
 *   registered for approval;
 * - the MLflow tracking server (artifacts in the platform bucket) the data scientist and the reporting
 *   step may use, and no one else.
 */
export class EmployeeRetentionMlToolsStack extends Stack {
  public readonly domain: StudioDomain;
  public readonly canvas: Canvas;
  public readonly experiments: MlflowTrackingServer;
  public readonly pipeline: Pipeline;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    const keys = new PlatformKeys(this, 'Keys', { aliasPrefix: 'employee-retention-ml-tools' });
    const network = new PlatformNetwork(this, 'Network', { flowLogsEncryptionKey: keys.logsKey });
    const data = new SecureBucket(this, 'Data', { encryptionKey: keys.dataKey });
    const models = new ModelPackageGroup(this, 'Models', {
      modelPackageGroupName: 'employee-retention-ml-tools',
      description: 'Employee-retention classifiers from Canvas and from the AutoML pipeline',
    });

    // ---------- Studio: Canvas for the analyst only ----------
    this.domain = new StudioDomain(this, 'Studio', {
      network,
      storageKey: keys.studioKey,
      jobKey: keys.dataKey,
      customResourceLogsKey: keys.logsKey,
      // an example is meant to be deleted: `cdk destroy` deletes the apps, spaces, profiles and domain
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const analyst = this.domain.addUserProfile('analyst', { dataBuckets: [data], ownerEmail: 'analyst@example.com' });
    const scientistSignIn = new iam.Role(this, 'ScientistSignIn', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Signs the data scientist in to SageMaker Studio and the MLflow UI',
    });
    const scientist = this.domain.addUserProfile('scientist', { dataBuckets: [data], humanPrincipal: scientistSignIn });

    this.canvas = new Canvas(this, 'PeopleAnalyticsCanvas', {
      domain: this.domain,
      userProfiles: [analyst],
      workspaceBucket: data,
      workspacePrefix: 'canvas/people-analytics/',
      features: [CanvasFeature.MODEL_REGISTRATION, CanvasFeature.BATCH_PREDICTIONS],
      modelRegistry: models.node.defaultChild as sagemaker.CfnModelPackageGroup,
      customResourceLogsKey: keys.logsKey,
    });

    // ---------- experiment tracking ----------
    this.experiments = new MlflowTrackingServer(this, 'Experiments', {
      artifactBucket: data,
      trackingServerName: 'employee-retention',
      network,
      // an example is meant to be deleted; a real platform keeps its experiments' history (the default)
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.experiments.grantAccess(scientist.role);
    this.experiments.grantAccess(scientistSignIn);

    // ---------- the pipeline: Data Wrangler, AutoML, MLflow report, registration ----------
    const jobSecurityGroup = new ec2.SecurityGroup(this, 'JobSecurityGroup', {
      vpc: network.vpc,
      description: 'Jobs of the employee-retention ML tools pipeline',
      allowAllOutbound: false,
    });
    jobSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');
    jobSecurityGroup.connections.allowInternally(ec2.Port.allTcp(), 'Traffic between the instances of a distributed job');
    network.allowEndpointAccessFrom(jobSecurityGroup);
    const jobRole = new PipelineStepRole(this, 'JobRole', { network, securityGroups: [jobSecurityGroup], volumeKey: keys.dataKey });
    const modelRole = new PipelineStepRole(this, 'ModelRole', { network, securityGroups: [jobSecurityGroup], volumeKey: keys.dataKey });
    // only the reporting step talks to MLflow
    const reporterRole = new PipelineStepRole(this, 'ReporterRole', { network, securityGroups: [jobSecurityGroup], volumeKey: keys.dataKey });
    this.experiments.grantAccess(reporterRole.role);

    const runPrefix = (name: string) => Join.of([PipelineValue.fromS3Location(data, 'employee-retention/runs'), ExecutionVariable.PIPELINE_EXECUTION_ID, PipelineValue.fromString(name)], '/');
    const minimumF1 = new ParameterFloat({ name: 'MinimumF1', defaultValue: 0.8, description: 'The F1 score a model needs to be registered' });

    // the flow the analyst built in Data Wrangler: drop the ID, impute, one-hot encode, scale
    const flow = new DataWranglerFlow(this, 'PrepareFlow', { path: path.join(__dirname, 'assets', 'employee-retention.flow') });
    const prepare = new DataWranglerStep('PrepareTrainingData', {
      flow,
      role: jobRole.role,
      instanceType: PipelineValue.fromString('ml.m5.4xlarge'),
      sources: { 'employees.csv': PipelineValue.fromS3Location(data, 'employee-retention/raw/employees.csv') },
      output: DataWranglerOutput.toS3(runPrefix('prepared')),
      maxRuntime: Duration.hours(1),
    });

    const automl = new AutoMLStep('AutoML', {
      role: jobRole.role,
      problemType: AutoMLProblemType.BINARY_CLASSIFICATION,
      objectiveMetric: AutoMLObjectiveMetric.F1,
      targetAttribute: 'left',
      trainingData: prepare.preparedDataUri,
      validationFraction: 0.2,
      outputPath: runPrefix('automl'),
      maxCandidates: 20,
      maxAutoMLJobRuntime: Duration.hours(4),
    });

    // logs the best candidate as an MLflow run: the container has mlflow and sagemaker-mlflow, which take
    // the tracking server's ARN as the tracking URI; it needs the network (no isolation) to reach MLflow
    const report = new ProcessingStep('ReportToMlflow', {
      role: reporterRole.role,
      image: PipelineValue.fromString(`${this.account}.dkr.ecr.${this.region}.amazonaws.com/employee-retention-mlflow-reporter:1.0`),
      instanceType: PipelineValue.fromString('ml.t3.medium'),
      containerEntrypoint: ['python3', '/opt/program/report.py'],
      environment: {
        MLFLOW_TRACKING_URI: PipelineValue.fromString(this.experiments.trackingServerArn),
        MLFLOW_EXPERIMENT_NAME: PipelineValue.fromString('employee-retention-automl'),
        MLFLOW_RUN_NAME: ExecutionVariable.PIPELINE_EXECUTION_ID,
        AUTOML_JOB_NAME: automl.autoMLJobName,
        BEST_CANDIDATE: automl.bestCandidateName,
        BEST_F1: Join.of([automl.bestCandidateObjectiveMetricValue]),
      },
      networkIsolation: false,
      maxRuntime: Duration.minutes(15),
    });

    const register = automl.toRegisterModelStep('RegisterModel', {
      modelPackageGroup: models,
      approvalStatus: ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
      inferenceInstanceTypes: ['ml.m5.large'],
      transformInstanceTypes: ['ml.m5.xlarge'],
      modelPackageDescription: 'Best Autopilot candidate for employee retention, trained on the Data Wrangler output',
    });
    const check = new ConditionStep('CheckF1', {
      conditions: [Condition.greaterThanOrEqualTo(automl.bestCandidateObjectiveMetricValue, minimumF1)],
      ifSteps: [register],
      elseSteps: [new FailStep('F1BelowThreshold', { errorMessage: PipelineValue.fromString('The best candidate\'s F1 score is below MinimumF1') })],
    });

    this.pipeline = new Pipeline(this, 'Pipeline', {
      pipelineName: 'employee-retention-ml-tools',
      description: 'Prepares the HR data with Data Wrangler, runs Autopilot, reports to MLflow, registers the best model',
      definition: new PipelineDefinition({
        parameters: [minimumF1],
        steps: [prepare, automl, report, automl.toModelStep('BestModel', { role: modelRole.role }), check],
        // SageMaker Experiments (the pipeline's own lineage); MLflow gets the run from ReportToMlflow
        experimentConfig: PipelineExperimentConfig.pipelineNameAndExecutionId(),
      }),
      network,
      securityGroups: [jobSecurityGroup],
      volumeKey: keys.dataKey,
      outputKey: keys.dataKey,
      jobPrefix: 'emp-ml-tools',
    });
  }
}
