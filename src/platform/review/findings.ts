import * as fs from 'fs';
import * as path from 'path';
import { CloudFormationValidatePlugin, IPolicyValidationPlugin, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AckRecord } from './acks';
import { ReviewContext } from './context';
import { cell, code, plural, push, table, truncate } from './markdown';
import { Json } from './model';

/** A rule pack (validation plugin) the app ran at synth. */
export interface RulePack {
  readonly name: string;
  readonly version?: string;
  readonly ruleCount?: number;
  /** Where it is registered, or how the report knows of it. */
  readonly scope: string;
}

/** The rule packs registered on the app and its stages (read from aws-cdk-lib's stage internals). */
export function registeredRulePacks(app: Stage, constructs: IConstruct[]): RulePack[] {
  const packs: RulePack[] = [];
  const stages = [app, ...constructs.filter((c): c is Stage => Stage.isStage(c) && c !== app)];
  let cfnPlugin = false;
  for (const stage of stages) {
    let plugins: IPolicyValidationPlugin[] = [];
    try {
      // internal in aws-cdk-lib (no public getter); read defensively
      plugins = (stage as unknown as { _validationPlugins?: IPolicyValidationPlugin[] })._validationPlugins ?? [];
    } catch {
      plugins = [];
    }
    for (const p of plugins) {
      // a registered CloudFormationValidatePlugin replaces the built-in one and is judged as it is
      const isCfn = p instanceof CloudFormationValidatePlugin;
      cfnPlugin ||= isCfn;
      const scope = stage === app ? 'app' : stage.node.path;
      packs.push({ name: p.name, version: p.version, ruleCount: p.ruleIds?.length, scope: isCfn ? `${scope}, ${cfnValidationMode(app)}` : scope });
    }
  }
  const builtin = (app as unknown as { _builtinCloudFormationValidation?: boolean })._builtinCloudFormationValidation;
  if (builtin && process.env.CDK_VALIDATION !== 'false' && !cfnPlugin) {
    packs.push({ name: 'CloudFormation validation (aws-cdk-lib built-in: resource schemas and rules)', scope: `app, ${cfnValidationMode(app)}` });
  }
  return packs;
}

/** What a CloudFormation validation finding does to the synth. */
function cfnValidationMode(app: Stage): string {
  // the keys of cx-api's VALIDATE_AGAINST_DEFAULT_RULES and STRICT_CFN_VALIDATE_ERRORS, spelled out:
  // reading them from aws-cdk-lib's lazy index would load modules the synth did not need
  const errors = app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules');
  const strict = app.node.tryGetContext('@aws-cdk/core:strictCfnValidateErrors');
  return truthy(strict) ? 'errors and warnings fail the synth' : truthy(errors) ? 'errors fail the synth' : 'reported as warnings';
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

interface ReportViolation {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly paths: string[];
}

/** The validation report aws-cdk-lib leaves in the assembly, when it is from this synth. */
function readValidationReport(directory: string): { status: 'missing' | 'stale' | 'read'; plugins: Json[]; violations: ReportViolation[] } {
  const file = path.join(directory, 'validation-report.json');
  if (!fs.existsSync(file)) return { status: 'missing', plugins: [], violations: [] };
  try {
    const manifest = path.join(directory, 'manifest.json');
    if (fs.existsSync(manifest) && fs.statSync(file).mtimeMs + 1000 < fs.statSync(manifest).mtimeMs) {
      return { status: 'stale', plugins: [], violations: [] };
    }
    const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
    const plugins: Json[] = Array.isArray(report?.pluginReports) ? report.pluginReports : [];
    const violations: ReportViolation[] = [];
    for (const p of plugins) {
      for (const v of Array.isArray(p?.violations) ? p.violations : []) {
        violations.push({
          plugin: String(p.pluginName ?? p.summary?.pluginName ?? '?'),
          rule: String(v?.ruleName ?? '?'),
          severity: String(v?.severity ?? 'error'),
          description: String(v?.description ?? ''),
          paths: (v?.violatingConstructs ?? v?.violatingResources ?? []).map((r: Json) => String(r?.constructPath ?? r?.resourceLogicalId ?? '?')),
        });
      }
    }
    return { status: 'read', plugins, violations };
  } catch {
    return { status: 'missing', plugins: [], violations: [] };
  }
}

export function findingsSection(ctx: ReviewContext, packs: RulePack[], directory: string): { text: string; failed: boolean; warnings: number } {
  const out: string[] = ['## 5. Findings', ''];
  out.push('### Rule packs', '');
  out.push(table(['Rule pack', 'Version', 'Rules', 'Registered on'], packs.map((p) => [
    code(p.name), p.version ?? '', p.ruleCount ?? '', p.scope,
  ]), '_No rule pack is registered on this app (none found on its stages, and none given in the report options)._'), '');

  const report = readValidationReport(directory);
  const failed = report.plugins.some((p) => p?.conclusion === 'failure');
  const errors = report.violations.filter((v) => v.severity === 'error' || v.severity === 'fatal');
  const warnings = report.violations.filter((v) => !(v.severity === 'error' || v.severity === 'fatal'));
  if (report.status === 'read' && (failed || errors.length > 0)) {
    out.push(`**❌ The validation report lists ${plural(errors.length, 'unacknowledged error')}.** This synth did not stop on them `
      + '(the CDK CLI runs the app as a separate process and only sets a failing exit code): do not deploy.', '');
  } else if (packs.length > 0) {
    out.push('**✅ Every rule pack passed:** the synth completed, and a rule pack that finds an unacknowledged error stops it'
      + (report.status === 'read' ? '; the validation report of this synth lists no error.' : '.'), '');
  }
  if (report.status === 'stale') out.push('_The validation-report.json in the assembly is older than this synth and was ignored._', '');
  if (report.violations.length > 0) {
    out.push(`#### ${errors.length > 0 ? 'Errors and warnings' : 'Warnings'} in validation-report.json`, '');
    out.push(table(['Rule pack', 'Rule', 'Severity', 'Resources', 'Description'], [...errors, ...warnings].map((v) => [
      v.plugin, code(v.rule), v.severity, truncate(v.paths.map(code).join(', '), 300), truncate(v.description, 200),
    ])), '');
  } else if (report.status === 'read') {
    out.push('The validation report of this synth lists no warning.', '');
  }

  out.push(...acknowledgmentsText(ctx.acknowledgments));
  return { text: out.join('\n'), failed: report.status === 'read' && (failed || errors.length > 0), warnings: warnings.length };
}

function acknowledgmentsText(acks: AckRecord[]): string[] {
  const out: string[] = ['### Acknowledgments', ''];
  if (acks.length === 0) {
    out.push('_No finding is acknowledged anywhere in the construct tree._', '');
    return out;
  }
  const byReason = new Map<string, AckRecord[]>();
  for (const a of acks) push(byReason, a.reason, a);
  const resources = new Set(acks.map((a) => a.path));
  const perPack = new Map<string, number>();
  for (const a of acks) {
    const pack = a.namespace && a.namespace.toLowerCase() !== 'annotation' ? a.namespace : a.id.split('-')[0];
    perPack.set(pack, (perPack.get(pack) ?? 0) + 1);
  }
  out.push(`${plural(acks.length, 'acknowledged finding')} on ${plural(resources.size, 'construct')}, with `
    + `${plural(byReason.size, 'distinct reason')} (by rule pack: ${[...perPack.entries()].map(([p, n]) => `${p} ${n}`).join(', ')}). `
    + 'Each reason is given once, followed by every construct and finding ID it is applied to.', '');
  let n = 0;
  for (const [reason, list] of byReason) {
    n++;
    const byPath = new Map<string, string[]>();
    for (const a of list) push(byPath, a.path, a.id);
    const mechanisms = [...new Set(list.map((a) => a.mechanism))].join(', ');
    out.push(`#### A${n}. ${cell(truncate(reason.replace(/\s+/g, ' '), 90))}`, '');
    out.push(`> ${reason.trim() === '' ? '⚠️ (no reason given)' : reason.replace(/\r?\n/g, ' ')}`, '');
    out.push(table(['Construct', 'Finding IDs'], [...byPath.entries()].map(([p, ids]) => [code(p), ids.map(code).join(', ')])), '');
    if (mechanisms !== 'Validations.acknowledge') out.push(`_Recorded as: ${mechanisms}._`, '');
  }
  return out;
}
