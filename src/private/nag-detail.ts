import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * The finding details cdk-nag's AwsSolutions-IAM5 reports (`Resource::...`, `Action::...`), computed
 * from the same values the policies use, so an acknowledgment names exactly those wildcards and
 * nothing wider. The one implementation: every construct that acknowledges IAM5 findings uses it.
 */

/**
 * cdk-nag's flat text of a resolved CloudFormation value (its `flattenCfnReference`, which cdk-nag
 * does not export): `Fn::Join` is joined, `{Ref: X}` is `<X>`, `{Fn::GetAtt: [X, A]}` is `<X.A>`,
 * `Fn::Sub` and `Fn::ImportValue` are their argument, `${X}` in strings is `<X>`, anything else is its JSON.
 *
 * One difference: an `Fn::Join` whose list is itself an intrinsic (for example `Fn::Split`, or `Ref`
 * to a list parameter) makes cdk-nag throw, so it reports a rule error that no finding detail can
 * acknowledge; such a list is rendered here as a placeholder (`<Fn::Split>`, or `<X>` for a `Ref`)
 * instead of failing the synthesis.
 */
export function flattenCfnReference(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object') {
    const o = node as { [key: string]: unknown };
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown];
      return Array.isArray(items) ? items.map(flattenCfnReference).join(delimiter) : listPlaceholder(items);
    }
    if (o['Fn::Sub']) return flattenCfnReference(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return flattenCfnReference(o['Fn::ImportValue']);
    if (o.Ref) return `<${flattenCfnReference(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** A list-valued intrinsic inside an `Fn::Join`: its reference, or the name of its function. */
function listPlaceholder(items: unknown): string {
  if (items !== null && typeof items === 'object') {
    const o = items as { [key: string]: unknown };
    if (o.Ref) return flattenCfnReference(o);
    const [fn] = Object.keys(o);
    if (fn) return `<${fn}>`;
  }
  return `<${typeof items === 'string' ? items : JSON.stringify(items)}>`;
}

/** The finding detail of one wildcard resource (AwsSolutions-IAM5 `Resource::...`), for example `Resource::<Bucket1234.Arn>/prefix/*`. */
export function nagResourceDetail(scope: IConstruct, resource: string): string {
  return `Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}`;
}

/** The AwsSolutions-IAM5 finding details of the allow statements of a managed policy, as cdk-nag reads its document. */
export function policyWildcardFindings(policy: iam.ManagedPolicy): string[] {
  const doc = Stack.of(policy).resolve(policy.document) as { Statement?: unknown[] };
  return findingsOf(doc.Statement ?? []);
}

/** The AwsSolutions-IAM5 finding details that `statements` produce wherever they end up. */
export function wildcardFindings(scope: IConstruct, statements: iam.PolicyStatement[]): string[] {
  const stack = Stack.of(scope);
  return findingsOf(statements.map((s) => stack.resolve(s.toStatementJson())));
}

/** cdk-nag's analysis of resolved statements: wildcard actions and flattened wildcard resources of Allow statements. */
function findingsOf(statements: unknown[]): string[] {
  const details = new Set<string>();
  for (const statement of statements as Array<{ Effect?: string; Action?: unknown; Resource?: unknown }>) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (typeof action === 'string' && action.includes('*')) details.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource)) {
      const flat = flattenCfnReference(resource);
      if (flat.includes('*')) details.add(`Resource::${flat}`);
    }
  }
  return [...details];
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
