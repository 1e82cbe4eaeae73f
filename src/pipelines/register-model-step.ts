import { Token } from 'aws-cdk-lib';
import type { IModelPackageGroup, ModelApprovalStatus } from './model-package-group';
import { ModelApprovalStatus as Status } from './model-package-group';
import type { ModelContainer } from './model-step';
import { compact, renderContainer } from './private/jobs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { RetryableStepProps, Step, StepProps, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * A metrics report attached to a model package (for example the evaluation's statistics).
 */
export interface ModelMetricsSource {
  /** The S3 URI of the report. */
  readonly s3Uri: PipelineValue;
  /**
   * The report's MIME type.
   *
   * @default 'application/json'
   */
  readonly contentType?: string;
}

/** Properties of a {@link RegisterModelStep}. */
export interface RegisterModelStepProps extends StepProps, RetryableStepProps {
  /** The model package group to register a new version in. */
  readonly modelPackageGroup: IModelPackageGroup;

  /** The model's containers (usually one). */
  readonly containers: ModelContainer[];

  /** MIME types the model accepts, for example `['text/csv']`. */
  readonly contentTypes: string[];

  /** MIME types the model returns. */
  readonly responseTypes: string[];

  /**
   * Instance types the model may be deployed to for real-time inference.
   *
   * @default - none listed
   */
  readonly inferenceInstanceTypes?: string[];

  /**
   * Instance types the model may run batch transforms on.
   *
   * @default - none listed
   */
  readonly transformInstanceTypes?: string[];

  /**
   * The approval status of the new version. With a literal status, the pipeline role may register
   * only with that status.
   *
   * @default ModelApprovalStatus.PENDING_MANUAL_APPROVAL
   */
  readonly approvalStatus?: ModelApprovalStatus;

  /**
   * A description of the model package.
   *
   * @default - none
   */
  readonly modelPackageDescription?: string;

  /**
   * The model quality statistics report.
   *
   * @default - none
   */
  readonly modelQualityStatistics?: ModelMetricsSource;

  /**
   * Key-value metadata of the model package.
   *
   * @default - none
   */
  readonly customerMetadata?: { [key: string]: string };

  /**
   * The model's machine learning domain, for example `MACHINE_LEARNING`.
   *
   * @default - none
   */
  readonly domain?: string;

  /**
   * The model's task, for example `CLASSIFICATION`.
   *
   * @default - none
   */
  readonly task?: string;
}

/**
 * A step that registers a model version in a model package group (`CreateModelPackage`).
 *
 * Secure default: versions are registered as `PendingManualApproval`, and the pipeline role may
 * register only with the status the step uses.
 */
export class RegisterModelStep extends Step {
  public readonly stepType: StepType = StepType.REGISTER_MODEL;

  /** The properties the step was created with. */
  public readonly props: RegisterModelStepProps;

  constructor(name: string, props: RegisterModelStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The ARN of the registered model package (`ModelPackageArn`). */
  public get modelPackageArn(): PipelineValue {
    return StepProperty.of(this, 'ModelPackageArn', PipelineValueType.STRING);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const status = p.approvalStatus ?? Status.PENDING_MANUAL_APPROVAL;
    if (p.containers.length === 0) ctx.error('containers must not be empty');
    if (p.contentTypes.length === 0) ctx.error('contentTypes must not be empty');
    if (p.responseTypes.length === 0) ctx.error('responseTypes must not be empty');
    if (status.value !== undefined && !Token.isUnresolved(status.value) && !['Approved', 'Rejected', 'PendingManualApproval'].includes(status.value)) {
      ctx.error(`approvalStatus must be Approved, Rejected or PendingManualApproval, got '${status.value}'`);
    }
    const group = p.modelPackageGroup.modelPackageGroupName;
    if (!ctx.requirements.registrations.has(group)) ctx.requirements.registrations.set(group, []);
    ctx.requirements.registrations.get(group)!.push(status.value);
    ctx.requirements.modelPackageGroups.add(p.modelPackageGroup);
    return compact({
      ModelPackageGroupName: group,
      ModelPackageDescription: p.modelPackageDescription,
      ModelApprovalStatus: ctx.str(status.pipelineValue, 'approvalStatus'),
      InferenceSpecification: {
        Containers: p.containers.map((c, i) => renderContainer(ctx, c, `containers[${i}]`)),
        SupportedContentTypes: p.contentTypes,
        SupportedResponseMIMETypes: p.responseTypes,
        SupportedRealtimeInferenceInstanceTypes: p.inferenceInstanceTypes,
        SupportedTransformInstanceTypes: p.transformInstanceTypes,
      },
      ModelMetrics: p.modelQualityStatistics ? {
        ModelQuality: {
          Statistics: {
            ContentType: p.modelQualityStatistics.contentType ?? 'application/json',
            S3Uri: ctx.str(p.modelQualityStatistics.s3Uri, 'modelQualityStatistics.s3Uri'),
          },
        },
      } : undefined,
      CustomerMetadataProperties: p.customerMetadata,
      Domain: p.domain,
      Task: p.task,
    });
  }

  /** @internal */
  protected _supportsRetry(): boolean {
    return true;
  }
}
