import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { RenderContext } from './private/render';
import { StepProperty } from './properties';
import { CacheableStepProps, Step, StepProps, StepType } from './step';
import { PipelineValue, PipelineValueType } from './values';

/**
 * An output parameter of a Lambda or callback step.
 */
export interface StepOutputParameter {
  /** The output's name. */
  readonly name: string;
  /**
   * The output's type (String, Integer, Float or Boolean).
   *
   * @default PipelineValueType.STRING
   */
  readonly type?: PipelineValueType;
}

function renderOutputs(ctx: RenderContext, outputs: StepOutputParameter[]): any[] {
  const names = new Set<string>();
  return outputs.map((o) => {
    const type = o.type ?? PipelineValueType.STRING;
    if (type === PipelineValueType.ANY) ctx.error(`output '${o.name}': type must be String, Integer, Float or Boolean`);
    if (names.has(o.name)) ctx.error(`output name '${o.name}' is used twice`);
    names.add(o.name);
    return { OutputName: o.name, OutputType: type };
  });
}

function outputProperty(step: Step, outputs: StepOutputParameter[], name: string): PipelineValue {
  const output = outputs.find((o) => o.name === name);
  if (!output) {
    throw new Error(`${step.stepType} step '${step.name}' has no output named '${name}' (outputs: ${outputs.map((o) => o.name).join(', ') || 'none'})`);
  }
  return StepProperty.of(step, `OutputParameters['${name}']`, output.type ?? PipelineValueType.STRING);
}

/** Properties of a {@link LambdaStep}. */
export interface LambdaStepProps extends StepProps, CacheableStepProps {
  /** The function to invoke; the pipeline role may invoke exactly this function. */
  readonly function: lambda.IFunction;

  /**
   * The event the function receives.
   *
   * @default - an empty event
   */
  readonly inputs?: { [name: string]: PipelineValue };

  /**
   * The values the function returns that later steps read.
   *
   * @default - none
   */
  readonly outputs?: StepOutputParameter[];
}

/**
 * A step that invokes a Lambda function.
 *
 * @example
 * new LambdaStep('Notify', { function: notifier, inputs: { model: register.modelPackageArn } });
 */
export class LambdaStep extends Step {
  public readonly stepType: StepType = StepType.LAMBDA;

  /** The properties the step was created with. */
  public readonly props: LambdaStepProps;

  constructor(name: string, props: LambdaStepProps) {
    super(name, props);
    this.props = props;
  }

  /**
   * An output of the function (`OutputParameters['<name>']`).
   *
   * @param name the name of one of the step's outputs
   */
  public output(name: string): PipelineValue {
    return outputProperty(this, this.props.outputs ?? [], name);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    ctx.requirements.functions.push(this.props.function);
    return ctx.map(this.props.inputs, 'inputs') ?? {};
  }

  /** @internal */
  protected _renderTopLevel(ctx: RenderContext): any {
    const arn = this.props.function.functionArn;
    if (!Token.isUnresolved(arn) && !arn.startsWith('arn:')) ctx.error(`function must be a Lambda function ARN, got '${arn}'`);
    return { FunctionArn: arn, OutputParameters: renderOutputs(ctx, this.props.outputs ?? []) };
  }

  /** @internal */
  protected _supportsCache(): boolean {
    return true;
  }
}

/** Properties of a {@link CallbackStep}. */
export interface CallbackStepProps extends StepProps, CacheableStepProps {
  /**
   * The queue the pipeline sends the callback token and inputs to; the pipeline role may send to
   * exactly this queue (and use its KMS key).
   */
  readonly queue: sqs.IQueue;

  /**
   * The inputs sent with the token.
   *
   * @default - none
   */
  readonly inputs?: { [name: string]: PipelineValue };

  /**
   * The values the consumer returns with `SendPipelineExecutionStepSuccess`.
   *
   * @default - none
   */
  readonly outputs?: StepOutputParameter[];
}

/**
 * A step that sends a message to an SQS queue and waits until a consumer reports success or
 * failure with the token in it (grant the consumer `Pipeline.grantSendCallback`).
 */
export class CallbackStep extends Step {
  public readonly stepType: StepType = StepType.CALLBACK;

  /** The properties the step was created with. */
  public readonly props: CallbackStepProps;

  constructor(name: string, props: CallbackStepProps) {
    super(name, props);
    this.props = props;
  }

  /**
   * An output the consumer returns (`OutputParameters['<name>']`).
   *
   * @param name the name of one of the step's outputs
   */
  public output(name: string): PipelineValue {
    return outputProperty(this, this.props.outputs ?? [], name);
  }

  /** @internal */
  protected _renderArguments(ctx: RenderContext): any {
    ctx.requirements.queues.push(this.props.queue);
    return ctx.map(this.props.inputs, 'inputs') ?? {};
  }

  /** @internal */
  protected _renderTopLevel(ctx: RenderContext): any {
    return { SqsQueueUrl: this.props.queue.queueUrl, OutputParameters: renderOutputs(ctx, this.props.outputs ?? []) };
  }

  /** @internal */
  protected _supportsCache(): boolean {
    return true;
  }
}
