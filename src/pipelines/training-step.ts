import { Duration, Token } from 'aws-cdk-lib';
import { Join } from './functions';
import type { JobStepProps } from './job-resources';
import { compact, stoppingCondition, validateJobResources, vpcConfig } from './private/jobs';
import type { RenderContext, ResolvedJobSecurity } from './private/render';
import { StepProperty } from './properties';
import { Step, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * A data channel of a training job.
 */
export interface TrainingChannel {
  /** The channel name the algorithm reads, for example `train` or `validation`. */
  readonly channelName: string;
  /** The S3 URI of the data. */
  readonly s3Uri: PipelineValue;
  /**
   * The MIME type of the data, for example `text/csv`.
   *
   * @default - none
   */
  readonly contentType?: string;
  /**
   * `S3Prefix`, `ManifestFile` or `AugmentedManifestFile`.
   *
   * @default 'S3Prefix'
   */
  readonly s3DataType?: string;
  /**
   * `FullyReplicated` or `ShardedByS3Key`.
   *
   * @default 'FullyReplicated'
   */
  readonly distribution?: string;
  /**
   * `None` or `Gzip`.
   *
   * @default - none
   */
  readonly compressionType?: string;
  /**
   * `File`, `Pipe` or `FastFile`.
   *
   * @default - the algorithm's input mode
   */
  readonly inputMode?: string;
}

/**
 * A metric the training job logs, read with a regular expression.
 */
export interface MetricDefinition {
  /** The metric name. */
  readonly name: string;
  /** The regular expression that finds the metric's value in the logs. */
  readonly regex: string;
}

/** Options shared by training and tuning steps. */
export interface TrainingJobOptions extends JobStepProps {
  /** The training image URI. */
  readonly image: PipelineValue;

  /** The data channels. */
  readonly inputs: TrainingChannel[];

  /** The S3 URI model artifacts are written under. */
  readonly outputPath: PipelineValue;

  /**
   * Metrics the job logs.
   *
   * @default - none
   */
  readonly metricDefinitions?: MetricDefinition[];
}

/** Properties of a {@link TrainingStep}. */
export interface TrainingStepProps extends TrainingJobOptions {
  /**
   * Hyperparameters of the algorithm.
   *
   * @default - none
   */
  readonly hyperparameters?: { [name: string]: PipelineValue };
}

function renderChannels(ctx: RenderContext, channels: TrainingChannel[]): any {
  const names = new Set<string>();
  return channels.map((c) => {
    if (names.has(c.channelName)) ctx.error(`channel name '${c.channelName}' is used twice`);
    names.add(c.channelName);
    return {
      ChannelName: c.channelName,
      DataSource: {
        S3DataSource: {
          S3DataType: c.s3DataType ?? 'S3Prefix',
          S3Uri: ctx.str(c.s3Uri, `inputs.${c.channelName}.s3Uri`),
          S3DataDistributionType: c.distribution ?? 'FullyReplicated',
        },
      },
      ContentType: c.contentType,
      CompressionType: c.compressionType,
      InputMode: c.inputMode,
    };
  });
}

function trainingSecurity(ctx: RenderContext, p: TrainingJobOptions): ResolvedJobSecurity {
  validateJobResources(ctx, p);
  if (p.inputs.length === 0) ctx.error('inputs must have at least one channel');
  return ctx.security(p, {
    vpc: true, networkIsolation: true, interContainerTrafficEncryption: true, volumeKey: true, outputKey: true,
  }, p.instanceType);
}

function resourceConfig(ctx: RenderContext, p: TrainingJobOptions, security: ResolvedJobSecurity): any {
  return {
    InstanceType: ctx.str(p.instanceType, 'instanceType'),
    InstanceCount: ctx.int(p.instanceCount ?? PipelineValue.fromInteger(1), 'instanceCount'),
    VolumeSizeInGB: p.volumeSizeInGb ?? 30,
    VolumeKmsKeyId: security.volumeKey?.keyArn,
  };
}

/**
 * A step that runs a SageMaker training job.
 *
 * Secure defaults: the job runs in the pipeline's subnets and security groups, with network
 * isolation, inter-container traffic encryption, and the pipeline's volume and output KMS keys.
 *
 * @example
 * const train = new TrainingStep('Train', {
 *   role: jobRole,
 *   image: PipelineValue.fromString(xgboostImage),
 *   instanceType: PipelineValue.fromString('ml.m5.xlarge'),
 *   inputs: [{ channelName: 'train', s3Uri: split.outputUri('train'), contentType: 'text/csv' }],
 *   outputPath: PipelineValue.fromS3Location(artifacts, 'models'),
 * });
 */
export class TrainingStep extends Step {
  public readonly stepType: StepType = StepType.TRAINING;

  /** The properties the step was created with. */
  public readonly props: TrainingStepProps;

  constructor(name: string, props: TrainingStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The S3 URI of the model artifacts (`ModelArtifacts.S3ModelArtifacts`). */
  public get modelArtifactsS3Uri(): PipelineValue {
    return StepProperty.of(this, 'ModelArtifacts.S3ModelArtifacts', PipelineValueType.STRING);
  }

  /** The name of the training job. */
  public get trainingJobName(): PipelineValue {
    return StepProperty.of(this, 'TrainingJobName', PipelineValueType.STRING);
  }

  /**
   * The final value of a metric of the job (`FinalMetricDataList['<name>'].Value`).
   *
   * @param metricName the metric name
   */
  public finalMetricValue(metricName: string): PipelineValue {
    return StepProperty.of(this, `FinalMetricDataList['${metricName}'].Value`, PipelineValueType.FLOAT);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const security = trainingSecurity(ctx, p);
    ctx.recordJob('training', security, p.role);
    ctx.recordData(p.role, p.inputs.map((c) => c.s3Uri), [p.outputPath]);
    return compact({
      AlgorithmSpecification: {
        TrainingImage: ctx.str(p.image, 'image'),
        TrainingInputMode: 'File',
        MetricDefinitions: p.metricDefinitions?.map((m) => ({ Name: m.name, Regex: m.regex })),
      },
      OutputDataConfig: { S3OutputPath: ctx.str(p.outputPath, 'outputPath'), KmsKeyId: security.outputKey?.keyArn },
      StoppingCondition: stoppingCondition(p.maxRuntime, Duration.days(1)),
      ResourceConfig: resourceConfig(ctx, p, security),
      RoleArn: p.role.roleArn,
      InputDataConfig: renderChannels(ctx, p.inputs),
      HyperParameters: ctx.map(p.hyperparameters, 'hyperparameters'),
      EnableNetworkIsolation: security.networkIsolation,
      EnableInterContainerTrafficEncryption: security.interContainerTrafficEncryption,
      VpcConfig: vpcConfig(security),
      TrainingJobName: ctx.jobName(this),
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

/** Whether the tuning objective is maximized or minimized. */
export enum TuningObjectiveType {
  /** Larger is better. */
  MAXIMIZE = 'Maximize',
  /** Smaller is better. */
  MINIMIZE = 'Minimize',
}

/** How the tuning job picks hyperparameters. */
export enum TuningStrategy {
  /** Bayesian optimization. */
  BAYESIAN = 'Bayesian',
  /** Random search. */
  RANDOM = 'Random',
}

/** A continuous or integer hyperparameter range. */
export interface NumericParameterRange {
  /** The hyperparameter name. */
  readonly name: string;
  /** The smallest value. */
  readonly minValue: number;
  /** The largest value. */
  readonly maxValue: number;
  /**
   * `Auto`, `Linear`, `Logarithmic` or `ReverseLogarithmic`.
   *
   * @default 'Auto'
   */
  readonly scalingType?: string;
}

/** A categorical hyperparameter range. */
export interface CategoricalParameterRange {
  /** The hyperparameter name. */
  readonly name: string;
  /** The values to choose from. */
  readonly values: string[];
}

/** Properties of a {@link TuningStep}. */
export interface TuningStepProps extends TrainingJobOptions {
  /** The metric the tuning job optimizes (one of `metricDefinitions` for custom images). */
  readonly objectiveMetricName: string;

  /** Whether the objective is maximized or minimized. */
  readonly objectiveType: TuningObjectiveType;

  /**
   * Continuous hyperparameter ranges.
   *
   * @default - none
   */
  readonly continuousParameterRanges?: NumericParameterRange[];

  /**
   * Integer hyperparameter ranges.
   *
   * @default - none
   */
  readonly integerParameterRanges?: NumericParameterRange[];

  /**
   * Categorical hyperparameter ranges.
   *
   * @default - none
   */
  readonly categoricalParameterRanges?: CategoricalParameterRange[];

  /**
   * Hyperparameters every training job gets.
   *
   * @default - none
   */
  readonly staticHyperparameters?: { [name: string]: string };

  /** The most training jobs the tuning job runs. */
  readonly maxNumberOfTrainingJobs: number;

  /** The most training jobs that run at once. */
  readonly maxParallelTrainingJobs: number;

  /**
   * The search strategy.
   *
   * @default TuningStrategy.BAYESIAN
   */
  readonly strategy?: TuningStrategy;

  /**
   * Stop training jobs early when they are unlikely to beat the best one.
   *
   * @default false
   */
  readonly earlyStopping?: boolean;
}

/**
 * A step that runs a SageMaker hyperparameter tuning job.
 *
 * Secure defaults: every training job runs in the pipeline's subnets and security groups, with
 * network isolation, inter-container traffic encryption, and the pipeline's volume and output KMS keys.
 */
export class TuningStep extends Step {
  public readonly stepType: StepType = StepType.TUNING;

  /** The properties the step was created with. */
  public readonly props: TuningStepProps;

  constructor(name: string, props: TuningStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The name of the best training job (`BestTrainingJob.TrainingJobName`). */
  public get bestTrainingJobName(): PipelineValue {
    return StepProperty.of(this, 'BestTrainingJob.TrainingJobName', PipelineValueType.STRING);
  }

  /** The best objective value (`BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value`). */
  public get bestObjectiveValue(): PipelineValue {
    return StepProperty.of(this, 'BestTrainingJob.FinalHyperParameterTuningJobObjectiveMetric.Value', PipelineValueType.FLOAT);
  }

  /**
   * The S3 URI of the model artifacts of the training job ranked `rank` (0 is the best):
   * `<outputPath>/<TrainingJobSummaries[rank].TrainingJobName>/output/model.tar.gz`.
   *
   * @param rank the rank, 0-based
   */
  public topModelS3Uri(rank: number = 0): PipelineValue {
    if (!Number.isInteger(rank) || rank < 0) throw new Error(`TuningStep '${this.name}': rank must be a non-negative integer, got ${rank}`);
    return Join.of([
      this.props.outputPath,
      StepProperty.of(this, `TrainingJobSummaries[${rank}].TrainingJobName`, PipelineValueType.STRING),
      PipelineValue.fromString('output/model.tar.gz'),
    ], '/');
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const security = trainingSecurity(ctx, p);
    ctx.recordJob('tuning', security, p.role);
    ctx.recordData(p.role, p.inputs.map((c) => c.s3Uri), [p.outputPath]);
    for (const [field, v] of [['maxNumberOfTrainingJobs', p.maxNumberOfTrainingJobs], ['maxParallelTrainingJobs', p.maxParallelTrainingJobs]] as const) {
      if (!Token.isUnresolved(v) && (!Number.isInteger(v) || v < 1)) ctx.error(`${field} must be a positive integer, got ${v}`);
    }
    const ranges = (p.continuousParameterRanges?.length ?? 0) + (p.integerParameterRanges?.length ?? 0) + (p.categoricalParameterRanges?.length ?? 0);
    if (ranges === 0) ctx.error('give at least one hyperparameter range to tune');
    const numeric = (r: NumericParameterRange) => {
      if (r.minValue > r.maxValue) ctx.error(`parameter range '${r.name}': minValue ${r.minValue} is greater than maxValue ${r.maxValue}`);
      return { Name: r.name, MinValue: String(r.minValue), MaxValue: String(r.maxValue), ScalingType: r.scalingType ?? 'Auto' };
    };
    return compact({
      HyperParameterTuningJobConfig: {
        Strategy: p.strategy ?? TuningStrategy.BAYESIAN,
        HyperParameterTuningJobObjective: { Type: p.objectiveType, MetricName: p.objectiveMetricName },
        ResourceLimits: { MaxNumberOfTrainingJobs: p.maxNumberOfTrainingJobs, MaxParallelTrainingJobs: p.maxParallelTrainingJobs },
        TrainingJobEarlyStoppingType: p.earlyStopping ? 'Auto' : 'Off',
        ParameterRanges: {
          ContinuousParameterRanges: p.continuousParameterRanges?.map(numeric),
          IntegerParameterRanges: p.integerParameterRanges?.map(numeric),
          CategoricalParameterRanges: p.categoricalParameterRanges?.map((r) => ({ Name: r.name, Values: r.values })),
        },
      },
      TrainingJobDefinition: {
        AlgorithmSpecification: {
          TrainingImage: ctx.str(p.image, 'image'),
          TrainingInputMode: 'File',
          MetricDefinitions: p.metricDefinitions?.map((m) => ({ Name: m.name, Regex: m.regex })),
        },
        OutputDataConfig: { S3OutputPath: ctx.str(p.outputPath, 'outputPath'), KmsKeyId: security.outputKey?.keyArn },
        StoppingCondition: stoppingCondition(p.maxRuntime, Duration.days(1)),
        ResourceConfig: resourceConfig(ctx, p, security),
        RoleArn: p.role.roleArn,
        InputDataConfig: renderChannels(ctx, p.inputs),
        StaticHyperParameters: p.staticHyperparameters,
        EnableNetworkIsolation: security.networkIsolation,
        EnableInterContainerTrafficEncryption: security.interContainerTrafficEncryption,
        VpcConfig: vpcConfig(security),
      },
      HyperParameterTuningJobName: ctx.jobName(this),
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
