import type { JobStepProps } from './job-resources';
import type { IModelPackageGroup } from './model-package-group';
import { compact, renderProcessingJob } from './private/jobs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { Step, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';
import { InterfaceEndpointService } from '../network/endpoint-service';

/** What a {@link QualityCheckStep} checks. */
export enum QualityCheckType {
  /** Statistics and constraints of a dataset. */
  DATA_QUALITY = 'DATA_QUALITY',
  /** Prediction quality against ground truth. */
  MODEL_QUALITY = 'MODEL_QUALITY',
}

/** What a {@link ClarifyCheckStep} checks. */
export enum ClarifyCheckType {
  /** Pre-training bias of a dataset. */
  DATA_BIAS = 'DATA_BIAS',
  /** Post-training bias of a model's predictions. */
  MODEL_BIAS = 'MODEL_BIAS',
  /** Feature attributions of a model (SHAP). */
  MODEL_EXPLAINABILITY = 'MODEL_EXPLAINABILITY',
}

/** The format of the dataset a quality check reads. */
export class CheckDatasetFormat {
  /**
   * CSV.
   *
   * @param header whether the first row is a header
   */
  public static csv(header: boolean = true): CheckDatasetFormat {
    return new CheckDatasetFormat({ csv: { header, output_columns_position: 'START' } });
  }

  /**
   * JSON.
   *
   * @param lines whether the file has one JSON object per line
   */
  public static json(lines: boolean = true): CheckDatasetFormat {
    return new CheckDatasetFormat({ json: { lines } });
  }

  /** Apache Parquet. */
  public static parquet(): CheckDatasetFormat {
    return new CheckDatasetFormat({ parquet: {} });
  }

  private constructor(private readonly format: any) {}

  /** The `dataset_format` environment value. @internal */
  public _toEnvironment(): string {
    return JSON.stringify(this.format);
  }
}

/** Options common to quality and clarify check steps. */
export interface CheckStepOptions extends JobStepProps {
  /**
   * The analysis image: the Model Monitor analyzer image (`sagemaker-model-monitor-analyzer`) for
   * quality checks, the Clarify image (`sagemaker-clarify-processing`) for clarify checks, from the
   * registry of your Region listed in the SageMaker developer guide.
   */
  readonly image: PipelineValue;

  /** The S3 URI the check writes its results under. */
  readonly outputS3Uri: PipelineValue;

  /**
   * The model package group whose latest approved version provides the baselines to check
   * against, and where new baselines are registered.
   *
   * @default - none: only supplied baselines are used
   */
  readonly modelPackageGroup?: IModelPackageGroup;

  /**
   * Skip the check and only compute the baselines.
   *
   * @default false
   */
  readonly skipCheck?: boolean;

  /**
   * Register the computed baselines for the next model version.
   *
   * @default false
   */
  readonly registerNewBaseline?: boolean;

  /**
   * The S3 URI of constraints to check against.
   *
   * @default - the baseline of the model package group's latest approved version
   */
  readonly suppliedBaselineConstraints?: PipelineValue;
}

/** Properties of a {@link QualityCheckStep}. */
export interface QualityCheckStepProps extends CheckStepOptions {
  /** What to check. */
  readonly checkType: QualityCheckType;

  /** The S3 URI of the dataset (for model quality: predictions with ground truth). */
  readonly baselineDataset: PipelineValue;

  /** The format of the dataset. */
  readonly datasetFormat: CheckDatasetFormat;

  /**
   * The S3 URI of statistics to check against (data quality).
   *
   * @default - the baseline of the model package group's latest approved version
   */
  readonly suppliedBaselineStatistics?: PipelineValue;

  /**
   * The problem type, for model quality: `Regression`, `BinaryClassification` or `MulticlassClassification`.
   *
   * @default - none (required for MODEL_QUALITY)
   */
  readonly problemType?: string;

  /**
   * The column of the predicted label (model quality).
   *
   * @default - none
   */
  readonly inferenceAttribute?: string;

  /**
   * The column of the predicted probability (model quality).
   *
   * @default - none
   */
  readonly probabilityAttribute?: string;

  /**
   * The column of the ground truth (model quality).
   *
   * @default - none (required for MODEL_QUALITY)
   */
  readonly groundTruthAttribute?: string;
}

function renderCheckTopLevel(ctx: RenderContext, p: CheckStepOptions, checkType: string): any {
  if (p.modelPackageGroup) {
    ctx.requirements.baselineGroups.add(p.modelPackageGroup.modelPackageGroupName);
    ctx.requirements.modelPackageGroups.add(p.modelPackageGroup);
  }
  // the pipeline compares the job's results with the baselines: it reads both
  ctx.requirements.pipelineReads.push(...ctx.locations(p.outputS3Uri), ...ctx.locations(p.suppliedBaselineConstraints));
  const key = p.outputKey ?? ctx.defaults.outputKey;
  if (key) ctx.requirements.pipelineDecryptKeys.add(key);
  return compact({
    CheckType: checkType,
    ModelPackageGroupName: p.modelPackageGroup?.modelPackageGroupName,
    SkipCheck: p.skipCheck ?? false,
    RegisterNewBaseline: p.registerNewBaseline ?? false,
    SuppliedBaselineConstraints: ctx.optStr(p.suppliedBaselineConstraints, 'suppliedBaselineConstraints'),
  });
}

const BASE = '/opt/ml/processing';

/**
 * A step that computes data-quality or model-quality baselines with the Model Monitor analyzer
 * and checks them against the previous baselines.
 *
 * Secure defaults: the analysis job runs in the pipeline's subnets and security groups, with network
 * isolation, inter-container traffic encryption and the pipeline's volume and output KMS keys.
 */
export class QualityCheckStep extends Step {
  public readonly stepType: StepType = StepType.QUALITY_CHECK;

  /** The properties the step was created with. */
  public readonly props: QualityCheckStepProps;

  constructor(name: string, props: QualityCheckStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The S3 URI of the computed constraints (`CalculatedBaselineConstraints`). */
  public get calculatedBaselineConstraints(): PipelineValue {
    return StepProperty.of(this, 'CalculatedBaselineConstraints', PipelineValueType.STRING);
  }

  /** The S3 URI of the computed statistics (`CalculatedBaselineStatistics`). */
  public get calculatedBaselineStatistics(): PipelineValue {
    return StepProperty.of(this, 'CalculatedBaselineStatistics', PipelineValueType.STRING);
  }

  /** The S3 URI of the constraints the check used (`BaselineUsedForDriftCheckConstraints`). */
  public get baselineUsedForDriftCheckConstraints(): PipelineValue {
    return StepProperty.of(this, 'BaselineUsedForDriftCheckConstraints', PipelineValueType.STRING);
  }

  /** The S3 URI of the statistics the check used (`BaselineUsedForDriftCheckStatistics`). */
  public get baselineUsedForDriftCheckStatistics(): PipelineValue {
    return StepProperty.of(this, 'BaselineUsedForDriftCheckStatistics', PipelineValueType.STRING);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const env: { [key: string]: string } = {
      dataset_format: p.datasetFormat._toEnvironment(),
      dataset_source: `${BASE}/input/baseline_dataset_input`,
      output_path: `${BASE}/output`,
      publish_cloudwatch_metrics: 'Disabled',
    };
    if (p.checkType === QualityCheckType.MODEL_QUALITY) {
      if (!p.problemType) ctx.error('problemType is required for MODEL_QUALITY checks');
      if (!p.groundTruthAttribute) ctx.error('groundTruthAttribute is required for MODEL_QUALITY checks');
      if (!p.inferenceAttribute && !p.probabilityAttribute) ctx.error('give inferenceAttribute or probabilityAttribute for MODEL_QUALITY checks');
      env.analysis_type = 'MODEL_QUALITY';
      if (p.problemType) env.problem_type = p.problemType;
      if (p.inferenceAttribute) env.inference_attribute = p.inferenceAttribute;
      if (p.probabilityAttribute) env.probability_attribute = p.probabilityAttribute;
      if (p.groundTruthAttribute) env.ground_truth_attribute = p.groundTruthAttribute;
    } else if (p.problemType || p.inferenceAttribute || p.probabilityAttribute || p.groundTruthAttribute) {
      ctx.error('problemType and the attribute columns apply to MODEL_QUALITY checks only');
    }
    return renderProcessingJob(ctx, {
      step: this,
      props: p,
      image: p.image,
      literalEnvironment: env,
      inputs: [{ inputName: 'baseline_dataset_input', source: p.baselineDataset, destination: `${BASE}/input/baseline_dataset_input` }],
      outputs: [{ outputName: 'quality_check_output', source: `${BASE}/output`, destination: p.outputS3Uri }],
    });
  }

  /** @internal */
  protected _renderTopLevel(ctx: RenderContext): any {
    ctx.requirements.pipelineReads.push(...ctx.locations(this.props.suppliedBaselineStatistics));
    return compact({
      ...renderCheckTopLevel(ctx, this.props, this.props.checkType),
      SuppliedBaselineStatistics: ctx.optStr(this.props.suppliedBaselineStatistics, 'suppliedBaselineStatistics'),
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

/** Properties of a {@link ClarifyCheckStep}. */
export interface ClarifyCheckStepProps extends CheckStepOptions {
  /** What to check. */
  readonly checkType: ClarifyCheckType;

  /** The S3 URI of the Clarify `analysis_config.json`. */
  readonly analysisConfig: PipelineValue;

  /** The S3 URI of the dataset. */
  readonly dataset: PipelineValue;

  /**
   * The model to analyze (MODEL_BIAS and MODEL_EXPLAINABILITY); Clarify runs it on a shadow endpoint.
   *
   * @default - none (required for model checks)
   */
  readonly modelName?: PipelineValue;
}

/**
 * A step that runs a SageMaker Clarify bias or explainability analysis and checks it against the
 * previous baseline.
 *
 * Secure defaults: the analysis job runs in the pipeline's subnets and security groups, with
 * inter-container traffic encryption and the pipeline's volume and output KMS keys; DATA_BIAS checks
 * also run with network isolation. Model checks default to `networkIsolation: false`, because the
 * Clarify container calls the SageMaker API to create the shadow endpoint it sends the dataset to.
 */
export class ClarifyCheckStep extends Step {
  public readonly stepType: StepType = StepType.CLARIFY_CHECK;

  /** The properties the step was created with. */
  public readonly props: ClarifyCheckStepProps;

  constructor(name: string, props: ClarifyCheckStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The S3 URI of the computed constraints (`CalculatedBaselineConstraints`). */
  public get calculatedBaselineConstraints(): PipelineValue {
    return StepProperty.of(this, 'CalculatedBaselineConstraints', PipelineValueType.STRING);
  }

  /** The S3 URI of the constraints the check used (`BaselineUsedForDriftCheckConstraints`). */
  public get baselineUsedForDriftCheckConstraints(): PipelineValue {
    return StepProperty.of(this, 'BaselineUsedForDriftCheckConstraints', PipelineValueType.STRING);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const modelCheck = p.checkType !== ClarifyCheckType.DATA_BIAS;
    if (modelCheck && !p.modelName) ctx.error(`modelName is required for ${p.checkType} checks`);
    if (!modelCheck && p.modelName) ctx.error('modelName applies to MODEL_BIAS and MODEL_EXPLAINABILITY checks only');
    const args = renderProcessingJob(ctx, {
      step: this,
      props: p,
      image: p.image,
      inputs: [
        { inputName: 'analysis_config', source: p.analysisConfig, destination: `${BASE}/input/config` },
        { inputName: 'dataset', source: p.dataset, destination: `${BASE}/input/data` },
      ],
      outputs: [{ outputName: 'analysis_result', source: `${BASE}/output`, destination: p.outputS3Uri }],
      defaultNetworkIsolation: !modelCheck,
    });
    if (modelCheck) {
      ctx.requirements.endpoints.add(InterfaceEndpointService.SAGEMAKER_API);
      ctx.requirements.endpoints.add(InterfaceEndpointService.SAGEMAKER_RUNTIME);
    }
    return args;
  }

  /** @internal */
  protected _renderTopLevel(ctx: RenderContext): any {
    return compact({
      ...renderCheckTopLevel(ctx, this.props, this.props.checkType),
      ModelName: ctx.optStr(this.props.modelName, 'modelName'),
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
