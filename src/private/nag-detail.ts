import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The finding detail cdk-nag reports for a wildcard resource (AwsSolutions-IAM5 `Resource::...`), computed
 * from the same value the policy uses, so an acknowledgment names exactly that resource and nothing wider.
 * Mirrors cdk-nag's flattening of intrinsics: `{Ref: X}` is `<X>`, `{Fn::GetAtt: [X, A]}` is `<X.A>`.
 */
export function nagResourceDetail(scope: IConstruct, arn: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(arn))}`;
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
