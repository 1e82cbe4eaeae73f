import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { hasLocalInstanceStorage } from '../../private/instance-storage-rules';

/**
 * One rule of the SageMakerPlatform pack: what it checks, why, and the check itself.
 * Rules read CloudFormation (the resolved `Properties` of a resource), so they work on any CDK
 * app, whether its resources come from our constructs, aws-cdk-lib L1s or raw CfnResources.
 */
export interface PlatformRule {
  /** Rule name; the finding id is `SageMakerPlatform-<name>`. */
  readonly name: string;
  readonly info: string;
  readonly explanation: string;
  readonly level: NagMessageLevel;
  /** Checks one resource; NOT_APPLICABLE for other resource types. */
  check(node: CfnResource): NagRuleCompliance;
}

/** The resource whose properties the pack is checking, and its properties once resolved. */
let checking: { node: CfnResource; properties?: Record<string, any> } | undefined;

/**
 * Runs `fn` with the resolved properties of `node` cached: the pack's rules read the same resource
 * many times, and resolving is the costly part of a rule.
 */
export function withPropertyCache<T>(node: CfnResource, fn: () => T): T {
  const previous = checking;
  checking = { node };
  try {
    return fn();
  } finally {
    checking = previous;
  }
}

/** The resolved CloudFormation `Properties` of a resource (intrinsics stay as objects). */
export function cfnProperties(node: CfnResource): Record<string, any> {
  if (checking?.node === node) return checking.properties ??= resolveProperties(node);
  return resolveProperties(node);
}

function resolveProperties(node: CfnResource): Record<string, any> {
  const cfn = Stack.of(node).resolve((node as any)._toCloudFormation()) as Record<string, any>;
  const resource = Object.values(cfn.Resources ?? {})[0] as { Properties?: Record<string, any> } | undefined;
  return resource?.Properties ?? {};
}

/** Reads a nested property by path (`a.b.c`); undefined when any step is missing. */
export function get(obj: unknown, path: string): any {
  let cur: any = obj;
  for (const key of path.split('.')) {
    if (cur === undefined || cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur;
}

/** True when a value is present (a literal or an intrinsic); empty strings and arrays count as absent. */
export function present(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** COMPLIANT when `ok`, else NON_COMPLIANT. */
export function verdict(ok: boolean): NagRuleCompliance {
  return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/** Builds a rule for one resource type. */
export function resourceRule(
  type: string,
  definition: Omit<PlatformRule, 'check'>,
  check: (props: Record<string, any>, node: CfnResource) => boolean | NagRuleCompliance,
): PlatformRule {
  return {
    ...definition,
    check(node: CfnResource): NagRuleCompliance {
      if (node.cfnResourceType !== type) return NagRuleCompliance.NOT_APPLICABLE;
      const result = check(cfnProperties(node), node);
      return typeof result === 'boolean' ? verdict(result) : result;
    },
  };
}

/**
 * The ML storage volumes of a job's resources (ResourceConfig, ClusterConfig, TransformResources) are
 * encrypted with a KMS key, or the job runs only on literal instance types with local NVMe storage:
 * the hardware encrypts their instance store and SageMaker rejects a volume key for them. An
 * instance type that is not a literal (a pipeline parameter) needs the key.
 */
export function volumeEncrypted(resources: unknown): boolean {
  if (present(get(resources, 'VolumeKmsKeyId'))) return true;
  const groups = get(resources, 'InstanceGroups');
  const types = [get(resources, 'InstanceType'), ...(Array.isArray(groups) ? groups.map((g) => get(g, 'InstanceType')) : [])]
    .filter((t) => t !== undefined);
  return types.length > 0 && types.every((t) => typeof t === 'string' && hasLocalInstanceStorage(t));
}
