import { InstanceType } from '@aws-cdk/aws-sagemaker-alpha';
import { Duration, Environment, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import {
  AutoMLObjectiveMetric, AutoMLProblemType, AutoMLStep, Condition, ConditionStep, ExecutionVariable, FailStep, FeatureGroup,
  FeatureType, Join, KeyUsageService, ModelApprovalStatus, ModelEndpoint, ModelPackage, ModelPackageGroup, ModelSource,
  ParameterFloat, ParameterString, Pipeline, PipelineDefinition, PipelineStepRole, PipelineValue, ProcessingStep, SecureMlPlatform,
} from '../src';
import { acknowledgeWildcardResources } from '../src/private/acknowledgments';

/** Properties of the {@link EmployeeRetentionPlatform} example. */
export interface EmployeeRetentionPlatformProps {
  /** The account and Region of the platform's stacks. */
  readonly env?: Environment;
}

/**
 * The employee-retention ML platform: one `SecureMlPlatform` in four stacks a platform team deploys
 * separately (`Platform-Network`, `Platform-Data`, `Platform-Studio` with one nested stack per team,
 * `Platform-Workloads`), two teams with their own Studio domains, shared spaces, data prefixes and budgets
 * (retention: alice and bob; fraud: carol), and the capabilities the retention team works with:
 *
 * - Data: the employee-retention feature group (online store for scoring, Iceberg offline store for
 *   training), readable by the retention team;
 * - Workloads: a weekly pipeline (split the HR data, Autopilot, register the best model for approval when
 *   its F1 score is good enough) whose registry the retention team may approve from, and the production
 *   endpoint of an approved model version with autoscaling, canary deployments and data capture.
 */
export class EmployeeRetentionPlatform extends SecureMlPlatform {
  /** The employee-retention feature group (Data stack). */
  public readonly features: FeatureGroup;
  /** The training pipeline (Workloads stack). */
  public readonly pipeline: Pipeline;
  /** The production endpoint (Workloads stack). */
  public readonly endpoint: ModelEndpoint;

  constructor(scope: Construct, id: string, props: EmployeeRetentionPlatformProps = {}) {
    super(scope, id, {
      platformName: 'hr-ml',
      env: props.env,
      // endpoints in one AZ: half the hourly cost of the interface endpoints (no AZ redundancy for them)
      network: { endpointAzCount: 1 },
      studio: {
        appInstanceTypes: ['ml.t3.medium', 'ml.t3.large', 'ml.m5.large'],
        // an example is meant to be deleted: apps, spaces, profiles and domains go with `cdk destroy`
        // (the home EFS file systems are kept); keys, data bucket and feature store stay retained
        removalPolicy: RemovalPolicy.DESTROY,
      },
    });

    const retention = this.addTeam('retention', {
      members: [
        { userName: 'alice', ownerEmail: 'alice@example.com' },
        { userName: 'bob', ownerEmail: 'bob@example.com' },
      ],
      budget: { monthlyLimitUsd: 2000, notificationEmails: ['retention-leads@example.com'] },
    });
    this.addTeam('fraud', {
      members: [{ userName: 'carol', ownerEmail: 'carol@example.com' }],
      budgetCode: 'cc-fraud-4711',
    });

    // ----- Data: the feature group -----
    const features = new FeatureGroup(this.dataStack, 'EmployeeRetentionFeatures', {
      featureGroupName: 'hr-ml-employee-retention',
      description: 'Employee attrition features for the retention model',
      network: this.network,
      features: [
        { name: 'employee_id', type: FeatureType.STRING, description: 'HR system employee identifier' },
        { name: 'event_time', type: FeatureType.STRING, description: 'When the snapshot was taken (ISO-8601, UTC)' },
        { name: 'department', type: FeatureType.STRING },
        { name: 'job_level', type: FeatureType.INTEGRAL, description: 'Job level, 1 (entry) to 5 (executive)' },
        { name: 'tenure_years', type: FeatureType.FRACTIONAL, parameters: { unit: 'years' } },
        { name: 'monthly_income', type: FeatureType.FRACTIONAL, parameters: { unit: 'USD' } },
        { name: 'overtime', type: FeatureType.INTEGRAL, description: '1 if the employee worked overtime in the last quarter, else 0' },
        { name: 'satisfaction_score', type: FeatureType.INTEGRAL, description: 'Latest engagement survey, 1 (low) to 4 (very high)' },
        { name: 'left', type: FeatureType.INTEGRAL, description: 'Label: 1 if the employee left within 12 months, else 0' },
      ],
      recordIdentifierFeatureName: 'employee_id',
      eventTimeFeatureName: 'event_time',
      onlineStore: { ttl: Duration.days(365) },
      offlineStore: { queryWorkgroup: true },
    });
    // grants to a team land in the team's own policy (members and shared space), never in a resource policy
    features.grantReadRecords(retention);
    features.grantQueryOffline(retention);
    // the wildcards of those grants, for the reasons the feature-store module registered
    const offline = features.offlineStoreBucket!;
    acknowledgeWildcardResources(retention.accessPolicy, 'FEATURE_STORE_OFFLINE_OBJECTS', [offline.arnForObjects(`${features.offlineStorePrefix}/*`)]);
    acknowledgeWildcardResources(retention.accessPolicy, 'FEATURE_STORE_QUERY_RESULTS', [offline.arnForObjects('athena-query-results/hr-ml-employee-retention/*')]);
    acknowledgeWildcardResources(retention.accessPolicy, 'FEATURE_STORE_GLUE_TABLE', [
      this.dataStack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sagemaker_featurestore/hr_ml_employee_retention_*' }),
    ]);

    // ----- Workloads: the training pipeline and its model registry -----
    const workloads = this.workloadsStack;
    const jobSecurityGroup = new ec2.SecurityGroup(workloads, 'PipelineJobs', {
      vpc: this.network.vpc,
      description: 'Jobs of the employee-retention pipeline',
      allowAllOutbound: false,
    });
    jobSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');
    jobSecurityGroup.connections.allowInternally(ec2.Port.allTcp(), 'Traffic between the instances of a distributed job');
    // the rules to the endpoint security group are written into the workloads stack (no cycle)
    this.network.allowEndpointAccessFrom(jobSecurityGroup);

    const jobRole = new PipelineStepRole(workloads, 'PipelineJobRole', {
      network: this.network, securityGroups: [jobSecurityGroup], volumeKey: this.keys.dataKey,
    });
    const models = new ModelPackageGroup(workloads, 'RetentionModels', {
      modelPackageGroupName: 'hr-ml-employee-retention',
      description: 'Employee-retention classifiers (predicts the "left" column)',
    });
    models.grantRead(retention);
    models.grantApprove(retention);
    acknowledgeWildcardResources(retention.accessPolicy, 'MODEL_PACKAGE_VERSIONS', [models.modelPackageArnPattern]);

    // the data bucket referenced by name from the workloads stack (see SecureMlPlatform.dataBucketFor)
    const data = this.dataBucketFor(workloads);
    const inputData = new ParameterString({
      name: 'InputData',
      defaultValue: `s3://${data.bucketName}/${retention.dataPrefix}employee-retention/raw/`,
      description: 'S3 prefix of the HR data (CSV with a header row and a "left" column)',
    });
    const minimumF1 = new ParameterFloat({ name: 'MinimumF1', defaultValue: 0.8, description: 'The F1 score a model needs to be registered' });
    const runPrefix = (name: string) => Join.of([
      PipelineValue.fromS3Location(data, `${retention.dataPrefix}employee-retention/runs`),
      ExecutionVariable.PIPELINE_EXECUTION_ID,
      PipelineValue.fromString(name),
    ], '/');
    const split = new ProcessingStep('SplitData', {
      role: jobRole.role,
      image: PipelineValue.fromString(`${workloads.account}.dkr.ecr.${workloads.region}.amazonaws.com/employee-retention-split:1.0`),
      instanceType: PipelineValue.fromString('ml.m5.xlarge'),
      containerEntrypoint: ['python3', '/opt/program/split.py', '--validation-fraction', '0.2'],
      inputs: [{ inputName: 'raw', source: inputData, destination: '/opt/ml/processing/input' }],
      outputs: [
        { outputName: 'train', source: '/opt/ml/processing/train', destination: runPrefix('train') },
        { outputName: 'validation', source: '/opt/ml/processing/validation', destination: runPrefix('validation') },
      ],
      maxRuntime: Duration.hours(1),
    });
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
    });
    const register = automl.toRegisterModelStep('RegisterModel', {
      modelPackageGroup: models,
      approvalStatus: ModelApprovalStatus.PENDING_MANUAL_APPROVAL,
      inferenceInstanceTypes: ['ml.m5.large', 'ml.m5.xlarge'],
      transformInstanceTypes: ['ml.m5.xlarge'],
      modelPackageDescription: 'Best Autopilot candidate for employee retention',
    });
    const check = new ConditionStep('CheckF1', {
      conditions: [Condition.greaterThanOrEqualTo(automl.bestCandidateObjectiveMetricValue, minimumF1)],
      ifSteps: [register],
      elseSteps: [new FailStep('F1BelowThreshold', {
        errorMessage: Join.of([PipelineValue.fromString('The best candidate\'s F1 score is below MinimumF1 ='), minimumF1], ' '),
      })],
    });
    const pipeline = new Pipeline(workloads, 'RetentionPipeline', {
      pipelineName: 'hr-ml-employee-retention',
      description: 'Splits the HR data, runs Autopilot and registers the best model for approval',
      definition: new PipelineDefinition({ parameters: [inputData, minimumF1], steps: [split, automl, check] }),
      network: this.network,
      securityGroups: [jobSecurityGroup],
      volumeKey: this.keys.dataKey,
      outputKey: this.keys.dataKey,
      jobPrefix: 'hr-ml-retention',
      maxParallelExecutionSteps: 2,
    });
    pipeline.addSchedule('Weekly', {
      schedule: scheduler.ScheduleExpression.cron({ weekDay: 'MON', hour: '3', minute: '0' }),
      description: 'Retrain the employee-retention model every Monday',
    });

    // ----- Workloads: the production endpoint of an approved model version -----
    // the endpoint's alarms publish through SNS, which the data key does not admit: a key of its own
    const notifications = this.keys.addKey('notifications', {
      description: 'ML platform: SNS topics of the inference endpoints',
      viaServices: [KeyUsageService.SNS],
    });
    const version = ModelPackage.fromModelPackageArn(workloads, 'ApprovedRetentionModel',
      `arn:aws:sagemaker:${workloads.region}:${workloads.account}:model-package/hr-ml-employee-retention/1`);
    const endpoint = new ModelEndpoint(workloads, 'RetentionEndpoint', {
      network: this.network,
      encryptionKey: this.keys.dataKey,
      logsEncryptionKey: this.keys.logsKey,
      notificationsKey: notifications,
      endpointName: 'hr-ml-employee-retention',
      instanceVariants: [{
        model: ModelSource.fromModelPackage(version, { artifactsBucket: data, artifactsKeyPrefix: 'models/employee-retention/' }),
        instanceType: InstanceType.M5_LARGE,
        initialInstanceCount: 2,
      }],
      dataCapture: { bucket: data, prefix: 'data-capture/employee-retention', samplingPercentage: 20 },
    });
    this.features = features;
    this.pipeline = pipeline;
    this.endpoint = endpoint;
    endpoint.autoScaleInstanceCount({ minCapacity: 2, maxCapacity: 4 })
      .scaleOnInvocations('RequestsPerInstance', { maxRequestsPerSecondPerInstance: 25, safetyFactor: 0.5 });
  }
}
