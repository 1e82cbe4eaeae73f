import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { resourceRule } from './rule';

/** Interface endpoints take over the service's public DNS name inside the VPC. */
export const InterfaceEndpointPrivateDns = resourceRule('AWS::EC2::VPCEndpoint', {
  name: 'InterfaceEndpointPrivateDns',
  info: 'The interface VPC endpoint does not enable private DNS.',
  explanation: 'Without PrivateDnsEnabled, SDKs resolve the service\'s public name and, in a VPC without internet '
    + 'access, fail (or leave the VPC where a route exists) instead of using the endpoint.',
  level: NagMessageLevel.ERROR,
}, (p) => (p.VpcEndpointType !== 'Interface' ? NagRuleCompliance.NOT_APPLICABLE : p.PrivateDnsEnabled === true));
