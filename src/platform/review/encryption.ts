import { KeyRef, ReviewContext } from './context';
import { code, plural, table, truncate } from './markdown';
import { Json, Res, StackModel } from './model';
import { embeddedJson, label, literal, refTargets, render, unwrapRef } from './resolve';
import { hasLocalInstanceStorage } from '../../private/instance-storage-rules';

/** How one facet of a data store is encrypted at rest. */
export interface StoreEntry {
  readonly res: Res;
  /** What kind of store, for example 'S3 bucket'. */
  readonly store: string;
  /** Which part of the store, for example 'online store'. */
  readonly facet: string;
  /** The key, when one is named or implied. */
  readonly key?: KeyRef;
  /** How it is encrypted, in words. */
  readonly encryption: string;
  /** Why there is no customer-managed key, when there is none. */
  readonly why?: string;
  /** True when the data is not encrypted at rest at all. */
  readonly unencrypted?: boolean;
}

/** True when a customer-managed key protects the entry. */
export function hasCustomerKey(store: StoreEntry): boolean {
  return store.key !== undefined && (store.key.kind === 'cmk' || store.key.kind === 'external' || store.key.kind === 'parameter');
}

type Extractor = (ctx: ReviewContext, res: Res, env: ExtractEnv) => StoreEntry[];

interface ExtractEnv {
  /** Buckets that receive S3 server access logs. */
  readonly accessLogTargets: Set<Res>;
}

/** Every data store of the assembly and the key of each of its parts. */
export function collectStores(ctx: ReviewContext): StoreEntry[] {
  const env: ExtractEnv = { accessLogTargets: accessLogTargets(ctx) };
  const out: StoreEntry[] = [];
  for (const res of ctx.model.resources) {
    const extractor = EXTRACTORS[res.type];
    if (extractor) out.push(...extractor(ctx, res, env));
  }
  return out;
}

function accessLogTargets(ctx: ReviewContext): Set<Res> {
  const targets = new Set<Res>();
  const buckets = ctx.model.ofType('AWS::S3::Bucket');
  for (const bucket of buckets) {
    const dest = bucket.props.LoggingConfiguration?.DestinationBucketName;
    if (dest === undefined) continue;
    for (const t of refTargets(ctx.model, bucket.stack, dest)) if (t.res.type === 'AWS::S3::Bucket') targets.add(t.res);
    const name = literal(ctx.model, bucket.stack, dest);
    if (name) for (const b of buckets) if (b.props.BucketName === name) targets.add(b);
  }
  return targets;
}

const KMS_FINDING = /KMS|Encrypt|SSE|-S3DefaultEncryption|-EC\d|CMK/i;

/** The reason of an acknowledgment about encryption on the resource, shortened. */
function acknowledgedWhy(ctx: ReviewContext, res: Res): string | undefined {
  const ack = ctx.acksOn(res).find((a) => KMS_FINDING.test(a.id));
  return ack ? `acknowledged (${ack.id}): ${truncate(firstSentence(ack.reason), 220)}` : undefined;
}

function firstSentence(text: string): string {
  const m = /^(.+?[.;])(\s|$)/s.exec(text);
  return m ? m[1] : text;
}

function entry(ctx: ReviewContext, res: Res, store: string, facet: string, keyExpr: Json, fallback: {
  encryption: string; why: string; unencrypted?: boolean;
}, cmkEncryption = 'customer-managed KMS key'): StoreEntry {
  const key = ctx.keyRef(res.stack, keyExpr);
  if (key && key.kind === 'unknown') return { res, store, facet, key, encryption: `KMS key ${key.label}`, why: 'the key reference could not be followed to a key' };
  if (key && key.kind !== 'aws-managed') return { res, store, facet, key, encryption: cmkEncryption };
  if (key) return { res, store, facet, key, encryption: `AWS managed key ${key.label}`, why: acknowledgedWhy(ctx, res) ?? 'an AWS managed key is named' };
  return { res, store, facet, encryption: fallback.encryption, why: acknowledgedWhy(ctx, res) ?? fallback.why, unencrypted: fallback.unencrypted };
}

/** For S3 destinations without their own key: the default encryption of the bucket the URI names. */
function viaBucket(ctx: ReviewContext, res: Res, store: string, facet: string, keyExpr: Json, s3Uri: Json,
  stack: StackModel = res.stack): StoreEntry {
  const key = ctx.keyRef(stack, keyExpr);
  if (key && key.kind !== 'aws-managed') return { res, store, facet, key, encryption: 'customer-managed KMS key (SSE-KMS)' };
  const bucket = refTargets(ctx.model, stack, s3Uri).find((t) => t.res.type === 'AWS::S3::Bucket')?.res;
  if (bucket) {
    const bucketEntry = EXTRACTORS['AWS::S3::Bucket'](ctx, bucket, { accessLogTargets: new Set() })[0];
    if (hasCustomerKey(bucketEntry)) {
      return { res, store, facet, key: bucketEntry.key, encryption: `default encryption of bucket ${label(bucket)}` };
    }
    return { res, store, facet, encryption: `default encryption of bucket ${label(bucket)}: ${bucketEntry.encryption}`, why: bucketEntry.why };
  }
  return {
    res,
    store,
    facet,
    encryption: key ? `AWS managed key ${key.label}` : 'the destination bucket\'s default encryption',
    why: acknowledgedWhy(ctx, res) ?? 'no KMS key set, and the destination bucket is not in these templates',
  };
}

const EXTRACTORS: { [type: string]: Extractor } = {
  'AWS::S3::Bucket': (ctx, res, env) => {
    const rule = res.props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
    const byDefault = rule?.ServerSideEncryptionByDefault;
    const algorithm = literal(ctx.model, res.stack, byDefault?.SSEAlgorithm);
    const accessLogWhy = env.accessLogTargets.has(res)
      ? 'server-access-log target: Amazon S3 delivers server access logs only to buckets with SSE-S3 default encryption'
      : undefined;
    if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
      const kind = algorithm === 'aws:kms:dsse' ? 'DSSE-KMS' : 'SSE-KMS';
      const bucketKey = rule?.BucketKeyEnabled === true ? ', bucket key' : '';
      if (byDefault.KMSMasterKeyID === undefined) {
        return [{
          res,
          store: 'S3 bucket',
          facet: 'objects',
          key: { kind: 'aws-managed', label: 'alias/aws/s3' },
          encryption: `${kind} with the AWS managed key aws/s3`,
          why: acknowledgedWhy(ctx, res) ?? 'no KMSMasterKeyID',
        }];
      }
      return [entry(ctx, res, 'S3 bucket', 'objects', byDefault.KMSMasterKeyID,
        { encryption: kind, why: 'no key' }, `${kind} with a customer-managed key${bucketKey}`)];
    }
    return [{
      res,
      store: 'S3 bucket',
      facet: 'objects',
      encryption: algorithm === 'AES256' ? 'SSE-S3 (AES-256, S3-managed keys)' : 'SSE-S3 (the S3 default for buckets without encryption settings)',
      why: accessLogWhy ?? acknowledgedWhy(ctx, res) ?? 'no customer-managed key configured',
    }];
  },

  'AWS::EFS::FileSystem': (ctx, res) => [res.props.Encrypted === true || res.props.Encrypted === 'true'
    ? entry(ctx, res, 'EFS file system', 'files', res.props.KmsKeyId, { encryption: 'AWS managed key aws/elasticfilesystem', why: 'encrypted without a KmsKeyId' })
    : { res, store: 'EFS file system', facet: 'files', encryption: 'not encrypted at rest', unencrypted: true, why: acknowledgedWhy(ctx, res) ?? 'Encrypted is not true' }],

  'AWS::EC2::Volume': (ctx, res) => [res.props.Encrypted === true || res.props.Encrypted === 'true'
    ? entry(ctx, res, 'EBS volume', 'blocks', res.props.KmsKeyId, { encryption: 'AWS managed key aws/ebs', why: 'encrypted without a KmsKeyId' })
    : {
      res,
      store: 'EBS volume',
      facet: 'blocks',
      encryption: 'not encrypted at rest (unless the account enables EBS encryption by default)',
      unencrypted: true,
      why: acknowledgedWhy(ctx, res) ?? 'Encrypted is not true',
    }],

  'AWS::SageMaker::Domain': (ctx, res) => {
    const out = [entry(ctx, res, 'SageMaker domain', 'home EFS and space EBS volumes', res.props.KmsKeyId,
      { encryption: 'AWS managed keys (SageMaker default)', why: 'no KmsKeyId on the domain' })];
    const sharing = res.props.DefaultUserSettings?.SharingSettings;
    if (sharing && sharing.NotebookOutputOption === 'Allowed') {
      out.push(viaBucket(ctx, res, 'SageMaker domain', 'shared notebook snapshots (S3)', sharing.S3KmsKeyId, sharing.S3OutputPath));
    }
    return out;
  },

  'AWS::SageMaker::UserProfile': (ctx, res) => {
    const sharing = res.props.UserSettings?.SharingSettings;
    if (!sharing || sharing.NotebookOutputOption !== 'Allowed') return [];
    return [viaBucket(ctx, res, 'SageMaker user profile', 'shared notebook snapshots (S3)', sharing.S3KmsKeyId, sharing.S3OutputPath)];
  },

  'AWS::SageMaker::EndpointConfig': (ctx, res) => {
    const variants: Json[] = Array.isArray(res.props.ProductionVariants) ? res.props.ProductionVariants : [];
    const types = variants.map((v) => literal(ctx.model, res.stack, v?.InstanceType)).filter((t): t is string => !!t);
    const serverless = variants.length > 0 && variants.every((v) => v?.ServerlessConfig);
    const out: StoreEntry[] = [];
    if (res.props.KmsKeyId !== undefined) {
      out.push(entry(ctx, res, 'SageMaker endpoint config', 'ML storage volumes', res.props.KmsKeyId, { encryption: '', why: '' }));
    } else if (serverless) {
      out.push({
        res,
        store: 'SageMaker endpoint config',
        facet: 'ML storage volumes',
        encryption: 'serverless: no customer volume (AWS owned key)',
        why: 'serverless endpoints do not accept a KmsKeyId',
      });
    } else if (types.length > 0 && types.every(hasLocalInstanceStorage)) {
      out.push({
        res,
        store: 'SageMaker endpoint config',
        facet: 'ML storage volumes',
        encryption: `local NVMe instance storage (${[...new Set(types)].join(', ')}), encrypted by a hardware module`,
        why: 'SageMaker refuses a KmsKeyId for instance types with local NVMe storage (instance store volumes are hardware-encrypted)',
      });
    } else {
      out.push(entry(ctx, res, 'SageMaker endpoint config', 'ML storage volumes', undefined,
        { encryption: 'AWS managed key (SageMaker default)', why: 'no KmsKeyId on the endpoint configuration' }));
    }
    const capture = res.props.DataCaptureConfig;
    if (capture && capture.EnableCapture !== false) {
      out.push(viaBucket(ctx, res, 'SageMaker endpoint config', 'data capture (S3)', capture.KmsKeyId, capture.DestinationS3Uri));
    }
    const asyncOut = res.props.AsyncInferenceConfig?.OutputConfig;
    if (asyncOut) out.push(viaBucket(ctx, res, 'SageMaker endpoint config', 'async inference outputs (S3)', asyncOut.KmsKeyId, asyncOut.S3OutputPath));
    return out;
  },

  'AWS::SageMaker::Cluster': (ctx, res) => {
    const groups: Json[] = [
      ...(Array.isArray(res.props.InstanceGroups) ? res.props.InstanceGroups : []),
      ...(Array.isArray(res.props.RestrictedInstanceGroups) ? res.props.RestrictedInstanceGroups : []),
    ];
    const out: StoreEntry[] = [];
    for (const g of groups) {
      const name = literal(ctx.model, res.stack, g?.InstanceGroupName) ?? '?';
      const configs: Json[] = (Array.isArray(g?.InstanceStorageConfigs) ? g.InstanceStorageConfigs : []).filter((c: Json) => c?.EbsVolumeConfig);
      const instanceType = literal(ctx.model, res.stack, g?.InstanceType) ?? '';
      if (configs.length === 0) {
        out.push({
          res,
          store: 'HyperPod cluster',
          facet: `instance group ${name}: EBS volumes`,
          encryption: 'HyperPod default EBS encryption (AWS managed)',
          why: acknowledgedWhy(ctx, res) ?? 'no InstanceStorageConfigs with a VolumeKmsKeyId',
        });
      }
      for (const c of configs) {
        const ebs = c.EbsVolumeConfig;
        const facet = `instance group ${name}: ${ebs.RootVolume === true ? 'root volume' : `EBS volume${ebs.VolumeSizeInGB ? ` ${ebs.VolumeSizeInGB} GB` : ''}`}`;
        out.push(entry(ctx, res, 'HyperPod cluster', facet, ebs.VolumeKmsKeyId, {
          encryption: 'HyperPod default EBS encryption (AWS managed)',
          why: hasLocalInstanceStorage(instanceType) ? `no VolumeKmsKeyId (${instanceType} also has local NVMe storage, hardware-encrypted)` : 'no VolumeKmsKeyId',
        }));
      }
    }
    return out;
  },

  'AWS::FSx::FileSystem': (ctx, res) => {
    const fsType = literal(ctx.model, res.stack, res.props.FileSystemType) ?? '';
    const deployment = literal(ctx.model, res.stack, res.props.LustreConfiguration?.DeploymentType) ?? '';
    if (res.props.KmsKeyId === undefined && fsType === 'LUSTRE' && deployment.startsWith('SCRATCH')) {
      return [{
        res,
        store: `FSx for Lustre (${deployment})`,
        facet: 'files',
        encryption: 'FSx-managed keys (scratch)',
        why: 'scratch file systems do not accept a KmsKeyId; FSx encrypts them with keys it manages',
      }];
    }
    return [entry(ctx, res, `FSx ${fsType === 'LUSTRE' ? 'for Lustre' : fsType}${deployment ? ` (${deployment})` : ''}`, 'files', res.props.KmsKeyId,
      { encryption: 'AWS managed key aws/fsx', why: 'no KmsKeyId' })];
  },

  'AWS::Logs::LogGroup': (ctx, res) => [entry(ctx, res, 'CloudWatch log group', 'log events', res.props.KmsKeyId,
    { encryption: 'CloudWatch Logs service-owned key', why: 'no KmsKeyId' })],

  'AWS::SNS::Topic': (ctx, res) => [entry(ctx, res, 'SNS topic', 'messages', res.props.KmsMasterKeyId,
    { encryption: 'not encrypted at rest (SNS server-side encryption off)', why: 'no KmsMasterKeyId', unencrypted: true })],

  'AWS::SQS::Queue': (ctx, res) => [entry(ctx, res, 'SQS queue', 'messages', res.props.KmsMasterKeyId,
    res.props.SqsManagedSseEnabled === false
      ? { encryption: 'not encrypted at rest', why: 'SqsManagedSseEnabled is false and no KmsMasterKeyId', unencrypted: true }
      : { encryption: 'SSE-SQS (SQS-owned keys)', why: 'no KmsMasterKeyId' })],

  'AWS::SageMaker::FeatureGroup': (ctx, res) => {
    const out: StoreEntry[] = [];
    const online = res.props.OnlineStoreConfig;
    if (online && online.EnableOnlineStore !== false) {
      out.push(entry(ctx, res, 'Feature group', 'online store', online.SecurityConfig?.KmsKeyId,
        { encryption: 'AWS owned key (Feature Store default)', why: 'no OnlineStoreConfig.SecurityConfig.KmsKeyId' }));
    }
    const offline = res.props.OfflineStoreConfig?.S3StorageConfig;
    if (offline) out.push(viaBucket(ctx, res, 'Feature group', 'offline store (S3)', offline.KmsKeyId, offline.S3Uri));
    return out;
  },

  'AWS::Athena::WorkGroup': (ctx, res) => {
    const result = res.props.WorkGroupConfiguration?.ResultConfiguration;
    const option = literal(ctx.model, res.stack, result?.EncryptionConfiguration?.EncryptionOption);
    if (option === 'SSE_KMS' || option === 'CSE_KMS') {
      return [entry(ctx, res, 'Athena workgroup', 'query results', result.EncryptionConfiguration.KmsKey,
        { encryption: option, why: 'no KmsKey' }, `${option} with a customer-managed key`)];
    }
    if (option === 'SSE_S3') return [{ res, store: 'Athena workgroup', facet: 'query results', encryption: 'SSE-S3', why: acknowledgedWhy(ctx, res) ?? 'EncryptionOption SSE_S3' }];
    return [viaBucket(ctx, res, 'Athena workgroup', 'query results', undefined, result?.OutputLocation)];
  },

  'AWS::DynamoDB::Table': (ctx, res) => {
    const sse = res.props.SSESpecification;
    if (sse?.SSEEnabled === true && sse.KMSMasterKeyId !== undefined) {
      return [entry(ctx, res, 'DynamoDB table', 'items', sse.KMSMasterKeyId, { encryption: '', why: '' })];
    }
    return [{
      res,
      store: 'DynamoDB table',
      facet: 'items',
      encryption: sse?.SSEEnabled === true ? 'AWS managed key aws/dynamodb' : 'DynamoDB-owned key (default)',
      why: acknowledgedWhy(ctx, res) ?? 'no SSESpecification.KMSMasterKeyId',
    }];
  },

  'AWS::SecretsManager::Secret': (ctx, res) => [entry(ctx, res, 'Secret', 'secret value', res.props.KmsKeyId,
    { encryption: 'AWS managed key aws/secretsmanager', why: 'no KmsKeyId' })],

  'AWS::ECR::Repository': (ctx, res) => {
    const enc = res.props.EncryptionConfiguration;
    if (enc?.EncryptionType === 'KMS' || enc?.EncryptionType === 'KMS_DSSE') {
      return [entry(ctx, res, 'ECR repository', 'images', enc.KmsKey, { encryption: 'AWS managed key aws/ecr', why: 'no KmsKey' })];
    }
    return [{ res, store: 'ECR repository', facet: 'images', encryption: 'AES-256 (ECR-managed keys)', why: acknowledgedWhy(ctx, res) ?? 'EncryptionType is not KMS' }];
  },

  'AWS::Kinesis::Stream': (ctx, res) => [entry(ctx, res, 'Kinesis stream', 'records', res.props.StreamEncryption?.KeyId,
    { encryption: 'not encrypted at rest', why: 'no StreamEncryption', unencrypted: true })],

  'AWS::EKS::Cluster': (ctx, res) => {
    const config: Json[] = Array.isArray(res.props.EncryptionConfig) ? res.props.EncryptionConfig : [];
    return [entry(ctx, res, 'EKS cluster', 'Kubernetes secrets', config[0]?.Provider?.KeyArn,
      { encryption: 'EKS default envelope encryption (AWS owned key)', why: 'no EncryptionConfig with a customer-managed key' })];
  },

  'AWS::SageMaker::NotebookInstance': (ctx, res) => [entry(ctx, res, 'Notebook instance', 'ML storage volume', res.props.KmsKeyId,
    { encryption: 'AWS managed key (SageMaker default)', why: 'no KmsKeyId' })],

  'AWS::RDS::DBCluster': (ctx, res) => rdsEntry(ctx, res, 'RDS cluster'),
  'AWS::RDS::DBInstance': (ctx, res) => rdsEntry(ctx, res, 'RDS instance'),

  'AWS::Backup::BackupVault': (ctx, res) => [entry(ctx, res, 'Backup vault', 'recovery points', res.props.EncryptionKeyArn,
    { encryption: 'AWS managed key aws/backup', why: 'no EncryptionKeyArn' })],

  'AWS::SageMaker::DataQualityJobDefinition': (ctx, res) => monitoringEntries(ctx, res, res.props.JobResources, res.props.DataQualityJobOutputConfig),
  'AWS::SageMaker::ModelQualityJobDefinition': (ctx, res) => monitoringEntries(ctx, res, res.props.JobResources, res.props.ModelQualityJobOutputConfig),
  'AWS::SageMaker::ModelBiasJobDefinition': (ctx, res) => monitoringEntries(ctx, res, res.props.JobResources, res.props.ModelBiasJobOutputConfig),
  'AWS::SageMaker::ModelExplainabilityJobDefinition': (ctx, res) =>
    monitoringEntries(ctx, res, res.props.JobResources, res.props.ModelExplainabilityJobOutputConfig),
  'AWS::SageMaker::MonitoringSchedule': (ctx, res) => {
    const def = res.props.MonitoringScheduleConfig?.MonitoringJobDefinition;
    return def ? monitoringEntries(ctx, res, def.MonitoringResources, def.MonitoringOutputConfig) : [];
  },

  'AWS::SageMaker::Pipeline': (ctx, res) => pipelineEntries(ctx, res),
};

function rdsEntry(ctx: ReviewContext, res: Res, store: string): StoreEntry[] {
  if (res.props.StorageEncrypted === true || res.props.StorageEncrypted === 'true') {
    return [entry(ctx, res, store, 'storage', res.props.KmsKeyId, { encryption: 'AWS managed key aws/rds', why: 'no KmsKeyId' })];
  }
  return [{ res, store, facet: 'storage', encryption: 'not encrypted at rest', unencrypted: true, why: acknowledgedWhy(ctx, res) ?? 'StorageEncrypted is not true' }];
}

function monitoringEntries(ctx: ReviewContext, res: Res, resources: Json, output: Json): StoreEntry[] {
  const out: StoreEntry[] = [];
  out.push(entry(ctx, res, 'Model monitoring job', 'job volumes', resources?.ClusterConfig?.VolumeKmsKeyId,
    { encryption: 'AWS managed key (SageMaker default)', why: 'no VolumeKmsKeyId' }));
  const s3Output = output?.MonitoringOutputs?.[0]?.S3Output;
  out.push(viaBucket(ctx, res, 'Model monitoring job', 'job outputs (S3)', output?.KmsKeyId, s3Output?.S3Uri));
  return out;
}

/** Step types that run jobs with volumes and S3 outputs. */
const JOB_STEP_TYPES = new Set(['Training', 'Processing', 'Transform', 'Tuning', 'AutoML', 'QualityCheck', 'ClarifyCheck']);

function pipelineEntries(ctx: ReviewContext, res: Res): StoreEntry[] {
  const body = res.props.PipelineDefinition?.PipelineDefinitionBody;
  if (body === undefined) {
    if (res.props.PipelineDefinition?.PipelineDefinitionS3Location) {
      return [{
        res,
        store: 'SageMaker pipeline',
        facet: 'job outputs and volumes',
        encryption: 'unknown',
        why: 'the definition is stored in S3 and cannot be read at synth',
      }];
    }
    return [];
  }
  const definition = embeddedJson(ctx.model, res.stack, body);
  if (!definition) {
    return [{ res, store: 'SageMaker pipeline', facet: 'job outputs and volumes', encryption: 'unknown', why: 'the definition could not be parsed' }];
  }
  const out: StoreEntry[] = [];
  for (const step of flattenSteps(definition.Steps)) {
    if (!JOB_STEP_TYPES.has(step?.Type)) continue;
    const keys = kmsFields(step.Arguments ?? {}, '');
    if (keys.length === 0) {
      out.push({
        res,
        store: 'SageMaker pipeline',
        facet: `step ${step.Name} (${step.Type})`,
        encryption: 'AWS managed keys (SageMaker default)',
        why: acknowledgedWhy(ctx, res) ?? 'no KMS key in the step\'s arguments',
      });
      continue;
    }
    for (const { field, value } of keys) {
      const raw = unwrapRef(value);
      const parameter = raw && typeof raw === 'object' && typeof raw.Get === 'string' ? raw.Get : undefined;
      const facet = `step ${step.Name} (${step.Type}): ${field}`;
      if (parameter) {
        const name = parameter.replace(/^Parameters\./, '');
        const param = (definition.Parameters ?? []).find((p: Json) => p?.Name === name);
        const defaultKey = param?.DefaultValue !== undefined ? ctx.keyRef(res.stack, unwrapRef(param.DefaultValue)) : undefined;
        out.push({
          res,
          store: 'SageMaker pipeline',
          facet,
          key: defaultKey ?? { kind: 'parameter', label: `pipeline parameter ${name}` },
          encryption: `pipeline parameter ${name}${defaultKey ? ' (default shown)' : ''}`,
        });
        continue;
      }
      out.push(entry(ctx, res, 'SageMaker pipeline', facet, raw, { encryption: 'AWS managed keys (SageMaker default)', why: `empty ${field}` }));
    }
  }
  return out;
}

/** Steps, including those inside condition steps' branches. */
export function flattenSteps(steps: Json): Json[] {
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((s) => [s, ...flattenSteps(s?.Arguments?.IfSteps), ...flattenSteps(s?.Arguments?.ElseSteps)]);
}

function kmsFields(value: Json, at: string): Array<{ field: string; value: Json }> {
  if (!value || typeof value !== 'object' || '@ref' in value || 'Get' in value || 'Std:Join' in value) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => kmsFields(v, `${at}[${i}]`));
  const out: Array<{ field: string; value: Json }> = [];
  for (const [k, v] of Object.entries(value)) {
    const field = at ? `${at}.${k}` : k;
    if (/^(Volume)?KmsKey(Id|Arn)?$|^KmsKeyId$|^KMSKey/i.test(k) && v !== undefined && v !== '') out.push({ field, value: v });
    else out.push(...kmsFields(v, field));
  }
  return out;
}

/** The encryption map section. */
export function encryptionSection(ctx: ReviewContext, stores: StoreEntry[]): string {
  const out: string[] = ['## 2. Encryption map', ''];
  const resources = new Set(stores.map((s) => s.res));
  const withoutKey = stores.filter((s) => !hasCustomerKey(s));
  const unencrypted = stores.filter((s) => s.unencrypted);
  out.push(`${plural(resources.size, 'data store')} (${plural(stores.length, 'encrypted part')}): `
    + `${stores.length - withoutKey.length} under a customer-managed key, ${withoutKey.length} without one`
    + `${unencrypted.length > 0 ? `, ❌ ${unencrypted.length} NOT encrypted at rest` : ''}.`, '');

  const rows = stores.map((s) => [
    code(s.res.stack.name),
    `${s.store} ${code(label(s.res))}`,
    s.facet,
    hasCustomerKey(s) ? '✅' : s.unencrypted ? '❌' : '⚠️',
    s.key && hasCustomerKey(s) ? keyCell(s.key) : s.encryption,
    hasCustomerKey(s) ? s.encryption : s.why ?? '',
  ]);
  out.push(table(['Stack', 'Data store', 'Part', 'CMK', 'Key / encryption', 'Notes'], rows), '');

  if (withoutKey.length > 0) {
    out.push('### Stores without a customer-managed key', '');
    for (const s of withoutKey) out.push(`- ${s.unencrypted ? '❌' : '⚠️'} ${s.store} ${code(label(s.res))}, ${s.facet}: ${s.encryption}. Why: ${s.why ?? 'not stated'}.`);
    out.push('');
  }

  out.push('### Keys', '');
  const keys = ctx.model.ofType('AWS::KMS::Key');
  const usage = new Map<Res, Set<string>>();
  for (const s of stores) {
    if (s.key?.res) {
      const set = usage.get(s.key.res) ?? new Set();
      set.add(`${s.store} ${label(s.res)}`);
      usage.set(s.key.res, set);
    }
  }
  const keyRows = keys.map((k) => {
    const used = [...usage.get(k) ?? []];
    return [
      code(label(k)),
      ctx.aliases(k).map(code).join(', '),
      keySpec(k),
      k.props.EnableKeyRotation === true || k.props.EnableKeyRotation === 'true' ? `yes${k.props.RotationPeriodInDays ? ` (${k.props.RotationPeriodInDays} days)` : ''}` : 'no',
      k.raw.DeletionPolicy ?? 'Delete',
      keyPolicySummary(ctx, k),
      used.length > 0 ? `${plural(used.length, 'store')}: ${truncate(used.join('; '), 400)}` : 'no data store in these templates',
    ];
  });
  out.push(table(['Key', 'Aliases', 'Spec', 'Rotation', 'On stack deletion', 'Key policy', 'Encrypts'], keyRows, '_No KMS keys in these templates._'), '');
  return out.join('\n');
}

function keyCell(key: KeyRef): string {
  switch (key.kind) {
    case 'cmk': return code(key.label);
    case 'external': return `${code(key.label)} (not in these templates)`;
    case 'parameter': return `${code(key.label)} (parameter)`;
    default: return code(key.label);
  }
}

function keySpec(k: Res): string {
  const spec = k.props.KeySpec ?? 'SYMMETRIC_DEFAULT';
  const multiRegion = k.props.MultiRegion === true ? ', multi-Region' : '';
  const disabled = k.props.Enabled === false ? ', disabled' : '';
  return `${spec}${multiRegion}${disabled}`;
}

/** Who the key policy admits: service principals, account principals, and `kms:ViaService` limits. */
function keyPolicySummary(ctx: ReviewContext, k: Res): string {
  const statements: Json[] = asArray(k.props.KeyPolicy?.Statement);
  const services = new Set<string>();
  const principals = new Set<string>();
  const via = new Set<string>();
  for (const st of statements) {
    if (st?.Effect !== 'Allow') continue;
    const p = st.Principal;
    for (const s of asArray(p?.Service)) services.add(render(ctx.model, k.stack, s).replace(/\.amazonaws\.com$/, ''));
    for (const a of asArray(p?.AWS)) principals.add(shortPrincipal(render(ctx.model, k.stack, a), k.stack));
    if (p === '*') principals.add('*');
    for (const [, conditions] of Object.entries<Json>(st.Condition ?? {})) {
      for (const [key, value] of Object.entries<Json>(conditions ?? {})) {
        if (key.toLowerCase() === 'kms:viaservice') {
          for (const v of asArray(value)) via.add(render(ctx.model, k.stack, v).replace(/\.[a-z0-9-]+\.amazonaws\.com$/, ''));
        }
      }
    }
  }
  const parts: string[] = [];
  if (principals.size > 0) parts.push(`principals: ${[...principals].join(', ')}`);
  if (services.size > 0) parts.push(`services: ${[...services].join(', ')}`);
  if (via.size > 0) parts.push(`kms:ViaService: ${[...via].join(', ')}`);
  return parts.join('; ');
}

function shortPrincipal(text: string, stack: StackModel): string {
  if (stack.account && text === `arn:aws:iam::${stack.account}:root`) return 'this account';
  return text.replace(/^arn:aws:iam::/, 'iam::');
}

export function asArray(value: Json): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
