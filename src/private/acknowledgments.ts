import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every rule finding the library acknowledges, in one place, with the reason a reviewer reads.
 *
 * An entry is applied to exactly one CloudFormation resource at a time (never to a stack or a
 * subtree), one finding id per `Validations.acknowledge` call. The test harness fails on any
 * acknowledgment that is not listed here, not attached to a single resource, or not worded as
 * it is here; the review report lists them all.
 */
export const ACKNOWLEDGMENTS = {
  // ----- security -----
  /** The bucket that receives S3 server access logs cannot usefully log to itself. */
  ACCESS_LOG_BUCKET_NOT_LOGGED: {
    findings: [
      'AwsSolutions-S1',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'PCI.DSS.321-S3BucketLoggingEnabled',
    ],
    reason: 'This bucket is the server-access-log target of the platform buckets; logging it to itself would loop. '
      + 'Access to it is covered by CloudTrail data events where the account enables them.',
  },
  /** S3 only delivers server access logs to SSE-S3 encrypted targets. */
  ACCESS_LOG_BUCKET_SSE_S3: {
    findings: [
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'PCI.DSS.321-S3DefaultEncryptionKMS',
    ],
    reason: 'Amazon S3 server access log delivery supports only SSE-S3 default encryption on the target bucket '
      + '(SSE-KMS is not supported for log delivery); the logs are still encrypted at rest with AES-256.',
  },
  /** Replication to another Region is the data owner's choice. */
  BUCKET_NOT_REPLICATED: {
    findings: [
      'HIPAA.Security-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
    ],
    reason: 'Cross-Region replication copies regulated data out of its Region and doubles storage cost, so it is a '
      + 'data-residency decision for the data owner. Versioning, RETAIN and KMS protect the data in its Region.',
  },

  // ----- network (entries of the network module go below this line) -----

  // ----- custom-resources (entries of the custom-resources module go below this line) -----

  // ----- studio (entries of the studio module go below this line) -----

  // ----- feature-store (entries of the feature-store module go below this line) -----

  // ----- pipelines (entries of the pipelines module go below this line) -----

  // ----- training (entries of the training module go below this line) -----

  // ----- inference (entries of the inference module go below this line) -----

  // ----- platform (entries of the platform module go below this line) -----
} as const;

/** The name of an acknowledgment in {@link ACKNOWLEDGMENTS}. */
export type AcknowledgmentName = keyof typeof ACKNOWLEDGMENTS;

/**
 * Acknowledges the findings of one registry entry on one CloudFormation resource.
 *
 * @param resource the CfnResource, or an L2 whose default child is one
 * @param name the registry entry
 * @param appliesTo finding details for rules that report them (cdk-nag's `Rule[Detail]` form, such as
 *   `Resource::arn:aws:s3:::bucket/*` for AwsSolutions-IAM5); each one is acknowledged separately
 */
export function acknowledge(resource: IConstruct, name: AcknowledgmentName, appliesTo: string[] = []): void {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`acknowledge(${name}): '${resource.node.path}' is not a CloudFormation resource; acknowledgments are per resource`);
  }
  const entry: { readonly findings: readonly string[]; readonly reason: string } = ACKNOWLEDGMENTS[name];
  for (const id of entry.findings) {
    if (appliesTo.length === 0) {
      Validations.of(cfn).acknowledge({ id, reason: entry.reason });
    } else {
      for (const detail of appliesTo) Validations.of(cfn).acknowledge({ id: `${id}[${detail}]`, reason: entry.reason });
    }
  }
}
