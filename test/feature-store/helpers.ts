import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { FeatureDefinition, FeatureType, InterfaceEndpointService, IPlatformNetwork } from '../../src';

/** A role whose grants go to one customer-managed policy (the HIPAA/NIST/PCI packs reject inline policies). */
export class ManagedPolicyRole extends iam.Role {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this] });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** A network that records the endpoints declared to it. */
export class FakeNetwork extends Construct implements IPlatformNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.ISubnet[];
  public readonly subnetIds: string[];
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  public readonly declared = new Set<string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    this.subnets = this.vpc.isolatedSubnets;
    this.subnetIds = this.subnets.map((s) => s.subnetId);
    this.endpointSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'Endpoints', 'sg-0123456789abcdef0');
  }

  public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
    for (const s of services) this.declared.add(s.name);
  }

  public allowEndpointAccessFrom(_peer: ec2.ISecurityGroup): void {}
}

/** The employee features of the examples and most tests. */
export function employeeFeatures(): FeatureDefinition[] {
  return [
    { name: 'employee_id', type: FeatureType.STRING },
    { name: 'event_time', type: FeatureType.STRING },
    { name: 'department', type: FeatureType.STRING },
    { name: 'tenure_years', type: FeatureType.FRACTIONAL, description: 'Years since hire', parameters: { unit: 'years' } },
  ];
}

/** The resources of one type in a template, by logical ID. */
export function resourcesOf(template: { toJSON(): { [key: string]: unknown } }, type: string): { [id: string]: { [key: string]: any } } {
  const resources = (template.toJSON().Resources ?? {}) as { [id: string]: { Type: string } };
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type)) as { [id: string]: { [key: string]: any } };
}

/**
 * Resolves a synthesized value the way CloudFormation would, with fake physical values: `Ref` to
 * `<id>`, `Fn::GetAtt` to `arn:<id>.<attribute>`, `Fn::Join` joined.
 */
export function fakeResolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fakeResolve);
  if (value && typeof value === 'object') {
    const obj = value as { [key: string]: unknown };
    if ('Ref' in obj) return `${obj.Ref}`;
    if ('Fn::GetAtt' in obj) {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      return `arn:${id}.${attr}`;
    }
    if ('Fn::Join' in obj) {
      const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
      return items.map(fakeResolve).join(delimiter);
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fakeResolve(v)]));
  }
  return value;
}
