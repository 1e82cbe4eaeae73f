import { ReviewContext } from './context';
import { asArray } from './encryption';
import { code, plural, push, table, thousands, usd, usdRate } from './markdown';
import { Json, Res } from './model';
import { endpointService, endpointType } from './network';
import { label, literal, num, refTargets, render } from './resolve';
import {
  FSX_LUSTRE_SOURCE, fsxLustreGbMonth, HOURS_PER_MONTH, INTERFACE_ENDPOINT_AZ_HOUR, KMS_KEY_MONTH, NAT_GATEWAY_HOUR,
  PRICES_AS_OF, PRICES_REGION, SAGEMAKER_HOSTING_HOURLY, SAGEMAKER_HOSTING_SOURCE, SAGEMAKER_HYPERPOD_HOURLY, SAGEMAKER_HYPERPOD_SOURCE,
} from '../../private/price-table';

/** One line of the estimate. */
export interface CostLine {
  readonly item: string;
  readonly stack: string;
  readonly quantity: string;
  readonly unitPrice: string;
  /** USD per month, or undefined when the price is not in the table. */
  readonly monthly?: number;
  readonly source: string;
}

/** The estimate, for the report's summary. */
export interface CostEstimate {
  readonly lines: CostLine[];
  readonly total: number;
  readonly unpriced: CostLine[];
}

/** Prices the caller gives, USD per instance-hour by instance type; they win over the table. */
export type PriceOverrides = { readonly [instanceType: string]: number };

export function estimateCost(ctx: ReviewContext, overrides: PriceOverrides): CostEstimate {
  const { model } = ctx;
  const lines: CostLine[] = [];

  // interface endpoints, per stack
  const byStack = new Map<string, { endpoints: number; azHours: number; guessed: number; services: string[] }>();
  for (const e of model.ofType('AWS::EC2::VPCEndpoint')) {
    if (endpointType(e) !== 'Interface') continue;
    const subnets = e.props.SubnetIds;
    const azs = Array.isArray(subnets) ? subnets.length : 1;
    const entry = byStack.get(e.stack.name) ?? { endpoints: 0, azHours: 0, guessed: 0, services: [] };
    entry.endpoints++;
    entry.azHours += azs;
    if (!Array.isArray(subnets)) entry.guessed++;
    entry.services.push(endpointService(ctx, e));
    byStack.set(e.stack.name, entry);
  }
  for (const [stack, e] of byStack) {
    lines.push({
      item: `VPC interface endpoints (${e.services.join(', ')})`,
      stack,
      quantity: `${plural(e.endpoints, 'endpoint')}, ${e.azHours} endpoint-AZs${e.guessed > 0 ? ` (${e.guessed} with unreadable subnets counted as 1 AZ)` : ''}`,
      unitPrice: `${usdRate(INTERFACE_ENDPOINT_AZ_HOUR.usd)} per ${INTERFACE_ENDPOINT_AZ_HOUR.unit}`,
      monthly: e.azHours * INTERFACE_ENDPOINT_AZ_HOUR.usd * HOURS_PER_MONTH,
      source: INTERFACE_ENDPOINT_AZ_HOUR.source,
    });
  }

  // NAT gateways
  for (const n of model.ofType('AWS::EC2::NatGateway')) {
    lines.push({
      item: `NAT gateway ${code(label(n))}`,
      stack: n.stack.name,
      quantity: '1',
      unitPrice: `${usdRate(NAT_GATEWAY_HOUR.usd)} per hour`,
      monthly: NAT_GATEWAY_HOUR.usd * HOURS_PER_MONTH,
      source: NAT_GATEWAY_HOUR.source,
    });
  }

  // KMS keys, per stack
  const keysByStack = new Map<string, Res[]>();
  for (const k of model.ofType('AWS::KMS::Key')) push(keysByStack, k.stack.name, k);
  for (const [stack, keys] of keysByStack) {
    const rotated = keys.filter((k) => k.props.EnableKeyRotation === true || k.props.EnableKeyRotation === 'true').length;
    lines.push({
      item: 'KMS customer-managed keys',
      stack,
      quantity: `${plural(keys.length, 'key')}${rotated > 0 ? ` (${rotated} rotated: +${usdRate(KMS_KEY_MONTH.usd)}/month each after the first and second rotation)` : ''}`,
      unitPrice: `${usdRate(KMS_KEY_MONTH.usd)} per ${KMS_KEY_MONTH.unit}`,
      monthly: keys.length * KMS_KEY_MONTH.usd,
      source: KMS_KEY_MONTH.source,
    });
  }

  // SageMaker endpoints at minimum capacity
  const minimums = scalingMinimums(ctx);
  for (const endpoint of model.ofType('AWS::SageMaker::Endpoint')) {
    const config = endpointConfigOf(ctx, endpoint);
    const endpointName = literal(model, endpoint.stack, endpoint.props.EndpointName);
    if (!config) {
      lines.push({
        item: `SageMaker endpoint ${code(label(endpoint))}`,
        stack: endpoint.stack.name,
        quantity: 'configuration not in these templates',
        unitPrice: 'price not in table',
        source: SAGEMAKER_HOSTING_SOURCE,
      });
      continue;
    }
    const variants: Json[] = [...asArray(config.props.ProductionVariants), ...asArray(config.props.ShadowProductionVariants)];
    for (const v of variants) {
      const variantName = literal(model, config.stack, v?.VariantName) ?? '?';
      const item = `SageMaker endpoint ${code(endpointName ?? label(endpoint))}, variant ${variantName}`;
      if (v?.ServerlessConfig) {
        const provisioned = num(v.ServerlessConfig.ProvisionedConcurrency);
        lines.push({
          item,
          stack: endpoint.stack.name,
          quantity: provisioned ? `serverless, ${provisioned} provisioned concurrency` : 'serverless (billed per request)',
          unitPrice: provisioned ? 'price not in table' : 'usage only',
          monthly: provisioned ? undefined : 0,
          source: SAGEMAKER_HOSTING_SOURCE,
        });
        continue;
      }
      const instanceType = literal(model, config.stack, v?.InstanceType) ?? '?';
      const managed = v?.ManagedInstanceScaling;
      const scaled = endpointName ? minimums.get(`${endpointName}/${variantName}`) : undefined;
      const managedMin = managed && managed.Status !== 'DISABLED' ? num(managed.MinInstanceCount) : undefined;
      const count = scaled ?? managedMin ?? num(v?.InitialInstanceCount) ?? 1;
      const basis = scaled !== undefined ? 'autoscaling minimum' : managedMin !== undefined ? 'managed instance scaling minimum' : 'initial instance count';
      const price = overrides[instanceType] ?? SAGEMAKER_HOSTING_HOURLY[instanceType];
      lines.push({
        item,
        stack: endpoint.stack.name,
        quantity: `${count} × ${instanceType} (${basis})`,
        unitPrice: price !== undefined ? `${usdRate(price)} per instance-hour${overrides[instanceType] !== undefined ? ' (given)' : ''}` : 'price not in table',
        monthly: price !== undefined ? count * price * HOURS_PER_MONTH : count === 0 ? 0 : undefined,
        source: overrides[instanceType] !== undefined ? 'price given to the report' : SAGEMAKER_HOSTING_SOURCE,
      });
    }
  }

  // HyperPod clusters
  for (const cluster of model.ofType('AWS::SageMaker::Cluster')) {
    const name = literal(model, cluster.stack, cluster.props.ClusterName) ?? label(cluster);
    for (const g of [...asArray(cluster.props.InstanceGroups), ...asArray(cluster.props.RestrictedInstanceGroups)]) {
      const instanceType = literal(model, cluster.stack, g?.InstanceType) ?? '?';
      const count = num(g?.InstanceCount) ?? 0;
      const groupName = literal(model, cluster.stack, g?.InstanceGroupName) ?? '?';
      const plan = g?.TrainingPlanArn !== undefined;
      const price = overrides[instanceType] ?? SAGEMAKER_HYPERPOD_HOURLY[instanceType];
      lines.push({
        item: `HyperPod cluster ${code(name)}, instance group ${groupName}${plan ? ' (training plan capacity, prepaid)' : ''}`,
        stack: cluster.stack.name,
        quantity: `${count} × ${instanceType}`,
        unitPrice: price !== undefined ? `${usdRate(price)} per instance-hour${overrides[instanceType] !== undefined ? ' (given)' : ''}` : 'price not in table',
        monthly: price !== undefined ? count * price * HOURS_PER_MONTH : count === 0 ? 0 : undefined,
        source: overrides[instanceType] !== undefined ? 'price given to the report' : SAGEMAKER_HYPERPOD_SOURCE,
      });
    }
  }

  // FSx file systems
  for (const fsx of model.ofType('AWS::FSx::FileSystem')) {
    const fsType = literal(model, fsx.stack, fsx.props.FileSystemType) ?? '?';
    const capacity = num(fsx.props.StorageCapacity);
    const lustre = fsx.props.LustreConfiguration ?? {};
    const deployment = literal(model, fsx.stack, lustre.DeploymentType) ?? 'SCRATCH_1';
    const throughput = num(lustre.PerUnitStorageThroughput);
    const storageType = literal(model, fsx.stack, fsx.props.StorageType) ?? 'SSD';
    const price = fsType === 'LUSTRE' ? fsxLustreGbMonth(deployment, throughput, storageType) : undefined;
    lines.push({
      item: `FSx ${fsType === 'LUSTRE' ? 'for Lustre' : fsType} ${code(label(fsx))} (${deployment}${throughput ? `, ${throughput} MB/s/TiB` : ''}, ${storageType})`,
      stack: fsx.stack.name,
      quantity: capacity !== undefined ? `${thousands(capacity)} GB` : '? GB',
      unitPrice: price !== undefined ? `${usdRate(price)} per GB-month` : 'price not in table',
      monthly: price !== undefined && capacity !== undefined ? price * capacity : undefined,
      source: FSX_LUSTRE_SOURCE,
    });
  }

  const total = lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0);
  return { lines, total, unpriced: lines.filter((l) => l.monthly === undefined) };
}

/** Autoscaling minimums of endpoint variants, by `<endpoint name>/<variant name>`. */
function scalingMinimums(ctx: ReviewContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of ctx.model.ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    if (t.props.ScalableDimension !== 'sagemaker:variant:DesiredInstanceCount') continue;
    const min = num(t.props.MinCapacity);
    if (min === undefined) continue;
    let resourceId = literal(ctx.model, t.stack, t.props.ResourceId);
    if (resourceId === undefined) {
      // endpoint/<name>/variant/<variant> with the name read from the endpoint resource
      const endpoint = refTargets(ctx.model, t.stack, t.props.ResourceId).find((r) => r.res.type === 'AWS::SageMaker::Endpoint')?.res;
      const name = endpoint ? literal(ctx.model, endpoint.stack, endpoint.props.EndpointName) : undefined;
      const variant = /\/variant\/([^/]+)$/.exec(render(ctx.model, t.stack, t.props.ResourceId))?.[1];
      if (name && variant) resourceId = `endpoint/${name}/variant/${variant}`;
    }
    const m = resourceId ? /^endpoint\/([^/]+)\/variant\/([^/]+)$/.exec(resourceId) : null;
    if (m) out.set(`${m[1]}/${m[2]}`, Math.min(min, out.get(`${m[1]}/${m[2]}`) ?? Infinity));
  }
  return out;
}

function endpointConfigOf(ctx: ReviewContext, endpoint: Res): Res | undefined {
  const ref = refTargets(ctx.model, endpoint.stack, endpoint.props.EndpointConfigName).find((t) => t.res.type === 'AWS::SageMaker::EndpointConfig')?.res;
  if (ref) return ref;
  const name = literal(ctx.model, endpoint.stack, endpoint.props.EndpointConfigName);
  return name ? ctx.model.ofType('AWS::SageMaker::EndpointConfig').find((c) => c.props.EndpointConfigName === name) : undefined;
}

export function costSection(ctx: ReviewContext, estimate: CostEstimate): string {
  const out: string[] = ['## 6. Estimated monthly baseline cost', ''];
  const regions = [...new Set(ctx.model.stacks.map((s) => s.region).filter((r): r is string => !!r))];
  const otherRegions = regions.filter((r) => r !== PRICES_REGION);
  out.push(`**Approximate, list prices as of ${PRICES_AS_OF}, ${PRICES_REGION}.** On-demand list prices from the AWS pricing pages, `
    + `${HOURS_PER_MONTH} hours a month, no discounts, Savings Plans, taxes or free tier. Baseline means what runs `
    + 'with no one using the platform: endpoints at their minimum capacity, clusters at their instance counts, provisioned storage. '
    + 'Usage is not counted: requests, data processing and transfer, S3 and EFS storage, log ingestion, Studio apps, jobs and pipeline runs.'
    + (otherRegions.length > 0 ? ` ⚠️ Stacks in ${otherRegions.join(', ')}: prices there differ from ${PRICES_REGION}.` : ''), '');
  out.push(table(['Item', 'Stack', 'Quantity', 'Unit price', 'Per month', 'Source'], estimate.lines.map((l) => [
    l.item, code(l.stack), l.quantity, l.unitPrice, l.monthly !== undefined ? usd(l.monthly) : 'price not in table', l.source,
  ]), '_Nothing with a baseline cost._'), '');
  out.push(`**Estimated baseline: ${usd(estimate.total)} per month**`
    + (estimate.unpriced.length > 0
      ? `, ⚠️ plus ${plural(estimate.unpriced.length, 'item')} whose price is not in the table (${estimate.unpriced.map((l) => l.quantity).join('; ')}), `
        + 'not counted: pass their hourly prices to the report (`instanceHourlyPrices`) to include them.'
      : '.'), '');
  return out.join('\n');
}
