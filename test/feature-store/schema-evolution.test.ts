/**
 * Schema evolution without data loss, proven on synthesized templates:
 * - version 2 of an app adds features to version 1: the feature group keeps its logical ID and no
 *   create-only property changes, so CloudFormation updates it in place; the schema guard accepts it;
 * - changes CloudFormation would apply by replacing the group, or Feature Store cannot apply at all, are
 *   refused by the schema guard handler, fed the exact properties CloudFormation would send it.
 */
import { Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { onEvent } from '../../lambda/feature-group-guard/handler';
import { CREATE_ONLY_PROPERTIES } from '../../lambda/feature-group-guard/schema';
import { FeatureDefinition, FeatureGroup, FeatureGroupProps, FeatureType } from '../../src';
import { FEATURE_GROUP_CREATE_ONLY_PROPERTIES } from '../../src/private/feature-store-rules';
import { compliantTemplate, testApp, testStack } from '../harness';
import { fakeResolve, resourcesOf } from './helpers';

const V1: FeatureDefinition[] = [
  { name: 'employee_id', type: FeatureType.STRING },
  { name: 'event_time', type: FeatureType.STRING },
  { name: 'department', type: FeatureType.STRING },
  { name: 'tenure_years', type: FeatureType.FRACTIONAL },
];
const V2: FeatureDefinition[] = [
  ...V1.map((f) => (f.name === 'department' ? { ...f, description: 'Department at the event time' } : f)),
  { name: 'satisfaction_score', type: FeatureType.INTEGRAL, parameters: { scale: '1-4' } },
  { name: 'overtime', type: FeatureType.STRING },
];

/** One version of the app: same construct IDs, different props. */
function version(features: FeatureDefinition[], extra: Partial<FeatureGroupProps> = {}, customize?: (stack: Stack) => void): Template {
  const stack = testStack(testApp(), 'FeatureStack');
  new FeatureGroup(stack, 'Employees', {
    features,
    recordIdentifierFeatureName: 'employee_id',
    eventTimeFeatureName: 'event_time',
    onlineStore: {},
    offlineStore: {},
    ...extra,
  });
  customize?.(stack);
  return compliantTemplate(stack);
}

function only(template: Template, type: string): [string, { [key: string]: any }] {
  const entries = Object.entries(resourcesOf(template, type));
  expect(entries).toHaveLength(1);
  return entries[0];
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, p) => (v && typeof v === 'object' ? (v as { [k: string]: unknown })[p] : undefined), value);
}

/** The Update event CloudFormation sends the guard when moving from `from` to `to`. */
function guardUpdate(from: Template, to: Template) {
  const [, oldGuard] = only(from, 'Custom::SageMakerPlatformFeatureGroupGuard');
  const [, newGuard] = only(to, 'Custom::SageMakerPlatformFeatureGroupGuard');
  const oldProps = fakeResolve(oldGuard.Properties) as { [key: string]: unknown };
  const newProps = fakeResolve(newGuard.Properties) as { [key: string]: unknown };
  return { oldProps, newProps };
}

/** Runs the guard handler on the update from `from` to `to`, after it accepted `from`. */
async function deploy(from: Template, to: Template) {
  const { oldProps, newProps } = guardUpdate(from, to);
  const deps = { sagemaker: notFound(), log: () => undefined };
  const accepted = await onEvent({ RequestType: 'Create', ResourceProperties: oldProps }, deps);
  return onEvent({ RequestType: 'Update', PhysicalResourceId: accepted.PhysicalResourceId, ResourceProperties: newProps, OldResourceProperties: oldProps }, deps);
}

/** A SageMaker client for which no feature group exists yet. */
function notFound(): never {
  return { send: async () => { throw Object.assign(new Error('not found'), { name: 'ResourceNotFound' }); } } as never;
}

const v1 = version(V1);
const v2 = version(V2);

describe('schema evolution: version 2 adds features in place', () => {
  test('the feature group, its guard and its metadata resource keep their logical IDs', () => {
    for (const type of ['AWS::SageMaker::FeatureGroup', 'Custom::SageMakerPlatformFeatureGroupGuard', 'Custom::SageMakerPlatformFeatureMetadata']) {
      expect(only(v2, type)[0]).toEqual(only(v1, type)[0]);
    }
  });

  test('no create-only property changes (the CloudFormation schema\'s createOnlyProperties)', () => {
    const before = only(v1, 'AWS::SageMaker::FeatureGroup')[1].Properties;
    const after = only(v2, 'AWS::SageMaker::FeatureGroup')[1].Properties;
    for (const path of FEATURE_GROUP_CREATE_ONLY_PROPERTIES) {
      expect({ path, value: at(after, path) }).toEqual({ path, value: at(before, path) });
    }
  });

  test('the feature definitions only grow, and keep their types', () => {
    const before = only(v1, 'AWS::SageMaker::FeatureGroup')[1].Properties.FeatureDefinitions;
    const after = only(v2, 'AWS::SageMaker::FeatureGroup')[1].Properties.FeatureDefinitions;
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length + 2);
  });

  test('the schema guard accepts the update', async () => {
    const result = await deploy(v1, v2);
    expect(result.PhysicalResourceId).toMatch(/^featurestack-employees-[0-9a-f]+\/schema-[0-9a-f]{32}$/);
  });

  test('the metadata resource gets the new descriptions and parameters', () => {
    const [, metadata] = only(v2, 'Custom::SageMakerPlatformFeatureMetadata');
    expect(JSON.parse(metadata.Properties.Features)).toEqual([
      { name: 'department', description: 'Department at the event time' },
      { name: 'satisfaction_score', parameters: { scale: '1-4' } },
    ]);
  });

  test('the guard handler and the rule table list the same create-only properties', () => {
    expect([...CREATE_ONLY_PROPERTIES]).toEqual([...FEATURE_GROUP_CREATE_ONLY_PROPERTIES]);
  });
});

describe('schema evolution: changes that cannot be applied in place are refused before the group is touched', () => {
  test('removing and retyping features', async () => {
    const v3 = version(V2.filter((f) => f.name !== 'overtime').map((f) => (f.name === 'tenure_years' ? { ...f, type: FeatureType.INTEGRAL } : f)));
    // CloudFormation alone would not even replace the group: FeatureDefinitions is updatable
    expect(only(v3, 'AWS::SageMaker::FeatureGroup')[0]).toEqual(only(v2, 'AWS::SageMaker::FeatureGroup')[0]);
    await expect(deploy(v2, v3)).rejects.toThrow(new RegExp([
      "Refusing to update feature group 'featurestack-employees-[0-9a-f]+': these changes cannot be applied in place, and nothing was changed",
      "feature 'overtime' removed: Feature Store cannot remove features",
      "feature 'tenure_years' changed type from Fractional to Integral",
      'set allowReplacementWithDataLoss: true and give it a new featureGroupName',
    ].join('[\\s\\S]*')));
  });

  test('changing the record identifier, the event time, the description, a store or the tags (added by an aspect)', async () => {
    const v4 = version(V2, {
      recordIdentifierFeatureName: 'overtime',
      eventTimeFeatureName: 'department',
      description: 'Employee retention',
      offlineStore: undefined,
    }, (stack) => Tags.of(stack).add('cost-center', 'ml-42'));
    expect(only(v4, 'AWS::SageMaker::FeatureGroup')[1].Properties.Tags).toEqual([{ Key: 'cost-center', Value: 'ml-42' }]);
    await expect(deploy(v2, v4)).rejects.toThrow(new RegExp([
      'RecordIdentifierFeatureName changed from "employee_id" to "overtime": it is create-only',
      'EventTimeFeatureName changed from "event_time" to "department"',
      'OfflineStoreConfig changed from \\{.*\\} to \\(not set\\)',
      'RoleArn changed',
      'Description changed from \\(not set\\) to "Employee retention"',
      'Tags changed from \\(not set\\) to \\[\\{"Key":"cost-center","Value":"ml-42"\\}\\]',
      'CloudFormation would REPLACE the group: the new group starts empty',
    ].join('[\\s\\S]*')));
  });

  test('moving to another online store key', async () => {
    const stack = testStack(testApp(), 'FeatureStack');
    const key = new kms.Key(stack, 'NewKey', { enableKeyRotation: true });
    new FeatureGroup(stack, 'Employees', {
      features: V2, recordIdentifierFeatureName: 'employee_id', eventTimeFeatureName: 'event_time', onlineStore: { encryptionKey: key }, offlineStore: {},
    });
    const v5 = compliantTemplate(stack);
    await expect(deploy(v2, v5)).rejects.toThrow(/OnlineStoreConfig\.SecurityConfig changed from \{"KmsKeyId":"arn:EmployeesOnlineStoreKey[0-9A-F]+\.Arn"\} to \{"KmsKeyId":"arn:NewKey[0-9A-F]+\.Arn"\}/);
  });

  test('allowReplacementWithDataLoss without a new name is still refused', async () => {
    const v8 = version(V1.filter((f) => f.name !== 'department'), { allowReplacementWithDataLoss: true });
    await expect(deploy(v2, v8)).rejects.toThrow(/allowReplacementWithDataLoss is set, but .* Give the group a new featureGroupName/);
  });

  test('allowReplacementWithDataLoss with a new name lets the replacement through', async () => {
    const v9 = version(V1.filter((f) => f.name !== 'department'), { allowReplacementWithDataLoss: true, featureGroupName: 'employees-v2' });
    const result = await deploy(v2, v9);
    expect(result.PhysicalResourceId).toMatch(/^employees-v2\/schema-/);
  });
});
