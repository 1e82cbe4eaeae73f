import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { pipelineJobSteps } from './pipeline-definition';
import { PlatformRule, verdict } from './rule';

/** Every job step of a pipeline encrypts its volumes and outputs with KMS keys. */
export const PipelineJobStepsEncrypted: PlatformRule = {
  name: 'PipelineJobStepsEncrypted',
  info: 'A job step of the pipeline definition does not set volume and output KMS keys.',
  explanation: 'Job steps write training data to ML storage volumes and results to S3; without VolumeKmsKeyId and an '
    + 'output KmsKeyId they fall back to AWS managed keys. Steps whose instance types all have local NVMe storage need no '
    + 'volume key (the hardware encrypts the instance store; SageMaker rejects a key there). Definitions stored in S3 are '
    + 'not checked.',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource): NagRuleCompliance {
    if (node.cfnResourceType !== 'AWS::SageMaker::Pipeline') return NagRuleCompliance.NOT_APPLICABLE;
    const steps = pipelineJobSteps(node);
    if (steps === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return verdict(steps.every((s) => s.volumeKey && s.outputKey));
  },
};
