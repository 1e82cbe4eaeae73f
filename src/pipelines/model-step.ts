import * as iam from 'aws-cdk-lib/aws-iam';
import type { JobSecurityOptions } from './job-security';
import { compact, renderContainer, vpcConfig } from './private/jobs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { RetryableStepProps, Step, StepProps, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * A model container: an inference image with its model artifacts and environment.
 */
export interface ModelContainer {
  /** The inference image URI. */
  readonly image: PipelineValue;

  /**
   * The S3 URI of the model artifacts (`model.tar.gz`).
   *
   * @default - the image needs no artifacts
   */
  readonly modelDataUrl?: PipelineValue;

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: PipelineValue };
}

/**
 * Properties of a {@link ModelStep}. Only the VPC settings and network isolation of
 * `JobSecurityOptions` apply to a model (it has no volumes or outputs of its own).
 */
export interface ModelStepProps extends StepProps, RetryableStepProps, JobSecurityOptions {
  /** The role the model's containers run with; the pipeline passes it to SageMaker. */
  readonly role: iam.IRole;

  /** The model's container. */
  readonly container: ModelContainer;
}

/**
 * A step that creates a SageMaker model (the `Model` step type, `CreateModel`).
 *
 * Secure defaults: the model (and every endpoint or transform job that uses it) runs in the
 * pipeline's subnets and security groups, with network isolation.
 *
 * @example
 * const model = new ModelStep('CreateModel', { role: modelRole, container: { image, modelDataUrl: train.modelArtifactsS3Uri } });
 */
export class ModelStep extends Step {
  public readonly stepType: StepType = StepType.MODEL;

  /** The properties the step was created with. */
  public readonly props: ModelStepProps;

  constructor(name: string, props: ModelStepProps) {
    super(name, props);
    this.props = props;
  }

  /** The name of the created model (`ModelName`). */
  public get modelName(): PipelineValue {
    return StepProperty.of(this, 'ModelName', PipelineValueType.STRING);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    const security = ctx.security(p, {
      vpc: true, networkIsolation: true, interContainerTrafficEncryption: false, volumeKey: false, outputKey: false,
    });
    ctx.recordJob('model', security, p.role);
    ctx.recordData(p.role, [p.container.modelDataUrl], []);
    return compact({
      ExecutionRoleArn: p.role.roleArn,
      PrimaryContainer: renderContainer(ctx, p.container, 'container'),
      EnableNetworkIsolation: security.networkIsolation,
      VpcConfig: vpcConfig(security),
      ModelName: ctx.jobName(this),
    });
  }

  /** @internal */
  protected _supportsRetry(): boolean {
    return true;
  }
}
