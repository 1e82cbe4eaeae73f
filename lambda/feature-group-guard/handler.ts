// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import { DescribeFeatureGroupCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { findings, GuardedSchema, parseSchema, physicalId } from './schema';
import { DEFAULT_RETRY, errorName, RetryOptions, withRetry } from '../shared/retry';

/** The custom-resource event, as the provider framework passes it to onEvent. */
export interface GuardEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
}

/** What onEvent returns to the provider framework. */
export interface GuardResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
}

/** The clients and timing the handler uses; tests pass mocks and a no-op sleep. */
export interface GuardDependencies {
  readonly sagemaker: SageMakerClient;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string) => void;
}

/**
 * The feature group schema guard.
 *
 * The feature group depends on this resource, so CloudFormation sends the guard its Update before it
 * touches the group. The guard compares the old and new `Schema` (the group's create-only properties and
 * feature definitions) and FAILS the update, before any replacement starts, when the change cannot be
 * applied in place, unless `AllowReplacement` is `true` and the group gets a new name.
 *
 * Its physical ID records the schema it last accepted. That is how it stays out of the way of rollbacks:
 * - an update it refused is rolled back with the accepted schema as the "new" one: its physical ID matches,
 *   so the rollback succeeds (failing it would leave the stack in UPDATE_ROLLBACK_FAILED);
 * - an update it accepted returned a new physical ID, so CloudFormation rolls it back with a Delete of
 *   that ID, and later cleans up the old ID with a Delete: Delete never touches anything.
 */
export async function onEvent(event: GuardEvent, deps: GuardDependencies): Promise<GuardResponse> {
  const log = deps.log ?? ((m: string) => console.log(m));
  const props = event.ResourceProperties;
  switch (event.RequestType) {
    case 'Create': {
      const schema = parseSchema(props.Schema, 'new');
      await refuseIfExists(schema.FeatureGroupName, deps, 'create');
      log(`accepted schema of new feature group '${schema.FeatureGroupName}'`);
      return { PhysicalResourceId: physicalId(schema) };
    }
    case 'Update': {
      const newSchema = parseSchema(props.Schema, 'new');
      const accepted = physicalId(newSchema);
      if (accepted === event.PhysicalResourceId) {
        // nothing guarded changed, or this is the rollback of an update the guard refused
        return { PhysicalResourceId: accepted };
      }
      const oldSchema = parseSchema(event.OldResourceProperties?.Schema, 'old');
      const problems = findings(oldSchema, newSchema);
      if (problems.length === 0) {
        log(`accepted in-place update of feature group '${newSchema.FeatureGroupName}'`);
        return { PhysicalResourceId: accepted };
      }
      const allowReplacement = String(props.AllowReplacement) === 'true';
      if (!allowReplacement) throw new Error(refusal(oldSchema, problems));
      if (oldSchema.FeatureGroupName === newSchema.FeatureGroupName) {
        throw new Error(`Refusing to update feature group '${newSchema.FeatureGroupName}': allowReplacementWithDataLoss is set, `
          + 'but a feature group is replaced by creating a new one, and the new one cannot have the name of the old one while '
          + `the old one exists. Give the group a new featureGroupName. Changes:\n${list(problems)}`);
      }
      await refuseIfExists(newSchema.FeatureGroupName, deps, 'replace');
      log(`accepted replacement of feature group '${oldSchema.FeatureGroupName}' by '${newSchema.FeatureGroupName}' `
        + `(allowReplacementWithDataLoss):\n${list(problems)}`);
      return { PhysicalResourceId: accepted };
    }
    case 'Delete':
      // the guard holds nothing: deleting it (or cleaning up an accepted update) changes nothing
      return { PhysicalResourceId: event.PhysicalResourceId ?? 'none' };
    default:
      throw new Error(`unknown request type ${(event as { RequestType: string }).RequestType}`);
  }
}

function refusal(oldSchema: GuardedSchema, problems: ReturnType<typeof findings>): string {
  const replaced = problems.some((p) => p.kind === 'replacement');
  return `Refusing to update feature group '${oldSchema.FeatureGroupName}': these changes cannot be applied in place, and nothing `
    + `was changed:\n${list(problems)}\n`
    + (replaced
      ? 'CloudFormation would REPLACE the group: the new group starts empty, the records of its online store are lost and its '
        + 'offline store data is left behind, no longer attached to a group.\n'
      : '')
    + 'Revert these changes (adding features is applied in place). To replace the group on purpose, set '
    + 'allowReplacementWithDataLoss: true and give it a new featureGroupName.';
}

function list(problems: ReturnType<typeof findings>): string {
  return problems.map((p) => `  - ${p.message}`).join('\n');
}

/** Fails when a feature group of that name exists: CloudFormation could not create it. */
async function refuseIfExists(name: string, deps: GuardDependencies, action: 'create' | 'replace'): Promise<void> {
  const existing = await describe(name, deps);
  if (!existing) return;
  throw new Error(`Feature group '${name}' already exists in this account and Region (status ${existing}), so CloudFormation cannot `
    + `${action === 'create' ? 'create' : 'create the replacement'} '${name}'. Feature groups are retained by default: an earlier `
    + 'deployment, or a construct whose ID changed, may have left it. Import it with FeatureGroup.fromFeatureGroupName, delete it '
    + '(its offline store data stays in S3), or choose another featureGroupName.');
}

/** The status of the feature group, or undefined when it does not exist. */
async function describe(name: string, deps: GuardDependencies): Promise<string | undefined> {
  try {
    const result = await withRetry(() => deps.sagemaker.send(new DescribeFeatureGroupCommand({ FeatureGroupName: name })), retryOptions(deps));
    return result.FeatureGroupStatus ?? 'unknown';
  } catch (e) {
    if (errorName(e) === 'ResourceNotFound') return undefined;
    throw e;
  }
}

/**
 * Throttled calls are retried with exponential backoff (on top of the SDK's own retries): 1, 2, 4 ...
 * up to 20 seconds, fixed delays (no jitter: one call per feature group, there is no burst to spread).
 */
function retryOptions(deps: GuardDependencies): RetryOptions {
  return { attempts: 6, baseDelayMs: 1_000, maxDelayMs: 20_000, sleep: deps.sleep ?? DEFAULT_RETRY.sleep, jitter: false };
}
