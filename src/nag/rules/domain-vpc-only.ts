import { NagMessageLevel } from 'cdk-nag';
import { resourceRule } from './rule';

/** Studio domains send app traffic through the customer VPC only. */
export const DomainVpcOnly = resourceRule('AWS::SageMaker::Domain', {
  name: 'DomainVpcOnly',
  info: 'The SageMaker domain does not use AppNetworkAccessType VpcOnly.',
  explanation: 'With PublicInternetOnly, Studio apps reach the internet through a SageMaker-managed VPC that bypasses the '
    + 'customer network controls, endpoint policies and flow logs. VpcOnly keeps all app traffic in the customer VPC.',
  level: NagMessageLevel.ERROR,
}, (p) => p.AppNetworkAccessType === 'VpcOnly');
