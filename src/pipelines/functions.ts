import { Token } from 'aws-cdk-lib';
import { mergeReferences, ValueReferences } from './private/references';
import type { ProcessingStep } from './processing-step';
import type { Step } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * `Std:Join`: the string concatenation of values, evaluated when the pipeline runs.
 *
 * @example
 * const output = Join.of([PipelineValue.fromString('s3://my-bucket/runs'), ExecutionVariable.PIPELINE_EXECUTION_ID, PipelineValue.fromString('model')], '/');
 */
export class Join extends PipelineValue {
  /**
   * Joins values with a separator.
   *
   * @param values literals, parameters, execution variables or step properties (not other functions)
   * @param separator the separator
   */
  public static of(values: PipelineValue[], separator: string = ''): Join {
    if (values.length === 0) throw new Error('Join.of: values must not be empty');
    return new Join(values, separator);
  }

  public readonly type: PipelineValueType = PipelineValueType.STRING;

  private constructor(public readonly values: PipelineValue[], public readonly separator: string) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return {
      'Std:Join': {
        On: this.separator,
        // Join's result is a string: literals of other types join as their string form
        Values: this.values.map((v) => (v._isLiteral() && typeof v._literal() !== 'string' && !Token.isUnresolved(v._literal()) ? String(v._literal()) : v._toJson())),
      },
    };
  }

  /** @internal */
  public _references(): ValueReferences {
    return mergeReferences(this.values);
  }

  /** @internal */
  public _problems(): string[] {
    return this.values
      .filter((v) => v instanceof Join || v instanceof JsonGet)
      .map((v) => `Join values must be literals, parameters, execution variables or step properties, got ${v.describe()}`);
  }

  public describe(): string {
    return 'Join function';
  }
}

/** Properties of a {@link PropertyFile}. */
export interface PropertyFileProps {
  /** The name `JsonGet` refers to the file by (unique within its step). */
  readonly name: string;
  /** The processing output the file is written to. */
  readonly outputName: string;
  /** The path of the JSON file within the output, for example `evaluation.json`. */
  readonly path: string;
}

/**
 * A JSON file written by a processing step that the pipeline indexes, so that later steps and
 * conditions can read values from it with `JsonGet`.
 *
 * @example
 * const report = new PropertyFile({ name: 'Evaluation', outputName: 'evaluation', path: 'evaluation.json' });
 */
export class PropertyFile {
  /** The file's name. */
  public readonly name: string;
  /** The processing output the file is in. */
  public readonly outputName: string;
  /** The path within the output. */
  public readonly path: string;

  constructor(props: PropertyFileProps) {
    this.name = props.name;
    this.outputName = props.outputName;
    this.path = props.path;
  }

  /** The file's entry in the step's `PropertyFiles`. @internal */
  public _toJson(): any {
    return { PropertyFileName: this.name, OutputName: this.outputName, FilePath: this.path };
  }
}

/**
 * `Std:JsonGet`: a value read from a JSON file when the pipeline runs.
 *
 * @example
 * const f1 = JsonGet.fromPropertyFile(evaluate, report, 'binary_classification_metrics.f1.value', PipelineValueType.FLOAT);
 */
export class JsonGet extends PipelineValue {
  /**
   * A value from a property file of a processing step.
   *
   * @param step the processing step that writes the file
   * @param file a property file of that step
   * @param jsonPath the JsonPath of the value in the file
   * @param type the run-time type of the value
   */
  public static fromPropertyFile(step: ProcessingStep, file: PropertyFile, jsonPath: string,
    type: PipelineValueType = PipelineValueType.ANY): JsonGet {
    return new JsonGet(jsonPath, type, step, file, undefined);
  }

  /**
   * A value from a JSON file in S3.
   *
   * @param s3Uri the S3 URI of the file (a literal, parameter, property or `Join` of them)
   * @param jsonPath the JsonPath of the value in the file
   * @param type the run-time type of the value
   * @param producedBy the step that writes the file, so that the reading step runs after it
   */
  public static fromS3Uri(s3Uri: PipelineValue, jsonPath: string, type: PipelineValueType = PipelineValueType.ANY, producedBy?: Step): JsonGet {
    return new JsonGet(jsonPath, type, producedBy, undefined, s3Uri);
  }

  private constructor(
    /** The JsonPath of the value. */
    public readonly jsonPath: string,
    /** The run-time type of the value. */
    public readonly type: PipelineValueType,
    private readonly step: Step | undefined,
    private readonly file: PropertyFile | undefined,
    private readonly s3Uri: PipelineValue | undefined,
  ) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    if (this.file) {
      return { 'Std:JsonGet': { PropertyFile: { Get: `Steps.${this.step!.name}.PropertyFiles.${this.file.name}` }, Path: this.jsonPath } };
    }
    return { 'Std:JsonGet': { S3Uri: this.s3Uri!._toJson(), Path: this.jsonPath } };
  }

  /** @internal */
  public _references(): ValueReferences {
    const refs = mergeReferences([this.s3Uri]);
    return { ...refs, steps: this.step ? [this.step, ...refs.steps] : refs.steps };
  }

  /** @internal */
  public _problems(): string[] {
    const problems: string[] = [];
    if (!Token.isUnresolved(this.jsonPath) && this.jsonPath.trim().length === 0) problems.push('JsonGet path must not be empty');
    if (this.file && this.step && !(this.step as any)._hasPropertyFile?.(this.file)) {
      problems.push(`JsonGet reads property file '${this.file.name}', which is not a property file of step '${this.step.name}'`);
    }
    if (this.s3Uri) {
      if (this.s3Uri instanceof JsonGet) problems.push('JsonGet S3 URI must not be another JsonGet');
      problems.push(...this.s3Uri._problems());
    }
    return problems;
  }

  /** The property file's step and file, when reading a property file. @internal */
  public _propertyFile(): { step: Step; file: PropertyFile } | undefined {
    return this.file && this.step ? { step: this.step, file: this.file } : undefined;
  }

  public describe(): string {
    return `JsonGet '${this.jsonPath}'`;
  }
}
