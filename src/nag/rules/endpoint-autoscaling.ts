import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { cfnProperties, resourceRule } from './rule';

/** An endpoint's capacity follows its load. */
export const EndpointAutoscaling = resourceRule('AWS::SageMaker::Endpoint', {
  name: 'EndpointAutoscaling',
  info: 'The endpoint has no Application Auto Scaling target and no managed instance scaling.',
  explanation: 'A fixed-size endpoint is either over-provisioned (cost) or fails under load (availability). Register a '
    + 'scalable target for its variants or inference components, or enable managed instance scaling.',
  level: NagMessageLevel.WARN,
}, (p, node) => {
  const stack = Stack.of(node);
  const logicalId = stack.resolve(stack.getLogicalId(node));
  const name = typeof p.EndpointName === 'string' ? p.EndpointName : undefined;
  const mentions = (value: unknown) => {
    const text = JSON.stringify(value);
    return text.includes(`"${logicalId}"`) || (name !== undefined && text.includes(`endpoint/${name}/`));
  };
  const resources = stack.node.findAll().filter(CfnResource.isCfnResource);
  // inference components of this endpoint, by logical ID or name
  const components = resources.filter((r) => r.cfnResourceType === 'AWS::SageMaker::InferenceComponent'
    && mentions(cfnProperties(r).EndpointName));
  const componentIds = components.map((c) => stack.resolve(stack.getLogicalId(c)) as string);
  const scaled = resources.some((r) => {
    if (r.cfnResourceType !== 'AWS::ApplicationAutoScaling::ScalableTarget') return false;
    const target = cfnProperties(r);
    if (target.ServiceNamespace !== 'sagemaker') return false;
    const text = JSON.stringify(target.ResourceId);
    return mentions(target.ResourceId) || componentIds.some((id) => text.includes(`"${id}"`));
  });
  if (scaled) return true;
  // managed instance scaling on every variant of the endpoint's configuration
  const configId = JSON.stringify(p.EndpointConfigName);
  const config = resources.find((r) => r.cfnResourceType === 'AWS::SageMaker::EndpointConfig'
    && configId.includes(`"${stack.resolve(stack.getLogicalId(r))}"`));
  const variants: any[] = config ? cfnProperties(config).ProductionVariants ?? [] : [];
  return variants.length > 0 && variants.every((v) => v.ManagedInstanceScaling?.Status === 'ENABLED' || v.ServerlessConfig);
});
