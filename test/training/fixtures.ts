/* eslint-disable @typescript-eslint/no-explicit-any */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PlatformNetwork } from '../../src';

/** Subnet IDs of the fixture VPC: two in us-east-1a, one in us-east-1b. */
export const SUBNET_A1 = 'subnet-0123456789abcdef0';
export const SUBNET_A2 = 'subnet-0123456789abcdef2';
export const SUBNET_B1 = 'subnet-0123456789abcdef1';

/**
 * A platform network over an imported VPC whose subnets have literal Availability Zones, so the
 * cluster's Availability Zone rules can be checked at synth.
 */
export function fixtureNetwork(stack: Stack): PlatformNetwork {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1a'],
    isolatedSubnetIds: [SUBNET_A1, SUBNET_B1, SUBNET_A2],
    isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1', 'rtb-0123456789abcdef2'],
  });
  return new PlatformNetwork(stack, 'Network', { vpc });
}

/** The subnet of the fixture network with this ID. */
export function subnet(network: PlatformNetwork, id: string): ec2.ISubnet {
  const found = network.subnets.find((s) => s.subnetId === id);
  if (!found) throw new Error(`no subnet ${id}`);
  return found;
}

/**
 * A role whose grants land in one customer managed policy (the HIPAA, NIST and PCI packs reject the inline
 * DefaultPolicy a plain iam.Role would get), standing in for a platform user's role.
 */
export class ManagedPolicyRole extends iam.Role {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id, { assumedBy: new iam.AccountRootPrincipal() });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this] });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/**
 * The content of a Custom::HyperPodLifecycleFile's object, with every deploy-time value replaced by
 * `<Ref>` or `<LogicalId.Attribute>` so it can be read as text.
 */
export function uploadedObject(template: Template, fileName: string): { key: string; body: string; call: { [key: string]: any } } {
  const files = template.findResources('Custom::HyperPodLifecycleFile');
  for (const resource of Object.values(files)) {
    const text = flatten(resource.Properties.Create);
    const call = JSON.parse(text);
    if (String(call.parameters.Key).endsWith(`/${fileName}`)) {
      return { key: call.parameters.Key, body: call.parameters.Body, call };
    }
  }
  throw new Error(`no upload of ${fileName}`);
}

function flatten(node: any): string {
  if (typeof node === 'string') return node;
  if (node['Fn::Join']) return (node['Fn::Join'][1] as any[]).map(flatten).join(node['Fn::Join'][0]);
  if (node.Ref) return `<${node.Ref}>`;
  if (node['Fn::GetAtt']) return `<${node['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(node);
}
