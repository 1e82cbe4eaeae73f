import { Duration, Token } from 'aws-cdk-lib';
import type { RenderContext } from './private/render';
import type { RetryPolicy } from './step-options';

/**
 * Options every step takes.
 */
export interface StepProps {
  /**
   * A display name for the step (1-64 letters, digits, hyphens or underscores).
   *
   * @default - none; the step name is shown
   */
  readonly displayName?: string;

  /**
   * A description of the step (at most 4096 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Steps that must finish before this one starts, in addition to the steps whose properties this
   * step reads (those dependencies are inferred).
   *
   * @default - only the inferred dependencies
   */
  readonly dependsOn?: Step[];
}

/**
 * Options of steps that support retry policies.
 */
export interface RetryableStepProps {
  /**
   * Retry policies of the step.
   *
   * @default - no retries beyond the service's own retries of service faults and throttling
   */
  readonly retryPolicies?: RetryPolicy[];
}

/**
 * Options of steps that support caching.
 */
export interface CacheableStepProps {
  /**
   * Reuse the result of a successful run of this step with the same arguments, if it is at most
   * this old (ISO 8601 duration in the definition).
   *
   * @default - caching off: the step runs every time
   */
  readonly cacheExpireAfter?: Duration;
}

/**
 * Options of the base {@link Step} class.
 */
export interface StepBaseOptions extends StepProps, RetryableStepProps, CacheableStepProps {}

/**
 * The step types of a pipeline definition, as they appear in a step's `Type`.
 */
export enum StepType {
  /** A processing job. */
  PROCESSING = 'Processing',
  /** A training job. */
  TRAINING = 'Training',
  /** A hyperparameter tuning job. */
  TUNING = 'Tuning',
  /** An AutoML (Autopilot) job. */
  AUTOML = 'AutoML',
  /** A SageMaker model. */
  MODEL = 'Model',
  /** A model package in the model registry. */
  REGISTER_MODEL = 'RegisterModel',
  /** A batch transform job. */
  TRANSFORM = 'Transform',
  /** A branch on conditions. */
  CONDITION = 'Condition',
  /** Stops the execution as failed. */
  FAIL = 'Fail',
  /** A Lambda function invocation. */
  LAMBDA = 'Lambda',
  /** A message to an SQS queue, waiting for a callback. */
  CALLBACK = 'Callback',
  /** A data or model quality check. */
  QUALITY_CHECK = 'QualityCheck',
  /** A SageMaker Clarify bias or explainability check. */
  CLARIFY_CHECK = 'ClarifyCheck',
  /** A step on an Amazon EMR cluster. */
  EMR = 'EMR',
}

/**
 * A step of a pipeline definition.
 *
 * A step object belongs to one place in one definition: either the definition's steps or one
 * branch of a condition step.
 */
export abstract class Step {
  /** The step name (1-64 letters, digits, hyphens or underscores, unique in the pipeline). */
  public readonly name: string;

  /** The step type. */
  public abstract readonly stepType: StepType;

  /** The display name. */
  public readonly displayName?: string;

  /** The description. */
  public readonly description?: string;

  private readonly explicitDependencies: Step[];
  private readonly retryPolicies?: RetryPolicy[];
  private readonly cacheExpireAfter?: Duration;

  protected constructor(name: string, props: StepBaseOptions) {
    this.name = name;
    this.displayName = props.displayName;
    this.description = props.description;
    this.explicitDependencies = [...(props.dependsOn ?? [])];
    this.retryPolicies = props.retryPolicies;
    this.cacheExpireAfter = props.cacheExpireAfter;
  }

  /** The steps this step explicitly depends on. */
  public get dependsOn(): Step[] {
    return [...this.explicitDependencies];
  }

  /** Makes this step run after `steps` (explicit `DependsOn`). */
  public addDependsOn(...steps: Step[]): void {
    for (const s of steps) {
      if (!this.explicitDependencies.includes(s)) this.explicitDependencies.push(s);
    }
  }

  /** The step as it appears in the definition. @internal */
  public _render(ctx: RenderContext): any {
    return ctx.inStep(this, () => {
      const json: any = { Name: this.name, Type: this.stepType, Arguments: this._renderArguments(ctx) };
      Object.assign(json, this._renderTopLevel(ctx));
      if (this.explicitDependencies.length > 0) json.DependsOn = this.explicitDependencies.map((s) => s.name);
      if (this.displayName !== undefined) json.DisplayName = this.displayName;
      if (this.description !== undefined) json.Description = this.description;
      if (this.retryPolicies && this.retryPolicies.length > 0) {
        if (!this._supportsRetry()) {
          ctx.error(`${this.stepType} steps do not support retry policies`);
        } else {
          this.retryPolicies.forEach((p) => p._problems().forEach((e) => ctx.error(e)));
          json.RetryPolicies = this.retryPolicies.map((p) => p._toJson());
        }
      }
      if (this.cacheExpireAfter !== undefined) {
        if (!this._supportsCache()) {
          ctx.error(`${this.stepType} steps do not support caching`);
        } else {
          json.CacheConfig = { Enabled: true, ExpireAfter: this.cacheExpireAfter.toIsoString() };
        }
      }
      return json;
    });
  }

  /** Problems with the step's own settings, independent of the definition. @internal */
  public _problems(): string[] {
    const problems: string[] = [];
    const pattern = /^[A-Za-z0-9\-_]{1,64}$/;
    if (!Token.isUnresolved(this.name) && !pattern.test(this.name)) {
      problems.push(`step name must be 1-64 letters, digits, hyphens or underscores, got '${this.name}'`);
    }
    if (this.displayName !== undefined && !Token.isUnresolved(this.displayName) && !pattern.test(this.displayName)) {
      problems.push(`step '${this.name}': displayName must be 1-64 letters, digits, hyphens or underscores, got '${this.displayName}'`);
    }
    if (this.description !== undefined && !Token.isUnresolved(this.description) && this.description.length > 4096) {
      problems.push(`step '${this.name}': description must be at most 4096 characters, got ${this.description.length}`);
    }
    return problems;
  }

  /** Steps nested in this one (condition branches). @internal */
  public _children(): Step[] {
    return [];
  }

  /** The step's `Arguments`. @internal */
  protected _renderArguments(_ctx: RenderContext): any {
    return {};
  }

  /** Fields of the step next to `Arguments` (for example `FunctionArn`). @internal */
  protected _renderTopLevel(_ctx: RenderContext): any {
    return {};
  }

  /** Whether the step type takes `RetryPolicies`. @internal */
  protected _supportsRetry(): boolean {
    return false;
  }

  /** Whether the step type takes `CacheConfig`. @internal */
  protected _supportsCache(): boolean {
    return false;
  }
}
