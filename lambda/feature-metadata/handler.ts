// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { FeatureParameter, SageMakerClient, UpdateFeatureMetadataCommand } from '@aws-sdk/client-sagemaker';
import { DEFAULT_RETRY, errorMessage, errorName, isThrottling, RetryOptions, withRetry } from '../shared/retry';

/** The custom-resource event, as the provider framework passes it to onEvent. */
export interface MetadataEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
}

/** What onEvent returns to the provider framework. */
export interface MetadataResponse {
  readonly PhysicalResourceId: string;
}

/** The clients and timing the handler uses; tests pass mocks and a no-op sleep. */
export interface MetadataDependencies {
  readonly sagemaker: SageMakerClient;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string) => void;
}

/** Metadata of one feature, as the construct declares it. */
export interface FeatureMetadata {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: { readonly [key: string]: string };
}

/** One UpdateFeatureMetadata call. */
interface MetadataChange {
  readonly feature: string;
  readonly description?: string;
  readonly additions: FeatureParameter[];
  readonly removals: string[];
}

/** UpdateFeatureMetadata takes at most this many parameter additions and removals per call. */
const MAX_PARAMETERS_PER_CALL = 25;

/**
 * Sets feature descriptions and parameters with UpdateFeatureMetadata, which CloudFormation has no
 * property for. Every feature group has this resource (with an empty list when no feature has metadata),
 * and it depends on the group, so it runs after the group is created or features are added.
 *
 * - Create: writes the declared metadata.
 * - Update: writes only what changed, and clears what was removed (description set to '', parameters
 *   removed), so the group always shows what the code declares.
 * - Delete: nothing. The metadata belongs to the group, which is retained or deleted by its own removal
 *   policy; this resource is only deleted together with the group, or when the group is replaced.
 */
export async function onEvent(event: MetadataEvent, deps: MetadataDependencies): Promise<MetadataResponse> {
  const log = deps.log ?? ((m: string) => console.log(m));
  const groupName = String(event.ResourceProperties.FeatureGroupName ?? '');
  const physicalResourceId = `${groupName}/feature-metadata`;
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId };
  }
  if (!groupName) throw new Error('FeatureGroupName property is missing');

  const wanted = parseFeatures(event.ResourceProperties.Features);
  let previous: FeatureMetadata[] = [];
  if (event.RequestType === 'Update' && String(event.OldResourceProperties?.FeatureGroupName) === groupName) {
    previous = parseFeatures(event.OldResourceProperties?.Features);
  } // a new group name is a new (replacement) group: write everything, clear nothing

  const changes = diff(previous, wanted);
  for (const change of changes) {
    await apply(groupName, change, deps);
  }
  log(`feature group '${groupName}': ${changes.length === 0 ? 'no metadata changes' : `updated the metadata of ${changes.map((c) => c.feature).join(', ')}`}`);
  return { PhysicalResourceId: physicalResourceId };
}

/** The calls that turn the `previous` metadata into the `wanted` metadata. */
export function diff(previous: FeatureMetadata[], wanted: FeatureMetadata[]): MetadataChange[] {
  const before = new Map(previous.map((f) => [f.name, f]));
  const after = new Map(wanted.map((f) => [f.name, f]));
  const names = [...new Set([...after.keys(), ...before.keys()])];
  const changes: MetadataChange[] = [];
  for (const feature of names) {
    const old = before.get(feature);
    const now = after.get(feature);
    const oldParams = old?.parameters ?? {};
    const newParams = now?.parameters ?? {};
    let description: string | undefined;
    if ((now?.description ?? '') !== (old?.description ?? '')) description = now?.description ?? '';
    const additions = Object.entries(newParams).filter(([k, v]) => oldParams[k] !== v).map(([Key, Value]) => ({ Key, Value }));
    const removals = Object.keys(oldParams).filter((k) => !(k in newParams));
    if (description !== undefined || additions.length > 0 || removals.length > 0) {
      changes.push({ feature, description, additions, removals });
    }
  }
  return changes;
}

async function apply(groupName: string, change: MetadataChange, deps: MetadataDependencies): Promise<void> {
  // parameters in batches the API accepts; the description goes with the first call
  const calls = Math.max(1,
    Math.ceil(change.additions.length / MAX_PARAMETERS_PER_CALL),
    Math.ceil(change.removals.length / MAX_PARAMETERS_PER_CALL));
  for (let i = 0; i < calls; i++) {
    const additions = change.additions.slice(i * MAX_PARAMETERS_PER_CALL, (i + 1) * MAX_PARAMETERS_PER_CALL);
    const removals = change.removals.slice(i * MAX_PARAMETERS_PER_CALL, (i + 1) * MAX_PARAMETERS_PER_CALL);
    try {
      await withRetry(() => deps.sagemaker.send(new UpdateFeatureMetadataCommand({
        FeatureGroupName: groupName,
        FeatureName: change.feature,
        Description: i === 0 ? change.description : undefined,
        ParameterAdditions: additions.length > 0 ? additions : undefined,
        ParameterRemovals: removals.length > 0 ? removals : undefined,
      })), retryOptions(deps), isRetryable);
    } catch (e) {
      if (errorName(e) === 'ResourceNotFound') {
        throw new Error(`Cannot set the metadata of feature '${change.feature}': feature group '${groupName}' or the feature still does `
          + `not exist after retries (was it deleted outside CloudFormation?): ${errorMessage(e)}`);
      }
      throw new Error(`UpdateFeatureMetadata failed for feature '${change.feature}' of feature group '${groupName}': ${errorName(e) || 'Error'}: ${errorMessage(e)}`);
    }
  }
}

function parseFeatures(value: unknown): FeatureMetadata[] {
  if (value === undefined || value === null || value === '') return [];
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) throw new Error('Features property must be a JSON list');
  return parsed as FeatureMetadata[];
}

/**
 * Retried with exponential backoff (1, 2, 4 ... up to 30 seconds, 8 attempts): throttling, a group that
 * is still applying an update, and a feature not found yet (a feature added by the same deployment may
 * take a moment to be visible).
 */
function isRetryable(e: unknown): boolean {
  return isThrottling(e) || ['ResourceInUse', 'ResourceNotFound'].includes(errorName(e));
}

/** Fixed delays (no jitter): a deployment runs one handler call per feature group, there is no burst to spread. */
function retryOptions(deps: MetadataDependencies): RetryOptions {
  return { attempts: 8, baseDelayMs: 1_000, maxDelayMs: 30_000, sleep: deps.sleep ?? DEFAULT_RETRY.sleep, jitter: false };
}
