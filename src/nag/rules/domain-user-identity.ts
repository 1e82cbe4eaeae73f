import { NagMessageLevel } from 'cdk-nag';
import { get, resourceRule } from './rule';

/** CloudTrail records which user profile acted, not only the shared execution role. */
export const DomainUserIdentityInCloudTrail = resourceRule('AWS::SageMaker::Domain', {
  name: 'DomainUserIdentityInCloudTrail',
  info: 'The SageMaker domain does not set ExecutionRoleIdentityConfig to USER_PROFILE_NAME.',
  explanation: 'With USER_PROFILE_NAME the user profile name becomes the source identity of the execution role session, '
    + 'so CloudTrail attributes each action to a person and IAM can key conditions on sagemaker:UserProfileName.',
  level: NagMessageLevel.ERROR,
}, (p) => get(p, 'DomainSettings.ExecutionRoleIdentityConfig') === 'USER_PROFILE_NAME');
