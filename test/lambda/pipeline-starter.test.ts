import { SageMakerClient, StartPipelineExecutionCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { clientRequestToken, onEvent, parseParameters, StarterEvent } from '../../lambda/pipeline-starter/handler';

const sagemaker = mockClient(SageMakerClient);
const EXECUTION_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/employee-retention/execution/abcd1234efgh';
const REQUEST_ID = '2f8b7c4e-1a2b-4c3d-9e8f-0123456789ab';

function event(requestType: StarterEvent['RequestType'], props: { [key: string]: unknown } = {}, physicalResourceId?: string): StarterEvent {
  return {
    RequestType: requestType,
    RequestId: REQUEST_ID,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { PipelineName: 'employee-retention', PipelineParameters: [{ Name: 'Mode', Value: 'smoke-test' }], StartOnUpdate: 'true', ...props },
  };
}

const sleeps: number[] = [];
const ctx = () => ({ sagemaker: new SageMakerClient({ region: 'us-east-1' }), sleep: async (ms: number) => { sleeps.push(ms); }, baseDelayMs: 100, maxAttempts: 4 });

beforeEach(() => {
  sagemaker.reset();
  sleeps.length = 0;
});

describe('pipeline-starter handler', () => {
  test('create starts an execution with the parameters and an idempotency token', async () => {
    sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXECUTION_ARN });
    const result = await onEvent(event('Create'), ctx());
    expect(result).toEqual({ PhysicalResourceId: EXECUTION_ARN, Data: { PipelineExecutionArn: EXECUTION_ARN } });
    const input = sagemaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input;
    expect(input).toMatchObject({
      PipelineName: 'employee-retention',
      PipelineParameters: [{ Name: 'Mode', Value: 'smoke-test' }],
      ClientRequestToken: REQUEST_ID,
    });
  });

  test('create without parameters sends none', async () => {
    sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXECUTION_ARN });
    await onEvent(event('Create', { PipelineParameters: [] }), ctx());
    expect(sagemaker.commandCalls(StartPipelineExecutionCommand)[0].args[0].input.PipelineParameters).toBeUndefined();
  });

  test('update starts a new execution when StartOnUpdate is true', async () => {
    sagemaker.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: `${EXECUTION_ARN}2` });
    const result = await onEvent(event('Update', {}, EXECUTION_ARN), ctx());
    expect(result.PhysicalResourceId).toEqual(`${EXECUTION_ARN}2`);
    expect(sagemaker.commandCalls(StartPipelineExecutionCommand)).toHaveLength(1);
  });

  test('update keeps the resource and starts nothing when StartOnUpdate is false', async () => {
    const result = await onEvent(event('Update', { StartOnUpdate: 'false' }, EXECUTION_ARN), ctx());
    expect(result).toEqual({ PhysicalResourceId: EXECUTION_ARN });
    expect(sagemaker.commandCalls(StartPipelineExecutionCommand)).toHaveLength(0);
  });

  test('delete does nothing, also when the pipeline is already gone', async () => {
    sagemaker.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error('Pipeline not found'), { name: 'ResourceNotFound' }));
    expect(await onEvent(event('Delete', {}, EXECUTION_ARN), ctx())).toEqual({ PhysicalResourceId: EXECUTION_ARN });
    expect(await onEvent(event('Delete', {}, undefined), ctx())).toEqual({ PhysicalResourceId: 'employee-retention' });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('throttling is retried with exponential backoff', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sagemaker.on(StartPipelineExecutionCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'SomethingElse', $retryable: { throttling: true } }))
      .resolves({ PipelineExecutionArn: EXECUTION_ARN });
    const result = await onEvent(event('Create'), ctx());
    expect(result.PhysicalResourceId).toEqual(EXECUTION_ARN);
    expect(sleeps).toEqual([100, 200]);
    expect(sagemaker.commandCalls(StartPipelineExecutionCommand)).toHaveLength(3);
  });

  test('throttling that outlasts the attempts fails the operation', async () => {
    sagemaker.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(onEvent(event('Create'), ctx())).rejects.toThrow(/Rate exceeded/);
    expect(sagemaker.commandCalls(StartPipelineExecutionCommand)).toHaveLength(4);
  });

  test('other errors fail the operation at once, with the service message', async () => {
    sagemaker.on(StartPipelineExecutionCommand).rejects(Object.assign(new Error('Pipeline employee-retention does not exist'), { name: 'ResourceNotFound' }));
    await expect(onEvent(event('Create'), ctx())).rejects.toThrow(/Pipeline employee-retention does not exist/);
    expect(sleeps).toEqual([]);
  });

  test('a response without an execution ARN is a failure', async () => {
    sagemaker.on(StartPipelineExecutionCommand).resolves({});
    await expect(onEvent(event('Create'), ctx())).rejects.toThrow(/returned no PipelineExecutionArn/);
  });

  test('invalid properties are errors naming the property', async () => {
    await expect(onEvent(event('Create', { PipelineName: '' }), ctx())).rejects.toThrow(/PipelineName must be a non-empty string/);
    expect(() => parseParameters('x')).toThrow(/PipelineParameters must be a list/);
    expect(() => parseParameters([null])).toThrow(/PipelineParameters\[0\] must be \{ Name, Value \}/);
    expect(() => parseParameters([{ Value: 'x' }])).toThrow(/PipelineParameters\[0\].Name must be a non-empty string/);
    expect(parseParameters(undefined)).toEqual([]);
  });

  test('short request IDs are padded to the 32 characters a client request token needs', () => {
    expect(clientRequestToken('abc')).toHaveLength(32);
    expect(clientRequestToken(REQUEST_ID)).toEqual(REQUEST_ID);
  });
});
