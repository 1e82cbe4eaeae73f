import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, AcknowledgmentName } from '../../private/acknowledgments';

/**
 * A role whose statements go to one customer-managed policy (the HIPAA, NIST and PCI packs reject
 * inline policies; AwsSolutions rejects AWS managed ones).
 */
export class ManagedPolicyRole extends iam.Role {
  private managedPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, private readonly roleProps: iam.RoleProps) {
    super(scope, id, roleProps);
  }

  /** The role's policy (created with the first statement: IAM rejects empty policies). */
  public get policy(): iam.ManagedPolicy {
    if (!this.managedPolicy) {
      this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', { description: this.roleProps.description, roles: [this] });
    }
    return this.managedPolicy;
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** cdk-nag's flat form of a CloudFormation value (its `flattenCfnReference`), for finding details. */
function flatten(node: any): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'];
    return items.map(flatten).join(delimiter);
  }
  if (node['Fn::Sub']) return flatten(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flatten(node['Fn::ImportValue']);
  if (node.Ref) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges AwsSolutions-IAM5 for exactly the wildcard resources of the given statements, one
 * finding detail each, on the policy that holds them.
 */
export function acknowledgeWildcardResources(policy: IConstruct, name: AcknowledgmentName, statements: iam.PolicyStatement[]): void {
  const stack = Stack.of(policy);
  const details = new Set<string>();
  for (const statement of statements) {
    for (const resource of statement.resources) {
      const flat = flatten(stack.resolve(resource));
      if (flat.includes('*')) details.add(`Resource::${flat}`);
    }
  }
  if (details.size > 0) acknowledge(policy, name, [...details]);
}
