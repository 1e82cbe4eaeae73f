import { ResourceNotFound, SageMakerClient, SageMakerServiceException, UpdateFeatureMetadataCommand } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { diff, FeatureMetadata, MetadataEvent, onEvent } from '../../lambda/feature-metadata/handler';

const sagemaker = mockClient(SageMakerClient);
const sleeps: number[] = [];
const deps = { sagemaker: new SageMakerClient({ region: 'us-east-1' }), sleep: async (ms: number) => { sleeps.push(ms); }, log: () => undefined };

function props(features: FeatureMetadata[], group = 'employees') {
  return { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', FeatureGroupName: group, Features: JSON.stringify(features) };
}

function calls() {
  return sagemaker.commandCalls(UpdateFeatureMetadataCommand).map((c) => c.args[0].input);
}

function error(name: string, message = name): SageMakerServiceException {
  return new SageMakerServiceException({ name, message, $fault: 'client', $metadata: {} });
}

const V1: FeatureMetadata[] = [
  { name: 'tenure_years', description: 'Years since hire', parameters: { unit: 'years', source: 'hris' } },
  { name: 'department', description: 'Department' },
];

beforeEach(() => {
  sagemaker.reset();
  sagemaker.on(UpdateFeatureMetadataCommand).resolves({});
  sleeps.length = 0;
});

describe('feature metadata: Create', () => {
  test('writes the description and parameters of each feature', async () => {
    const result = await onEvent({ RequestType: 'Create', ResourceProperties: props(V1) }, deps);
    expect(result).toEqual({ PhysicalResourceId: 'employees/feature-metadata' });
    expect(calls()).toEqual([
      {
        FeatureGroupName: 'employees',
        FeatureName: 'tenure_years',
        Description: 'Years since hire',
        ParameterAdditions: [{ Key: 'unit', Value: 'years' }, { Key: 'source', Value: 'hris' }],
      },
      { FeatureGroupName: 'employees', FeatureName: 'department', Description: 'Department' },
    ]);
  });

  test('calls nothing when no feature has metadata', async () => {
    await onEvent({ RequestType: 'Create', ResourceProperties: props([]) }, deps);
    expect(calls()).toEqual([]);
  });

  test('sends more than 25 parameters in batches the API accepts', async () => {
    const parameters = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, `v${i}`]));
    await onEvent({ RequestType: 'Create', ResourceProperties: props([{ name: 'f', parameters }]) }, deps);
    expect(calls().map((c) => c.ParameterAdditions?.length)).toEqual([25, 5]);
  });
});

describe('feature metadata: Update', () => {
  const event = (from: FeatureMetadata[], to: FeatureMetadata[], fromGroup = 'employees'): MetadataEvent => ({
    RequestType: 'Update', PhysicalResourceId: `${fromGroup}/feature-metadata`, ResourceProperties: props(to), OldResourceProperties: props(from, fromGroup),
  });

  test('writes only what changed and clears what was removed', async () => {
    await onEvent(event(V1, [
      { name: 'tenure_years', description: 'Years since hire', parameters: { unit: 'years (decimal)' } },
      { name: 'overtime', description: 'Worked overtime in the last quarter' },
    ]), deps);
    expect(calls()).toEqual([
      { FeatureGroupName: 'employees', FeatureName: 'tenure_years', ParameterAdditions: [{ Key: 'unit', Value: 'years (decimal)' }], ParameterRemovals: ['source'] },
      { FeatureGroupName: 'employees', FeatureName: 'overtime', Description: 'Worked overtime in the last quarter' },
      { FeatureGroupName: 'employees', FeatureName: 'department', Description: '' },
    ]);
  });

  test('calls nothing when the metadata is unchanged', async () => {
    await onEvent(event(V1, V1), deps);
    expect(calls()).toEqual([]);
  });

  test('writes everything to a replacement group (new name) and clears nothing', async () => {
    await onEvent(event(V1, V1, 'employees-old'), deps);
    expect(calls().map((c) => [c.FeatureGroupName, c.FeatureName, c.ParameterRemovals])).toEqual([
      ['employees', 'tenure_years', undefined], ['employees', 'department', undefined],
    ]);
  });

  test('diff is empty for equal metadata in any order', () => {
    expect(diff(V1, [...V1].reverse())).toEqual([]);
  });
});

describe('feature metadata: Delete', () => {
  test('changes nothing: the metadata goes with the group, which its removal policy keeps or deletes', async () => {
    const result = await onEvent({ RequestType: 'Delete', PhysicalResourceId: 'employees/feature-metadata', ResourceProperties: props(V1) }, deps);
    expect(result).toEqual({ PhysicalResourceId: 'employees/feature-metadata' });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('succeeds when the group is already gone', async () => {
    sagemaker.on(UpdateFeatureMetadataCommand).rejects(new ResourceNotFound({ message: 'not found', $metadata: {} }));
    await expect(onEvent({ RequestType: 'Delete', PhysicalResourceId: 'gone/feature-metadata', ResourceProperties: props(V1, 'gone') }, deps))
      .resolves.toEqual({ PhysicalResourceId: 'gone/feature-metadata' });
  });
});

describe('feature metadata: errors and retries', () => {
  test('retries throttling and a group that is still updating, with backoff', async () => {
    sagemaker.on(UpdateFeatureMetadataCommand)
      .rejectsOnce(error('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(error('ResourceInUse', 'feature group is updating'))
      .resolves({});
    await onEvent({ RequestType: 'Create', ResourceProperties: props([V1[1]]) }, deps);
    expect(calls()).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  test('fails with the group and feature named when the group or feature does not exist (already gone)', async () => {
    sagemaker.on(UpdateFeatureMetadataCommand).rejects(new ResourceNotFound({ message: 'Resource Not Found', $metadata: {} }));
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props([V1[1]]) }, deps))
      .rejects.toThrow(/Cannot set the metadata of feature 'department': feature group 'employees' or the feature still does not exist after retries/);
    expect(calls()).toHaveLength(8);
  });

  test('retries a feature that is not visible yet (added by the same deployment)', async () => {
    sagemaker.on(UpdateFeatureMetadataCommand).rejectsOnce(new ResourceNotFound({ message: 'Resource Not Found', $metadata: {} })).resolves({});
    await onEvent({ RequestType: 'Create', ResourceProperties: props([V1[1]]) }, deps);
    expect(calls()).toHaveLength(2);
  });

  test('fails with the service error, without retrying', async () => {
    sagemaker.on(UpdateFeatureMetadataCommand).rejects(error('ValidationException', 'Description too long'));
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props([V1[1]]) }, deps))
      .rejects.toThrow(/UpdateFeatureMetadata failed for feature 'department' of feature group 'employees': ValidationException: Description too long/);
    expect(calls()).toHaveLength(1);
  });

  test('gives up after repeated throttling', async () => {
    sagemaker.on(UpdateFeatureMetadataCommand).rejects(error('ThrottlingException', 'Rate exceeded'));
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props([V1[1]]) }, deps)).rejects.toThrow(/ThrottlingException: Rate exceeded/);
    expect(calls()).toHaveLength(8);
  });

  test('fails on missing or malformed properties', async () => {
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: { Features: '[]' } }, deps)).rejects.toThrow(/FeatureGroupName property is missing/);
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: { FeatureGroupName: 'g', Features: '{}' } }, deps)).rejects.toThrow(/must be a JSON list/);
  });
});
