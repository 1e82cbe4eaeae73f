import { createHash } from 'crypto';

/**
 * The create-only properties of AWS::SageMaker::FeatureGroup (CloudFormation registry schema,
 * `createOnlyProperties`). A change to any of them makes CloudFormation replace the feature group.
 * Kept in step with src/private/feature-store-rules.ts (a test compares the two lists).
 */
export const CREATE_ONLY_PROPERTIES = [
  'FeatureGroupName',
  'RecordIdentifierFeatureName',
  'EventTimeFeatureName',
  'OnlineStoreConfig.SecurityConfig',
  'OnlineStoreConfig.EnableOnlineStore',
  'OnlineStoreConfig.StorageType',
  'OfflineStoreConfig',
  'RoleArn',
  'Description',
  'Tags',
] as const;

/** The guarded view of a feature group, in CloudFormation property names. */
export interface GuardedSchema {
  readonly FeatureGroupName: string;
  readonly RecordIdentifierFeatureName?: string;
  readonly EventTimeFeatureName?: string;
  readonly FeatureDefinitions?: Array<{ readonly FeatureName: string; readonly FeatureType: string }>;
  readonly OnlineStoreConfig?: { [key: string]: unknown };
  readonly OfflineStoreConfig?: { [key: string]: unknown };
  readonly RoleArn?: string;
  readonly Description?: string;
  readonly Tags?: Array<{ readonly Key: string; readonly Value: string }>;
}

/** Why an update cannot be applied in place. */
export interface Finding {
  /** `replacement`: CloudFormation would replace the group; `unsupported`: Feature Store cannot apply the change. */
  readonly kind: 'replacement' | 'unsupported';
  readonly message: string;
}

/** Parses the `Schema` property of the guard. */
export function parseSchema(value: unknown, which: string): GuardedSchema {
  if (typeof value !== 'string') throw new Error(`${which} Schema property is missing`);
  const schema = JSON.parse(value) as GuardedSchema;
  if (!schema || typeof schema.FeatureGroupName !== 'string') {
    throw new Error(`${which} Schema property has no FeatureGroupName`);
  }
  return schema;
}

/**
 * Every difference between the old and the new schema that cannot be applied in place: changed create-only
 * properties, and removed or retyped features (UpdateFeatureGroup only adds features).
 */
export function findings(oldSchema: GuardedSchema, newSchema: GuardedSchema): Finding[] {
  const result: Finding[] = [];

  const oldFeatures = new Map((oldSchema.FeatureDefinitions ?? []).map((f) => [f.FeatureName, f.FeatureType]));
  const newFeatures = new Map((newSchema.FeatureDefinitions ?? []).map((f) => [f.FeatureName, f.FeatureType]));
  const removed = [...oldFeatures.keys()].filter((name) => !newFeatures.has(name));
  if (removed.length > 0) {
    result.push({
      kind: 'unsupported',
      message: `feature${removed.length > 1 ? 's' : ''} ${removed.map((n) => `'${n}'`).join(', ')} removed: Feature Store cannot remove features `
        + '(UpdateFeatureGroup only adds them), and the offline store keeps their columns',
    });
  }
  for (const [name, type] of newFeatures) {
    const before = oldFeatures.get(name);
    if (before !== undefined && before !== type) {
      result.push({
        kind: 'unsupported',
        message: `feature '${name}' changed type from ${before} to ${type}: Feature Store cannot change the type of a feature`,
      });
    }
  }

  for (const path of CREATE_ONLY_PROPERTIES) {
    const before = canonical(path === 'Tags' ? sortTags(oldSchema.Tags) : at(oldSchema, path));
    const after = canonical(path === 'Tags' ? sortTags(newSchema.Tags) : at(newSchema, path));
    if (before !== after) {
      result.push({
        kind: 'replacement',
        message: `${path} changed from ${before ?? '(not set)'} to ${after ?? '(not set)'}: it is create-only, so CloudFormation would replace the group`,
      });
    }
  }
  return result;
}

/**
 * A stable fingerprint of everything the guard protects: the physical ID of the guard records the schema
 * it last accepted, which is how it recognises the rollback of an update it refused.
 */
export function fingerprint(schema: GuardedSchema): string {
  const normalized = {
    ...schema,
    FeatureDefinitions: [...(schema.FeatureDefinitions ?? [])].sort((a, b) => a.FeatureName.localeCompare(b.FeatureName)),
    OnlineStoreConfig: schema.OnlineStoreConfig === undefined ? undefined : {
      EnableOnlineStore: schema.OnlineStoreConfig.EnableOnlineStore,
      StorageType: schema.OnlineStoreConfig.StorageType,
      SecurityConfig: schema.OnlineStoreConfig.SecurityConfig,
    },
    Tags: sortTags(schema.Tags),
  };
  return createHash('sha256').update(canonical(normalized) ?? '').digest('hex').slice(0, 32);
}

/** The physical ID of the guard for a schema it accepted. */
export function physicalId(schema: GuardedSchema): string {
  return `${schema.FeatureGroupName}/schema-${fingerprint(schema)}`;
}

function at(schema: GuardedSchema, path: string): unknown {
  let value: unknown = schema;
  for (const part of path.split('.')) {
    if (value === undefined || value === null || typeof value !== 'object') return undefined;
    value = (value as { [key: string]: unknown })[part];
  }
  return value;
}

function sortTags(tags: GuardedSchema['Tags']): GuardedSchema['Tags'] {
  if (!tags || tags.length === 0) return undefined;
  return [...tags].sort((a, b) => a.Key.localeCompare(b.Key));
}

/** JSON with sorted object keys, so equal values compare equal; undefined for absent values. */
function canonical(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort()
        .filter((k) => (v as { [key: string]: unknown })[k] !== undefined && (v as { [key: string]: unknown })[k] !== null)
        .map((k) => [k, sort((v as { [key: string]: unknown })[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value));
}
