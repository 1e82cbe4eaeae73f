import type { PropertyFile } from './functions';
import type { JobStepProps } from './job-resources';
import { compact, renderProcessingJob } from './private/jobs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { Step, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * An input of a processing job: S3 data copied into the container.
 */
export interface ProcessingInput {
  /** The input's name (unique among the job's inputs and outputs). */
  readonly inputName: string;
  /** The S3 URI to read. */
  readonly source: PipelineValue;
  /** The path in the container, under `/opt/ml/processing`. */
  readonly destination: string;
  /**
   * `S3Prefix` (every object under the prefix) or `ManifestFile`.
   *
   * @default 'S3Prefix'
   */
  readonly s3DataType?: string;
  /**
   * `File` (copied before the job starts) or `Pipe`.
   *
   * @default 'File'
   */
  readonly s3InputMode?: string;
  /**
   * `FullyReplicated` or `ShardedByS3Key`.
   *
   * @default 'FullyReplicated'
   */
  readonly distribution?: string;
}

/**
 * An output of a processing job: a container directory uploaded to S3, encrypted with the job's
 * output key.
 */
export interface ProcessingOutput {
  /** The output's name (unique among the job's inputs and outputs). */
  readonly outputName: string;
  /** The path in the container, under `/opt/ml/processing`. */
  readonly source: string;
  /** The S3 URI to upload to. */
  readonly destination: PipelineValue;
  /**
   * `EndOfJob` or `Continuous`.
   *
   * @default 'EndOfJob'
   */
  readonly uploadMode?: string;
}

/** Properties of a {@link ProcessingStep}. */
export interface ProcessingStepProps extends JobStepProps {
  /** The container image URI. */
  readonly image: PipelineValue;

  /**
   * The container's entrypoint, for example `['python3', '/opt/ml/processing/code/split.py']`.
   *
   * @default - the image's entrypoint
   */
  readonly containerEntrypoint?: string[];

  /**
   * Arguments passed to the entrypoint.
   *
   * @default - none
   */
  readonly containerArguments?: PipelineValue[];

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: PipelineValue };

  /**
   * The job's inputs.
   *
   * @default - none
   */
  readonly inputs?: ProcessingInput[];

  /**
   * The job's outputs.
   *
   * @default - none
   */
  readonly outputs?: ProcessingOutput[];

  /**
   * JSON files in the outputs that later steps read with `JsonGet`.
   *
   * @default - none
   */
  readonly propertyFiles?: PropertyFile[];
}

/**
 * A step that runs a SageMaker processing job.
 *
 * Secure defaults: the job runs in the pipeline's subnets and security groups, with network
 * isolation, inter-container traffic encryption, and the pipeline's volume and output KMS keys.
 *
 * @example
 * const split = new ProcessingStep('SplitData', {
 *   role: jobRole,
 *   image: PipelineValue.fromString(imageUri),
 *   instanceType: PipelineValue.fromString('ml.m5.xlarge'),
 *   containerEntrypoint: ['python3', '/opt/ml/processing/code/split.py'],
 *   inputs: [{ inputName: 'raw', source: inputData, destination: '/opt/ml/processing/input' }],
 *   outputs: [{ outputName: 'train', source: '/opt/ml/processing/train', destination: PipelineValue.fromS3Location(bucket, 'train') }],
 * });
 */
export class ProcessingStep extends Step {
  public readonly stepType: StepType = StepType.PROCESSING;

  /** The properties the step was created with. */
  public readonly props: ProcessingStepProps;

  constructor(name: string, props: ProcessingStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The name of the processing job. */
  public get processingJobName(): PipelineValue {
    return StepProperty.of(this, 'ProcessingJobName', PipelineValueType.STRING);
  }

  /** The processing job's ARN. */
  public get processingJobArn(): PipelineValue {
    return StepProperty.of(this, 'ProcessingJobArn', PipelineValueType.STRING);
  }

  /**
   * The S3 URI of an output (`ProcessingOutputConfig.Outputs['<name>'].S3Output.S3Uri`).
   *
   * @param outputName the name of one of the step's outputs
   */
  public outputUri(outputName: string): PipelineValue {
    const outputs = (this.props.outputs ?? []).map((o) => o.outputName);
    if (!outputs.includes(outputName)) {
      throw new Error(`ProcessingStep '${this.name}' has no output named '${outputName}' (outputs: ${outputs.join(', ') || 'none'})`);
    }
    return StepProperty.of(this, `ProcessingOutputConfig.Outputs['${outputName}'].S3Output.S3Uri`, PipelineValueType.STRING);
  }

  /** True when `file` is one of this step's property files. @internal */
  public _hasPropertyFile(file: PropertyFile): boolean {
    return (this.props.propertyFiles ?? []).includes(file);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const outputs = p.outputs ?? [];
    const args = renderProcessingJob(ctx, {
      step: this,
      props: p,
      image: p.image,
      entrypoint: p.containerEntrypoint,
      containerArguments: p.containerArguments,
      environment: p.environment,
      inputs: p.inputs ?? [],
      outputs,
    });
    const fileNames = new Set<string>();
    for (const f of p.propertyFiles ?? []) {
      if (fileNames.has(f.name)) ctx.error(`property file name '${f.name}' is used twice`);
      fileNames.add(f.name);
      const output = outputs.find((o) => o.outputName === f.outputName);
      if (!output) {
        ctx.error(`property file '${f.name}' names output '${f.outputName}', which the step does not have`);
      } else {
        // the pipeline role reads property files when the pipeline evaluates JsonGet
        ctx.requirements.pipelineReads.push(...ctx.locations(output.destination));
      }
    }
    if ((p.propertyFiles ?? []).length > 0) {
      const key = p.outputKey ?? ctx.defaults.outputKey;
      if (key) ctx.requirements.pipelineDecryptKeys.add(key);
    }
    return compact(args);
  }

  /** @internal */
  protected _renderTopLevel(ctx: RenderContext): any {
    const files = this.props.propertyFiles ?? [];
    void ctx;
    return files.length > 0 ? { PropertyFiles: files.map((f) => f._toJson()) } : {};
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
