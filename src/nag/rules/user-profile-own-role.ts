import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** Each user profile has its own execution role. */
export const UserProfileOwnRole = resourceRule('AWS::SageMaker::UserProfile', {
  name: 'UserProfileOwnRole',
  info: 'The SageMaker user profile does not set its own execution role.',
  explanation: 'A user profile without UserSettings.ExecutionRole inherits the domain default role, which every other '
    + 'such user shares: one user can then act on another user\'s data and jobs.',
  level: NagMessageLevel.ERROR,
}, (p) => present(get(p, 'UserSettings.ExecutionRole')));
