/**
 * The verification harness every construct test uses.
 *
 * - synthesizes with aws-cdk-lib's CloudFormationValidatePlugin (resource schemas and rules) with
 *   `@aws-cdk/core:validateAgainstDefaultRules` on and warnings treated as errors;
 * - runs the cdk-nag packs AwsSolutions, HIPAA Security, NIST 800-53 rev 5 and PCI DSS 3.2.1 through
 *   `validateScope`;
 * - runs the same CloudFormation validation on the templates of the nested stacks below the stack, which
 *   aws-cdk-lib does not validate (they are assets of their parent, not stacks of the cloud assembly);
 * - audits acknowledgments: each one on a single CloudFormation resource, for one finding id, with
 *   the reason written in src/private/acknowledgments.ts.
 *
 * Results are cached per stack, so many assertions on one stack synthesize it once. The
 * CloudFormation validation of the top-level templates uses aws-cdk-lib's own process-wide engine;
 * the nested templates get one engine of their own per process (see {@link nestedTemplateFindings}).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, CfnResource, CloudFormationValidatePlugin, NestedStack, PolicyValidationStack, Stack, StackProps, Stage, Token, Validations,
} from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGMENTS } from '../src/private/acknowledgments';

/** A realistic account and Region for fixtures. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** The context every test app and example app synthesizes with. */
export const VALIDATION_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  // warnings of the CloudFormation validation fail the synth too
  '@aws-cdk/core:strictCfnValidateErrors': true,
};

/** One finding of a rule pack or of the CloudFormation validation. */
export interface Finding {
  readonly source: string;
  readonly rule: string;
  readonly resource: string;
  readonly message: string;
}

/** An acknowledgment recorded in the construct tree. */
export interface AcknowledgmentRecord {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

export interface HarnessResult {
  readonly template: Template;
  readonly findings: Finding[];
  readonly acknowledgments: AcknowledgmentRecord[];
  /** Problems with how acknowledgments were made (scope, reason, registry). */
  readonly acknowledgmentProblems: string[];
}

/** An app with the validation context; synth output goes to a temporary folder. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-test-')),
    context: { ...VALIDATION_CONTEXT, ...context },
  });
}

/** A stack in the fixture environment, in a new test app unless one is given. */
export function testStack(app: App = testApp(), id = 'TestStack', props: StackProps = {}): Stack {
  return new Stack(app, id, { env: TEST_ENV, ...props });
}

/** The four packs the platform promises to pass. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
}

const cache = new WeakMap<Stack, HarnessResult>();

/** Runs every check on the stack (once) and returns what it found, without failing. */
export function inspect(stack: Stack): HarnessResult {
  const cached = cache.get(stack);
  if (cached) return cached;

  const findings: Finding[] = [];
  for (const pack of nagPacks()) {
    const report = pack.validateScope(stack);
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        findings.push({ source: pack.readPackName, rule: v.ruleName, resource: r.constructPath ?? r.resourceLogicalId ?? '?', message: v.description.split('\n')[0] });
      }
    }
  }

  let template: Template | undefined;
  try {
    template = Template.fromStack(stack);
  } catch (e) {
    const parsed = readValidationReport(Stage.of(stack)!);
    if (parsed.length === 0) throw e;
    findings.push(...parsed);
  }
  // the synth above wrote the nested templates, whether or not the top-level validation passed
  findings.push(...validateNestedTemplates(nestedStacks(stack)));

  const { records, problems } = auditAcknowledgments(stack);
  const result: HarnessResult = {
    template: template ?? (undefined as unknown as Template),
    findings,
    acknowledgments: records,
    acknowledgmentProblems: problems,
  };
  cache.set(stack, result);
  return result;
}

/**
 * The stack's template, after asserting zero unacknowledged findings from every pack and the
 * CloudFormation validation (of its nested stacks too), and that every acknowledgment is scoped and
 * registered.
 */
export function compliantTemplate(stack: Stack): Template {
  const result = inspect(stack);
  const problems = [
    ...result.findings.map((f) => `${f.source} ${f.rule} on ${f.resource}: ${f.message}`),
    ...result.acknowledgmentProblems,
  ];
  if (problems.length > 0) {
    throw new Error(`${stack.node.path} is not compliant (${problems.length} problems):\n  ${problems.join('\n  ')}`);
  }
  return result.template;
}

/** Every stack below `scope` (`scope` included), nested ones included, parents first. */
export function allStacks(scope: IConstruct): Stack[] {
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

/** The nested stacks below `scope` (`scope` included when it is one), recursively, parents first. */
export function nestedStacks(scope: IConstruct): NestedStack[] {
  return allStacks(scope).filter((s): s is NestedStack => NestedStack.isNestedStack(s));
}

/** The template file of a synthesized stack (nested or not). */
export function templatePath(stack: Stack): string {
  return path.resolve(Stage.of(stack)!.outdir, stack.templateFile);
}

/** Resource count and size (bytes of the file as written, and minified) of a synthesized template. */
export function templateSize(stack: Stack): { resources: number; bytes: number; minifiedBytes: number } {
  const text = fs.readFileSync(templatePath(stack), 'utf-8');
  const json = JSON.parse(text);
  return {
    resources: Object.keys(json.Resources ?? {}).length,
    bytes: Buffer.byteLength(text),
    minifiedBytes: Buffer.byteLength(JSON.stringify(json)),
  };
}

/** The `source` of the findings of the CloudFormation validation of nested templates. */
export const NESTED_STACK_VALIDATION = `${CloudFormationValidatePlugin.PLUGIN_NAME} (nested stack)`;

/**
 * The CloudFormation validation findings of the nested stacks below `scope` (`scope` included when it
 * is one), after synthesizing its app: the check `inspect` makes, without the rule packs (for apps
 * too large to run them on every stack). It fails if the app does not synthesize.
 */
export function nestedTemplateFindings(scope: IConstruct): Finding[] {
  const stacks = nestedStacks(scope);
  if (stacks.length === 0) return [];
  const root = scope.node.root;
  if (Stage.isStage(root)) root.synth();
  return validateNestedTemplates(stacks);
}

/**
 * One engine for the nested templates, per process (per test file under jest), created on first use:
 * initializing it is expensive. It is not aws-cdk-lib's own (internal) singleton, which re-initializes
 * whenever a template has resource types it was not built for.
 */
let nestedEngine: CloudFormationValidatePlugin | undefined;

/**
 * Runs the CloudFormation validation on the synthesized templates of nested stacks, as aws-cdk-lib runs
 * it on the top-level ones: the same rules, a finding counting as aws-cdk-lib counts it under the app's
 * context (`strictCfnValidateErrors`: warnings too), and an acknowledgment with
 * `Validations.of(construct).acknowledge({ id: 'CloudFormation-Validate::<rule>' })` on the resource or
 * one of its ancestors suppressing it (the plugin's namespace is required, as aws-cdk-lib requires it).
 */
function validateNestedTemplates(stacks: NestedStack[]): Finding[] {
  if (stacks.length === 0) return [];
  const root = stacks[0].node.root;
  const stackTemplates: PolicyValidationStack[] = stacks.map((s) => ({
    stackConstructPath: s.node.path,
    templatePath: templatePath(s),
    accountId: Token.isUnresolved(s.account) ? undefined : s.account,
    region: Token.isUnresolved(s.region) ? undefined : s.region,
  }));
  nestedEngine ??= new CloudFormationValidatePlugin();
  const report = nestedEngine.validate({ templatePaths: stackTemplates.map((t) => t.templatePath), stackTemplates, appConstruct: root });

  const counted = countedSeverities(root);
  const namespace = CloudFormationValidatePlugin.PLUGIN_NAME.replace(/ /g, '-');
  const byTemplate = new Map(stacks.map((s) => [templatePath(s), s]));
  const resourcesByStack = new Map<Stack, Map<string, CfnResource>>();
  const findings: Finding[] = [];
  for (const violation of report.violations) {
    if (!counted.has(violation.severity ?? 'error')) continue;
    for (const resource of violation.violatingResources) {
      const stack = resource.templatePath ? byTemplate.get(path.resolve(resource.templatePath)) : undefined;
      const construct = stack && (resource.resourceLogicalId ? cfnResourceOf(resourcesByStack, stack, resource.resourceLogicalId) : stack);
      const suppressible = violation.severity !== 'fatal';
      if (construct && suppressible && isAcknowledged(construct, `${namespace}::${violation.ruleName.replace(/ /g, '-')}`)) continue;
      findings.push({
        source: NESTED_STACK_VALIDATION,
        rule: violation.ruleName,
        resource: construct?.node.path ?? resource.constructPath ?? resource.resourceLogicalId ?? resource.templatePath ?? '?',
        message: violation.description,
      });
    }
  }
  return findings;
}

/** The severities that fail a synth of `root`'s app, as aws-cdk-lib decides it for the top-level templates. */
function countedSeverities(root: IConstruct): Set<string> {
  const flag = (key: string) => {
    const value = root.node.tryGetContext(key);
    return value !== undefined && value !== false && value !== 'false';
  };
  const strict = flag('@aws-cdk/core:strictCfnValidateErrors');
  // without validateAgainstDefaultRules, aws-cdk-lib reports errors as warnings
  const errors = strict || flag('@aws-cdk/core:validateAgainstDefaultRules');
  return new Set([...(errors ? ['error', 'fatal'] : []), ...(strict ? ['warning'] : [])]);
}

/** The CloudFormation resource of `stack` with `logicalId` (test apps write no path metadata). */
function cfnResourceOf(byStack: Map<Stack, Map<string, CfnResource>>, stack: Stack, logicalId: string): CfnResource | undefined {
  let resources = byStack.get(stack);
  if (!resources) {
    resources = new Map();
    for (const c of stack.node.findAll()) {
      if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) resources.set(stack.resolve(c.logicalId), c);
    }
    byStack.set(stack, resources);
  }
  return resources.get(logicalId);
}

/** Whether `construct` or one of its ancestors acknowledges the (namespaced) rule id. */
function isAcknowledged(construct: IConstruct, qualifiedId: string): boolean {
  return construct.node.scopes.some((c) => c.node.metadata.some((entry) =>
    entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && Object.prototype.hasOwnProperty.call(entry.data ?? {}, qualifiedId)));
}

/** Reads the CloudFormation validation report that a failed synth left in the app's outdir. */
function readValidationReport(stage: Stage): Finding[] {
  const file = path.join(stage.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const findings: Finding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      for (const r of v.violatingResources ?? v.violatingConstructs ?? [{}]) {
        findings.push({
          source: plugin.summary?.pluginName ?? plugin.pluginName ?? 'CloudFormation Validate',
          rule: v.ruleName,
          resource: r.constructPath ?? r.resourceLogicalId ?? '?',
          message: v.description ?? '',
        });
      }
    }
  }
  return findings;
}

const REGISTERED = new Map<string, Set<string>>();
for (const entry of Object.values(ACKNOWLEDGMENTS)) {
  for (const id of entry.findings) {
    if (!REGISTERED.has(id)) REGISTERED.set(id, new Set());
    REGISTERED.get(id)!.add(entry.reason);
  }
}

/** Every acknowledgment in the tree, and what is wrong with any of them. */
export function auditAcknowledgments(scope: IConstruct): { records: AcknowledgmentRecord[]; problems: string[] } {
  const records: AcknowledgmentRecord[] = [];
  const problems: string[] = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [qualifiedId, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = qualifiedId.replace(/^[^:]+::/, '');
        records.push({ path: c.node.path, id, reason });
        if (!CfnResource.isCfnResource(c)) {
          problems.push(`acknowledgment ${id} on ${c.node.path} is not on a single CloudFormation resource`);
        }
        const baseId = id.replace(/\[.*\]$/, '');
        const reasons = REGISTERED.get(id) ?? REGISTERED.get(baseId);
        if (!reasons) {
          problems.push(`acknowledgment ${id} on ${c.node.path} is not in src/private/acknowledgments.ts`);
        } else if (!reasons.has(reason)) {
          problems.push(`acknowledgment ${id} on ${c.node.path} has a reason that is not the registered one`);
        }
        if (!reason || reason.trim().length < 20) {
          problems.push(`acknowledgment ${id} on ${c.node.path} has no written reason`);
        }
      }
    }
  }
  return { records, problems };
}
