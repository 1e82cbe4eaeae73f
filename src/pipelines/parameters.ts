import { Token } from 'aws-cdk-lib';
import type { ValueReferences } from './private/references';
import { PipelineValue, PipelineValueType } from './values';

/**
 * Options common to every pipeline parameter.
 */
export interface PipelineParameterOptions {
  /**
   * Name of the parameter: 1-64 letters, digits, hyphens or underscores, unique in the pipeline.
   */
  readonly name: string;

  /**
   * A description of the parameter (at most 4096 characters).
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * A pipeline parameter: declared in the definition's `Parameters` and rendered as
 * `{"Get": "Parameters.<name>"}` wherever it is used.
 */
export abstract class PipelineParameter extends PipelineValue {
  /** The parameter name. */
  public readonly name: string;

  /** The description, when one was given. */
  public readonly description?: string;

  protected constructor(options: PipelineParameterOptions) {
    super();
    this.name = options.name;
    this.description = options.description;
  }

  /** The default value, when one was given, as it appears in the definition. @internal */
  public abstract _defaultValue(): any;

  /** The parameter's declaration in the definition's `Parameters`. @internal */
  public _declaration(): any {
    const declaration: any = { Name: this.name, Type: this.type };
    const defaultValue = this._defaultValue();
    if (defaultValue !== undefined) declaration.DefaultValue = defaultValue;
    if (this.description !== undefined) declaration.Description = this.description;
    return declaration;
  }

  /** Problems with the declaration. @internal */
  public _declarationProblems(): string[] {
    const problems: string[] = [];
    if (!Token.isUnresolved(this.name) && !/^[A-Za-z0-9\-_]{1,64}$/.test(this.name)) {
      problems.push(`parameter name must be 1-64 letters, digits, hyphens or underscores, got '${this.name}'`);
    }
    if (this.description !== undefined && !Token.isUnresolved(this.description) && this.description.length > 4096) {
      problems.push(`parameter '${this.name}': description must be at most 4096 characters, got ${this.description.length}`);
    }
    return problems;
  }

  /** @internal */
  public _toJson(): any {
    return { Get: `Parameters.${this.name}` };
  }

  /** @internal */
  public _references(): ValueReferences {
    return { steps: [], parameters: [this], s3Locations: [] };
  }

  public describe(): string {
    return `${this.type} parameter '${this.name}'`;
  }
}

/** Properties of a {@link ParameterString}. */
export interface ParameterStringProps extends PipelineParameterOptions {
  /**
   * The value used when an execution does not set the parameter (at most 4096 characters).
   *
   * @default - no default: every execution must set the parameter
   */
  readonly defaultValue?: string;
}

/**
 * A String pipeline parameter.
 *
 * @example
 * const inputData = new ParameterString({ name: 'InputData', defaultValue: 's3://my-bucket/raw/' });
 */
export class ParameterString extends PipelineParameter {
  public readonly type: PipelineValueType = PipelineValueType.STRING;

  /** The default value. */
  public readonly defaultValue?: string;

  constructor(props: ParameterStringProps) {
    super(props);
    this.defaultValue = props.defaultValue;
  }

  /** @internal */
  public _defaultValue(): any {
    return this.defaultValue;
  }

  /** @internal */
  public _declarationProblems(): string[] {
    const problems = super._declarationProblems();
    if (this.defaultValue !== undefined && !Token.isUnresolved(this.defaultValue) && this.defaultValue.length > 4096) {
      problems.push(`parameter '${this.name}': defaultValue must be at most 4096 characters, got ${this.defaultValue.length}`);
    }
    return problems;
  }
}

/** Properties of a {@link ParameterInteger}. */
export interface ParameterIntegerProps extends PipelineParameterOptions {
  /**
   * The value used when an execution does not set the parameter.
   *
   * @default - no default: every execution must set the parameter
   */
  readonly defaultValue?: number;
}

/**
 * An Integer pipeline parameter.
 */
export class ParameterInteger extends PipelineParameter {
  public readonly type: PipelineValueType = PipelineValueType.INTEGER;

  /** The default value. */
  public readonly defaultValue?: number;

  constructor(props: ParameterIntegerProps) {
    super(props);
    this.defaultValue = props.defaultValue;
  }

  /** @internal */
  public _defaultValue(): any {
    return this.defaultValue;
  }

  /** @internal */
  public _declarationProblems(): string[] {
    const problems = super._declarationProblems();
    if (this.defaultValue !== undefined && !Token.isUnresolved(this.defaultValue) && !Number.isInteger(this.defaultValue)) {
      problems.push(`parameter '${this.name}': defaultValue must be an integer, got ${this.defaultValue}`);
    }
    return problems;
  }
}

/** Properties of a {@link ParameterFloat}. */
export interface ParameterFloatProps extends PipelineParameterOptions {
  /**
   * The value used when an execution does not set the parameter.
   *
   * @default - no default: every execution must set the parameter
   */
  readonly defaultValue?: number;
}

/**
 * A Float pipeline parameter.
 */
export class ParameterFloat extends PipelineParameter {
  public readonly type: PipelineValueType = PipelineValueType.FLOAT;

  /** The default value. */
  public readonly defaultValue?: number;

  constructor(props: ParameterFloatProps) {
    super(props);
    this.defaultValue = props.defaultValue;
  }

  /** @internal */
  public _defaultValue(): any {
    return this.defaultValue;
  }

  /** @internal */
  public _declarationProblems(): string[] {
    const problems = super._declarationProblems();
    if (this.defaultValue !== undefined && !Token.isUnresolved(this.defaultValue) && !Number.isFinite(this.defaultValue)) {
      problems.push(`parameter '${this.name}': defaultValue must be a finite number, got ${this.defaultValue}`);
    }
    return problems;
  }
}

/** Properties of a {@link ParameterBoolean}. */
export interface ParameterBooleanProps extends PipelineParameterOptions {
  /**
   * The value used when an execution does not set the parameter.
   *
   * @default - no default: every execution must set the parameter
   */
  readonly defaultValue?: boolean;
}

/**
 * A Boolean pipeline parameter.
 */
export class ParameterBoolean extends PipelineParameter {
  public readonly type: PipelineValueType = PipelineValueType.BOOLEAN;

  /** The default value. */
  public readonly defaultValue?: boolean;

  constructor(props: ParameterBooleanProps) {
    super(props);
    this.defaultValue = props.defaultValue;
  }

  /** @internal */
  public _defaultValue(): any {
    return this.defaultValue;
  }
}
