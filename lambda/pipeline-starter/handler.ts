/**
 * Starts an execution of a SageMaker pipeline when CloudFormation creates the custom resource, and
 * again on updates when asked to (`StartOnUpdate`). Delete does nothing: executions that ran are
 * history, and stopping a running one is not the stack's business.
 *
 * The CloudFormation request ID is the execution's `ClientRequestToken`, so a retried request does
 * not start a second execution. Throttling is retried with exponential backoff; any other error fails
 * the stack operation with the service's message.
 */
// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { DEFAULT_RETRY, withRetry } from '../shared/retry';

export interface StarterEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
}

export interface StarterResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
}

export interface StarterContext {
  readonly sagemaker: SageMakerClient;
  /** Attempts on throttling, including the first call. @default 6 */
  readonly maxAttempts?: number;
  /** The first backoff delay; it doubles with each retry. @default 1000 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string, details?: { [key: string]: unknown }) => void;
}

interface PipelineParameter {
  readonly Name: string;
  readonly Value: string;
}

export async function onEvent(event: StarterEvent, ctx: StarterContext): Promise<StarterResult> {
  const props = event.ResourceProperties;
  const pipelineName = requireString(props.PipelineName, 'PipelineName');
  ctx.log?.('onEvent', { requestType: event.RequestType, pipelineName, physicalResourceId: event.PhysicalResourceId });

  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId ?? pipelineName };
  }
  if (event.RequestType === 'Update' && props.StartOnUpdate !== 'true') {
    return { PhysicalResourceId: event.PhysicalResourceId ?? pipelineName };
  }

  const parameters = parseParameters(props.PipelineParameters);
  const command = new StartPipelineExecutionCommand({
    PipelineName: pipelineName,
    PipelineParameters: parameters.length > 0 ? parameters : undefined,
    ClientRequestToken: clientRequestToken(event.RequestId),
    PipelineExecutionDescription: `Started by CloudFormation (${event.RequestType})`,
  });
  const response = await withThrottlingRetry(() => ctx.sagemaker.send(command), ctx);
  const arn = response.PipelineExecutionArn;
  if (!arn) throw new Error(`StartPipelineExecution for pipeline ${pipelineName} returned no PipelineExecutionArn`);
  ctx.log?.('started', { pipelineExecutionArn: arn });
  return { PhysicalResourceId: arn, Data: { PipelineExecutionArn: arn } };
}

/** The request ID, padded to the 32 characters `ClientRequestToken` needs at least. */
export function clientRequestToken(requestId: string): string {
  const token = requestId.replace(/[^a-zA-Z0-9-]/g, '');
  return token.length >= 32 ? token.slice(0, 128) : token.padEnd(32, '0');
}

export function parseParameters(value: unknown): PipelineParameter[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new Error('PipelineParameters must be a list of { Name, Value }');
  return value.map((p, i) => {
    if (p === null || typeof p !== 'object') throw new Error(`PipelineParameters[${i}] must be { Name, Value }`);
    const { Name, Value } = p as { Name?: unknown; Value?: unknown };
    return { Name: requireString(Name, `PipelineParameters[${i}].Name`), Value: String(Value ?? '') };
  });
}

/** Retries throttling with exponential backoff (fixed delays, each one logged). */
async function withThrottlingRetry<T>(call: () => Promise<T>, ctx: StarterContext): Promise<T> {
  const sleep = ctx.sleep ?? DEFAULT_RETRY.sleep;
  let attempt = 0;
  return withRetry(call, {
    attempts: ctx.maxAttempts ?? 6,
    baseDelayMs: ctx.baseDelayMs ?? 1000,
    maxDelayMs: Number.POSITIVE_INFINITY,
    jitter: false,
    sleep: async (delayMs) => {
      ctx.log?.('throttled, retrying', { attempt: ++attempt, delayMs });
      await sleep(delayMs);
    },
  });
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${name} must be a non-empty string`);
  return value;
}
