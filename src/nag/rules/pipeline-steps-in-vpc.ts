import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { pipelineJobSteps } from './pipeline-definition';
import { PlatformRule, verdict } from './rule';

/** Every training, processing, tuning and AutoML step of a pipeline runs in the VPC. */
export const PipelineJobStepsInVpc: PlatformRule = {
  name: 'PipelineJobStepsInVpc',
  info: 'A job step of the pipeline definition does not run in a VPC.',
  explanation: 'Pipeline job steps without a VPC configuration run in a SageMaker-managed network and can reach the '
    + 'internet; give every Training, Processing, Tuning and AutoML step the platform subnets and security groups. '
    + 'Definitions stored in S3 cannot be read at synth and are not checked.',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource): NagRuleCompliance {
    if (node.cfnResourceType !== 'AWS::SageMaker::Pipeline') return NagRuleCompliance.NOT_APPLICABLE;
    const steps = pipelineJobSteps(node);
    if (steps === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return verdict(steps.every((s) => s.inVpc !== false));
  },
};
