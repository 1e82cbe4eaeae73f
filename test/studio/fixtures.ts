import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork, PlatformNetwork } from '../../src/network';

/** The network and keys a Studio domain receives from its caller. */
export interface StudioFixture {
  readonly network: PlatformNetwork;
  readonly storageKey: kms.Key;
  readonly dataKey: kms.Key;
}

/** A PlatformNetwork and two rotated keys, as the platform passes them to a domain. */
export function studioFixture(stack: Stack): StudioFixture {
  return {
    network: new PlatformNetwork(stack, 'Network'),
    storageKey: new kms.Key(stack, 'StorageKey', { enableKeyRotation: true, description: 'Studio storage' }),
    dataKey: new kms.Key(stack, 'DataKey', { enableKeyRotation: true, description: 'Job outputs' }),
  };
}

/**
 * A minimal IPlatformNetwork over an imported VPC with the given subnets, for inputs PlatformNetwork
 * itself refuses (such as a single subnet). Never synthesized through the compliance harness.
 */
export class FixedSubnetsNetwork extends Construct implements IPlatformNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.ISubnet[];
  public readonly subnetIds: string[];
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  public readonly declared: InterfaceEndpointService[] = [];
  public readonly admitted: ec2.ISecurityGroup[] = [];

  constructor(scope: Construct, id: string, subnetIds: string[]) {
    super(scope, id);
    const azs = subnetIds.map((_, i) => `us-east-1${'abc'[i % 3]}`);
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: azs,
      isolatedSubnetIds: subnetIds,
      isolatedSubnetRouteTableIds: subnetIds.map((_, i) => `rtb-0123456789abcdef${i}`),
    });
    this.subnets = this.vpc.isolatedSubnets;
    this.subnetIds = [...subnetIds];
    this.endpointSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'EndpointSg', 'sg-0123456789abcdef0');
  }

  public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
    this.declared.push(...services);
  }

  public allowEndpointAccessFrom(peer: ec2.ISecurityGroup): void {
    this.admitted.push(peer);
  }
}

/** Reassembles a resolved `Fn::Join` into text, writing each token as `<TOKEN>`. */
export function joinText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const [sep, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map(joinText).join(sep);
  }
  return '<TOKEN>';
}

/**
 * A grantee whose grants land in a customer-managed policy attached to a role (the rule packs reject
 * the inline policies a plain role would get).
 */
export class ManagedPolicyGrantee extends iam.ArnPrincipal {
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    const role = new iam.Role(scope, id, { assumedBy: new iam.AccountRootPrincipal() });
    super(role.roleArn);
    this.role = role;
    this.policy = new iam.ManagedPolicy(scope, `${id}Policy`, { roles: [role] });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
