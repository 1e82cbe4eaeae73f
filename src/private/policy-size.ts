import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** IAM quota: "Managed policy size: 6,144 characters", whitespace not counted (IAM user guide, IAM and AWS STS quotas). */
export const MANAGED_POLICY_MAX_CHARS = 6_144;

/**
 * Deploy-time values are unknown at synth: each intrinsic counts as the longest value it usually
 * resolves to in these policies (a KMS key ARN, 75 characters). Errs on the long side.
 */
const TOKEN_ESTIMATE = 'x'.repeat(75);

/** The approximate size of a managed policy document once CloudFormation has resolved it. */
export function estimatePolicySize(policy: iam.ManagedPolicy): number {
  const resolved = Stack.of(policy).resolve(policy.document);
  return JSON.stringify(substituteIntrinsics(resolved)).replace(/\s/g, '').length;
}

function substituteIntrinsics(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(substituteIntrinsics);
  if (node === null || typeof node !== 'object') return node;
  const o = node as { [key: string]: unknown };
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = o['Fn::Join'] as [string, unknown];
    // a list-valued intrinsic (Fn::Split, a list parameter) counts as one deploy-time value
    if (!Array.isArray(parts)) return TOKEN_ESTIMATE;
    return parts.map((p) => (typeof p === 'string' ? p : estimateRef(p))).join(sep);
  }
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return TOKEN_ESTIMATE;
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(o)) out[k] = substituteIntrinsics(v);
  return out;
}

/** A reference inside a join (partition, Region, account, an ID) is shorter than a full ARN. */
function estimateRef(node: unknown): string {
  const ref = (node as { Ref?: string }).Ref;
  if (ref === 'AWS::Partition') return 'aws-us-gov';
  if (ref === 'AWS::Region') return 'ap-southeast-1';
  if (ref === 'AWS::AccountId') return '123456789012';
  return 'x'.repeat(24);
}
