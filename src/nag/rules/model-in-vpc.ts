import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** Model containers run in the customer VPC. */
export const ModelInVpc = resourceRule('AWS::SageMaker::Model', {
  name: 'ModelInVpc',
  info: 'The SageMaker model does not specify a VPC configuration.',
  explanation: 'Without VpcConfig the model containers run in a SageMaker-managed network, outside the platform\'s '
    + 'security groups, endpoint policies and flow logs.',
  level: NagMessageLevel.ERROR,
}, (p) => present(get(p, 'VpcConfig.Subnets')) && present(get(p, 'VpcConfig.SecurityGroupIds')));
