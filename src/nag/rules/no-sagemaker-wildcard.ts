import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { cfnProperties, PlatformRule, verdict } from './rule';

/** The policy documents a resource carries, whatever the resource type. */
function policyDocuments(node: CfnResource): any[] {
  switch (node.cfnResourceType) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return [cfnProperties(node).PolicyDocument];
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return (cfnProperties(node).Policies ?? []).map((policy: any) => policy.PolicyDocument);
    default:
      return [];
  }
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** No policy allows `sagemaker:*` (or `*`) on all resources. */
export const NoSageMakerWildcard: PlatformRule = {
  name: 'NoSageMakerWildcard',
  info: 'An IAM policy allows sagemaker:* on all resources.',
  explanation: 'sagemaker:* on * lets the holder change the domain, act on every user\'s spaces, apps and jobs, and '
    + 'create jobs outside the platform network; scope actions and resources.',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource): NagRuleCompliance {
    const documents = policyDocuments(node);
    if (documents.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const broad = documents.some((doc) => asList(doc?.Statement).some((s: any) => s.Effect === 'Allow'
      && asList(s.Action).some((a) => a === '*' || (typeof a === 'string' && a.toLowerCase() === 'sagemaker:*'))
      && asList(s.Resource).includes('*')));
    return verdict(!broad);
  },
};
