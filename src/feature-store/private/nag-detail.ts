import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The finding detail cdk-nag reports for a policy resource (for example `Resource::<Bucket1234.Arn>/prefix/*`
 * for AwsSolutions-IAM5), so an acknowledgment names exactly that resource and nothing broader.
 *
 * Mirrors cdk-nag's flattening of CloudFormation references: `Fn::Join` is joined, `Fn::GetAtt` becomes
 * `<LogicalId.Attribute>`, `Ref` becomes `<LogicalId>`, and `${...}` in strings becomes `<...>`.
 */
export function nagResourceDetail(scope: IConstruct, resource: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(resource))}`;
}

function flatten(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (typeof node === 'object') {
    const obj = node as { [key: string]: unknown };
    if (obj['Fn::Join']) {
      const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (obj['Fn::Sub']) return flatten(obj['Fn::Sub']);
    if (obj['Fn::GetAtt']) {
      const [resource, attribute] = obj['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (obj['Fn::ImportValue']) return flatten(obj['Fn::ImportValue']);
    if (obj.Ref) return `<${flatten(obj.Ref)}>`;
  }
  return JSON.stringify(node);
}
