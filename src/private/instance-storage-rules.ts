/**
 * The one table of SageMaker ML instance families with local NVMe instance storage, and the rule it
 * backs: SageMaker rejects a KMS key for the storage volume of an instance type with local storage
 * (the instance store is encrypted by the Nitro hardware module instead). Endpoint configurations
 * (`KmsKeyId`), training, tuning, processing and transform jobs (`VolumeKmsKeyId`), the job guardrails
 * and the review report all read it from here.
 */

/** One instance family and the documentation sentence that puts it in a table. */
export interface InstanceFamilyRule {
  /** The family, as it appears in `ml.<family>.<size>` (for example `g5`, `p6-b200`). */
  readonly family: string;
  /** Where the rule comes from. */
  readonly source: string;
}

/**
 * The CreateEndpointConfig sentence behind {@link LOCAL_STORAGE_FAMILIES} (API reference,
 * CreateEndpointConfig, KmsKeyId).
 */
export const LOCAL_STORAGE_KMS_SENTENCE = 'Certain Nitro-based instances include local storage, dependent on the instance type. '
  + 'Local storage volumes are encrypted using a hardware module on the instance. You can\'t request a KmsKeyId when using an '
  + 'instance type with local storage. If any of the models that you specify in the ProductionVariants parameter use nitro-based '
  + 'instances with local storage, do not specify a value for the KmsKeyId parameter. If you specify a value for KmsKeyId when '
  + 'using any nitro-based instances with local storage, the call to CreateEndpointConfig fails. (SageMaker API reference, '
  + 'CreateEndpointConfig, KmsKeyId; it refers to the Amazon EC2 "Instance store volumes" table for the instance types.)';

/** The same rule for jobs (API reference, ResourceConfig, ProcessingClusterConfig and TransformResources). */
export const LOCAL_STORAGE_VOLUME_KMS_SENTENCE = 'SageMaker API reference, ResourceConfig/ProcessingClusterConfig/TransformResources '
  + 'VolumeKmsKeyId: "Certain Nitro-based instances include local storage, dependent on the instance type. Local storage volumes '
  + 'are encrypted using a hardware module on the instance. You can\'t request a VolumeKmsKeyId when using an instance type with '
  + 'local storage."';

const instanceStore = (ec2Family: string) => `${LOCAL_STORAGE_KMS_SENTENCE} ${LOCAL_STORAGE_VOLUME_KMS_SENTENCE} `
  + `Amazon EC2 User Guide, "Instance store volume limits": ${ec2Family} instances include NVMe SSD instance store volumes.`;

/**
 * ML instance families with local NVMe instance storage: no KMS key may be named for their storage
 * volume (the service rejects it). Each family has NVMe instance store volumes in the EC2 table the
 * API reference points to. EBS-only families (for example ml.c5, ml.m5, ml.r5, ml.c6i, ml.m7i, ml.c7g,
 * ml.p2, ml.p3, ml.inf1, ml.inf2, ml.t2, ml.t3) are not listed: they need, and get, the KMS key.
 */
export const LOCAL_STORAGE_FAMILIES: readonly InstanceFamilyRule[] = [
  // general purpose, compute and memory optimized
  { family: 'c5d', source: instanceStore('C5d') },
  { family: 'm5d', source: instanceStore('M5d') },
  { family: 'r5d', source: instanceStore('R5d') },
  { family: 'c6gd', source: instanceStore('C6gd') },
  { family: 'm6gd', source: instanceStore('M6gd') },
  { family: 'r6gd', source: instanceStore('R6gd') },
  { family: 'c6id', source: instanceStore('C6id') },
  { family: 'm6id', source: instanceStore('M6id') },
  { family: 'r6id', source: instanceStore('R6id') },
  // no ml.c7gd or ml.m7gd instance type exists today; the rows keep the table right if they appear
  { family: 'c7gd', source: instanceStore('C7gd') },
  { family: 'm7gd', source: instanceStore('M7gd') },
  { family: 'r7gd', source: instanceStore('R7gd') },
  // accelerated computing
  { family: 'g4dn', source: instanceStore('G4dn') },
  { family: 'g5', source: instanceStore('G5') },
  { family: 'g6', source: instanceStore('G6') },
  { family: 'g6e', source: instanceStore('G6e') },
  { family: 'gr6', source: instanceStore('Gr6') },
  { family: 'g7e', source: instanceStore('G7e') },
  { family: 'p3dn', source: instanceStore('P3dn') },
  { family: 'p4d', source: instanceStore('P4d') },
  { family: 'p4de', source: instanceStore('P4de') },
  { family: 'p5', source: instanceStore('P5') },
  { family: 'p5e', source: instanceStore('P5e') },
  { family: 'p5en', source: instanceStore('P5en') },
  { family: 'p6-b200', source: instanceStore('P6-B200') },
  { family: 'p6-b300', source: instanceStore('P6-B300') },
  { family: 'p6e-gb200', source: instanceStore('P6e-GB200') },
  { family: 'dl1', source: instanceStore('DL1') },
  { family: 'trn1', source: instanceStore('Trn1') },
  { family: 'trn1n', source: instanceStore('Trn1n') },
  { family: 'trn2', source: instanceStore('Trn2') },
];

/**
 * The family of an ML instance type: `ml.g5.2xlarge` is `g5`, `ml.p6-b200.48xlarge` is `p6-b200`.
 * Returns undefined for anything that is not `ml.<family>.<size>`.
 */
export function instanceFamily(instanceType: string): string | undefined {
  const match = /^ml\.([a-z0-9-]+)\.[a-z0-9]+$/.exec(instanceType);
  return match ? match[1] : undefined;
}

/** The row of `table` for the family of `instanceType`, if any. */
export function familyRule(table: readonly InstanceFamilyRule[], instanceType: string): InstanceFamilyRule | undefined {
  const family = instanceFamily(instanceType);
  return family === undefined ? undefined : table.find((row) => row.family === family);
}

/** The rule row when the instance type has local NVMe instance storage (no KMS volume key allowed). */
export function localStorageRule(instanceType: string): InstanceFamilyRule | undefined {
  return familyRule(LOCAL_STORAGE_FAMILIES, instanceType);
}

/**
 * True when the ML instance type (for example `ml.g5.xlarge`) has local NVMe storage, so a volume
 * KMS key must not be requested for it.
 */
export function hasLocalInstanceStorage(instanceType: string): boolean {
  return localStorageRule(instanceType) !== undefined;
}

/**
 * True when every instance type a `sagemaker:InstanceTypes` pattern matches has local NVMe storage:
 * an exact type (`ml.g5.xlarge`) or a whole family (`ml.g5.*`) of the table. `ml.*` and anything
 * else is false, since it also matches EBS-only types.
 */
export function isLocalStoragePattern(pattern: string): boolean {
  const match = /^ml\.([a-z0-9-]+)\.(\*|[a-z0-9]+)$/.exec(pattern);
  return match !== null && LOCAL_STORAGE_FAMILIES.some((row) => row.family === match[1]);
}
