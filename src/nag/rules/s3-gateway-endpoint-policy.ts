import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { present, resourceRule } from './rule';

/** The S3 gateway endpoint restricts which buckets the VPC can reach. */
export const S3GatewayEndpointPolicy = resourceRule('AWS::EC2::VPCEndpoint', {
  name: 'S3GatewayEndpointPolicy',
  info: 'The S3 gateway endpoint has no endpoint policy.',
  explanation: 'Without a policy the gateway endpoint lets anything in the VPC reach any bucket, including buckets of '
    + 'other accounts: the easiest exfiltration path of a closed network. Limit it to the account\'s buckets and the '
    + 'AWS-owned buckets the services need.',
  level: NagMessageLevel.ERROR,
}, (p) => {
  const gateway = (p.VpcEndpointType ?? 'Gateway') === 'Gateway';
  if (!gateway || !/\.s3(["\]]|$)/.test(JSON.stringify(p.ServiceName))) return NagRuleCompliance.NOT_APPLICABLE;
  return present(p.PolicyDocument);
});
