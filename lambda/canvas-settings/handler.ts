/**
 * Applies Amazon SageMaker Canvas settings (`CanvasAppSettings`) to a Studio domain's default user
 * settings or to user profiles. CloudFormation's AWS::SageMaker::Domain and AWS::SageMaker::UserProfile
 * have no CanvasAppSettings property; the API does (UpdateDomain `DefaultUserSettings.CanvasAppSettings`,
 * UpdateUserProfile `UserSettings.CanvasAppSettings`).
 *
 * - Create: the settings go to the domain (no user profile names) or to each named profile.
 * - Update: the same, and profiles no longer named get the disabled settings (below). A change of
 *   domain or of target kind (domain or profiles) changes the physical ID, so CloudFormation then
 *   deletes the old resource, which resets its targets.
 * - Delete: the targets get the disabled settings: time-series forecasting, model registration,
 *   direct deployment, Kendra and EMR Serverless off. The workspace location is left as it is, so the
 *   Canvas data in S3 stays where users find it (no data loss). A domain or profile that is gone (or
 *   being deleted) needs nothing.
 *
 * A domain or profile that is being created or updated rejects updates (ResourceInUse): the handler
 * waits until it is InService. Throttled calls are retried.
 */
// The Node.js 24 Lambda runtime provides AWS SDK v3 (left external in the bundle): a devDependency on purpose.
/* eslint-disable import/no-extraneous-dependencies */
import {
  CanvasAppSettings,
  DescribeDomainCommand,
  DescribeUserProfileCommand,
  SageMakerClient,
  UpdateDomainCommand,
  UpdateUserProfileCommand,
} from '@aws-sdk/client-sagemaker';
import { errorMessage, errorName, RetryOptions, withRetry } from '../shared/retry';

/** The CloudFormation custom-resource event the provider framework passes on. */
export interface CanvasSettingsEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: { readonly [key: string]: unknown };
  readonly OldResourceProperties?: { readonly [key: string]: unknown };
}

export interface CanvasSettingsResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly [key: string]: string };
}

export interface CanvasSettingsContext {
  readonly sagemaker: SageMakerClient;
  readonly retry?: RetryOptions;
  /** How often, and how long apart, to look at a domain or profile that is not InService yet. */
  readonly wait?: { readonly attempts: number; readonly delayMs: number };
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (message: string, details?: { [key: string]: unknown }) => void;
}

/** The settings a target gets when the resource no longer applies to it. */
export const DISABLED_SETTINGS: CanvasAppSettings = {
  TimeSeriesForecastingSettings: { Status: 'DISABLED' },
  ModelRegisterSettings: { Status: 'DISABLED' },
  DirectDeploySettings: { Status: 'DISABLED' },
  KendraSettings: { Status: 'DISABLED' },
  EmrServerlessSettings: { Status: 'DISABLED' },
};

/** The resource properties, checked. */
export interface CanvasSettingsProperties {
  readonly domainId: string;
  /** Empty: the domain's default user settings. */
  readonly userProfileNames: string[];
  readonly settings: CanvasAppSettings;
}

const DOMAIN_ID = /^d-[a-z0-9]{12}$/;
const PROFILE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const DEFAULT_WAIT = { attempts: 40, delayMs: 5_000 };

export async function onEvent(event: CanvasSettingsEvent, ctx: CanvasSettingsContext): Promise<CanvasSettingsResult> {
  const props = parseProperties(event.ResourceProperties);
  ctx.log?.('onEvent', {
    requestType: event.RequestType,
    physicalResourceId: event.PhysicalResourceId,
    domainId: props.domainId,
    userProfileNames: props.userProfileNames,
  });
  const physicalId = physicalIdOf(props);

  switch (event.RequestType) {
    case 'Create':
      await apply(ctx, props, props.settings, false);
      return { PhysicalResourceId: physicalId };
    case 'Update': {
      await apply(ctx, props, props.settings, false);
      const old = parseProperties(event.OldResourceProperties ?? {});
      if (physicalIdOf(old) === physicalId) {
        const removed = old.userProfileNames.filter((n) => !props.userProfileNames.includes(n));
        if (removed.length > 0) await apply(ctx, { ...old, userProfileNames: removed }, DISABLED_SETTINGS, true);
      }
      // otherwise the physical ID changes and CloudFormation deletes the old resource, resetting its targets
      return { PhysicalResourceId: physicalId };
    }
    case 'Delete':
      await apply(ctx, props, DISABLED_SETTINGS, true);
      return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
    default:
      throw new Error(`Unknown request type ${String((event as { RequestType?: unknown }).RequestType)}`);
  }
}

/** `canvas-settings/<domainId>/domain` or `canvas-settings/<domainId>/user-profiles`. */
export function physicalIdOf(props: CanvasSettingsProperties): string {
  return `canvas-settings/${props.domainId}/${props.userProfileNames.length === 0 ? 'domain' : 'user-profiles'}`;
}

/** Reads and checks the resource properties (CloudFormation passes every scalar as a string). */
export function parseProperties(properties: { readonly [key: string]: unknown }): CanvasSettingsProperties {
  const problems: string[] = [];
  const domainId = properties.DomainId;
  if (typeof domainId !== 'string' || !DOMAIN_ID.test(domainId)) {
    problems.push(`DomainId must be a domain ID (d- and 12 lowercase letters or digits), got ${JSON.stringify(domainId)}`);
  }
  const names = properties.UserProfileNames ?? [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !PROFILE_NAME.test(n))) {
    problems.push(`UserProfileNames must be a list of user profile names, got ${JSON.stringify(names)}`);
  } else if (new Set(names).size !== names.length) {
    problems.push(`UserProfileNames must not repeat a name, got ${JSON.stringify(names)}`);
  }
  const settings = properties.CanvasAppSettings;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    problems.push(`CanvasAppSettings must be an object, got ${JSON.stringify(settings)}`);
  }
  if (problems.length > 0) throw new Error(`Invalid Canvas settings resource properties: ${problems.join('; ')}`);
  return { domainId: domainId as string, userProfileNames: [...(names as string[])], settings: settings as CanvasAppSettings };
}

/** Applies `settings` to the targets of `props`; with `tolerateGone`, a missing domain or profile is fine. */
async function apply(ctx: CanvasSettingsContext, props: CanvasSettingsProperties, settings: CanvasAppSettings, tolerateGone: boolean): Promise<void> {
  if (props.userProfileNames.length === 0) {
    if (!(await waitInService(ctx, 'domain', props.domainId, undefined, tolerateGone))) return;
    await update(ctx, tolerateGone, () => ctx.sagemaker.send(new UpdateDomainCommand({
      DomainId: props.domainId,
      DefaultUserSettings: { CanvasAppSettings: settings },
    })), `domain ${props.domainId}`);
    ctx.log?.('updated the domain\'s default Canvas settings', { domainId: props.domainId });
    return;
  }
  for (const name of props.userProfileNames) {
    if (!(await waitInService(ctx, 'user profile', props.domainId, name, tolerateGone))) continue;
    await update(ctx, tolerateGone, () => ctx.sagemaker.send(new UpdateUserProfileCommand({
      DomainId: props.domainId,
      UserProfileName: name,
      UserSettings: { CanvasAppSettings: settings },
    })), `user profile ${name} of domain ${props.domainId}`);
    ctx.log?.('updated the Canvas settings of a user profile', { domainId: props.domainId, userProfileName: name });
  }
}

/** Sends an update, retrying throttling; a target gone meanwhile is fine when tolerated. */
async function update(ctx: CanvasSettingsContext, tolerateGone: boolean, call: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await withRetry(call, ctx.retry);
  } catch (error) {
    if (tolerateGone && errorName(error) === 'ResourceNotFound') {
      ctx.log?.(`${what} is gone: nothing to reset`);
      return;
    }
    throw new Error(`Updating the Canvas settings of ${what} failed: ${errorName(error) || 'Error'}: ${errorMessage(error)}`);
  }
}

/**
 * Waits until the domain or profile is InService. Returns false when it does not exist or is being
 * deleted and `tolerateGone` is set; throws when it failed or does not settle in time.
 */
async function waitInService(
  ctx: CanvasSettingsContext, kind: 'domain' | 'user profile', domainId: string, name: string | undefined, tolerateGone: boolean,
): Promise<boolean> {
  const wait = ctx.wait ?? DEFAULT_WAIT;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const what = name === undefined ? `domain ${domainId}` : `user profile ${name} of domain ${domainId}`;
  let status: string | undefined;
  for (let attempt = 1; attempt <= wait.attempts; attempt++) {
    try {
      const response = name === undefined
        ? await withRetry(() => ctx.sagemaker.send(new DescribeDomainCommand({ DomainId: domainId })), ctx.retry)
        : await withRetry(() => ctx.sagemaker.send(new DescribeUserProfileCommand({ DomainId: domainId, UserProfileName: name })), ctx.retry);
      status = response.Status;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFound') {
        if (tolerateGone) {
          ctx.log?.(`${what} does not exist: nothing to reset`);
          return false;
        }
        throw new Error(`The ${kind} ${name ?? domainId} does not exist (domain ${domainId}); Canvas settings cannot be applied to it`);
      }
      throw error;
    }
    if (status === 'InService' || status === 'Update_Failed') return true;
    if (status === 'Deleting' || status === 'Delete_Failed') {
      if (tolerateGone) return false;
      throw new Error(`The ${what} is ${status}; Canvas settings cannot be applied to it`);
    }
    if (status === 'Failed') {
      if (tolerateGone) return false;
      throw new Error(`The ${what} failed to create (status Failed); Canvas settings cannot be applied to it`);
    }
    // Pending or Updating: the service rejects updates until it settles
    if (attempt < wait.attempts) await sleep(wait.delayMs);
  }
  throw new Error(`The ${what} was still ${status} after ${wait.attempts} checks ${wait.delayMs} ms apart; `
    + 'Canvas settings were not applied. Retry the deployment once it is InService.');
}
