/**
 * Approximate AWS list prices the review report uses for its monthly baseline estimate.
 *
 * These are ESTIMATES: public on-demand list prices in US East (N. Virginia), us-east-1, as of
 * {@link PRICES_AS_OF}, taken from the AWS pricing pages without discounts, Savings Plans,
 * reserved capacity, taxes, data transfer or per-request charges. Prices change and differ by Region:
 * check the pricing pages (or the AWS Pricing Calculator) before relying on a figure. Only prices we
 * are confident of are listed; anything else is reported as "price not in table".
 */

/** When the prices below were taken. */
export const PRICES_AS_OF = 'January 2025';

/** The Region the prices below are for. */
export const PRICES_REGION = 'us-east-1';

/** Hours in a month, as AWS pricing pages count them. */
export const HOURS_PER_MONTH = 730;

/** One row of the table. */
export interface PriceRow {
  /** USD per unit. */
  readonly usd: number;
  /** The unit, for example 'AZ-hour'. */
  readonly unit: string;
  /** The pricing page the price comes from. */
  readonly source: string;
}

/**
 * AWS PrivateLink pricing, "Interface endpoint": $0.01 per VPC endpoint per Availability Zone per hour
 * (data processing, $0.01 per GB for the first PB, is usage and not counted).
 */
export const INTERFACE_ENDPOINT_AZ_HOUR: PriceRow = {
  usd: 0.01, unit: 'endpoint AZ-hour', source: 'AWS PrivateLink pricing, interface endpoints',
};

/** Amazon VPC pricing, "NAT Gateway": $0.045 per NAT gateway hour (data processing not counted). */
export const NAT_GATEWAY_HOUR: PriceRow = {
  usd: 0.045, unit: 'NAT gateway-hour', source: 'Amazon VPC pricing, NAT gateway',
};

/**
 * AWS KMS pricing: $1 per customer-managed key per month (prorated hourly); the first and second
 * automatic rotation of a key each add $1 per month. AWS managed keys are free. Requests are usage.
 */
export const KMS_KEY_MONTH: PriceRow = {
  usd: 1, unit: 'key-month', source: 'AWS Key Management Service pricing, customer managed keys',
};

/**
 * Amazon SageMaker AI pricing, "Real-Time Inference", on-demand USD per instance-hour. Only instance
 * types whose list price we are confident of.
 */
export const SAGEMAKER_HOSTING_HOURLY: { readonly [instanceType: string]: number } = {
  'ml.t2.medium': 0.056,
  'ml.m5.large': 0.115,
  'ml.m5.xlarge': 0.23,
  'ml.m5.2xlarge': 0.461,
  'ml.m5.4xlarge': 0.922,
  'ml.c5.large': 0.102,
  'ml.c5.xlarge': 0.204,
  'ml.c5.2xlarge': 0.408,
  'ml.g4dn.xlarge': 0.736,
  'ml.g5.xlarge': 1.408,
  'ml.g5.2xlarge': 1.515,
  'ml.p3.2xlarge': 3.825,
};

/** Where {@link SAGEMAKER_HOSTING_HOURLY} comes from. */
export const SAGEMAKER_HOSTING_SOURCE = 'Amazon SageMaker AI pricing, Real-Time Inference (on-demand)';

/**
 * Amazon SageMaker HyperPod instance prices. HyperPod bills per instance-hour with rates that depend
 * on the capacity (on-demand, flexible training plans, reserved); none is listed here with enough
 * confidence, so HyperPod instances are "price not in table" unless the report is given prices.
 */
export const SAGEMAKER_HYPERPOD_HOURLY: { readonly [instanceType: string]: number } = {};

/** Where {@link SAGEMAKER_HYPERPOD_HOURLY} would come from. */
export const SAGEMAKER_HYPERPOD_SOURCE = 'Amazon SageMaker HyperPod pricing';

/**
 * Amazon FSx for Lustre pricing, USD per GB-month of provisioned storage capacity, by deployment type
 * and throughput per unit of storage (MB/s/TiB). Backups and data transfer are usage.
 */
export const FSX_LUSTRE_GB_MONTH: ReadonlyArray<{
  readonly deploymentType: string;
  /** MB/s/TiB, or undefined when the deployment type has one throughput level. */
  readonly perUnitStorageThroughput?: number;
  /** 'SSD' or 'HDD'. */
  readonly storageType: string;
  readonly usd: number;
}> = [
  { deploymentType: 'SCRATCH_1', storageType: 'SSD', usd: 0.14 },
  { deploymentType: 'SCRATCH_2', storageType: 'SSD', usd: 0.14 },
  { deploymentType: 'PERSISTENT_1', storageType: 'SSD', perUnitStorageThroughput: 50, usd: 0.145 },
  { deploymentType: 'PERSISTENT_1', storageType: 'SSD', perUnitStorageThroughput: 100, usd: 0.21 },
  { deploymentType: 'PERSISTENT_1', storageType: 'SSD', perUnitStorageThroughput: 200, usd: 0.29 },
  { deploymentType: 'PERSISTENT_1', storageType: 'HDD', perUnitStorageThroughput: 12, usd: 0.025 },
  { deploymentType: 'PERSISTENT_1', storageType: 'HDD', perUnitStorageThroughput: 40, usd: 0.083 },
  { deploymentType: 'PERSISTENT_2', storageType: 'SSD', perUnitStorageThroughput: 125, usd: 0.145 },
  { deploymentType: 'PERSISTENT_2', storageType: 'SSD', perUnitStorageThroughput: 250, usd: 0.21 },
  { deploymentType: 'PERSISTENT_2', storageType: 'SSD', perUnitStorageThroughput: 500, usd: 0.34 },
  { deploymentType: 'PERSISTENT_2', storageType: 'SSD', perUnitStorageThroughput: 1000, usd: 0.6 },
];

/** Where {@link FSX_LUSTRE_GB_MONTH} comes from. */
export const FSX_LUSTRE_SOURCE = 'Amazon FSx for Lustre pricing, storage capacity';

/** The FSx for Lustre price per GB-month, or undefined when not in the table. */
export function fsxLustreGbMonth(deploymentType: string, perUnitStorageThroughput: number | undefined, storageType: string): number | undefined {
  const rows = FSX_LUSTRE_GB_MONTH.filter((r) => r.deploymentType === deploymentType && r.storageType === storageType);
  if (rows.length === 1 && rows[0].perUnitStorageThroughput === undefined) return rows[0].usd;
  return rows.find((r) => r.perUnitStorageThroughput === perUnitStorageThroughput)?.usd;
}
