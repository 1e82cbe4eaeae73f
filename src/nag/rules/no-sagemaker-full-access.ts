import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { cfnProperties, PlatformRule, verdict } from './rule';

const PRINCIPALS = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** No principal carries the AmazonSageMakerFullAccess managed policy. */
export const NoSageMakerFullAccess: PlatformRule = {
  name: 'NoSageMakerFullAccess',
  info: 'The IAM principal has the AmazonSageMakerFullAccess managed policy.',
  explanation: 'AmazonSageMakerFullAccess allows every SageMaker action on every resource plus broad S3, ECR, EC2 and '
    + 'iam:PassRole permissions: any holder can read every user\'s data and run jobs outside the network guardrails.',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource): NagRuleCompliance {
    if (!PRINCIPALS.includes(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
    return verdict(!JSON.stringify(cfnProperties(node).ManagedPolicyArns ?? []).includes('AmazonSageMakerFullAccess'));
  },
};
