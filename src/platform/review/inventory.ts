import { cell, code, percent, plural, table, thousands } from './markdown';
import { ReviewModel, StackModel } from './model';

/** CloudFormation quotas a template must stay within (CloudFormation User Guide, "Quotas"). */
export const CFN_LIMITS = {
  resources: 500,
  /** Template body in S3: 1 MB; read as 1,000,000 bytes to stay on the safe side. */
  templateBytes: 1_000_000,
  outputs: 200,
  parameters: 200,
} as const;

/** Share of a limit above which the report warns. */
const NEAR = 0.8;

export function inventorySection(model: ReviewModel): string {
  const out: string[] = ['## 1. Inventory', ''];
  const totalResources = model.stacks.reduce((n, s) => n + s.resources.size, 0);
  out.push(`${plural(model.stacks.length, 'template')} (${model.stacks.filter((s) => s.parent).length} nested), `
    + `${plural(totalResources, 'resource')}. CloudFormation limits per template: ${CFN_LIMITS.resources} resources, `
    + `1 MB template body (counted here as ${thousands(CFN_LIMITS.templateBytes)} bytes), `
    + `${CFN_LIMITS.outputs} outputs, ${CFN_LIMITS.parameters} parameters.`, '');

  const rows = model.stacks.map((s) => {
    const outputs = Object.keys(s.template?.Outputs ?? {}).length;
    const params = Object.keys(s.template?.Parameters ?? {}).length;
    return [
      code(s.name) + (s.parent ? ' (nested)' : '') + (s.stackName ? ` (deploys as ${code(s.stackName)})` : ''),
      s.region ?? 'any',
      `${s.resources.size} / ${CFN_LIMITS.resources} (${percent(s.resources.size, CFN_LIMITS.resources)})`,
      `${(s.sizeBytes / 1024).toFixed(1)} KiB (${percent(s.sizeBytes, CFN_LIMITS.templateBytes)})`,
      `${outputs} / ${params}`,
      limitStatus(s),
    ];
  });
  out.push(table(['Stack', 'Region', 'Resources', 'Template size', 'Outputs / parameters', 'Limits'], rows), '');

  const deps = model.stacks.filter((s) => s.dependencies.length > 0);
  if (deps.length > 0) {
    out.push('Deployment order (stack dependencies):', '');
    for (const s of deps) out.push(`- ${code(s.name)} after ${s.dependencies.map(code).join(', ')}`);
    out.push('');
  }

  for (const s of model.stacks) {
    const counts = new Map<string, number>();
    for (const r of s.resources.values()) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    out.push(`<details><summary>${cell(s.name)}: ${plural(s.resources.size, 'resource')} by type</summary>`, '');
    out.push(table(['Type', 'Count'], sorted.map(([type, n]) => [code(type), n])), '', '</details>', '');
  }
  return out.join('\n');
}

function limitStatus(s: StackModel): string {
  const problems: string[] = [];
  const check = (value: number, limit: number, what: string) => {
    if (value > limit) problems.push(`❌ over the ${what} limit`);
    else if (value > limit * NEAR) problems.push(`⚠️ above ${NEAR * 100}% of the ${what} limit`);
  };
  check(s.resources.size, CFN_LIMITS.resources, 'resource');
  check(s.sizeBytes, CFN_LIMITS.templateBytes, 'size');
  check(Object.keys(s.template?.Outputs ?? {}).length, CFN_LIMITS.outputs, 'output');
  check(Object.keys(s.template?.Parameters ?? {}).length, CFN_LIMITS.parameters, 'parameter');
  return problems.length > 0 ? problems.join('; ') : '✅ within';
}
