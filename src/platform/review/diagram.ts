import { ReviewContext } from './context';
import { hasCustomerKey, StoreEntry } from './encryption';
import { Res, StackModel } from './model';
import { endpointService, endpointType } from './network';
import { label, literal, refTargets } from './resolve';

/** More nodes of one kind in one stack than this are drawn as one node. */
const COLLAPSE_ABOVE = 6;

interface Kind {
  readonly types: string[];
  readonly name: string;
  readonly plural: string;
  readonly shape: (id: string, text: string) => string;
  /** A short name for one resource of the kind. */
  readonly title?: (ctx: ReviewContext, res: Res) => string | undefined;
}

const box = (id: string, text: string) => `${id}["${text}"]`;
const round = (id: string, text: string) => `${id}("${text}")`;
const cylinder = (id: string, text: string) => `${id}[("${text}")]`;
const hexagon = (id: string, text: string) => `${id}{{"${text}"}}`;
const stadium = (id: string, text: string) => `${id}(["${text}"])`;
const subroutine = (id: string, text: string) => `${id}[["${text}"]]`;

const KINDS: Kind[] = [
  { types: ['AWS::EC2::VPC'], name: 'VPC', plural: 'VPCs', shape: box },
  {
    types: ['AWS::SageMaker::Domain'],
    name: 'Studio domain',
    plural: 'Studio domains',
    shape: stadium,
    title: (ctx, r) => literal(ctx.model, r.stack, r.props.DomainName),
  },
  {
    types: ['AWS::SageMaker::UserProfile'],
    name: 'user profile',
    plural: 'user profiles',
    shape: round,
    title: (ctx, r) => literal(ctx.model, r.stack, r.props.UserProfileName),
  },
  { types: ['AWS::S3::Bucket'], name: 'S3 bucket', plural: 'S3 buckets', shape: cylinder },
  { types: ['AWS::KMS::Key'], name: 'KMS key', plural: 'KMS keys', shape: hexagon, title: (ctx, r) => ctx.aliases(r)[0] },
  {
    types: ['AWS::SageMaker::FeatureGroup'],
    name: 'feature group',
    plural: 'feature groups',
    shape: cylinder,
    title: (ctx, r) => literal(ctx.model, r.stack, r.props.FeatureGroupName),
  },
  {
    types: ['AWS::SageMaker::Pipeline'],
    name: 'pipeline',
    plural: 'pipelines',
    shape: subroutine,
    title: (ctx, r) => literal(ctx.model, r.stack, r.props.PipelineName),
  },
  {
    types: ['AWS::SageMaker::Endpoint'],
    name: 'endpoint',
    plural: 'endpoints',
    shape: stadium,
    title: (ctx, r) => literal(ctx.model, r.stack, r.props.EndpointName),
  },
  {
    types: ['AWS::SageMaker::Cluster'],
    name: 'HyperPod cluster',
    plural: 'HyperPod clusters',
    shape: subroutine,
    title: (ctx, r) => literal(ctx.model, r.stack, r.props.ClusterName),
  },
  { types: ['AWS::FSx::FileSystem'], name: 'FSx file system', plural: 'FSx file systems', shape: cylinder },
];

/** The mermaid flowchart of the stacks, their main resources, and how they relate. */
export function diagramSection(ctx: ReviewContext, stores: StoreEntry[]): string {
  const { model } = ctx;
  const lines: string[] = ['flowchart LR'];
  const nodeOf = new Map<Res, string>();
  const stackId = new Map<StackModel, string>();
  model.stacks.forEach((s, i) => stackId.set(s, `S${i}`));
  let counter = 0;

  for (const stack of model.stacks) {
    const sid = stackId.get(stack)!;
    lines.push(`  subgraph ${sid}["${escapeLabel(stack.name)}${stack.parent ? ' (nested)' : ''}"]`);
    lines.push('    direction TB');
    let drawn = 0;
    for (const kind of KINDS) {
      const members = [...stack.resources.values()].filter((r) => kind.types.includes(r.type));
      if (members.length === 0) continue;
      if (members.length > COLLAPSE_ABOVE) {
        const id = `N${counter++}`;
        lines.push(`    ${kind.shape(id, `${members.length} ${kind.plural}`)}`);
        for (const m of members) nodeOf.set(m, id);
        drawn++;
        continue;
      }
      for (const m of members) {
        const id = `N${counter++}`;
        const title = kind.title?.(ctx, m);
        lines.push(`    ${kind.shape(id, `${kind.name}${title ? ` ${escapeLabel(title)}` : ''}<br/>${escapeLabel(shortPath(m))}`)}`);
        nodeOf.set(m, id);
        drawn++;
      }
    }
    // interface endpoints: one node per VPC
    const endpoints = [...stack.resources.values()].filter((r) => r.type === 'AWS::EC2::VPCEndpoint');
    const interfaces = endpoints.filter((e) => endpointType(e) === 'Interface');
    if (interfaces.length > 0) {
      const id = `N${counter++}`;
      const names = interfaces.map((e) => endpointService(ctx, e));
      lines.push(`    ${box(id, `${interfaces.length} interface endpoints<br/>${escapeLabel(names.slice(0, 8).join(', '))}${names.length > 8 ? ', …' : ''}`)}`);
      for (const e of interfaces) nodeOf.set(e, id);
      drawn++;
    }
    for (const e of endpoints.filter((x) => endpointType(x) !== 'Interface')) {
      const id = `N${counter++}`;
      lines.push(`    ${box(id, `${escapeLabel(endpointService(ctx, e))} ${endpointType(e).toLowerCase()} endpoint`)}`);
      nodeOf.set(e, id);
      drawn++;
    }
    if (drawn === 0) lines.push(`    ${sid}_empty["${stack.resources.size} resources, none of the main kinds"]`);
    lines.push('  end');
  }

  const edges = new Set<string>();
  const edge = (from: string | undefined, arrow: string, to: string | undefined) => {
    if (from && to && from !== to) edges.add(`  ${from} ${arrow} ${to}`);
  };
  const vpcOf = (res: Res): string | undefined => {
    const targets = refTargets(model, res.stack, res.props);
    const vpc = targets.find((t) => t.res.type === 'AWS::EC2::VPC')?.res;
    if (vpc) return nodeOf.get(vpc);
    for (const t of targets) {
      if (t.res.type !== 'AWS::EC2::Subnet' && t.res.type !== 'AWS::EC2::SecurityGroup') continue;
      const v = refTargets(model, t.res.stack, t.res.props.VpcId).find((x) => x.res.type === 'AWS::EC2::VPC')?.res;
      if (v) return nodeOf.get(v);
    }
    return undefined;
  };
  for (const [res, id] of nodeOf) {
    switch (res.type) {
      case 'AWS::SageMaker::UserProfile':
        edge(id, '-->', refNode(ctx, nodeOf, res, res.props.DomainId));
        break;
      case 'AWS::SageMaker::Domain':
      case 'AWS::SageMaker::Cluster':
      case 'AWS::FSx::FileSystem':
      case 'AWS::EC2::VPCEndpoint':
        edge(id, '-->', vpcOf(res));
        break;
      default:
        break;
    }
  }
  // key usage, from the encryption map (endpoint configurations drawn on their endpoints)
  const endpointOfConfig = new Map<Res, Res>();
  for (const e of model.ofType('AWS::SageMaker::Endpoint')) {
    for (const t of refTargets(model, e.stack, e.props.EndpointConfigName)) endpointOfConfig.set(t.res, e);
  }
  for (const s of stores) {
    if (!hasCustomerKey(s) || !s.key?.res) continue;
    const store = s.res.type === 'AWS::SageMaker::EndpointConfig' ? endpointOfConfig.get(s.res) : s.res;
    edge(nodeOf.get(s.key.res), '-. encrypts .->', store ? nodeOf.get(store) : undefined);
  }
  // stack dependencies and nesting
  const byName = new Map(model.stacks.map((s) => [s.name, s]));
  for (const s of model.stacks) {
    for (const dep of s.dependencies) {
      const target = byName.get(dep) ?? model.stacks.find((x) => x.path === dep);
      if (target) edge(stackId.get(s), '==>|depends on|', stackId.get(target));
    }
    if (s.parent) edge(stackId.get(s.parent.stack), '==>|nests|', stackId.get(s));
  }
  lines.push(...edges);
  return ['## 7. Diagram', '', 'Stacks (boxes), their main resources, the VPC each workload runs in, the keys that encrypt each store '
    + `(dotted), and the stack dependencies (thick). More than ${COLLAPSE_ABOVE} resources of one kind in a stack are drawn as one node.`,
  '', '```mermaid', ...lines, '```', ''].join('\n');
}

function refNode(ctx: ReviewContext, nodeOf: Map<Res, string>, res: Res, expr: unknown): string | undefined {
  for (const t of refTargets(ctx.model, res.stack, expr)) {
    const id = nodeOf.get(t.res);
    if (id) return id;
  }
  return undefined;
}

/** The construct path without the stack name and the L1 suffix. */
function shortPath(res: Res): string {
  const path = label(res);
  const prefix = `${res.stack.path}/`;
  return path.startsWith(prefix) ? path.substring(prefix.length) : path;
}

/** Text safe inside a quoted mermaid label. */
function escapeLabel(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\|/g, '#124;');
}
