/**
 * The runner of the IAM isolation matrices: each case is one request of a principal and its expected
 * decision, evaluated with @cloud-copilot/iam-simulate (AGPL: a test-only devDependency, never imported
 * from src/) over the identity policies of the principal and the resource policy that governs the resource.
 *
 * `runMatrix` registers, in the enclosing `describe`, the checks every matrix gets:
 * - the matrix is large enough, has a positive control (an allowed case) for every principal, and names
 *   the statement (Sid) that decides each explicit denial;
 * - each case is decided as expected, with every context key of the request one the action supports
 *   (the simulator's IAM data drops any other key silently, which would prove nothing), and each explicit
 *   denial comes from its intended statement, not from a neighbour;
 * - the positive controls fail against a policy that denies everything.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, CfnTemplate, PARTITION, TemplateResolver } from './studio/iam-resolver';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
export type Context = { [key: string]: string | string[] };
/** A resolved policy document, by name (the logical ID of its managed policy). */
export interface NamedPolicy { readonly name: string; readonly policy: unknown }

/** Who makes the requests: a role session, its policies and the context IAM adds to each of its requests. */
export interface Principal {
  readonly arn: string;
  readonly policies: readonly NamedPolicy[];
  /** Context keys IAM sets for this principal (its principal tags ...); they win over a case's own. */
  readonly context?: Context;
}

/** One request of a matrix. */
export interface Case<W extends string = string> {
  readonly who: W;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  readonly expected: Decision;
  readonly why: string;
  /** For an explicit denial: the statement (Sid) that decides it. */
  readonly deniedBy?: string;
}

/** What the simulator decided, the context keys it ignored and the statements that denied. */
export interface Simulated {
  readonly decision: string;
  readonly ignored: string[];
  readonly denies: string[];
}

/** The key policy or bucket policy that governs an ARN, undefined when none does. */
export type ResourcePolicyOf = (arn: string) => unknown;

/** One case of a matrix. */
export function c<W extends string>(who: W, action: string, resource: string, context: Context, expected: Decision, why: string,
  deniedBy?: string): Case<W> {
  return { who, action, resource, context, expected, why, deniedBy };
}

/**
 * The session `session` of a role: `role` is its name or its resolved ARN, `policiesOf` gives the
 * policies of a role name, `context` what IAM adds to the session's requests (its role tags, ...).
 */
export function sessionOf(role: string, session: string, policiesOf: (roleName: string) => readonly NamedPolicy[], context?: Context): Principal {
  const name = role.split('/').pop()!;
  return { arn: `arn:${PARTITION}:sts::${ACCOUNT}:assumed-role/${name}/${session}`, policies: policiesOf(name), context };
}

/** The key policies and bucket policies of one synthesized template, as the service would evaluate them. */
export function templateResourcePolicies(template: CfnTemplate, resolver: TemplateResolver): ResourcePolicyOf {
  return (arn) => {
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r.Type === 'AWS::KMS::Key' && resolver.getAtt(id, 'Arn') === arn) return resolver.resolve(r.Properties!.KeyPolicy);
      if (r.Type === 'AWS::S3::BucketPolicy') {
        const name = resolver.resolve(r.Properties!.Bucket);
        if (arn === `arn:${PARTITION}:s3:::${name}` || arn.startsWith(`arn:${PARTITION}:s3:::${name}/`)) return resolver.resolve(r.Properties!.PolicyDocument);
      }
    }
    return undefined;
  };
}

/** A policy that denies everything: positive controls must fail against it. */
export const DENY_ALL: readonly NamedPolicy[] = [
  { name: 'DenyAll', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] } },
];

/** Evaluates one request of `principal`, with its own policies or `policies` instead. */
export async function simulate(principal: Principal, row: Case, resourcePolicyOf: ResourcePolicyOf,
  policies: readonly NamedPolicy[] = principal.policies): Promise<Simulated> {
  // IAM sets aws:PrincipalIsAWSService on every request (a key policy's deny may read it)
  const context: Context = { 'aws:PrincipalIsAWSService': 'false', ...row.context, ...principal.context };
  const response = await runSimulation({
    request: { principal: principal.arn, action: row.action, resource: { resource: row.resource, accountId: ACCOUNT }, contextVariables: context },
    identityPolicies: [...policies],
    resourcePolicy: resourcePolicyOf(row.resource),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
  const results = response.resultType === 'single' ? [response.result] : response.results;
  const denies = results.flatMap((r) => [
    ...(r.analysis.identityAnalysis?.denyStatements ?? []),
    ...(r.analysis.resourceAnalysis?.denyStatements ?? []),
  ]).map((d) => {
    // statements without a Sid (a bucket's TLS statement) are named by their condition keys
    const id = d.explain.identifier;
    return /^\d+$/.test(id) ? (d.explain.conditions ?? []).map((cond) => cond.conditionKeyValue).join(',') : id;
  });
  return { decision: response.overallResult, ignored: results.flatMap((r) => r.ignoredContextKeys ?? []), denies };
}

export interface MatrixOptions<W extends string> {
  /** Every principal of the matrix; each needs at least one positive control. */
  readonly principals: { readonly [who in W]: Principal };
  readonly resourcePolicyOf: ResourcePolicyOf;
  /** The fewest cases the matrix may have (default 40). */
  readonly minCases?: number;
  /** The fewest explicit denials the matrix may have (default 0). */
  readonly minExplicitDenials?: number;
}

/**
 * Registers the tests of `matrix` in the enclosing `describe` (see the top of this file) and returns
 * the function that decides a case, for the file's own tests.
 */
export function runMatrix<W extends string>(matrix: readonly Case<W>[], options: MatrixOptions<W>):
(row: Case<W>, policies?: readonly NamedPolicy[]) => Promise<Simulated> {
  const { principals, resourcePolicyOf, minCases = 40, minExplicitDenials = 0 } = options;
  const decide = (row: Case<W>, policies?: readonly NamedPolicy[]) => simulate(principals[row.who], row, resourcePolicyOf, policies);

  test(`the matrix has at least ${minCases} cases (${matrix.length}), with positive controls for every principal`, () => {
    expect(matrix.length).toBeGreaterThanOrEqual(minCases);
    expect(new Set(matrix.filter((r) => r.expected === 'Allowed').map((r) => r.who))).toEqual(new Set(Object.keys(principals)));
    const explicit = matrix.filter((r) => r.expected === 'ExplicitlyDenied');
    expect(explicit.length).toBeGreaterThanOrEqual(minExplicitDenials);
    expect(explicit.filter((r) => !r.deniedBy)).toEqual([]);
  });

  describe.each(matrix.map((row, i) => ({ ...row, n: i + 1 })))('#$n $who: $action → $expected ($why)', (row) => {
    test('the simulator decides as expected, using every context key of the request', async () => {
      const { decision, ignored, denies } = await decide(row);
      // a context key the action does not support would be dropped silently and prove nothing
      expect(ignored).toEqual([]);
      expect(decision).toBe(row.expected);
      // an explicit denial comes from the statement meant for it, not from a neighbour
      if (row.expected === 'ExplicitlyDenied') expect(denies).toContain(row.deniedBy);
    });
  });

  test('the positive controls fail against a policy that denies everything', async () => {
    for (const row of matrix.filter((r) => r.expected === 'Allowed')) {
      expect((await decide(row, DENY_ALL)).decision).not.toBe('Allowed');
    }
  });

  return decide;
}
