import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { cfnProperties, get, present, resourceRule } from './rule';

/**
 * Endpoint updates roll back automatically when alarms fire: through the endpoint's blue/green
 * deployment guardrails or, for an endpoint that hosts inference components (its variants name no
 * model), through every component's rolling-update rollback alarms.
 */
export const EndpointRollbackAlarms = resourceRule('AWS::SageMaker::Endpoint', {
  name: 'EndpointRollbackAlarms',
  info: 'The endpoint has no deployment guardrail with rollback alarms.',
  explanation: 'Without DeploymentConfig.AutoRollbackConfiguration.Alarms a bad model version takes all traffic until '
    + 'someone notices; blue/green deployments (or rolling updates of inference components) with alarm-driven rollback '
    + 'stop it on the first errors.',
  level: NagMessageLevel.ERROR,
}, (p, node) => {
  if (present(get(p, 'DeploymentConfig.AutoRollbackConfiguration.Alarms'))) return true;
  const stack = Stack.of(node);
  const resources = stack.node.findAll().filter(CfnResource.isCfnResource);
  const idOf = (r: CfnResource) => stack.resolve(stack.getLogicalId(r)) as string;
  const configText = JSON.stringify(p.EndpointConfigName);
  const config = resources.find((r) => r.cfnResourceType === 'AWS::SageMaker::EndpointConfig' && configText.includes(`"${idOf(r)}"`));
  const variants: any[] = config ? cfnProperties(config).ProductionVariants ?? [] : [];
  const hostsComponents = variants.length > 0 && variants.every((v) => !v.ModelName);
  if (!hostsComponents) return false;
  const name = typeof p.EndpointName === 'string' ? p.EndpointName : undefined;
  const components = resources.filter((r) => {
    if (r.cfnResourceType !== 'AWS::SageMaker::InferenceComponent') return false;
    const target = JSON.stringify(cfnProperties(r).EndpointName);
    return target.includes(`"${idOf(node)}"`) || (name !== undefined && target === JSON.stringify(name));
  });
  return components.length > 0
    && components.every((c) => present(get(cfnProperties(c), 'DeploymentConfig.AutoRollbackConfiguration.Alarms')));
});
