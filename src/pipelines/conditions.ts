import { mergeReferences, ValueReferences } from './private/references';
import { PipelineValue, PipelineValueType } from './values';

/**
 * A condition of a {@link ConditionStep}, evaluated when the pipeline runs.
 *
 * @example
 * Condition.greaterThanOrEqualTo(automl.bestCandidateObjectiveMetricValue, threshold);
 * Condition.negate(Condition.isIn(region, [PipelineValue.fromString('us-east-1')]));
 */
export abstract class Condition {
  /** `left == right`. */
  public static equalTo(left: PipelineValue, right: PipelineValue): Condition {
    return new ComparisonCondition('Equals', left, right);
  }

  /** `left > right`. */
  public static greaterThan(left: PipelineValue, right: PipelineValue): Condition {
    return new ComparisonCondition('GreaterThan', left, right);
  }

  /** `left >= right`. */
  public static greaterThanOrEqualTo(left: PipelineValue, right: PipelineValue): Condition {
    return new ComparisonCondition('GreaterThanOrEqualTo', left, right);
  }

  /** `left < right`. */
  public static lessThan(left: PipelineValue, right: PipelineValue): Condition {
    return new ComparisonCondition('LessThan', left, right);
  }

  /** `left <= right`. */
  public static lessThanOrEqualTo(left: PipelineValue, right: PipelineValue): Condition {
    return new ComparisonCondition('LessThanOrEqualTo', left, right);
  }

  /** `value` is one of `values` (the `In` condition). */
  public static isIn(value: PipelineValue, values: PipelineValue[]): Condition {
    return new InCondition(value, values);
  }

  /** The negation of a condition (the `Not` condition). */
  public static negate(condition: Condition): Condition {
    return new NotCondition(condition);
  }

  /** True when at least one of the conditions is (the `Or` condition). */
  public static anyOf(...conditions: Condition[]): Condition {
    return new OrCondition(conditions);
  }

  /** The condition's type in the definition, for example `GreaterThan`. */
  public abstract readonly conditionType: string;

  /** The condition as it appears in the definition. @internal */
  public abstract _toJson(): any;

  /** What the condition refers to. @internal */
  public abstract _references(): ValueReferences;

  /** Problems with the condition. @internal */
  public abstract _problems(): string[];
}

const ORDERED = new Set(['GreaterThan', 'GreaterThanOrEqualTo', 'LessThan', 'LessThanOrEqualTo']);

class ComparisonCondition extends Condition {
  constructor(public readonly conditionType: string, private readonly left: PipelineValue, private readonly right: PipelineValue) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return { Type: this.conditionType, LeftValue: this.left._toJson(), RightValue: this.right._toJson() };
  }

  /** @internal */
  public _references(): ValueReferences {
    return mergeReferences([this.left, this.right]);
  }

  /** @internal */
  public _problems(): string[] {
    const problems = [...this.left._problems(), ...this.right._problems()];
    if (ORDERED.has(this.conditionType)) {
      for (const v of [this.left, this.right]) {
        if (v.type === PipelineValueType.BOOLEAN) {
          problems.push(`${this.conditionType} cannot order booleans, got ${v.describe()}`);
        }
      }
    }
    const known = [this.left.type, this.right.type].filter((t) => t !== PipelineValueType.ANY);
    const numeric = (t: PipelineValueType) => t === PipelineValueType.INTEGER || t === PipelineValueType.FLOAT;
    if (this.conditionType === 'Equals' && known.length === 2 && known[0] !== known[1] && !(numeric(known[0]) && numeric(known[1]))) {
      problems.push(`Equals compares values of one type, got ${this.left.describe()} and ${this.right.describe()}`);
    }
    return problems;
  }
}

class InCondition extends Condition {
  public readonly conditionType = 'In';

  constructor(private readonly value: PipelineValue, private readonly values: PipelineValue[]) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    // QueryValue/Values is what the SageMaker Python SDK emits and the service runs (the published
    // schema's Value/In spelling is not what the service accepts)
    return { Type: 'In', QueryValue: this.value._toJson(), Values: this.values.map((v) => v._toJson()) };
  }

  /** @internal */
  public _references(): ValueReferences {
    return mergeReferences([this.value, ...this.values]);
  }

  /** @internal */
  public _problems(): string[] {
    const problems = [this.value, ...this.values].flatMap((v) => v._problems());
    if (this.values.length === 0) problems.push('In needs at least one value to compare with');
    return problems;
  }
}

class NotCondition extends Condition {
  public readonly conditionType = 'Not';

  constructor(private readonly condition: Condition) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return { Type: 'Not', Condition: this.condition._toJson() };
  }

  /** @internal */
  public _references(): ValueReferences {
    return this.condition._references();
  }

  /** @internal */
  public _problems(): string[] {
    return this.condition._problems();
  }
}

class OrCondition extends Condition {
  public readonly conditionType = 'Or';

  constructor(private readonly conditions: Condition[]) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return { Type: 'Or', Conditions: this.conditions.map((c) => c._toJson()) };
  }

  /** @internal */
  public _references(): ValueReferences {
    const all = this.conditions.map((c) => c._references());
    return {
      steps: all.flatMap((r) => r.steps),
      parameters: all.flatMap((r) => r.parameters),
      s3Locations: all.flatMap((r) => r.s3Locations),
    };
  }

  /** @internal */
  public _problems(): string[] {
    const problems = this.conditions.flatMap((c) => c._problems());
    if (this.conditions.length < 2) problems.push(`Or needs at least two conditions, got ${this.conditions.length}`);
    return problems;
  }
}
