import type { RenderContext } from './private/render';
import { Step, StepProps, StepType } from './step';
import { PipelineValue } from './values';

/** Properties of a {@link FailStep}. */
export interface FailStepProps extends StepProps {
  /**
   * The error message of the failed execution (a literal, parameter or `Join`).
   *
   * @default - an empty message
   */
  readonly errorMessage?: PipelineValue;
}

/**
 * A step that stops the execution as failed.
 *
 * @example
 * new FailStep('MetricTooLow', { errorMessage: PipelineValue.fromString('The best candidate is below the threshold') });
 */
export class FailStep extends Step {
  public readonly stepType: StepType = StepType.FAIL;

  /** The properties the step was created with. */
  public readonly props: FailStepProps;

  constructor(name: string, props: FailStepProps = {}) {
    super(name, props);
    this.props = props;
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    return { ErrorMessage: ctx.str(this.props.errorMessage ?? PipelineValue.fromString(''), 'errorMessage') };
  }
}
