import { ReviewContext } from './context';
import { asArray } from './encryption';
import { code, plural, push, table, truncate } from './markdown';
import { Json, Res, StackModel } from './model';
import { conditionText } from './network';
import { label, literal, refTargets, render, shortArn } from './resolve';

/** AWS managed policies a reviewer should never find on a platform role. */
const BROAD_MANAGED_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'AmazonSageMakerFullAccess', 'AmazonS3FullAccess', 'IAMFullAccess']);

/** Condition keys worth calling out in a role's summary. */
const NOTABLE_CONDITION = /^(sagemaker:(VpcSubnets|VpcSecurityGroupIds|VolumeKmsKey|OutputKmsKey|.*KmsKey.*|InterContainerTrafficEncryption|NetworkIsolation|InstanceTypes|OwnerUserProfileArn|SpaceSharingType|ResourceTag\/.*|DomainId|UserProfileName)|kms:ViaService|kms:CallerAccount|kms:GrantIsForAWSResource|iam:PassedToService|aws:SourceVpce|aws:SourceVpc|aws:SourceAccount|aws:SourceArn|aws:ResourceTag\/.*|aws:RequestTag\/.*|aws:PrincipalTag\/.*|s3:ResourceAccount|s3:prefix|ec2:Vpc|ec2:Subnet|ec2:SecurityGroupID|sts:ExternalId|aws:CalledVia.*)$/i;

interface PolicyDoc {
  /** Where the document comes from: 'inline <name>', the managed policy's path, ... */
  readonly source: string;
  readonly doc: Json;
  readonly stack: StackModel;
  /** The policy resource, when the document is not inline in the role. */
  readonly policy?: Res;
}

/** A role with what it may do. */
export interface RoleFacts {
  readonly role: Res;
  readonly documents: PolicyDoc[];
  readonly awsManaged: string[];
  readonly passRoleTargets: Array<{ target: string; services: string }>;
}

export function isolationSection(ctx: ReviewContext): { text: string; roles: RoleFacts[] } {
  const { model } = ctx;
  const out: string[] = ['## 4. Isolation model', ''];
  const roles = model.ofType('AWS::IAM::Role');
  const docsByRole = attachedDocuments(ctx, roles);

  // SageMaker identities first: domains, user profiles, spaces
  const domains = model.ofType('AWS::SageMaker::Domain');
  const profiles = model.ofType('AWS::SageMaker::UserProfile');
  const spaces = model.ofType('AWS::SageMaker::Space');
  if (domains.length + profiles.length + spaces.length > 0) {
    out.push('### Studio domains, user profiles and spaces', '');
    out.push(table(['Domain', 'Auth', 'Network', 'Execution role identity', 'Docker', 'Default execution role', 'Default security groups'],
      domains.map((d) => [
        `${code(label(d))}${d.props.DomainName ? ` (${literal(model, d.stack, d.props.DomainName) ?? ''})` : ''}`,
        d.props.AuthMode ?? '',
        d.props.AppNetworkAccessType ?? 'PublicInternetOnly',
        d.props.DomainSettings?.ExecutionRoleIdentityConfig ?? 'DISABLED',
        d.props.DomainSettings?.DockerSettings?.EnableDockerAccess ?? 'DISABLED',
        refLabels(ctx, d.stack, d.props.DefaultUserSettings?.ExecutionRole),
        refLabels(ctx, d.stack, d.props.DefaultUserSettings?.SecurityGroups),
      ]), '_No Studio domain._'), '');
    if (profiles.length > 0) {
      const shared = sharedRoles(ctx, profiles);
      out.push(table(['User profile', 'Domain', 'Execution role', 'Security groups', 'Tags'], profiles.map((p) => [
        code(literal(model, p.stack, p.props.UserProfileName) ?? label(p)),
        refLabels(ctx, p.stack, p.props.DomainId),
        refLabels(ctx, p.stack, p.props.UserSettings?.ExecutionRole) || '(domain default)',
        refLabels(ctx, p.stack, p.props.UserSettings?.SecurityGroups) || '(domain default)',
        asArray(p.props.Tags).map((t: Json) => `${t?.Key}=${render(model, p.stack, t?.Value)}`).join(', '),
      ])), '');
      if (shared.length > 0) out.push(`⚠️ Execution roles shared by several user profiles: ${shared.join('; ')}.`, '');
      else out.push(`Each of the ${plural(profiles.length, 'user profile')} has its own execution role.`, '');
    }
    if (spaces.length > 0) {
      out.push(table(['Space', 'Domain', 'Sharing', 'Owner', 'Execution role'], spaces.map((s) => [
        code(literal(model, s.stack, s.props.SpaceName) ?? label(s)),
        refLabels(ctx, s.stack, s.props.DomainId),
        s.props.SpaceSharingSettings?.SharingType ?? 'Private',
        render(model, s.stack, s.props.OwnershipSettings?.OwnerUserProfileName) || '—',
        refLabels(ctx, s.stack, s.props.SpaceSettings?.ExecutionRole) || '(owner\'s or domain\'s)',
      ])), '');
    }
  }

  // roles
  const facts: RoleFacts[] = roles.map((role) => roleFacts(ctx, role, docsByRole.get(role) ?? []));
  out.push('### IAM roles', '');
  out.push(`${plural(roles.length, 'role')}. ARNs are shown without the partition, and without the Region and account when they are `
    + 'the stack\'s own (`sagemaker:training-job/*`); `‹path›` is a resource of these templates, by construct path.', '');
  out.push('"Scoping" counts the Allow statements of each role, how many of them name `*` as a resource, and how many of those '
    + 'carry conditions (actions without resource-level permissions need `*`).', '');
  out.push(table(['Role', 'Assumed by', 'Used by', 'Services', 'Scoping', 'Flags'], facts.map((f) => {
    const flags = roleFlags(ctx, f);
    return [
      code(label(f.role)),
      trustSummary(ctx, f.role),
      truncate(usedBy(ctx, f.role).join(', '), 160),
      services(ctx, f).join(', '),
      scoping(ctx, f),
      flags.length > 0 ? `⚠️ ${flags.join('; ')}` : '✅',
    ];
  })), '');

  const passRows = facts.flatMap((f) => f.passRoleTargets.map((p) => [code(label(f.role)), p.target, p.services]));
  out.push('#### iam:PassRole', '');
  out.push(table(['Role', 'May pass', 'Only to (iam:PassedToService)'], passRows, '_No role may pass a role._'), '');

  // policies attached to several roles: their statements once, below, instead of under every role
  const rolesOfPolicy = new Map<Res, Res[]>();
  for (const f of facts) for (const d of f.documents) if (d.policy) push(rolesOfPolicy, d.policy, f.role);
  const shared = new Map<Res, PolicyDoc>();
  for (const f of facts) for (const d of f.documents) if (d.policy && (rolesOfPolicy.get(d.policy)?.length ?? 0) > 1) shared.set(d.policy, d);

  for (const f of facts) {
    out.push(`#### ${code(label(f.role))}`, '');
    out.push(`- Assumed by: ${trustSummary(ctx, f.role)}${trustConditions(ctx, f.role)}`);
    const users = usedBy(ctx, f.role);
    if (users.length > 0) out.push(`- Used by: ${users.join(', ')}`);
    if (f.awsManaged.length > 0) out.push(`- AWS managed policies: ${f.awsManaged.map(code).join(', ')}`);
    if (f.role.props.PermissionsBoundary !== undefined) out.push(`- Permissions boundary: ${code(shortArn(f.role.stack, render(model, f.role.stack, f.role.props.PermissionsBoundary)))}`);
    const notable = notableConditions(ctx, f);
    if (notable.length > 0) out.push(`- Conditions used: ${notable.map(code).join(', ')}`);
    const sharedHere = f.documents.filter((d) => d.policy && shared.has(d.policy));
    if (sharedHere.length > 0) {
      out.push('- Shared policies (statements under [Policies shared by several roles](#policies-shared-by-several-roles)): '
        + `${sharedHere.map((d) => code(label(d.policy!))).join(', ')}`);
    }
    out.push('');
    out.push(statementTable(ctx, f.documents.filter((d) => !(d.policy && shared.has(d.policy)))), '');
  }
  if (shared.size > 0) {
    out.push('### Policies shared by several roles', '');
    for (const [policy, d] of shared) {
      const roleList = rolesOfPolicy.get(policy) ?? [];
      out.push(`#### ${code(label(policy))}`, '', `Attached to ${plural(roleList.length, 'role')}: ${roleList.map((r) => code(label(r))).join(', ')}.`, '');
      out.push(statementTable(ctx, [d]), '');
    }
  }
  return { text: out.join('\n'), roles: facts };
}

function statementTable(ctx: ReviewContext, documents: PolicyDoc[]): string {
  const { model } = ctx;
  const rows: Array<Array<string>> = [];
  for (const d of documents) {
    for (const st of asArray(d.doc?.Statement)) {
      rows.push([
        d.source,
        `${st?.Effect}${st?.Sid ? ` (${st.Sid})` : ''}`,
        groupedActions(asArray(st?.Action ?? st?.NotAction).map((a) => render(model, d.stack, a)), st?.NotAction !== undefined),
        (st?.NotResource !== undefined ? 'NOT ' : '') + asArray(st?.Resource ?? st?.NotResource).map((r) => shortArn(d.stack, render(model, d.stack, r))).join(', '),
        conditionText(ctx, d.stack, st?.Condition, 160),
      ]);
    }
  }
  return table(['Policy', 'Effect', 'Actions', 'Resources', 'Conditions'], rows, '_No permissions of its own._');
}

function attachedDocuments(ctx: ReviewContext, roles: Res[]): Map<Res, PolicyDoc[]> {
  const { model } = ctx;
  const map = new Map<Res, PolicyDoc[]>();
  const add = (role: Res, doc: PolicyDoc) => push(map, role, doc);
  const roleSet = new Set(roles);
  for (const role of roles) {
    for (const p of asArray(role.props.Policies)) add(role, { source: `inline ${p?.PolicyName ?? ''}`, doc: p?.PolicyDocument, stack: role.stack });
    for (const arn of asArray(role.props.ManagedPolicyArns)) {
      const mp = refTargets(model, role.stack, arn).find((t) => t.res.type === 'AWS::IAM::ManagedPolicy')?.res;
      if (mp && !refTargets(model, mp.stack, mp.props.Roles).some((t) => t.res === role)) {
        add(role, { source: `managed ${code(label(mp))}`, doc: mp.props.PolicyDocument, stack: mp.stack, policy: mp });
      }
    }
  }
  for (const p of model.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy')) {
    const refs = p.type === 'AWS::IAM::RolePolicy' ? p.props.RoleName : p.props.Roles;
    for (const t of refTargets(model, p.stack, refs)) {
      if (!roleSet.has(t.res)) continue;
      const source = p.type === 'AWS::IAM::ManagedPolicy' ? `managed ${code(label(p))}` : code(label(p));
      add(t.res, { source, doc: p.props.PolicyDocument, stack: p.stack, policy: p });
    }
  }
  return map;
}

function roleFacts(ctx: ReviewContext, role: Res, documents: PolicyDoc[]): RoleFacts {
  const { model } = ctx;
  const awsManaged: string[] = [];
  for (const arn of asArray(role.props.ManagedPolicyArns)) {
    if (refTargets(model, role.stack, arn).some((t) => t.res.type === 'AWS::IAM::ManagedPolicy')) continue;
    const text = render(model, role.stack, arn);
    const m = /:iam::aws:policy\/(.+)$/.exec(text);
    awsManaged.push(m ? m[1] : shortArn(role.stack, text));
  }
  const passRoleTargets: Array<{ target: string; services: string }> = [];
  for (const d of documents) {
    for (const st of asArray(d.doc?.Statement)) {
      if (st?.Effect !== 'Allow') continue;
      const actions = asArray(st.Action).map((a) => String(render(model, d.stack, a)).toLowerCase());
      if (!actions.some((a) => a === 'iam:passrole' || a === 'iam:*' || a === '*' || a === 'iam:pass*')) continue;
      const passed = asArray(st.Condition?.StringEquals?.['iam:PassedToService'] ?? st.Condition?.StringLike?.['iam:PassedToService'])
        .map((v) => render(model, d.stack, v));
      for (const r of asArray(st.Resource)) {
        passRoleTargets.push({ target: code(shortArn(d.stack, render(model, d.stack, r))), services: passed.length > 0 ? passed.join(', ') : '⚠️ any service' });
      }
    }
  }
  return { role, documents, awsManaged, passRoleTargets };
}

/** What one policy document allows, computed once however many roles it is attached to. */
interface DocumentFacts {
  readonly allows: number;
  readonly onAll: number;
  readonly conditionedOnAll: number;
  readonly services: Set<string>;
  readonly notable: Set<string>;
  readonly flags: string[];
}

const DOCUMENT_FACTS = new WeakMap<object, DocumentFacts>();

function documentFacts(ctx: ReviewContext, d: PolicyDoc): DocumentFacts {
  const key = d.doc && typeof d.doc === 'object' ? d.doc : undefined;
  const cached = key ? DOCUMENT_FACTS.get(key) : undefined;
  if (cached) return cached;
  let allows = 0;
  let onAll = 0;
  let conditionedOnAll = 0;
  const serviceSet = new Set<string>();
  const notable = new Set<string>();
  const flags: string[] = [];
  for (const st of asArray(d.doc?.Statement)) {
    for (const entries of Object.values<Json>(st?.Condition ?? {})) {
      for (const k of Object.keys(entries ?? {})) if (NOTABLE_CONDITION.test(k)) notable.add(k);
    }
    if (st?.Effect !== 'Allow') continue;
    allows++;
    const resources = asArray(st.Resource).map((r) => render(ctx.model, d.stack, r));
    const actions = asArray(st.Action).map((a) => render(ctx.model, d.stack, a));
    for (const a of actions) serviceSet.add(a.split(':')[0]);
    const all = resources.includes('*');
    if (all) {
      onAll++;
      if (st.Condition) conditionedOnAll++;
    }
    if (st.NotAction !== undefined) flags.push('Allow with NotAction');
    if (actions.includes('*')) flags.push('Action "*"');
    for (const a of actions) if (all && /^[a-z0-9-]+:\*$/.test(a) && !st.Condition) flags.push(`${a} on "*" without conditions`);
  }
  const facts: DocumentFacts = { allows, onAll, conditionedOnAll, services: serviceSet, notable, flags };
  if (key) DOCUMENT_FACTS.set(key, facts);
  return facts;
}

function roleFlags(ctx: ReviewContext, f: RoleFacts): string[] {
  const flags: string[] = [];
  const broad = f.awsManaged.filter((m) => BROAD_MANAGED_POLICIES.has(m.replace(/^.*\//, '')));
  if (broad.length > 0) flags.push(`broad AWS managed policy ${broad.join(', ')}`);
  for (const d of f.documents) flags.push(...documentFacts(ctx, d).flags);
  if (f.passRoleTargets.some((p) => p.target === code('*'))) flags.push('iam:PassRole on "*"');
  if (f.passRoleTargets.some((p) => p.services.startsWith('⚠️'))) flags.push('iam:PassRole without iam:PassedToService');
  return [...new Set(flags)];
}

/** "N allows, M on *, K of them conditioned" for a role. */
function scoping(ctx: ReviewContext, f: RoleFacts): string {
  let allows = 0;
  let onAll = 0;
  let conditioned = 0;
  for (const d of f.documents) {
    const facts = documentFacts(ctx, d);
    allows += facts.allows;
    onAll += facts.onAll;
    conditioned += facts.conditionedOnAll;
  }
  return `${plural(allows, 'allow')}, ${onAll} on \`*\`${onAll > 0 ? ` (${conditioned} conditioned)` : ''}`;
}

function trustSummary(ctx: ReviewContext, role: Res): string {
  const principals: string[] = [];
  for (const st of asArray(role.props.AssumeRolePolicyDocument?.Statement)) {
    if (st?.Effect !== 'Allow') continue;
    const p = st.Principal;
    if (p === '*') principals.push('⚠️ anyone');
    for (const s of asArray(p?.Service)) principals.push(render(ctx.model, role.stack, s));
    for (const a of asArray(p?.AWS)) {
      const text = render(ctx.model, role.stack, a);
      principals.push(role.stack.account && text === `arn:aws:iam::${role.stack.account}:root` ? 'this account (IAM policies decide)' : shortArn(role.stack, text));
    }
    for (const f of asArray(p?.Federated)) principals.push(`federated ${render(ctx.model, role.stack, f)}`);
  }
  return [...new Set(principals)].join(', ');
}

function trustConditions(ctx: ReviewContext, role: Res): string {
  const conditions = [...new Set(asArray(role.props.AssumeRolePolicyDocument?.Statement)
    .map((st: Json) => conditionText(ctx, role.stack, st?.Condition))
    .filter((c) => c !== ''))];
  return conditions.length > 0 ? ` when ${conditions.join('; ')}` : '';
}

function usedBy(ctx: ReviewContext, role: Res): string[] {
  return [...new Set(ctx.usedBy(role)
    .filter((u) => !u.res.type.startsWith('AWS::IAM::'))
    .map((u) => `${u.res.type.replace(/^AWS::/, '')} ${code(label(u.res))}`))];
}

function services(ctx: ReviewContext, f: RoleFacts): string[] {
  const set = new Set<string>();
  for (const d of f.documents) for (const svc of documentFacts(ctx, d).services) set.add(svc);
  return [...set].sort();
}

function notableConditions(ctx: ReviewContext, f: RoleFacts): string[] {
  const set = new Set<string>();
  for (const d of f.documents) for (const k of documentFacts(ctx, d).notable) set.add(k);
  return [...set].sort();
}

/** `svc:{A, B}, other:C`: actions grouped by service prefix. */
function groupedActions(actions: string[], not: boolean): string {
  const byService = new Map<string, string[]>();
  for (const a of actions) {
    const [service, name] = a.includes(':') ? a.split(/:(.*)/s) : ['', a];
    push(byService, service, name);
  }
  const text = [...byService.entries()].map(([service, names]) => {
    if (!service) return names.join(', ');
    return names.length === 1 ? `${service}:${names[0]}` : `${service}:{${names.join(', ')}}`;
  }).join(', ');
  return not ? `NOT ${text}` : text;
}

function refLabels(ctx: ReviewContext, stack: StackModel, expr: Json): string {
  if (expr === undefined) return '';
  const targets = refTargets(ctx.model, stack, expr);
  if (targets.length > 0) return [...new Set(targets.map((t) => code(label(t.res))))].join(', ');
  return asArray(expr).map((e) => code(shortArn(stack, render(ctx.model, stack, e)))).join(', ');
}

function sharedRoles(ctx: ReviewContext, profiles: Res[]): string[] {
  const byRole = new Map<string, string[]>();
  for (const p of profiles) {
    const role = refLabels(ctx, p.stack, p.props.UserSettings?.ExecutionRole);
    if (!role) continue;
    push(byRole, role, literal(ctx.model, p.stack, p.props.UserProfileName) ?? label(p));
  }
  return [...byRole.entries()].filter(([, users]) => users.length > 1).map(([role, users]) => `${role} (${users.join(', ')})`);
}
