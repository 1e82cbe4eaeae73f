import { PipelineValue, PipelineValueType } from './values';

/**
 * A variable the pipeline sets for each execution, rendered as `{"Get": "Execution.<name>"}`.
 *
 * @example
 * const outputPrefix = Join.of([PipelineValue.fromString('s3://my-bucket/runs'), ExecutionVariable.PIPELINE_EXECUTION_ID], '/');
 */
export class ExecutionVariable extends PipelineValue {
  /** The time the execution started. */
  public static readonly START_DATETIME = new ExecutionVariable('StartDateTime');
  /** The time the variable is read. */
  public static readonly CURRENT_DATETIME = new ExecutionVariable('CurrentDateTime');
  /** The pipeline name. */
  public static readonly PIPELINE_NAME = new ExecutionVariable('PipelineName');
  /** The pipeline ARN. */
  public static readonly PIPELINE_ARN = new ExecutionVariable('PipelineArn');
  /** The execution ID. */
  public static readonly PIPELINE_EXECUTION_ID = new ExecutionVariable('PipelineExecutionId');
  /** The execution ARN. */
  public static readonly PIPELINE_EXECUTION_ARN = new ExecutionVariable('PipelineExecutionArn');
  /** The name of the training job of the step that reads it. */
  public static readonly TRAINING_JOB_NAME = new ExecutionVariable('TrainingJobName');
  /** The name of the processing job of the step that reads it. */
  public static readonly PROCESSING_JOB_NAME = new ExecutionVariable('ProcessingJobName');

  public readonly type: PipelineValueType = PipelineValueType.STRING;

  private constructor(public readonly variableName: string) {
    super();
  }

  /** @internal */
  public _toJson(): any {
    return { Get: `Execution.${this.variableName}` };
  }

  public describe(): string {
    return `execution variable '${this.variableName}'`;
  }
}
