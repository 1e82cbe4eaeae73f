/**
 * What the harness does not cover for nested stacks, done here with the harness's own engine.
 *
 * aws-cdk-lib's CloudFormationValidatePlugin sees only the templates of the cloud assembly's stack
 * artifacts; nested stack templates are assets, so neither `cdk synth` nor `compliantTemplate` validates
 * their resource schemas (cdk-nag does check them: it walks the construct tree, nested stacks included).
 * `nestedTemplateFindings` runs the same engine on the nested templates of an app after its synth,
 * honouring `Validations.acknowledge` on the construct a finding names (the closest ancestor with one,
 * as CDK does for the top-level templates).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, CloudFormationValidatePlugin, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TEST_ENV } from '../harness';

let engine: CloudFormationValidatePlugin | undefined;

/** Every stack below `root`, nested ones included, parents first. */
export function allStacks(root: IConstruct): Stack[] {
  return root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
}

/** The nested stacks below `root`. */
export function nestedStacks(root: IConstruct): NestedStack[] {
  return allStacks(root).filter((s): s is NestedStack => NestedStack.isNestedStack(s));
}

/** The template file of a synthesized stack (nested or not). */
export function templatePath(stack: Stack): string {
  const outdir = Stage.of(stack)!.outdir;
  return path.join(outdir, stack.templateFile);
}

/**
 * CloudFormation validation findings (schemas, rules; warnings count) of the nested templates of the
 * synthesized app of `root`, as `rule on construct path: message`, minus acknowledged ones.
 */
export function nestedTemplateFindings(root: IConstruct): string[] {
  const stacks = nestedStacks(root);
  if (stacks.length === 0) return [];
  Stage.of(root)!.synth();
  engine ??= new CloudFormationValidatePlugin();
  const report = engine.validate({
    templatePaths: stacks.map(templatePath),
    stackTemplates: stacks.map((s) => ({
      stackConstructPath: s.node.path, templatePath: templatePath(s), accountId: TEST_ENV.account, region: TEST_ENV.region,
    })),
  } as never);
  const byPath = new Map(root.node.findAll().map((c) => [c.node.path, c]));
  const byTemplate = new Map(stacks.map((s) => [path.resolve(templatePath(s)), s]));
  const findings: string[] = [];
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      const stack = resource.templatePath ? byTemplate.get(path.resolve(resource.templatePath)) : undefined;
      const constructPath = stack && resource.resourceLogicalId ? constructPathOf(stack, resource.resourceLogicalId) : undefined;
      if (constructPath && isAcknowledged(byPath, constructPath, violation.ruleName)) continue;
      findings.push(`${violation.ruleName} on ${constructPath ?? resource.resourceLogicalId}: ${violation.description}`);
    }
  }
  return findings;
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

/** The path of the CloudFormation resource of `stack` with `logicalId` (test apps write no path metadata). */
function constructPathOf(stack: Stack, logicalId: string): string | undefined {
  const resource = stack.node.findAll()
    .find((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack && stack.resolve(c.logicalId) === logicalId);
  return resource?.node.path;
}

function isAcknowledged(byPath: Map<string, IConstruct>, constructPath: string, ruleName: string): boolean {
  for (let p = constructPath; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') {
    const c = byPath.get(p);
    for (const entry of c?.node.metadata ?? []) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      if (Object.keys(entry.data as object).some((id) => id.replace(/^[^:]+::/, '') === ruleName)) return true;
    }
  }
  return false;
}
