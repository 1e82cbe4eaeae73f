import { Token } from 'aws-cdk-lib';
import { PropsValidator } from './validation';
import type { JobGuardrailsOptions } from '../security/job-guardrails';

/**
 * An instance type or instance-type pattern for `sagemaker:InstanceTypes`: `ml.<family>.<size>`,
 * where the size (or the whole family and size) may be the wildcard `*`.
 */
export const INSTANCE_TYPE_PATTERN = /^ml\.(\*|[a-z0-9-]+\.(\*|[a-z0-9]+))$/;

/** Records every problem of a set of job guardrails under `prop`. */
export function validateJobGuardrails(validator: PropsValidator, prop: string, options: JobGuardrailsOptions): void {
  validator.check(!!options.subnets && options.subnets.length > 0,
    `${prop}.subnets must name at least one subnet, got ${options.subnets ? options.subnets.length : 'none'}`);
  validator.check(!!options.securityGroups && options.securityGroups.length > 0,
    `${prop}.securityGroups must name at least one security group, got ${options.securityGroups ? options.securityGroups.length : 'none'}`);
  validator.check(!!options.volumeKey, `${prop}.volumeKey is required, got ${String(options.volumeKey)}`);
  validator.check(!!options.outputKey, `${prop}.outputKey is required, got ${String(options.outputKey)}`);
  validateInstanceTypes(validator, `${prop}.instanceTypes`, options.instanceTypes);
}

/** An instance-type allowlist: not empty, each entry an instance type or a pattern. */
export function validateInstanceTypes(validator: PropsValidator, prop: string, instanceTypes: string[] | undefined): void {
  if (instanceTypes === undefined) return;
  validator.check(instanceTypes.length > 0, `${prop} must list at least one instance type, got an empty list`);
  instanceTypes.forEach((type, i) => {
    validator.pattern(`${prop}[${i}]`, type, INSTANCE_TYPE_PATTERN, "an instance type such as 'ml.m5.xlarge' or a pattern such as 'ml.m5.*'", 64);
  });
}

/** True when the string is a literal (not a token). */
export function isLiteralString(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}
