import { Token } from 'aws-cdk-lib';
import type { ValueReferences } from './private/references';
import type { Step } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * A property of a step, read after the step ran: `{"Get": "Steps.<step>.<path>"}`.
 *
 * The steps expose their documented properties as typed getters (for example
 * `TrainingStep.modelArtifactsS3Uri`); `StepProperty.of` reaches any other field of the step's
 * `Describe*` response. Referencing a property makes the reading step depend on the step.
 */
export class StepProperty extends PipelineValue {
  /**
   * Any property of a step, by its path in the step's `Describe*` response.
   *
   * @param step the step
   * @param path the path after the step name, for example `ModelArtifacts.S3ModelArtifacts`
   *   or `ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri`
   * @param type the run-time type of the property
   */
  public static of(step: Step, path: string, type: PipelineValueType): StepProperty {
    if (!Token.isUnresolved(path) && (path.length === 0 || path.startsWith('.') || path.endsWith('.'))) {
      throw new Error(`StepProperty.of(${step.name}): path must be a non-empty property path without leading or trailing dots, got '${path}'`);
    }
    return new StepProperty(step, path, type);
  }

  private constructor(
    /** The step the property belongs to. */
    public readonly step: Step,
    /** The path of the property within the step's properties. */
    public readonly path: string,
    /** The run-time type of the property. */
    public readonly type: PipelineValueType,
  ) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return { Get: `Steps.${this.step.name}.${this.path}` };
  }

  /** @internal */
  public _references(): ValueReferences {
    return { steps: [this.step], parameters: [], s3Locations: [] };
  }

  public describe(): string {
    return `${this.type} property '${this.path}' of step '${this.step.name}'`;
  }
}
