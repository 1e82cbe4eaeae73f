import {
  ApplicationAutoScalingClient,
  ConcurrentUpdateException,
  DeregisterScalableTargetCommand,
  ObjectNotFoundException,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import type { CdkCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { onEvent, parseProperties, variantsToDeregister } from '../../lambda/scaling-guard/handler';
import { withRetry } from '../../lambda/shared/retry';

const autoscaling = mockClient(ApplicationAutoScalingClient);
const noWait = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => undefined };
const deps = () => ({ autoscaling: new ApplicationAutoScalingClient({ region: 'us-east-1' }), retry: noWait });

const ENDPOINT = 'employee-retention-prod';
const base = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
  ResponseURL: 'https://example.invalid/response',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Inference/0123abcd',
  RequestId: 'request-1',
  LogicalResourceId: 'EndpointScalingGuard',
  ResourceType: 'Custom::SageMakerPlatformScalingGuard',
};

function props(variants: Array<[string, string]>, endpointName = ENDPOINT) {
  return {
    ServiceToken: base.ServiceToken,
    EndpointName: endpointName,
    ScalableVariants: variants.map(([VariantName, InstanceType]) => ({ VariantName, InstanceType })),
  };
}

function update(previous: ReturnType<typeof props>, next: ReturnType<typeof props>): CdkCustomResourceEvent {
  return { ...base, RequestType: 'Update', PhysicalResourceId: `${ENDPOINT}/scaling-guard`, ResourceProperties: next, OldResourceProperties: previous };
}

function deregistered(): string[] {
  return autoscaling.commandCalls(DeregisterScalableTargetCommand).map((c) => c.args[0].input.ResourceId!);
}

beforeEach(() => {
  autoscaling.reset();
  autoscaling.on(DeregisterScalableTargetCommand).resolves({});
});

describe('scaling guard handler', () => {
  test('create deregisters nothing and names the guard after the endpoint', async () => {
    // WHEN the guard is created with an autoscaled variant
    const result = await onEvent({ ...base, RequestType: 'Create', ResourceProperties: props([['AllTraffic', 'ml.m5.xlarge']]) }, deps());

    // THEN nothing is called and the physical ID names the endpoint
    expect(deregistered()).toEqual([]);
    expect(result.PhysicalResourceId).toBe(`${ENDPOINT}/scaling-guard`);
  });

  test('update with an instance type change deregisters that variant only', async () => {
    // GIVEN two autoscaled variants, one of which moves to a new instance type
    const previous = props([['AllTraffic', 'ml.m5.xlarge'], ['Shadow', 'ml.m5.large']]);
    const next = props([['AllTraffic', 'ml.m5.2xlarge'], ['Shadow', 'ml.m5.large']]);

    // WHEN CloudFormation updates the guard (before the endpoint)
    const result = await onEvent(update(previous, next), deps());

    // THEN only the changed variant is deregistered, with the variant dimension
    expect(deregistered()).toEqual([`endpoint/${ENDPOINT}/variant/AllTraffic`]);
    expect(autoscaling.commandCalls(DeregisterScalableTargetCommand)[0].args[0].input).toEqual({
      ServiceNamespace: 'sagemaker',
      ResourceId: `endpoint/${ENDPOINT}/variant/AllTraffic`,
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    });
    expect(result.Data).toEqual({ Deregistered: 'AllTraffic' });
    expect(result.PhysicalResourceId).toBe(`${ENDPOINT}/scaling-guard`);
  });

  test('update without an instance type change deregisters nothing', async () => {
    // GIVEN the same variants (a new model image, say)
    const same = props([['AllTraffic', 'ml.m5.xlarge']]);

    // WHEN the guard is updated
    const result = await onEvent(update(same, { ...same }), deps());

    // THEN Application Auto Scaling is not called
    expect(deregistered()).toEqual([]);
    expect(result.Data).toEqual({ Deregistered: '' });
  });

  test('update deregisters variants that are removed or no longer autoscaled', async () => {
    // GIVEN a variant that disappears from the autoscaled list
    const result = await onEvent(update(props([['AllTraffic', 'ml.m5.xlarge'], ['Canary', 'ml.c5.xlarge']]), props([['AllTraffic', 'ml.m5.xlarge']])), deps());

    // THEN its target is deregistered before the endpoint update removes it
    expect(deregistered()).toEqual([`endpoint/${ENDPOINT}/variant/Canary`]);
    expect(result.Data).toEqual({ Deregistered: 'Canary' });
  });

  test('update of a replaced endpoint (new name) deregisters nothing and takes a new physical ID', async () => {
    const result = await onEvent(update(props([['AllTraffic', 'ml.m5.xlarge']]), props([['AllTraffic', 'ml.m5.2xlarge']], 'employee-retention-v2')), deps());
    expect(deregistered()).toEqual([]);
    expect(result.PhysicalResourceId).toBe('employee-retention-v2/scaling-guard');
  });

  test('delete deregisters every listed variant', async () => {
    const result = await onEvent({
      ...base,
      RequestType: 'Delete',
      PhysicalResourceId: `${ENDPOINT}/scaling-guard`,
      ResourceProperties: props([['AllTraffic', 'ml.m5.xlarge'], ['Shadow', 'ml.m5.large']]),
    }, deps());
    expect(deregistered()).toEqual([`endpoint/${ENDPOINT}/variant/AllTraffic`, `endpoint/${ENDPOINT}/variant/Shadow`]);
    expect(result.PhysicalResourceId).toBe(`${ENDPOINT}/scaling-guard`);
  });

  test('a target that is already gone counts as deregistered', async () => {
    // GIVEN the endpoint deletion already deregistered the variant
    autoscaling.on(DeregisterScalableTargetCommand).rejects(new ObjectNotFoundException({ message: 'No scalable target registered', $metadata: {} }));

    // WHEN the guard is deleted
    const result = await onEvent({ ...base, RequestType: 'Delete', PhysicalResourceId: 'x', ResourceProperties: props([['AllTraffic', 'ml.m5.xlarge']]) }, deps());

    // THEN it succeeds
    expect(result.Data).toEqual({ Deregistered: 'AllTraffic' });
  });

  test('throttling and concurrent updates are retried', async () => {
    // GIVEN two throttled calls and a concurrent update before success
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    autoscaling.on(DeregisterScalableTargetCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(new ConcurrentUpdateException({ message: 'scaling activity in progress', $metadata: {} }))
      .resolves({});

    // WHEN the instance type changes
    const result = await onEvent(update(props([['AllTraffic', 'ml.m5.xlarge']]), props([['AllTraffic', 'ml.g5.xlarge']])), deps());

    // THEN the third attempt succeeds
    expect(autoscaling.commandCalls(DeregisterScalableTargetCommand)).toHaveLength(3);
    expect(result.Data).toEqual({ Deregistered: 'AllTraffic' });
  });

  test('gives up after the retry budget with the variant named', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    autoscaling.on(DeregisterScalableTargetCommand).rejects(throttled);
    await expect(onEvent(update(props([['AllTraffic', 'ml.m5.xlarge']]), props([['AllTraffic', 'ml.g5.xlarge']])), deps()))
      .rejects.toThrow(/endpoint\/employee-retention-prod\/variant\/AllTraffic.*ThrottlingException: Rate exceeded/);
    expect(autoscaling.commandCalls(DeregisterScalableTargetCommand)).toHaveLength(noWait.attempts);
  });

  test('any other failure fails the stack operation at once', async () => {
    // GIVEN the handler role may not deregister
    autoscaling.on(DeregisterScalableTargetCommand).rejects(new ValidationException({ message: 'User is not authorized', $metadata: {} }));

    // THEN the update fails, naming the target and the error, without retries
    await expect(onEvent(update(props([['AllTraffic', 'ml.m5.xlarge']]), props([])), deps())).rejects.toThrow(/Could not deregister the scalable target endpoint\/employee-retention-prod\/variant\/AllTraffic.*ValidationException: User is not authorized/);
    expect(autoscaling.commandCalls(DeregisterScalableTargetCommand)).toHaveLength(1);
  });

  test('rejects malformed properties with the value received', async () => {
    expect(() => parseProperties({ EndpointName: '' }, 'ResourceProperties')).toThrow(/ResourceProperties.EndpointName must be a non-empty string, got ""/);
    expect(() => parseProperties({ EndpointName: 'e', ScalableVariants: 'AllTraffic' }, 'ResourceProperties')).toThrow(/must be a list, got "AllTraffic"/);
    expect(() => parseProperties({ EndpointName: 'e', ScalableVariants: [{ VariantName: 'A' }] }, 'ResourceProperties')).toThrow(/ScalableVariants\[0\] must have string VariantName and InstanceType/);
    await expect(onEvent({ ...base, RequestType: 'Create', ResourceProperties: { ServiceToken: 'x' } } as CdkCustomResourceEvent, deps()))
      .rejects.toThrow(/EndpointName must be a non-empty string/);
  });

  test('variantsToDeregister compares by variant name and instance type', () => {
    const p = (v: Array<[string, string]>) => parseProperties(props(v), 'p');
    expect(variantsToDeregister(p([['A', 'ml.m5.xlarge'], ['B', 'ml.m5.xlarge']]), p([['B', 'ml.m5.xlarge'], ['A', 'ml.m5.xlarge']]))).toEqual([]);
    expect(variantsToDeregister(p([]), p([['A', 'ml.m5.xlarge']]))).toEqual([]);
    expect(variantsToDeregister(p([['A', 'ml.m5.xlarge']]), p([['A', 'ml.c5.xlarge']]))).toEqual(['A']);
  });

  test('withRetry does not retry errors that are not retryable', async () => {
    let calls = 0;
    await expect(withRetry(async () => {
      calls++;
      throw new Error('boom');
    }, noWait)).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
