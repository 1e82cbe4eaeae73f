import type { Condition } from './conditions';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { Step, StepProps, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/** Properties of a {@link ConditionStep}. */
export interface ConditionStepProps extends StepProps {
  /** The conditions; the step takes the `ifSteps` branch when all of them are true. */
  readonly conditions: Condition[];

  /**
   * Steps that run when every condition is true.
   *
   * @default - none
   */
  readonly ifSteps?: Step[];

  /**
   * Steps that run otherwise.
   *
   * @default - none
   */
  readonly elseSteps?: Step[];
}

/**
 * A step that branches on conditions. The branch steps are part of this step (they must not also
 * be listed in the definition's steps), and condition steps cannot be nested.
 *
 * @example
 * new ConditionStep('CheckF1', {
 *   conditions: [Condition.greaterThanOrEqualTo(automl.bestCandidateObjectiveMetricValue, threshold)],
 *   ifSteps: [register],
 *   elseSteps: [fail],
 * });
 */
export class ConditionStep extends Step {
  public readonly stepType: StepType = StepType.CONDITION;

  /** The properties the step was created with. */
  public readonly props: ConditionStepProps;

  constructor(name: string, props: ConditionStepProps) {
    super(name, props);
    this.props = props;
  }

  /** Whether the conditions were true (`Outcome`). */
  public get outcome(): PipelineValue {
    return StepProperty.of(this, 'Outcome', PipelineValueType.BOOLEAN);
  }

  /** @internal */
  public _children(): Step[] {
    return [...(this.props.ifSteps ?? []), ...(this.props.elseSteps ?? [])];
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    const p = this.props;
    if (p.conditions.length === 0) ctx.error('conditions must not be empty');
    const conditions = p.conditions.map((c) => {
      ctx.trackReferences(c._references());
      c._problems().forEach((e) => ctx.error(`condition ${c.conditionType}: ${e}`));
      return c._toJson();
    });
    for (const child of this._children()) {
      if (child instanceof ConditionStep) ctx.error(`condition steps cannot be nested, but '${child.name}' is in a branch`);
    }
    return {
      Conditions: conditions,
      IfSteps: (p.ifSteps ?? []).map((s) => s._render(ctx)),
      ElseSteps: (p.elseSteps ?? []).map((s) => s._render(ctx)),
    };
  }
}
