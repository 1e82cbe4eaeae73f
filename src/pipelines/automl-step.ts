import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { JobSecurityOptions } from './job-security';
import type { IModelPackageGroup, ModelApprovalStatus } from './model-package-group';
import { ModelStep, ModelStepProps } from './model-step';
import type { ModelContainer } from './model-step';
import { InterfaceEndpointService } from '../network/endpoint-service';
import { AUTOML_CHANNELS, AUTOML_METRIC_PROBLEM_TYPES, AUTOML_STEP_MODES } from '../private/automl-rules';
import { compact, vpcConfig } from './private/jobs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { RegisterModelStep, RegisterModelStepProps } from './register-model-step';
import { CacheableStepProps, RetryableStepProps, Step, StepProps, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/** The problem type of a tabular AutoML job. */
export enum AutoMLProblemType {
  /** Two classes. */
  BINARY_CLASSIFICATION = 'BinaryClassification',
  /** More than two classes. */
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  /** A number. */
  REGRESSION = 'Regression',
}

/** The metric an AutoML job optimizes. */
export class AutoMLObjectiveMetric {
  /** Accuracy (binary and multiclass classification). */
  public static readonly ACCURACY = new AutoMLObjectiveMetric('Accuracy');
  /** Area under the ROC curve (binary classification). */
  public static readonly AUC = new AutoMLObjectiveMetric('AUC');
  /** F1 score (binary classification). */
  public static readonly F1 = new AutoMLObjectiveMetric('F1');
  /** Macro-averaged F1 score (multiclass classification). */
  public static readonly F1_MACRO = new AutoMLObjectiveMetric('F1macro');
  /** Mean squared error (regression). */
  public static readonly MSE = new AutoMLObjectiveMetric('MSE');

  /**
   * A metric by name. The published pipeline-definition schema lists only the metrics above.
   */
  public static of(name: string): AutoMLObjectiveMetric {
    return new AutoMLObjectiveMetric(name);
  }

  private constructor(
    /** The metric name. */
    public readonly name: string,
  ) {}
}

/** The training mode of an AutoML job. Pipelines run only {@link AutoMLMode.ENSEMBLING}. */
export class AutoMLMode {
  /** A stacked ensemble of models (AutoGluon); the only mode an AutoML step accepts. */
  public static readonly ENSEMBLING = new AutoMLMode('ENSEMBLING');
  /** Hyperparameter optimization; not accepted in a pipeline step. */
  public static readonly HYPERPARAMETER_TUNING = new AutoMLMode('HYPERPARAMETER_TUNING');
  /** Autopilot chooses by dataset size; not accepted in a pipeline step. */
  public static readonly AUTO = new AutoMLMode('AUTO');

  /** A mode by name. */
  public static of(name: string): AutoMLMode {
    return new AutoMLMode(name);
  }

  private constructor(
    /** The mode name. */
    public readonly name: string,
  ) {}
}

/** The format of the AutoML job's data. */
export enum AutoMLContentType {
  /** CSV with a header row. */
  CSV_WITH_HEADER = 'text/csv;header=present',
  /** Apache Parquet. */
  PARQUET = 'x-application/vnd.amazon+parquet',
}

/** Properties of an {@link AutoMLStep}. */
export interface AutoMLStepProps extends StepProps, RetryableStepProps, CacheableStepProps, JobSecurityOptions {
  /** The role the AutoML job and its candidate jobs run with; the pipeline passes it to SageMaker. */
  readonly role: iam.IRole;

  /** The problem type. */
  readonly problemType: AutoMLProblemType;

  /** The metric to optimize; it must fit the problem type. */
  readonly objectiveMetric: AutoMLObjectiveMetric;

  /** The name of the column to predict. */
  readonly targetAttribute: string;

  /** The S3 URI of the training data. */
  readonly trainingData: PipelineValue;

  /**
   * The S3 URI of separate validation data.
   *
   * @default - Autopilot splits the training data (see `validationFraction`)
   */
  readonly validationData?: PipelineValue;

  /**
   * The share of the training data held out for validation, between 0 and 1 (only without `validationData`).
   *
   * @default - the service default, 0.2
   */
  readonly validationFraction?: number;

  /**
   * The format of the data.
   *
   * @default AutoMLContentType.CSV_WITH_HEADER
   */
  readonly contentType?: AutoMLContentType;

  /**
   * Whether the data is gzip-compressed.
   *
   * @default false
   */
  readonly gzipCompressed?: boolean;

  /** The S3 URI the job writes its artifacts under. */
  readonly outputPath: PipelineValue;

  /**
   * The training mode. Only `AutoMLMode.ENSEMBLING` runs in a pipeline; any other mode is a synth error.
   *
   * @default AutoMLMode.ENSEMBLING
   */
  readonly mode?: AutoMLMode;

  /**
   * The most candidates the job trains.
   *
   * @default - the service default
   */
  readonly maxCandidates?: number;

  /**
   * The longest one candidate's training job may run.
   *
   * @default - the service default
   */
  readonly maxRuntimePerTrainingJob?: Duration;

  /**
   * The longest the whole AutoML job may run.
   *
   * @default - the service default
   */
  readonly maxAutoMLJobRuntime?: Duration;
}

/** Options of {@link AutoMLStep.toModelStep}. */
export interface BestCandidateModelOptions extends StepProps, RetryableStepProps, JobSecurityOptions {
  /** The role the model's containers run with. */
  readonly role: iam.IRole;
}

/** Options of {@link AutoMLStep.toRegisterModelStep}. */
export interface BestCandidateRegistrationOptions extends StepProps, RetryableStepProps {
  /** The model package group to register in. */
  readonly modelPackageGroup: IModelPackageGroup;

  /**
   * The approval status of the new version.
   *
   * @default ModelApprovalStatus.PENDING_MANUAL_APPROVAL
   */
  readonly approvalStatus?: ModelApprovalStatus;

  /**
   * MIME types the model accepts.
   *
   * @default ['text/csv']
   */
  readonly contentTypes?: string[];

  /**
   * MIME types the model returns.
   *
   * @default ['text/csv']
   */
  readonly responseTypes?: string[];

  /**
   * Instance types for real-time inference.
   *
   * @default - none listed
   */
  readonly inferenceInstanceTypes?: string[];

  /**
   * Instance types for batch transform.
   *
   * @default - none listed
   */
  readonly transformInstanceTypes?: string[];

  /**
   * A description of the model package.
   *
   * @default - none
   */
  readonly modelPackageDescription?: string;
}

/**
 * Environment variables of the best candidate's inference container that the hand-off passes on
 * (the ones the SageMaker Python SDK's `get_best_auto_ml_model` passes).
 */
const BEST_CANDIDATE_ENVIRONMENT = [
  'MODEL_NAME',
  'SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT',
  'SAGEMAKER_PROGRAM',
  'SAGEMAKER_SUBMIT_DIRECTORY',
  'SAGEMAKER_INFERENCE_SUPPORTED',
  'SAGEMAKER_INFERENCE_OUTPUT',
];

/**
 * A step that runs a SageMaker Autopilot (AutoML) job on tabular data, in ENSEMBLING mode.
 *
 * Secure defaults: the job and its candidate jobs run in the pipeline's subnets and security groups,
 * with inter-container traffic encryption and the pipeline's volume and output KMS keys (AutoML jobs
 * have no network isolation setting).
 *
 * @example
 * const automl = new AutoMLStep('AutoML', {
 *   role: jobRole,
 *   problemType: AutoMLProblemType.BINARY_CLASSIFICATION,
 *   objectiveMetric: AutoMLObjectiveMetric.F1,
 *   targetAttribute: 'left',
 *   trainingData: split.outputUri('train'),
 *   validationData: split.outputUri('validation'),
 *   outputPath: PipelineValue.fromS3Location(artifacts, 'automl'),
 * });
 * const model = automl.toModelStep('BestModel', { role: modelRole });
 */
export class AutoMLStep extends Step {
  public readonly stepType: StepType = StepType.AUTOML;

  /** The properties the step was created with. */
  public readonly props: AutoMLStepProps;

  constructor(name: string, props: AutoMLStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The name of the AutoML job. */
  public get autoMLJobName(): PipelineValue {
    return StepProperty.of(this, 'AutoMLJobName', PipelineValueType.STRING);
  }

  /** The best candidate's name (`BestCandidate.CandidateName`). */
  public get bestCandidateName(): PipelineValue {
    return StepProperty.of(this, 'BestCandidate.CandidateName', PipelineValueType.STRING);
  }

  /** The best candidate's objective metric value (`BestCandidate.FinalAutoMLJobObjectiveMetric.Value`). */
  public get bestCandidateObjectiveMetricValue(): PipelineValue {
    return StepProperty.of(this, 'BestCandidate.FinalAutoMLJobObjectiveMetric.Value', PipelineValueType.FLOAT);
  }

  /** The image of the best candidate's inference container (`BestCandidate.InferenceContainers[0].Image`). */
  public get bestCandidateImage(): PipelineValue {
    return StepProperty.of(this, 'BestCandidate.InferenceContainers[0].Image', PipelineValueType.STRING);
  }

  /** The model data of the best candidate (`BestCandidate.InferenceContainers[0].ModelDataUrl`). */
  public get bestCandidateModelDataUrl(): PipelineValue {
    return StepProperty.of(this, 'BestCandidate.InferenceContainers[0].ModelDataUrl', PipelineValueType.STRING);
  }

  /**
   * An environment variable of the best candidate's inference container
   * (`BestCandidate.InferenceContainers[0].Environment['<name>']`).
   *
   * @param name the variable name
   */
  public bestCandidateEnvironment(name: string): PipelineValue {
    return StepProperty.of(this, `BestCandidate.InferenceContainers[0].Environment['${name}']`, PipelineValueType.STRING);
  }

  /** The best candidate's inference container: image, model data and environment. */
  public get bestCandidateContainer(): ModelContainer {
    const environment: { [name: string]: PipelineValue } = {};
    for (const name of BEST_CANDIDATE_ENVIRONMENT) environment[name] = this.bestCandidateEnvironment(name);
    return { image: this.bestCandidateImage, modelDataUrl: this.bestCandidateModelDataUrl, environment };
  }

  /**
   * A model step that creates a SageMaker model from the best candidate.
   *
   * @param name the new step's name
   * @param options the model's role and settings
   */
  public toModelStep(name: string, options: BestCandidateModelOptions): ModelStep {
    const props: ModelStepProps = { ...options, container: this.bestCandidateContainer };
    return new ModelStep(name, props);
  }

  /**
   * A register-model step that registers the best candidate in a model package group.
   *
   * @param name the new step's name
   * @param options the group and the package's settings
   */
  public toRegisterModelStep(name: string, options: BestCandidateRegistrationOptions): RegisterModelStep {
    const props: RegisterModelStepProps = {
      ...options,
      containers: [this.bestCandidateContainer],
      contentTypes: options.contentTypes ?? ['text/csv'],
      responseTypes: options.responseTypes ?? ['text/csv'],
    };
    return new RegisterModelStep(name, props);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const mode = p.mode ?? AutoMLMode.ENSEMBLING;
    if (!AUTOML_STEP_MODES.modes.includes(mode.name)) {
      ctx.error(`mode must be ENSEMBLING (an AutoML step runs only in ensembling mode), got '${mode.name}'`);
    }
    const problems = AUTOML_METRIC_PROBLEM_TYPES.metrics[p.objectiveMetric.name];
    if (problems && !problems.includes(p.problemType)) {
      ctx.error(`objectiveMetric ${p.objectiveMetric.name} does not apply to ${p.problemType} (it applies to ${problems.join(', ')})`);
    }
    if (p.validationFraction !== undefined && !Token.isUnresolved(p.validationFraction)) {
      if (p.validationData) ctx.error('validationFraction splits the training data; it cannot be combined with validationData');
      if (!(p.validationFraction > 0 && p.validationFraction < 1)) ctx.error(`validationFraction must be greater than 0 and less than 1, got ${p.validationFraction}`);
    }
    void AUTOML_CHANNELS;
    if (!Token.isUnresolved(p.targetAttribute) && p.targetAttribute.length === 0) ctx.error('targetAttribute must not be empty');
    if (p.maxCandidates !== undefined && !Token.isUnresolved(p.maxCandidates) && (!Number.isInteger(p.maxCandidates) || p.maxCandidates < 1)) {
      ctx.error(`maxCandidates must be a positive integer, got ${p.maxCandidates}`);
    }

    const security = ctx.security(p, { vpc: true, networkIsolation: false, interContainerTrafficEncryption: true, volumeKey: true, outputKey: true });
    ctx.recordJob('automl', security, p.role);
    ctx.recordData(p.role, [p.trainingData, p.validationData], [p.outputPath]);
    if (security.vpcConfig) {
      // the AutoML job's candidate jobs and its model calls go through the SageMaker API and runtime
      ctx.requirements.endpoints.add(InterfaceEndpointService.SAGEMAKER_API);
      ctx.requirements.endpoints.add(InterfaceEndpointService.SAGEMAKER_RUNTIME);
    }

    const channel = (data: PipelineValue, type: string, field: string) => ({
      ChannelType: type,
      ContentType: p.contentType ?? AutoMLContentType.CSV_WITH_HEADER,
      CompressionType: p.gzipCompressed ? 'Gzip' : 'None',
      TargetAttributeName: p.targetAttribute,
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: ctx.str(data, field) } },
    });
    const criteria = compact({
      MaxCandidates: p.maxCandidates,
      MaxRuntimePerTrainingJobInSeconds: p.maxRuntimePerTrainingJob?.toSeconds(),
      MaxAutoMLJobRuntimeInSeconds: p.maxAutoMLJobRuntime?.toSeconds(),
    });
    return compact({
      AutoMLJobConfig: {
        Mode: mode.name,
        CompletionCriteria: Object.keys(criteria).length > 0 ? criteria : undefined,
        DataSplitConfig: p.validationFraction !== undefined ? { ValidationFraction: p.validationFraction } : undefined,
        SecurityConfig: {
          EnableInterContainerTrafficEncryption: security.interContainerTrafficEncryption,
          VolumeKmsKeyId: security.volumeKey?.keyArn,
          VpcConfig: vpcConfig(security),
        },
      },
      AutoMLJobObjective: { MetricName: p.objectiveMetric.name },
      InputDataConfig: [
        channel(p.trainingData, 'training', 'trainingData'),
        ...(p.validationData ? [channel(p.validationData, 'validation', 'validationData')] : []),
      ],
      OutputDataConfig: { S3OutputPath: ctx.str(p.outputPath, 'outputPath'), KmsKeyId: security.outputKey?.keyArn },
      ProblemType: p.problemType,
      RoleArn: p.role.roleArn,
      AutoMLJobName: ctx.jobName(this),
    });
  }

  /** @internal */
  protected _supportsRetry(): boolean {
    return true;
  }

  /** @internal */
  protected _supportsCache(): boolean {
    return true;
  }
}
