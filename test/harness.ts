/**
 * The verification harness every construct test uses.
 *
 * - synthesizes with aws-cdk-lib's CloudFormationValidatePlugin (resource schemas and rules) with
 *   `@aws-cdk/core:validateAgainstDefaultRules` on and warnings treated as errors;
 * - runs the cdk-nag packs AwsSolutions, HIPAA Security, NIST 800-53 rev 5 and PCI DSS 3.2.1 through
 *   `validateScope`;
 * - audits acknowledgments: each one on a single CloudFormation resource, for one finding id, with
 *   the reason written in src/private/acknowledgments.ts.
 *
 * Results are cached per stack, so many assertions on one stack synthesize it once. The
 * CloudFormation validation engine is aws-cdk-lib's own process-wide singleton.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, StackProps, Stage, Validations } from 'aws-cdk-lib';
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
 * CloudFormation validation, and that every acknowledgment is scoped and registered.
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
