import { ReviewContext } from './context';
import { asArray, flattenSteps } from './encryption';
import { code, plural, push, table, truncate } from './markdown';
import { Json, Res, StackModel } from './model';
import { embeddedJson, label, literal, num, refTargets, render, shortArn, targetOfType } from './resolve';

/** Something that gives a path to or from the internet. */
export interface InternetPath {
  readonly res: Res;
  readonly what: string;
}

/** The network facts other sections use (the cost estimate, the diagram). */
export interface NetworkFacts {
  readonly internetPaths: InternetPath[];
  readonly interfaceEndpoints: Res[];
}

const EVERYWHERE = new Set(['0.0.0.0/0', '::/0']);

export function networkSection(ctx: ReviewContext): { text: string; facts: NetworkFacts } {
  const { model } = ctx;
  const out: string[] = ['## 3. Network', ''];
  const internetPaths = findInternetPaths(ctx);
  const otherConnections = findOtherConnections(ctx);
  const vpcs = model.ofType('AWS::EC2::VPC');
  const importedVpcs = findImportedVpcs(ctx);

  if (internetPaths.length === 0) {
    out.push('**✅ No internet path.** These templates contain no internet gateway, egress-only internet gateway, NAT gateway, '
      + 'elastic IP, public subnet, or route to `0.0.0.0/0` or `::/0`, and every SageMaker workload they define runs in a VPC '
      + '(VPC-only domains, models, clusters, monitoring and pipeline jobs with a VPC configuration or network isolation).');
  } else {
    out.push(`**❌ ${plural(internetPaths.length, 'internet path')}:**`, '');
    for (const p of internetPaths) out.push(`- ${p.res.type} ${code(label(p.res))} (${p.res.stack.name}): ${p.what}`);
  }
  out.push('');
  if (importedVpcs.length > 0) {
    out.push(`Imported VPCs (${importedVpcs.map(code).join(', ')}) are not defined in these templates: their routes and gateways `
      + 'are outside this review and must be verified where they are defined.', '');
  }
  if (otherConnections.length > 0) {
    out.push('Connections to other networks (not the internet, but outside these VPCs):', '');
    for (const p of otherConnections) out.push(`- ${p.res.type} ${code(label(p.res))}: ${p.what}`);
    out.push('');
  }

  // VPCs and subnets
  out.push('### VPCs and subnets', '');
  const subnets = model.ofType('AWS::EC2::Subnet');
  const routesByTable = new Map<Res, Res[]>();
  for (const route of model.ofType('AWS::EC2::Route')) {
    const rt = targetOfType(model, route.stack, route.props.RouteTableId, 'AWS::EC2::RouteTable');
    if (rt) push(routesByTable, rt, route);
  }
  const tableOfSubnet = new Map<Res, Res>();
  for (const assoc of model.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = targetOfType(model, assoc.stack, assoc.props.SubnetId, 'AWS::EC2::Subnet');
    const rt = targetOfType(model, assoc.stack, assoc.props.RouteTableId, 'AWS::EC2::RouteTable');
    if (subnet && rt) tableOfSubnet.set(subnet, rt);
  }
  const gatewayRoutes = new Map<Res, string[]>();
  for (const ep of model.ofType('AWS::EC2::VPCEndpoint')) {
    for (const t of refTargets(model, ep.stack, ep.props.RouteTableIds)) {
      if (t.res.type === 'AWS::EC2::RouteTable') push(gatewayRoutes, t.res, endpointService(ctx, ep));
    }
  }
  const vpcRows = vpcs.map((v) => {
    const own = subnets.filter((s) => targetOfType(model, s.stack, s.props.VpcId, 'AWS::EC2::VPC') === v);
    return [code(v.stack.name), code(label(v)), render(model, v.stack, v.props.CidrBlock) || 'IPAM',
      `${v.props.EnableDnsSupport === false ? 'off' : 'on'} / ${v.props.EnableDnsHostnames === true ? 'on' : 'off'}`, own.length];
  });
  out.push(table(['Stack', 'VPC', 'CIDR', 'DNS support / hostnames', 'Subnets'], vpcRows, '_No VPC is defined in these templates._'), '');
  const subnetRows = subnets.map((s) => {
    const rt = tableOfSubnet.get(s);
    const routes = rt ? (routesByTable.get(rt) ?? []).map((r) => routeText(ctx, r)) : [];
    const gw = rt ? (gatewayRoutes.get(rt) ?? []).map((svc) => `${svc} gateway endpoint`) : [];
    const isPublic = s.props.MapPublicIpOnLaunch === true || routes.some((r) => r.startsWith('❌'));
    return [
      code(label(s)),
      render(model, s.stack, s.props.AvailabilityZone ?? s.props.AvailabilityZoneId) || '?',
      render(model, s.stack, s.props.CidrBlock),
      s.props.MapPublicIpOnLaunch === true ? '❌ yes' : 'no',
      [...routes, ...gw].join('; ') || 'local only',
      isPublic ? '❌ public' : '✅ private',
    ];
  });
  out.push(table(['Subnet', 'AZ', 'CIDR', 'Public IP on launch', 'Routes besides local', 'Verdict'], subnetRows, '_No subnets in these templates._'), '');

  // endpoints
  out.push('### VPC endpoints', '');
  const endpoints = model.ofType('AWS::EC2::VPCEndpoint');
  const interfaceEndpoints = endpoints.filter((e) => endpointType(e) === 'Interface');
  out.push(`${plural(interfaceEndpoints.length, 'interface endpoint')}, ${plural(endpoints.length - interfaceEndpoints.length, 'other endpoint')}.`, '');
  const epRows = endpoints.map((e) => {
    const type = endpointType(e);
    const subnetIds = e.props.SubnetIds;
    return [
      code(e.stack.name),
      code(endpointService(ctx, e)),
      type,
      type === 'Interface' ? (Array.isArray(subnetIds) ? subnetIds.length : '?') : '—',
      type === 'Interface' ? (e.props.PrivateDnsEnabled === true ? '✅ on' : '⚠️ off') : '—',
      type === 'Gateway' ? `${asArray(e.props.RouteTableIds).length} route tables` : refTargets(model, e.stack, e.props.SecurityGroupIds).map((t) => code(label(t.res))).join(', '),
      e.props.PolicyDocument ? policySummary(ctx, e.stack, e.props.PolicyDocument) : type === 'Gateway' ? '⚠️ default policy (full access)' : 'default policy (full access)',
    ];
  });
  out.push(table(['Stack', 'Service', 'Type', 'AZs', 'Private DNS', 'Security groups / route tables', 'Endpoint policy'], epRows, '_No VPC endpoints._'), '');

  // security groups
  out.push('### Security groups', '');
  out.push('Rules added by standalone ingress and egress resources are shown under the group they belong to. ❗ marks a peer of '
    + '`0.0.0.0/0` or `::/0`' + (internetPaths.length === 0
    ? ': with no internet path, such egress reaches only what the VPC routes to (its endpoints, and S3 through the gateway endpoint).'
    : '.'), '');
  out.push(securityGroups(ctx), '');

  // flow logs
  out.push('### Flow logs', '');
  const flowLogs = model.ofType('AWS::EC2::FlowLog');
  const logged = new Set<Res>();
  const flowRows = flowLogs.map((f) => {
    const target = refTargets(model, f.stack, f.props.ResourceId)[0]?.res;
    if (target) logged.add(target);
    const group = refTargets(model, f.stack, f.props.LogGroupName ?? f.props.LogDestination).find((t) => t.res.type === 'AWS::Logs::LogGroup')?.res;
    const bucket = refTargets(model, f.stack, f.props.LogDestination).find((t) => t.res.type === 'AWS::S3::Bucket')?.res;
    const key = group ? ctx.keyRef(group.stack, group.props.KmsKeyId) : undefined;
    return [
      target ? code(label(target)) : render(model, f.stack, f.props.ResourceId),
      f.props.TrafficType ?? 'ALL',
      group ? `log group ${code(label(group))}` : bucket ? `bucket ${code(label(bucket))}` : render(model, f.stack, f.props.LogDestination ?? f.props.LogGroupName),
      group ? (group.props.RetentionInDays ? `${group.props.RetentionInDays} days` : 'never expires') : '',
      key ? code(key.label) : group ? '⚠️ service-owned key' : '',
    ];
  });
  out.push(table(['Resource', 'Traffic', 'Destination', 'Retention', 'Key'], flowRows, '_No flow logs._'), '');
  const unlogged = vpcs.filter((v) => !logged.has(v));
  if (unlogged.length > 0) out.push(`⚠️ VPCs without flow logs in these templates: ${unlogged.map((v) => code(label(v))).join(', ')}.`, '');

  // functions outside the VPC
  const outside = model.ofType('AWS::Lambda::Function').filter((f) => asArray(f.props.VpcConfig?.SubnetIds).length === 0 && !f.props.VpcConfig?.SubnetIds);
  out.push('### Functions outside the VPCs', '');
  if (outside.length === 0) {
    out.push('_Every Lambda function runs in a VPC._', '');
  } else {
    out.push(`${plural(outside.length, 'Lambda function')} run outside the VPCs, in the Lambda service network (which can reach AWS APIs `
      + 'and the internet). They are not a path into the VPCs.', '');
    out.push(table(['Function', 'Purpose', 'Acknowledged because'], outside.map((f) => {
      const ack = ctx.acksOn(f).find((a) => /LambdaInsideVPC/.test(a.id));
      return [code(label(f)), truncate(literal(model, f.stack, f.props.Description) ?? '', 100), ack ? truncate(ack.reason, 200) : ''];
    })), '');
  }
  return { text: out.join('\n'), facts: { internetPaths, interfaceEndpoints } };
}

export function endpointType(e: Res): string {
  return typeof e.props.VpcEndpointType === 'string' ? e.props.VpcEndpointType : 'Gateway';
}

/** The endpoint's service without the `com.amazonaws.<region>.` prefix. */
export function endpointService(ctx: ReviewContext, e: Res): string {
  const name = render(ctx.model, e.stack, e.props.ServiceName);
  const m = /^aws\.sagemaker\.[^.]+\.(.+)$/.exec(name);
  if (m) return `sagemaker ${m[1]} (aws.sagemaker)`;
  return name.replace(/^com\.amazonaws\.[^.]+\./, '');
}

function routeText(ctx: ReviewContext, route: Res): string {
  const p = route.props;
  const dest = p.DestinationCidrBlock ?? p.DestinationIpv6CidrBlock ?? (p.DestinationPrefixListId ? `prefix list ${render(ctx.model, route.stack, p.DestinationPrefixListId)}` : '?');
  const targetKey = ['GatewayId', 'NatGatewayId', 'EgressOnlyInternetGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId',
    'NetworkInterfaceId', 'InstanceId', 'VpcEndpointId', 'CarrierGatewayId', 'LocalGatewayId', 'CoreNetworkArn'].find((k) => p[k] !== undefined);
  const target = targetKey ? `${targetKey.replace(/Id$|Arn$/, '')} ${render(ctx.model, route.stack, p[targetKey])}` : '?';
  const internet = isInternetRoute(ctx, route);
  return `${internet ? '❌ ' : ''}${render(ctx.model, route.stack, dest)} → ${target}`;
}

function isInternetRoute(ctx: ReviewContext, route: Res): boolean {
  const p = route.props;
  const dest = literal(ctx.model, route.stack, p.DestinationCidrBlock ?? p.DestinationIpv6CidrBlock);
  if (dest && EVERYWHERE.has(dest)) return true;
  if (p.NatGatewayId !== undefined || p.EgressOnlyInternetGatewayId !== undefined) return true;
  if (p.GatewayId !== undefined) {
    const gw = refTargets(ctx.model, route.stack, p.GatewayId)[0]?.res;
    const text = render(ctx.model, route.stack, p.GatewayId);
    return gw?.type === 'AWS::EC2::InternetGateway' || text.startsWith('igw-');
  }
  return false;
}

function findInternetPaths(ctx: ReviewContext): InternetPath[] {
  const { model } = ctx;
  const paths: InternetPath[] = [];
  const add = (res: Res, what: string) => paths.push({ res, what });
  for (const r of model.resources) {
    const p = r.props;
    switch (r.type) {
      case 'AWS::EC2::InternetGateway': add(r, 'internet gateway'); break;
      case 'AWS::EC2::EgressOnlyInternetGateway': add(r, 'egress-only internet gateway (IPv6 out to the internet)'); break;
      case 'AWS::EC2::VPCGatewayAttachment':
        if (p.InternetGatewayId !== undefined) add(r, `internet gateway attached to ${render(model, r.stack, p.VpcId)}`);
        break;
      case 'AWS::EC2::NatGateway':
        if (p.ConnectivityType !== 'private') add(r, 'public NAT gateway (outbound internet for private subnets)');
        break;
      case 'AWS::EC2::EIP': add(r, 'elastic IP address'); break;
      case 'AWS::EC2::Route':
        if (isInternetRoute(ctx, r)) add(r, `route ${routeText(ctx, r).replace(/^❌ /, '')}`);
        break;
      case 'AWS::EC2::Subnet':
        if (p.MapPublicIpOnLaunch === true) add(r, 'public subnet (MapPublicIpOnLaunch)');
        break;
      case 'AWS::EC2::Instance':
        if (asArray(p.NetworkInterfaces).some((n: Json) => n?.AssociatePublicIpAddress === true)) add(r, 'instance with a public IP address');
        break;
      case 'AWS::SageMaker::Domain':
        if (p.AppNetworkAccessType !== 'VpcOnly') add(r, `AppNetworkAccessType ${p.AppNetworkAccessType ?? 'PublicInternetOnly (the default)'}: Studio apps reach the internet through SageMaker`);
        break;
      case 'AWS::SageMaker::NotebookInstance':
        if (p.DirectInternetAccess !== 'Disabled') add(r, 'DirectInternetAccess is Enabled (the default)');
        break;
      case 'AWS::SageMaker::Model':
        if (!p.VpcConfig && p.EnableNetworkIsolation !== true) add(r, 'model containers without VpcConfig or network isolation run in a SageMaker network with internet access');
        break;
      case 'AWS::SageMaker::Cluster':
        if (!p.VpcConfig) add(r, 'HyperPod cluster without VpcConfig: nodes use a SageMaker-managed network with internet access');
        break;
      case 'AWS::SageMaker::DataQualityJobDefinition':
      case 'AWS::SageMaker::ModelQualityJobDefinition':
      case 'AWS::SageMaker::ModelBiasJobDefinition':
      case 'AWS::SageMaker::ModelExplainabilityJobDefinition':
        if (!p.NetworkConfig?.VpcConfig && p.NetworkConfig?.EnableNetworkIsolation !== true) add(r, 'monitoring job without a VPC configuration or network isolation');
        break;
      case 'AWS::SageMaker::MonitoringSchedule': {
        const net = p.MonitoringScheduleConfig?.MonitoringJobDefinition?.NetworkConfig;
        if (p.MonitoringScheduleConfig?.MonitoringJobDefinition && !net?.VpcConfig && net?.EnableNetworkIsolation !== true) {
          add(r, 'monitoring job without a VPC configuration or network isolation');
        }
        break;
      }
      case 'AWS::SageMaker::Pipeline':
        for (const what of pipelineInternetSteps(ctx, r)) add(r, what);
        break;
      default:
        break;
    }
  }
  for (const sg of model.ofType('AWS::EC2::SecurityGroup')) {
    for (const rule of asArray(sg.props.SecurityGroupIngress)) {
      if (EVERYWHERE.has(rule?.CidrIp) || EVERYWHERE.has(rule?.CidrIpv6)) add(sg, `ingress from ${rule.CidrIp ?? rule.CidrIpv6} (${traffic(rule)})`);
    }
  }
  for (const rule of model.ofType('AWS::EC2::SecurityGroupIngress')) {
    if (EVERYWHERE.has(rule.props.CidrIp) || EVERYWHERE.has(rule.props.CidrIpv6)) add(rule, `ingress from ${rule.props.CidrIp ?? rule.props.CidrIpv6} (${traffic(rule.props)})`);
  }
  return paths;
}

function pipelineInternetSteps(ctx: ReviewContext, pipeline: Res): string[] {
  const body = pipeline.props.PipelineDefinition?.PipelineDefinitionBody;
  const definition = body === undefined ? undefined : embeddedJson(ctx.model, pipeline.stack, body);
  if (!definition) return [];
  const out: string[] = [];
  for (const step of flattenSteps(definition.Steps)) {
    const a = step?.Arguments ?? {};
    let inVpc: boolean | undefined;
    switch (step?.Type) {
      case 'Training': inVpc = !!a.VpcConfig || a.EnableNetworkIsolation === true; break;
      case 'Processing': inVpc = !!a.NetworkConfig?.VpcConfig || a.NetworkConfig?.EnableNetworkIsolation === true; break;
      case 'Tuning': {
        const defs = [a.TrainingJobDefinition, ...asArray(a.TrainingJobDefinitions)].filter(Boolean);
        inVpc = defs.length > 0 && defs.every((d: Json) => !!d.VpcConfig || d.EnableNetworkIsolation === true);
        break;
      }
      case 'AutoML': inVpc = !!a.AutoMLJobConfig?.SecurityConfig?.VpcConfig; break;
      default: inVpc = undefined;
    }
    if (inVpc === false) out.push(`pipeline step ${step.Name} (${step.Type}) runs without a VPC configuration or network isolation`);
  }
  return out;
}

function findOtherConnections(ctx: ReviewContext): InternetPath[] {
  const kinds: { [type: string]: string } = {
    'AWS::EC2::VPCPeeringConnection': 'VPC peering connection',
    'AWS::EC2::TransitGatewayAttachment': 'transit gateway attachment',
    'AWS::EC2::TransitGatewayVpcAttachment': 'transit gateway attachment',
    'AWS::EC2::VPNGateway': 'virtual private gateway',
    'AWS::EC2::VPNConnection': 'site-to-site VPN connection',
    'AWS::EC2::ClientVpnEndpoint': 'client VPN endpoint',
    'AWS::EC2::CustomerGateway': 'customer gateway',
  };
  const out: InternetPath[] = ctx.model.resources.filter((r) => kinds[r.type]).map((r) => ({ res: r, what: kinds[r.type] }));
  for (const r of ctx.model.ofType('AWS::EC2::Route')) {
    if (r.props.TransitGatewayId !== undefined || r.props.VpcPeeringConnectionId !== undefined) out.push({ res: r, what: routeText(ctx, r) });
  }
  return out;
}

function findImportedVpcs(ctx: ReviewContext): string[] {
  const ids = new Set<string>();
  for (const r of ctx.model.resources) {
    const vpcId = r.props.VpcId ?? r.props.VpcConfig?.VpcId;
    if (vpcId === undefined) continue;
    const text = literal(ctx.model, r.stack, vpcId);
    if (text && /^vpc-/.test(text)) ids.add(text);
  }
  return [...ids];
}

function traffic(rule: Json): string {
  const protocol = String(rule?.IpProtocol ?? '');
  if (protocol === '-1' || protocol === 'all') return 'all traffic';
  const from = num(rule?.FromPort);
  const to = num(rule?.ToPort);
  const name = ({ 6: 'TCP', 17: 'UDP', 1: 'ICMP', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP', icmpv6: 'ICMPv6' } as { [p: string]: string })[protocol] ?? `protocol ${protocol}`;
  if (name === 'ICMP' || name === 'ICMPv6') return from === -1 || from === undefined ? `${name} all` : `${name} type ${from}${to !== undefined && to !== -1 ? ` code ${to}` : ''}`;
  if (from === undefined || from === -1 || (from === 0 && to === 65535)) return `${name} all ports`;
  return from === to ? `${name} ${from}` : `${name} ${from}-${to}`;
}

/** The CDK's placeholder egress rule of a security group that allows no outbound traffic. */
function isNoEgressPlaceholder(rule: Json): boolean {
  return rule?.CidrIp === '255.255.255.255/32' && rule?.IpProtocol === 'icmp' && num(rule?.FromPort) === 252 && num(rule?.ToPort) === 86;
}

function securityGroups(ctx: ReviewContext): string {
  const { model } = ctx;
  type Rule = { sg: Res | string; direction: 'in' | 'out'; rule: Json; stack: StackModel };
  const rules: Rule[] = [];
  const groups = model.ofType('AWS::EC2::SecurityGroup');
  for (const sg of groups) {
    for (const rule of asArray(sg.props.SecurityGroupIngress)) rules.push({ sg, direction: 'in', rule, stack: sg.stack });
    for (const rule of asArray(sg.props.SecurityGroupEgress)) rules.push({ sg, direction: 'out', rule, stack: sg.stack });
  }
  for (const r of model.ofType('AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress')) {
    const sg = targetOfType(model, r.stack, r.props.GroupId, 'AWS::EC2::SecurityGroup') ?? render(model, r.stack, r.props.GroupId ?? r.props.GroupName);
    rules.push({ sg, direction: r.type.endsWith('Ingress') ? 'in' : 'out', rule: r.props, stack: r.stack });
  }
  const peer = (r: Rule): string => {
    const p = r.rule;
    const sgExpr = r.direction === 'in' ? p.SourceSecurityGroupId ?? p.SourceSecurityGroupName : p.DestinationSecurityGroupId;
    if (sgExpr !== undefined) {
      const target = targetOfType(model, r.stack, sgExpr, 'AWS::EC2::SecurityGroup');
      if (target && target === r.sg) return 'itself';
      return target ? `SG ${code(label(target))}` : `SG ${code(render(model, r.stack, sgExpr))}`;
    }
    const cidr = p.CidrIp ?? p.CidrIpv6;
    if (cidr !== undefined) {
      const text = render(model, r.stack, cidr);
      return EVERYWHERE.has(text) ? `❗ ${text} (anywhere)` : text;
    }
    const prefixList = r.direction === 'in' ? p.SourcePrefixListId : p.DestinationPrefixListId;
    if (prefixList !== undefined) return `prefix list ${render(model, r.stack, prefixList)}`;
    return '?';
  };
  const rows: Array<Array<string | number>> = [];
  const sgKey = (sg: Res | string) => (typeof sg === 'string' ? sg : label(sg));
  const byGroup = new Map<string, Rule[]>();
  for (const r of rules) push(byGroup, sgKey(r.sg), r);
  for (const sg of groups) if (!byGroup.has(label(sg))) byGroup.set(label(sg), []);
  const groupByLabel = new Map(groups.map((g) => [label(g), g]));
  for (const [name, list] of byGroup) {
    const res = groupByLabel.get(name);
    const users = res ? usersOf(ctx, res) : '';
    const egress = list.filter((r) => r.direction === 'out');
    const outbound = egress.length === 0 && res && res.props.SecurityGroupEgress === undefined
      ? [['out', '❗ all traffic', '0.0.0.0/0 (anywhere, the EC2 default)', '']]
      : [];
    const ruleRows = [
      ...list.filter((r) => !isNoEgressPlaceholder(r.rule)).map((r) => [r.direction, traffic(r.rule), peer(r), truncate(String(r.rule.Description ?? ''), 90)]),
      ...outbound,
    ];
    if (ruleRows.length === 0 || ruleRows.every((row) => row[0] === 'in')) ruleRows.push(['out', 'none', '—', 'no outbound rule']);
    if (!ruleRows.some((row) => row[0] === 'in')) ruleRows.unshift(['in', 'none', '—', 'no inbound rule']);
    ruleRows.forEach((row, i) => rows.push([
      i === 0 ? code(name) : '',
      i === 0 ? users : '',
      ...row,
    ]));
  }
  return table(['Security group', 'Used by', 'Dir', 'Traffic', 'Peer', 'Description'], rows, '_No security groups._');
}

/** What uses a security group: resources by path, several of one type summarized (IAM conditions left out). */
function usersOf(ctx: ReviewContext, sg: Res): string {
  const byType = new Map<string, string[]>();
  for (const u of ctx.usedBy(sg)) {
    if (u.res.type.startsWith('AWS::EC2::SecurityGroup') || u.res.type.startsWith('AWS::IAM::')) continue;
    push(byType, u.res.type, label(u.res));
  }
  return [...byType.entries()].map(([type, paths]) => (paths.length > 2
    ? `${paths.length} ${type.replace(/^AWS::/, '')}`
    : paths.map((p) => `${type.replace(/^AWS::/, '')} ${p}`).join(', '))).join(', ');
}

/** One line per statement of a resource or endpoint policy. */
export function policySummary(ctx: ReviewContext, stack: StackModel, doc: Json): string {
  return asArray(doc?.Statement).map((st: Json) => {
    const actions = asArray(st?.Action ?? st?.NotAction).map((a) => render(ctx.model, stack, a)).join(', ');
    const resources = asArray(st?.Resource ?? st?.NotResource).map((r) => shortArn(stack, render(ctx.model, stack, r))).join(', ');
    const conditions = conditionText(ctx, stack, st?.Condition);
    return `${st?.Sid ? `${st.Sid}: ` : ''}${st?.Effect} ${truncate(actions, 80)} on ${truncate(resources, 160)}${conditions ? ` if ${conditions}` : ''}`;
  }).join('<br>');
}

/** `Operator key = values` for each condition, values shortened. */
export function conditionText(ctx: ReviewContext, stack: StackModel, condition: Json, maxValue = 120): string {
  const parts: string[] = [];
  for (const [operator, entries] of Object.entries<Json>(condition ?? {})) {
    for (const [key, value] of Object.entries<Json>(entries ?? {})) {
      const values = asArray(value).map((v) => shortArn(stack, render(ctx.model, stack, v)));
      parts.push(`${operator} ${key} = ${truncate(values.join(', '), maxValue)}`);
    }
  }
  return parts.join('; ');
}
