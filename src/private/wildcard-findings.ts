import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The AwsSolutions-IAM5 finding details (`Resource::...`, `Action::...`) of the wildcards in a
 * policy's allow statements, flattened the way cdk-nag flattens intrinsics (`{Ref: X}` is `<X>`,
 * `{Fn::GetAtt: [X, A]}` is `<X.A>`), so an acknowledgment names exactly those wildcards and nothing wider.
 */
export function wildcardFindings(policy: iam.ManagedPolicy): string[] {
  const doc = Stack.of(policy).resolve(policy.document) as { Statement?: Array<{ Effect: string; Action?: unknown; Resource?: unknown }> };
  const details = new Set<string>();
  for (const statement of doc.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (typeof action === 'string' && action.includes('*')) details.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource)) {
      const flat = flatten(resource);
      if (flat.includes('*')) details.add(`Resource::${flat}`);
    }
  }
  return [...details];
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const o = node as { [key: string]: unknown };
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
    if (o.Ref) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}
