import { NagMessageLevel } from 'cdk-nag';
import { get, present, resourceRule } from './rule';

/** HyperPod nodes run in the customer VPC. */
export const HyperPodClusterInVpc = resourceRule('AWS::SageMaker::Cluster', {
  name: 'HyperPodClusterInVpc',
  info: 'The HyperPod cluster does not specify a VPC configuration.',
  explanation: 'Without VpcConfig the cluster nodes use a SageMaker-managed network: no private access to FSx or the '
    + 'platform endpoints, and no security-group or flow-log control over training traffic.',
  level: NagMessageLevel.ERROR,
}, (p) => present(get(p, 'VpcConfig.Subnets')) && present(get(p, 'VpcConfig.SecurityGroupIds')));
