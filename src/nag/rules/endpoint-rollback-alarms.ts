import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** Endpoint updates roll back automatically when alarms fire. */
export const EndpointRollbackAlarms = resourceRule('AWS::SageMaker::Endpoint', {
  name: 'EndpointRollbackAlarms',
  info: 'The endpoint has no deployment guardrail with rollback alarms.',
  explanation: 'Without DeploymentConfig.AutoRollbackConfiguration.Alarms a bad model version takes all traffic until '
    + 'someone notices; blue/green deployments with alarm-driven rollback stop it on the first errors.',
  level: NagMessageLevel.ERROR,
}, (p) => present(get(p, 'DeploymentConfig.AutoRollbackConfiguration.Alarms')));
