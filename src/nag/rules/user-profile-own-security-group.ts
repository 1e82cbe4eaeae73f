import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** Each user profile's apps run in the user's own security groups. */
export const UserProfileOwnSecurityGroup = resourceRule('AWS::SageMaker::UserProfile', {
  name: 'UserProfileOwnSecurityGroup',
  info: 'The SageMaker user profile does not set its own security groups.',
  explanation: 'Without UserSettings.SecurityGroups the user\'s apps share the domain security groups, so network rules '
    + 'cannot separate one user\'s apps from another\'s.',
  level: NagMessageLevel.ERROR,
}, (p) => present(get(p, 'UserSettings.SecurityGroups')));
