import { NagMessageLevel } from 'cdk-nag';
import { resourceRule } from './rule';

/** Model containers cannot make outbound calls. */
export const ModelNetworkIsolation = resourceRule('AWS::SageMaker::Model', {
  name: 'ModelNetworkIsolation',
  info: 'The SageMaker model does not enable network isolation.',
  explanation: 'Without EnableNetworkIsolation a model container can call out of the VPC (with its role\'s credentials), '
    + 'which allows data exfiltration by a malicious or compromised model.',
  level: NagMessageLevel.ERROR,
}, (p) => p.EnableNetworkIsolation === true || p.EnableNetworkIsolation === 'true');
