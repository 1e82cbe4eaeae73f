import { DescribeFeatureGroupCommand, ResourceNotFound, SageMakerClient, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { GuardEvent, onEvent } from '../../lambda/feature-group-guard/handler';
import { findings, fingerprint, GuardedSchema, physicalId } from '../../lambda/feature-group-guard/schema';

const sagemaker = mockClient(SageMakerClient);
const sleeps: number[] = [];
const deps = { sagemaker: new SageMakerClient({ region: 'us-east-1' }), sleep: async (ms: number) => { sleeps.push(ms); }, log: () => undefined };

const V1: GuardedSchema = {
  FeatureGroupName: 'employees',
  RecordIdentifierFeatureName: 'employee_id',
  EventTimeFeatureName: 'event_time',
  FeatureDefinitions: [
    { FeatureName: 'employee_id', FeatureType: 'String' },
    { FeatureName: 'event_time', FeatureType: 'String' },
    { FeatureName: 'tenure_years', FeatureType: 'Fractional' },
  ],
  OnlineStoreConfig: { EnableOnlineStore: true, StorageType: 'Standard', SecurityConfig: { KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/online' } },
  OfflineStoreConfig: { S3StorageConfig: { S3Uri: 's3://bucket/feature-store/employees', KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/offline' }, TableFormat: 'Iceberg' },
  RoleArn: 'arn:aws:iam::123456789012:role/offline',
};

function props(schema: GuardedSchema, allowReplacement = false) {
  return { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', FeatureGroupName: schema.FeatureGroupName, AllowReplacement: String(allowReplacement), Schema: JSON.stringify(schema) };
}

function update(from: GuardedSchema, to: GuardedSchema, allowReplacement = false, physical = physicalId(from)): GuardEvent {
  return { RequestType: 'Update', PhysicalResourceId: physical, ResourceProperties: props(to, allowReplacement), OldResourceProperties: props(from, allowReplacement) };
}

function error(name: string, message = name): SageMakerServiceException {
  return new SageMakerServiceException({ name, message, $fault: 'client', $metadata: {} });
}

beforeEach(() => {
  sagemaker.reset();
  sleeps.length = 0;
});

describe('feature group guard: Create', () => {
  test('accepts a new group and records its schema in the physical ID', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).rejects(new ResourceNotFound({ message: 'not found', $metadata: {} }));
    const result = await onEvent({ RequestType: 'Create', ResourceProperties: props(V1) }, deps);
    expect(result.PhysicalResourceId).toBe(`employees/schema-${fingerprint(V1)}`);
    expect(sagemaker.commandCalls(DescribeFeatureGroupCommand)[0].args[0].input).toEqual({ FeatureGroupName: 'employees' });
  });

  test('refuses when a group of that name already exists (a retained group, or a construct whose ID changed)', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).resolves({ FeatureGroupName: 'employees', FeatureGroupStatus: 'Created' });
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props(V1) }, deps))
      .rejects.toThrow(/Feature group 'employees' already exists in this account and Region \(status Created\), so CloudFormation cannot create 'employees'/);
  });

  test('retries throttled calls with backoff', async () => {
    sagemaker.on(DescribeFeatureGroupCommand)
      .rejectsOnce(error('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(error('ThrottlingException', 'Rate exceeded'))
      .rejects(new ResourceNotFound({ message: 'not found', $metadata: {} }));
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props(V1) }, deps)).resolves.toBeDefined();
    expect(sagemaker.commandCalls(DescribeFeatureGroupCommand)).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  test('gives up after repeated throttling', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).rejects(error('ThrottlingException', 'Rate exceeded'));
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props(V1) }, deps)).rejects.toThrow(/Rate exceeded/);
    expect(sagemaker.commandCalls(DescribeFeatureGroupCommand)).toHaveLength(6);
  });

  test('fails on other errors, without retrying', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).rejects(error('AccessDeniedException', 'not authorized to perform sagemaker:DescribeFeatureGroup'));
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: props(V1) }, deps)).rejects.toThrow(/not authorized/);
    expect(sagemaker.commandCalls(DescribeFeatureGroupCommand)).toHaveLength(1);
  });

  test('fails on a missing schema', async () => {
    await expect(onEvent({ RequestType: 'Create', ResourceProperties: { FeatureGroupName: 'x' } }, deps)).rejects.toThrow(/new Schema property is missing/);
  });
});

describe('feature group guard: Update in place', () => {
  test('accepts added features and moves its physical ID to the new schema, without calling SageMaker', async () => {
    const v2 = { ...V1, FeatureDefinitions: [...V1.FeatureDefinitions!, { FeatureName: 'overtime', FeatureType: 'String' }] };
    const result = await onEvent(update(V1, v2), deps);
    expect(result.PhysicalResourceId).toBe(physicalId(v2));
    expect(result.PhysicalResourceId).not.toBe(physicalId(V1));
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('ignores the order of features and tags', () => {
    const reordered = { ...V1, FeatureDefinitions: [...V1.FeatureDefinitions!].reverse() };
    expect(findings(V1, reordered)).toEqual([]);
    expect(fingerprint(reordered)).toBe(fingerprint(V1));
    const tagged = { ...V1, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] };
    expect(findings(tagged, { ...tagged, Tags: [...tagged.Tags].reverse() })).toEqual([]);
  });

  test('keeps its physical ID when nothing it guards changes (for example AllowReplacement)', async () => {
    const result = await onEvent({ ...update(V1, V1, true), OldResourceProperties: props(V1, false) }, deps);
    expect(result.PhysicalResourceId).toBe(physicalId(V1));
  });
});

describe('feature group guard: refusals', () => {
  test.each<[string, GuardedSchema, RegExp]>([
    ['a removed feature', { ...V1, FeatureDefinitions: V1.FeatureDefinitions!.slice(0, 2) },
      /feature 'tenure_years' removed: Feature Store cannot remove features/],
    ['a retyped feature', { ...V1, FeatureDefinitions: [...V1.FeatureDefinitions!.slice(0, 2), { FeatureName: 'tenure_years', FeatureType: 'Integral' }] },
      /feature 'tenure_years' changed type from Fractional to Integral/],
    ['a new record identifier', { ...V1, RecordIdentifierFeatureName: 'event_time' },
      /RecordIdentifierFeatureName changed from "employee_id" to "event_time": it is create-only, so CloudFormation would replace the group/],
    ['a new event time', { ...V1, EventTimeFeatureName: 'employee_id' }, /EventTimeFeatureName changed/],
    ['another online key', { ...V1, OnlineStoreConfig: { ...V1.OnlineStoreConfig, SecurityConfig: { KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/other' } } },
      /OnlineStoreConfig\.SecurityConfig changed from \{"KmsKeyId":".*key\/online"\} to \{"KmsKeyId":".*key\/other"\}/],
    ['another storage type', { ...V1, OnlineStoreConfig: { EnableOnlineStore: true, StorageType: 'InMemory' } },
      /OnlineStoreConfig\.SecurityConfig changed[\s\S]*OnlineStoreConfig\.StorageType changed from "Standard" to "InMemory"/],
    ['no online store', { ...V1, OnlineStoreConfig: undefined }, /OnlineStoreConfig\.EnableOnlineStore changed from true to \(not set\)/],
    ['another offline table format', { ...V1, OfflineStoreConfig: { ...V1.OfflineStoreConfig, TableFormat: 'Glue' } }, /OfflineStoreConfig changed/],
    ['another role', { ...V1, RoleArn: 'arn:aws:iam::123456789012:role/other' }, /RoleArn changed/],
    ['a description', { ...V1, Description: 'new' }, /Description changed from \(not set\) to "new"/],
    ['tags', { ...V1, Tags: [{ Key: 'team', Value: 'hr' }] }, /Tags changed from \(not set\) to \[\{"Key":"team","Value":"hr"\}\]/],
  ])('refuses %s, before the group is touched, and explains what to do', async (_name, to, reason) => {
    const attempt = onEvent(update(V1, to), deps);
    await expect(attempt).rejects.toThrow(reason);
    await expect(onEvent(update(V1, to), deps)).rejects.toThrow(/Refusing to update feature group 'employees'[\s\S]*allowReplacementWithDataLoss: true and give it a new featureGroupName/);
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('says a replacement would lose data only when CloudFormation would replace the group', async () => {
    await expect(onEvent(update(V1, { ...V1, RoleArn: 'arn:aws:iam::123456789012:role/other' }), deps)).rejects.toThrow(/CloudFormation would REPLACE the group: the new group starts empty/);
    await expect(onEvent(update(V1, { ...V1, FeatureDefinitions: V1.FeatureDefinitions!.slice(0, 2) }), deps)).rejects.not.toThrow(/REPLACE/);
  });

  test('lets the rollback of a refused update through (the physical ID still records the accepted schema)', async () => {
    const refused = { ...V1, FeatureDefinitions: V1.FeatureDefinitions!.slice(0, 2) };
    await expect(onEvent(update(V1, refused), deps)).rejects.toThrow(/Refusing/);
    // rollback: CloudFormation sends the accepted schema as the new one, with the physical ID it still holds
    const rollback = update(refused, V1, false, physicalId(V1));
    await expect(onEvent(rollback, deps)).resolves.toEqual({ PhysicalResourceId: physicalId(V1) });
  });
});

describe('feature group guard: allowReplacementWithDataLoss', () => {
  const renamed = { ...V1, FeatureGroupName: 'employees-v2', FeatureDefinitions: V1.FeatureDefinitions!.slice(0, 2) };

  test('lets a replacement under a new name through', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).rejects(new ResourceNotFound({ message: 'not found', $metadata: {} }));
    const result = await onEvent(update(V1, renamed, true), deps);
    expect(result.PhysicalResourceId).toBe(physicalId(renamed));
    expect(sagemaker.commandCalls(DescribeFeatureGroupCommand)[0].args[0].input).toEqual({ FeatureGroupName: 'employees-v2' });
  });

  test('refuses a replacement under the same name', async () => {
    await expect(onEvent(update(V1, { ...V1, Description: 'x' }, true), deps))
      .rejects.toThrow(/allowReplacementWithDataLoss is set, but .*Give the group a new featureGroupName/);
  });

  test('refuses a replacement whose new name is taken', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).resolves({ FeatureGroupStatus: 'Created' });
    await expect(onEvent(update(V1, renamed, true), deps)).rejects.toThrow(/'employees-v2' already exists .* cannot create the replacement/);
  });
});

describe('feature group guard: Delete', () => {
  test('changes nothing and calls nothing (a deleted guard, or the cleanup or rollback of an accepted update)', async () => {
    const result = await onEvent({ RequestType: 'Delete', PhysicalResourceId: physicalId(V1), ResourceProperties: props(V1) }, deps);
    expect(result).toEqual({ PhysicalResourceId: physicalId(V1) });
    expect(sagemaker.calls()).toHaveLength(0);
  });

  test('succeeds for a group that is already gone', async () => {
    sagemaker.on(DescribeFeatureGroupCommand).rejects(new ResourceNotFound({ message: 'not found', $metadata: {} }));
    await expect(onEvent({ RequestType: 'Delete', PhysicalResourceId: 'gone/schema-0', ResourceProperties: props(V1) }, deps)).resolves.toBeDefined();
  });
});
