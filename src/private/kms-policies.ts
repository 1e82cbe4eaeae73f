import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** Keys that already carry the CloudWatch Logs statement, so it is added once per key. */
const LOGS_GRANTED = new WeakSet<kms.IKey>();

/**
 * Lets CloudWatch Logs use `key` for the log groups of the key's account and Region, as the
 * CloudWatch Logs user guide prescribes ("Encrypt log data in CloudWatch Logs using AWS KMS"):
 * the `logs.<region>.amazonaws.com` principal, scoped by `kms:EncryptionContext:aws:logs:arn`.
 *
 * The condition names a log-group ARN pattern rather than one log group: a key policy that named
 * the log group's ARN would make the key depend on the group and the group on the key (a cycle).
 * Imported keys are left unchanged (their policy is not ours to edit). Idempotent per key.
 */
export function allowCloudWatchLogs(key: kms.IKey): void {
  if (LOGS_GRANTED.has(key)) return;
  LOGS_GRANTED.add(key);
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    effect: iam.Effect.ALLOW,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }), true);
}
