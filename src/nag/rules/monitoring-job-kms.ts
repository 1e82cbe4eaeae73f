import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { monitoringJob } from './monitoring-job-in-vpc';
import { get, PlatformRule, present, verdict, volumeEncrypted } from './rule';

/** Model Monitor jobs encrypt their volumes and reports with customer-managed keys. */
export const MonitoringJobKms: PlatformRule = {
  name: 'MonitoringJobKms',
  info: 'The Model Monitor job does not encrypt its volume and output with a KMS key.',
  explanation: 'Monitoring jobs process captured inference data; their ML storage volume (ClusterConfig.VolumeKmsKeyId) '
    + 'and their reports in S3 (output KmsKeyId) must use customer-managed keys. Instance types with local NVMe storage '
    + 'need no volume key (the hardware encrypts the instance store; SageMaker rejects a key there).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource): NagRuleCompliance {
    const job = monitoringJob(node);
    if (!job) return NagRuleCompliance.NOT_APPLICABLE;
    return verdict(volumeEncrypted(get(job.resources, 'ClusterConfig')) && present(get(job.output, 'KmsKeyId')));
  },
};
