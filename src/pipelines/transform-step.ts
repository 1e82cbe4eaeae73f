import { Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ModelStep } from './model-step';
import { compact } from './private/jobs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { CacheableStepProps, RetryableStepProps, Step, StepProps, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/** Properties of a {@link TransformStep}. */
export interface TransformStepProps extends StepProps, RetryableStepProps, CacheableStepProps {
  /**
   * The model to run, usually `modelStep.modelName`. The transform job runs with the model's role,
   * VPC settings and network isolation.
   */
  readonly modelName: PipelineValue;

  /** The ML instance type (a literal or a String parameter). */
  readonly instanceType: PipelineValue;

  /**
   * The number of instances.
   *
   * @default 1
   */
  readonly instanceCount?: PipelineValue;

  /** The S3 URI of the data to transform. */
  readonly inputS3Uri: PipelineValue;

  /**
   * The MIME type of the input, for example `text/csv`.
   *
   * @default - none
   */
  readonly contentType?: string;

  /**
   * How to split the input into records: `None`, `Line`, `RecordIO` or `TFRecord`.
   *
   * @default - none
   */
  readonly splitType?: string;

  /** The S3 URI results are written under. */
  readonly outputPath: PipelineValue;

  /**
   * The MIME type of the results.
   *
   * @default - the container's default
   */
  readonly accept?: string;

  /**
   * `None` or `Line`.
   *
   * @default - none
   */
  readonly assembleWith?: string;

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: PipelineValue };

  /**
   * The KMS key of the instances' storage volumes (not used for instance types with local NVMe storage).
   *
   * @default - the pipeline's volume key
   */
  readonly volumeKey?: kms.IKey;

  /**
   * The KMS key of the results in S3.
   *
   * @default - the pipeline's output key
   */
  readonly outputKey?: kms.IKey;
}

/**
 * A step that runs a SageMaker batch transform job.
 *
 * Secure defaults: the pipeline's volume and output KMS keys. The job runs with the network settings
 * of its model (a {@link ModelStep} puts models in the VPC with network isolation).
 */
export class TransformStep extends Step {
  public readonly stepType: StepType = StepType.TRANSFORM;

  /** The properties the step was created with. */
  public readonly props: TransformStepProps;

  constructor(name: string, props: TransformStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The S3 URI of the results (`TransformOutput.S3OutputPath`). */
  public get outputS3Uri(): PipelineValue {
    return StepProperty.of(this, 'TransformOutput.S3OutputPath', PipelineValueType.STRING);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    if (p.instanceCount?._isLiteral() && !Token.isUnresolved(p.instanceCount._literal()) && !(p.instanceCount._literal() >= 1)) {
      ctx.error(`instanceCount must be at least 1, got ${p.instanceCount._literal()}`);
    }
    const security = ctx.security({ volumeKey: p.volumeKey, outputKey: p.outputKey },
      { vpc: false, networkIsolation: false, interContainerTrafficEncryption: false, volumeKey: true, outputKey: true }, p.instanceType);
    ctx.recordJob('transform', security, undefined);
    // the job reads and writes with its model's role: known when the model comes from a ModelStep
    const modelRole = p.modelName instanceof StepProperty && p.modelName.step instanceof ModelStep ? p.modelName.step.props.role : undefined;
    ctx.recordData(modelRole, [p.inputS3Uri], [p.outputPath]);
    if (modelRole) [security.volumeKey, security.outputKey].forEach((k) => k && ctx.requirements.stepRole(modelRole).keys.add(k));
    return compact({
      ModelName: ctx.str(p.modelName, 'modelName'),
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: ctx.str(p.inputS3Uri, 'inputS3Uri') } },
        ContentType: p.contentType,
        SplitType: p.splitType,
      },
      TransformOutput: { S3OutputPath: ctx.str(p.outputPath, 'outputPath'), Accept: p.accept, AssembleWith: p.assembleWith, KmsKeyId: security.outputKey?.keyArn },
      TransformResources: {
        InstanceType: ctx.str(p.instanceType, 'instanceType'),
        InstanceCount: ctx.int(p.instanceCount ?? PipelineValue.fromInteger(1), 'instanceCount'),
        VolumeKmsKeyId: security.volumeKey?.keyArn,
      },
      Environment: ctx.map(p.environment, 'environment'),
      TransformJobName: ctx.jobName(this),
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
