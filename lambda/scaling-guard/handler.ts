/**
 * The scaling guard: deregisters the Application Auto Scaling targets of endpoint variants before
 * CloudFormation updates the endpoint in a way SageMaker refuses while they are registered.
 *
 * SageMaker fails an UpdateEndpoint that changes the instance type of, or removes, a production
 * variant registered for auto scaling ("Update endpoints that use auto scaling" in the SageMaker
 * developer guide). The endpoint depends on this resource, so CloudFormation runs this handler
 * first; the scalable target and its policies are CloudFormation resources whose logical IDs
 * include the variant's instance type, so after the endpoint update CloudFormation creates them
 * again (registering the variant anew), and the old ones, kept by their `RetainExceptOnCreate`
 * deletion policy, are left alone in the cleanup phase instead of deregistering the new target.
 *
 * - Create: nothing is registered yet; records the variants.
 * - Update: deregisters each variant of the previous properties that is gone, is no longer
 *   autoscaled, or has a new instance type. Nothing when the endpoint itself is replaced (a new
 *   name): the new endpoint starts unregistered and deleting the old one deregisters its variants.
 * - Delete: deregisters every listed variant (the endpoint is deleted before this resource).
 *
 * A target that is already gone counts as deregistered. Throttling and concurrent updates are
 * retried with back-off; any other error fails the stack operation with the variant named.
 */
/* eslint-disable import/no-extraneous-dependencies */
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { DEFAULT_RETRY, errorMessage, errorName, isThrottling, RetryOptions, withRetry } from '../shared/retry';

/** A variant registered for auto scaling, as the construct passes it. */
export interface ScalableVariant {
  readonly VariantName: string;
  readonly InstanceType: string;
}

/** The resource properties of the guard. */
export interface GuardProperties {
  readonly EndpointName: string;
  readonly ScalableVariants: ScalableVariant[];
}

/** What the handler calls AWS with. */
export interface GuardDependencies {
  readonly autoscaling: ApplicationAutoScalingClient;
  readonly retry?: RetryOptions;
  readonly log?: (message: string, details?: { [key: string]: unknown }) => void;
}

/**
 * Application Auto Scaling errors worth another attempt besides throttling: another update of the
 * same target is in progress, or a transient service error.
 */
const RETRYABLE = new Set(['ConcurrentUpdateException', 'InternalServiceException']);

/** True for throttling and for the Application Auto Scaling errors that ask for a retry. */
export function isRetryable(error: unknown): boolean {
  return isThrottling(error) || RETRYABLE.has(errorName(error));
}

/** A deployment that changes several endpoints deregisters many targets at once: a longer back-off than the default. */
export const SCALING_RETRY: RetryOptions = { ...DEFAULT_RETRY, attempts: 8, baseDelayMs: 1_000, maxDelayMs: 20_000 };

/** The scalable dimension of an endpoint variant's instance count. */
export const VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

/** Reads and checks the properties CloudFormation passes (every value arrives as a string). */
export function parseProperties(raw: { [key: string]: unknown } | undefined, which: string): GuardProperties {
  const endpointName = raw?.EndpointName;
  if (typeof endpointName !== 'string' || endpointName.length === 0) {
    throw new Error(`${which}.EndpointName must be a non-empty string, got ${JSON.stringify(endpointName)}`);
  }
  const list = raw?.ScalableVariants ?? [];
  if (!Array.isArray(list)) {
    throw new Error(`${which}.ScalableVariants must be a list, got ${JSON.stringify(list)}`);
  }
  const variants = list.map((item, index) => {
    const v = item as { VariantName?: unknown; InstanceType?: unknown };
    if (typeof v?.VariantName !== 'string' || typeof v?.InstanceType !== 'string') {
      throw new Error(`${which}.ScalableVariants[${index}] must have string VariantName and InstanceType, got ${JSON.stringify(item)}`);
    }
    return { VariantName: v.VariantName, InstanceType: v.InstanceType };
  });
  return { EndpointName: endpointName, ScalableVariants: variants };
}

/**
 * The variants of `previous` whose scalable targets must go before the endpoint update: removed,
 * no longer autoscaled, or on a new instance type. None when the endpoint is replaced.
 */
export function variantsToDeregister(previous: GuardProperties, next: GuardProperties): string[] {
  if (previous.EndpointName !== next.EndpointName) return [];
  const nextTypes = new Map(next.ScalableVariants.map((v) => [v.VariantName, v.InstanceType]));
  return previous.ScalableVariants
    .filter((v) => nextTypes.get(v.VariantName) !== v.InstanceType)
    .map((v) => v.VariantName);
}

/** The resource ID Application Auto Scaling knows an endpoint variant by. */
export function variantResourceId(endpointName: string, variantName: string): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

/** The physical ID of the guard of an endpoint. */
export function physicalId(endpointName: string): string {
  return `${endpointName}/scaling-guard`;
}

/** Deregisters one variant; true when it was registered, false when it was already gone. */
async function deregister(deps: GuardDependencies, endpointName: string, variantName: string): Promise<boolean> {
  const resourceId = variantResourceId(endpointName, variantName);
  try {
    await withRetry(() => deps.autoscaling.send(new DeregisterScalableTargetCommand({
      ServiceNamespace: 'sagemaker',
      ResourceId: resourceId,
      ScalableDimension: VARIANT_DIMENSION,
    })), deps.retry ?? SCALING_RETRY, isRetryable);
    return true;
  } catch (error) {
    if (errorName(error) === 'ObjectNotFoundException') return false;
    throw new Error(`Could not deregister the scalable target ${resourceId} (${VARIANT_DIMENSION}): `
      + `${errorName(error) || 'Error'}: ${errorMessage(error)}`);
  }
}

async function deregisterAll(deps: GuardDependencies, endpointName: string, variantNames: string[]): Promise<string[]> {
  const done: string[] = [];
  for (const variantName of variantNames) {
    const wasRegistered = await deregister(deps, endpointName, variantName);
    deps.log?.(wasRegistered ? 'deregistered' : 'already deregistered', { endpointName, variantName });
    done.push(variantName);
  }
  return done;
}

/** The onEvent handler of the provider framework. */
export async function onEvent(event: CdkCustomResourceEvent, deps: GuardDependencies): Promise<CdkCustomResourceResponse> {
  const props = parseProperties(event.ResourceProperties, 'ResourceProperties');
  deps.log?.('event', { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, endpointName: props.EndpointName });

  switch (event.RequestType) {
    case 'Create':
      return { PhysicalResourceId: physicalId(props.EndpointName), Data: { Deregistered: '' } };
    case 'Update': {
      const previous = parseProperties(event.OldResourceProperties, 'OldResourceProperties');
      const names = variantsToDeregister(previous, props);
      const done = await deregisterAll(deps, previous.EndpointName, names);
      return { PhysicalResourceId: physicalId(props.EndpointName), Data: { Deregistered: done.join(',') } };
    }
    case 'Delete': {
      const done = await deregisterAll(deps, props.EndpointName, props.ScalableVariants.map((v) => v.VariantName));
      return { PhysicalResourceId: event.PhysicalResourceId, Data: { Deregistered: done.join(',') } };
    }
    default:
      throw new Error(`Unknown request type ${JSON.stringify((event as { RequestType?: unknown }).RequestType)}`);
  }
}
