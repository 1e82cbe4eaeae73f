import { ArnFormat, Duration, IResource, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork } from '../network';
import { acknowledge } from '../private/acknowledgments';
import {
  DESCRIPTION_MAX_LENGTH, EVENT_TIME_TYPES, FEATURE_DESCRIPTION_MAX_LENGTH, FEATURE_PARAMETER_MAX_LENGTH,
  FEATURE_PARAMETER_PATTERN, MAX_FEATURES, MAX_PROVISIONED_CAPACITY_UNITS, MAX_TAGS, NAME_MAX_LENGTH, NAME_PATTERN,
  RESERVED_FEATURE_NAMES,
} from '../private/feature-store-rules';
import { PropsValidator } from '../private/validation';
import { SecureBucket } from '../security/secure-bucket';
import { createFeatureMetadata, createSchemaGuard, FeatureMetadataEntry } from './private/custom-resources';
import { nagResourceDetail } from '../private/nag-detail';
import { registerForCreationOrder } from './private/stack-state';

// ---------------------------------------------------------------------------------------------------
// Enum-like classes
// ---------------------------------------------------------------------------------------------------

/**
 * The value type of a feature.
 *
 * Collection types (list, set, vector) are not offered: Feature Store supports them only for InMemory online
 * stores, and AWS::SageMaker::FeatureGroup cannot declare them (its FeatureDefinition has FeatureName and
 * FeatureType only).
 */
export class FeatureType {
  /** Unicode text with UTF-8 encoding; an event time feature of this type holds ISO-8601 UTC timestamps. */
  public static readonly STRING = new FeatureType('String');
  /** A 64-bit signed integer. */
  public static readonly INTEGRAL = new FeatureType('Integral');
  /** An IEEE 754 double; an event time feature of this type holds seconds since the Unix epoch. */
  public static readonly FRACTIONAL = new FeatureType('Fractional');

  /** A feature type by its Feature Store name (`String`, `Integral` or `Fractional`); checked at synth. */
  public static of(value: string): FeatureType {
    return new FeatureType(value);
  }

  /** @param value the Feature Store name of the type */
  private constructor(public readonly value: string) {}
}

/** The storage tier of an online store. */
export class OnlineStoreStorageType {
  /** A managed low-latency store; the default. Takes a customer managed KMS key. */
  public static readonly STANDARD = new OnlineStoreStorageType('Standard');
  /** A very low latency in-memory tier (Amazon ElastiCache). No customer managed key and no offline store. */
  public static readonly IN_MEMORY = new OnlineStoreStorageType('InMemory');

  /** A storage type by its Feature Store name; checked at synth. */
  public static of(value: string): OnlineStoreStorageType {
    return new OnlineStoreStorageType(value);
  }

  /** @param value the Feature Store name of the storage type */
  private constructor(public readonly value: string) {}
}

/** The table format of an offline store. */
export class OfflineStoreTableFormat {
  /** Apache Iceberg: compaction and faster queries; the default. Needs a String event time. */
  public static readonly ICEBERG = new OfflineStoreTableFormat('Iceberg');
  /** A Hive-style AWS Glue table, partitioned by hour. */
  public static readonly GLUE = new OfflineStoreTableFormat('Glue');

  /** A table format by its Feature Store name; checked at synth. */
  public static of(value: string): OfflineStoreTableFormat {
    return new OfflineStoreTableFormat(value);
  }

  /** @param value the Feature Store name of the table format */
  private constructor(public readonly value: string) {}
}

/** Capacity of a provisioned feature group. */
export interface ProvisionedThroughputProps {
  /**
   * Write capacity units per second (1 WCU: one write of up to 1 KB).
   */
  readonly writeCapacityUnits: number;

  /**
   * Read capacity units per second (1 RCU: one read of up to 4 KB). Only for feature groups with an online store.
   *
   * @default - none; required when the group has an online store
   */
  readonly readCapacityUnits?: number;
}

/** How a feature group is billed for reads and writes. */
export class ThroughputMode {
  /** Pay per request; Feature Store scales with the load. The default. */
  public static onDemand(): ThroughputMode {
    return new ThroughputMode('OnDemand');
  }

  /**
   * Reserved capacity; requests above it are throttled. Only for offline-only groups and Standard online stores.
   * A group can switch back to on-demand once in 24 hours.
   */
  public static provisioned(props: ProvisionedThroughputProps): ThroughputMode {
    return new ThroughputMode('Provisioned', props.readCapacityUnits, props.writeCapacityUnits);
  }

  /**
   * @param mode the Feature Store name of the mode
   * @param readCapacityUnits provisioned reads
   * @param writeCapacityUnits provisioned writes
   */
  private constructor(
    public readonly mode: string,
    public readonly readCapacityUnits?: number,
    public readonly writeCapacityUnits?: number,
  ) {}
}

/** A Feature Store runtime operation, the `OperationName` dimension of Feature Store metrics. */
export class RecordOperation {
  /** PutRecord. */
  public static readonly PUT = new RecordOperation('PutRecord');
  /** GetRecord. */
  public static readonly GET = new RecordOperation('GetRecord');
  /** BatchGetRecord. */
  public static readonly BATCH_GET = new RecordOperation('BatchGetRecord');
  /** DeleteRecord. */
  public static readonly DELETE = new RecordOperation('DeleteRecord');

  /** An operation by name. */
  public static of(name: string): RecordOperation {
    return new RecordOperation(name);
  }

  /** @param name the operation name */
  private constructor(public readonly name: string) {}
}

// ---------------------------------------------------------------------------------------------------
// Interfaces and props
// ---------------------------------------------------------------------------------------------------

/** A feature group of Amazon SageMaker Feature Store. */
export interface IFeatureGroup extends IResource {
  /**
   * The name of the feature group.
   *
   * @attribute
   */
  readonly featureGroupName: string;

  /**
   * The ARN of the feature group.
   *
   * @attribute
   */
  readonly featureGroupArn: string;

  /** The key that encrypts the online store, when it is a customer managed key. */
  readonly onlineStoreEncryptionKey?: kms.IKey;

  /** The bucket of the offline store, when the group has one. */
  readonly offlineStoreBucket?: s3.IBucket;

  /** The S3 prefix (without slashes at either end) under which the offline store is written. */
  readonly offlineStorePrefix?: string;

  /** Lets `grantee` write and delete records (PutRecord, DeleteRecord), with the KMS permission the online store needs. */
  grantWriteRecords(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` read records from the online store (GetRecord, BatchGetRecord), with the KMS permission it needs. */
  grantReadRecords(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` query the offline store with Amazon Athena: Glue table, S3 objects, KMS key and the query workgroup. */
  grantQueryOffline(grantee: iam.IGrantable): iam.Grant;

  /** A Feature Store metric of this feature group. */
  metric(metricName: string, props?: FeatureGroupMetricOptions): cloudwatch.Metric;
}

/** A feature of a feature group. */
export interface FeatureDefinition {
  /**
   * The feature name: letters, digits, hyphens and underscores, starting and ending with a letter or digit,
   * at most 64 characters; not `is_deleted`, `write_time` or `api_invocation_time`.
   */
  readonly name: string;

  /** The value type. */
  readonly type: FeatureType;

  /**
   * A description of the feature (at most 255 characters), set with UpdateFeatureMetadata.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Key-value parameters that describe the feature, set with UpdateFeatureMetadata.
   *
   * @default - no parameters
   */
  readonly parameters?: { [key: string]: string };
}

/** The online store of a feature group: the latest record of each identifier, for low-latency reads. */
export interface OnlineStoreOptions {
  /**
   * The storage tier.
   *
   * @default OnlineStoreStorageType.STANDARD
   */
  readonly storageType?: OnlineStoreStorageType;

  /**
   * The customer managed key that encrypts a Standard online store. It must not be the key of the offline
   * store: Feature Store rejects a key whose policy uses kms:ViaService for both stores. InMemory stores
   * cannot take a key.
   *
   * @default - Standard: a new key with rotation, retained like the group; InMemory: an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long after its event time a record is hard-deleted from the online store (whole seconds, at least 1).
   *
   * @default - records do not expire
   */
  readonly ttl?: Duration;
}

/** The offline store of a feature group: every record version, in S3, for training and batch inference. */
export interface OfflineStoreOptions {
  /**
   * The KMS-encrypted, TLS-only bucket of the offline store, for example a `SecureBucket`. Its key is the
   * offline store key and must not be the online store key.
   *
   * @default - a new `SecureBucket` with its own key, retained like the group
   */
  readonly bucket?: s3.IBucket;

  /**
   * The S3 prefix the offline store is written under (no slash at either end). Feature Store appends
   * `<account>/sagemaker/<region>/offline-store/<group>-<creation time>/`.
   *
   * @default - 'feature-store/<featureGroupName>'
   */
  readonly prefix?: string;

  /**
   * The table format.
   *
   * @default OfflineStoreTableFormat.ICEBERG
   */
  readonly tableFormat?: OfflineStoreTableFormat;

  /**
   * Do not create the AWS Glue table of the offline store (you catalog the data yourself).
   *
   * @default false - Feature Store creates the table `<group name>_<creation time>` in database `sagemaker_featurestore`
   */
  readonly disableGlueTableCreation?: boolean;

  /**
   * Create an Amazon Athena workgroup for offline queries, with enforced configuration and query results
   * encrypted with the offline store key under `athena-query-results/<featureGroupName>/` in the offline bucket.
   * `grantQueryOffline` then grants the use of this workgroup.
   *
   * @default false
   */
  readonly queryWorkgroup?: boolean;
}

/** Properties of a {@link FeatureGroup}. */
export interface FeatureGroupProps {
  /**
   * The name of the feature group, unique in the account and Region: letters, digits, hyphens and underscores,
   * starting and ending with a letter or digit, at most 64 characters. Changing it replaces the group.
   *
   * @default - a lower-case name derived from the construct path
   */
  readonly featureGroupName?: string;

  /**
   * A description of the feature group (at most 128 characters). Changing it replaces the group.
   *
   * @default - no description
   */
  readonly description?: string;

  /** The features (1 to 2,500), including the record identifier and the event time features. */
  readonly features: FeatureDefinition[];

  /** The feature whose value identifies a record. */
  readonly recordIdentifierFeatureName: string;

  /** The feature that holds the event time of a record (String or Fractional). */
  readonly eventTimeFeatureName: string;

  /**
   * The online store.
   *
   * @default - no online store (give at least one of onlineStore and offlineStore)
   */
  readonly onlineStore?: OnlineStoreOptions;

  /**
   * The offline store.
   *
   * @default - no offline store (give at least one of onlineStore and offlineStore)
   */
  readonly offlineStore?: OfflineStoreOptions;

  /**
   * How reads and writes are billed.
   *
   * @default - ThroughputMode.onDemand() (the service's only mode for InMemory stores)
   */
  readonly throughput?: ThroughputMode;

  /**
   * The platform network: the group declares the interface endpoints its clients need
   * (SageMaker API, Feature Store runtime; Athena and Glue with a query workgroup or `grantQueryOffline`).
   *
   * @default - no endpoints are declared
   */
  readonly network?: IPlatformNetwork;

  /**
   * What happens to the group (and the keys and bucket created for it) when it leaves the stack.
   * `RemovalPolicy.DESTROY` is the explicit opt-in to delete the records.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Let a deployment replace the group when its schema or stores change in a way Feature Store cannot apply
   * in place (removing or retyping a feature, changing the record identifier, event time, a store, a key,
   * the description or the tags). The new group starts EMPTY: online records are lost and the offline data
   * stays behind, detached. A replacement also needs a new `featureGroupName`.
   *
   * @default false - the schema guard fails such a deployment before the group is touched
   */
  readonly allowReplacementWithDataLoss?: boolean;

  /**
   * Tags of the feature group (at most 50). Tags cannot change after creation without replacing the group.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Attributes of an existing feature group. */
export interface FeatureGroupAttributes {
  /** The name of the feature group. */
  readonly featureGroupName: string;

  /**
   * The customer managed key of its online store.
   *
   * @default - no KMS permissions are granted for the online store
   */
  readonly onlineStoreEncryptionKey?: kms.IKey;

  /**
   * The bucket of its offline store; its `encryptionKey` is used for KMS permissions.
   *
   * @default - no offline store: grantQueryOffline fails
   */
  readonly offlineStoreBucket?: s3.IBucket;

  /**
   * The S3 prefix of its offline store.
   *
   * @default - 'feature-store/<featureGroupName>'
   */
  readonly offlineStorePrefix?: string;
}

/** Options of a Feature Store metric. */
export interface FeatureGroupMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The runtime operation (`OperationName` dimension).
   *
   * @default - the feature-group-level metric (FeatureGroupName dimension only)
   */
  readonly operation?: RecordOperation;
}

// ---------------------------------------------------------------------------------------------------
// Base class: grants and metrics
// ---------------------------------------------------------------------------------------------------

/** The Athena workgroup of a feature group's offline queries. */
interface QueryWorkgroupInfo {
  readonly arn: string;
  readonly resultsPrefix: string;
}

/** Database in which Feature Store creates the offline store's Glue tables. */
const FEATURE_STORE_DATABASE = 'sagemaker_featurestore';
/** Feature Store metrics namespace. */
const METRICS_NAMESPACE = 'AWS/SageMaker/FeatureStore';

/** Grants and metrics shared by created and imported feature groups. */
export abstract class FeatureGroupBase extends Resource implements IFeatureGroup {
  public abstract readonly featureGroupName: string;
  public abstract readonly featureGroupArn: string;
  public abstract readonly onlineStoreEncryptionKey?: kms.IKey;
  public abstract readonly offlineStoreBucket?: s3.IBucket;
  public abstract readonly offlineStorePrefix?: string;

  /**
   * The network endpoints are declared in.
   * @internal
   */
  protected _network?: IPlatformNetwork;
  /**
   * Whether the group has an online store, when known.
   * @internal
   */
  protected _hasOnlineStore?: boolean;
  /**
   * Whether Feature Store creates the Glue table.
   * @internal
   */
  protected _glueTableCreated = true;
  /**
   * The ARN and results prefix of the Athena workgroup of offline queries, when one was created.
   * @internal
   */
  protected _workgroup?: QueryWorkgroupInfo;

  public grantWriteRecords(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:PutRecord', 'sagemaker:DeleteRecord', 'sagemaker:DescribeFeatureGroup'],
      resourceArns: this._arnsForPolicy(),
    });
    return this.withOnlineKey(grant, grantee);
  }

  public grantReadRecords(grantee: iam.IGrantable): iam.Grant {
    if (this._hasOnlineStore === false) {
      throw new Error(`grantReadRecords: feature group '${this.node.path}' has no online store, so GetRecord has nothing to read; `
        + 'use grantQueryOffline to query its offline store');
    }
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'sagemaker:DescribeFeatureGroup'],
      resourceArns: this._arnsForPolicy(),
    });
    return this.withOnlineKey(grant, grantee);
  }

  public grantQueryOffline(grantee: iam.IGrantable): iam.Grant {
    const bucket = this.offlineStoreBucket;
    const prefix = this.offlineStorePrefix;
    if (!bucket || prefix === undefined) {
      throw new Error(`grantQueryOffline: feature group '${this.node.path}' has no offline store`);
    }
    const stack = Stack.of(this);
    let grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [bucket.arnForObjects(`${prefix}/*`)],
    });
    grant = grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } },
    }));
    grant = grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetBucketLocation'], resourceArns: [bucket.bucketArn] }));
    if (this._glueTableCreated) {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
        resourceArns: glueResourceArns(stack, this.featureGroupName),
      }));
    }
    const actions = ['kms:Decrypt'];
    if (this._workgroup) {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
          'athena:GetQueryResultsStream', 'athena:GetWorkGroup'],
        resourceArns: [this._workgroup.arn],
      }));
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resourceArns: [bucket.arnForObjects(`${this._workgroup.resultsPrefix}/*`)],
      }));
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:ListBucket'],
        resourceArns: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [this._workgroup.resultsPrefix, `${this._workgroup.resultsPrefix}/*`] } },
      }));
      actions.push('kms:GenerateDataKey');
    }
    if (bucket.encryptionKey) {
      grant = grant.combine(iam.Grant.addToPrincipal({
        grantee,
        actions,
        resourceArns: [bucket.encryptionKey.keyArn],
        // the offline data is read (and results written) through S3 only
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }));
    }
    this._network?.addInterfaceEndpoints(InterfaceEndpointService.ATHENA, InterfaceEndpointService.GLUE);
    return grant;
  }

  public metric(metricName: string, props: FeatureGroupMetricOptions = {}): cloudwatch.Metric {
    const { operation, ...options } = props;
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: operation
        ? { FeatureGroupName: this.featureGroupName, OperationName: operation.name }
        : { FeatureGroupName: this.featureGroupName },
      ...options,
    });
  }

  /** Read request units consumed (sum over the period). */
  public metricConsumedReadRequestsUnits(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ConsumedReadRequestsUnits', { statistic: 'Sum', ...props });
  }

  /** Write request units consumed (sum over the period). */
  public metricConsumedWriteRequestsUnits(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ConsumedWriteRequestsUnits', { statistic: 'Sum', ...props });
  }

  /** Provisioned read capacity units consumed (sum over the period). */
  public metricConsumedReadCapacityUnits(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ConsumedReadCapacityUnits', { statistic: 'Sum', ...props });
  }

  /** Provisioned write capacity units consumed (sum over the period). */
  public metricConsumedWriteCapacityUnits(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ConsumedWriteCapacityUnits', { statistic: 'Sum', ...props });
  }

  /** Runtime requests (sum over the period). */
  public metricInvocations(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: 'Sum', ...props });
  }

  /** Runtime requests that failed with a 4xx error (sum over the period). */
  public metricOperation4XXErrors(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Operation4XXErrors', { statistic: 'Sum', ...props });
  }

  /** Runtime requests that failed with a 5xx error (sum over the period). */
  public metricOperation5XXErrors(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Operation5XXErrors', { statistic: 'Sum', ...props });
  }

  /** Throttled runtime requests (sum over the period). */
  public metricThrottledRequests(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('ThrottledRequests', { statistic: 'Sum', ...props });
  }

  /** Latency of runtime requests (average over the period). */
  public metricLatency(props?: FeatureGroupMetricOptions): cloudwatch.Metric {
    return this.metric('Latency', { statistic: 'Average', ...props });
  }

  /**
   * The ARN in the form SageMaker writes it (lower-case name) and as given, so policies match either way.
   * @internal
   */
  protected _arnsForPolicy(): string[] {
    return featureGroupArns(Stack.of(this), this.featureGroupName);
  }

  private withOnlineKey(grant: iam.Grant, grantee: iam.IGrantable): iam.Grant {
    this._network?.addInterfaceEndpoints(InterfaceEndpointService.SAGEMAKER_FEATURESTORE_RUNTIME, InterfaceEndpointService.SAGEMAKER_API);
    if (!this.onlineStoreEncryptionKey) return grant;
    // data-plane callers need kms:Decrypt on the online key, and only through SageMaker: the value is the
    // one the Feature Store developer guide prescribes for the online store key
    return grant.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.onlineStoreEncryptionKey.keyArn],
      conditions: { StringLike: { 'kms:ViaService': 'sagemaker.*.amazonaws.com' } },
    }));
  }
}

// ---------------------------------------------------------------------------------------------------
// FeatureGroup
// ---------------------------------------------------------------------------------------------------

/**
 * A SageMaker Feature Store feature group with typed features, an encrypted online store, an offline
 * store in a KMS-encrypted TLS-only bucket, least-privilege roles and grants, and schema evolution that
 * cannot silently lose data.
 *
 * - Adding features updates the group in place. Changes Feature Store cannot apply in place (removing or
 *   retyping a feature, changing the record identifier, event time, a store, a key, the description or
 *   tags) are refused by a schema guard before CloudFormation touches the group, unless
 *   `allowReplacementWithDataLoss` is set.
 * - The groups of a stack are created at most four at a time (the Feature Store limit).
 * - Retained when removed from the stack, unless `removalPolicy: RemovalPolicy.DESTROY`.
 *
 * @example
 * const group = new FeatureGroup(this, 'Customers', {
 *   features: [
 *     { name: 'customer_id', type: FeatureType.STRING },
 *     { name: 'event_time', type: FeatureType.STRING },
 *     { name: 'lifetime_value', type: FeatureType.FRACTIONAL, description: 'USD, 2 decimals' },
 *   ],
 *   recordIdentifierFeatureName: 'customer_id',
 *   eventTimeFeatureName: 'event_time',
 *   onlineStore: {},
 *   offlineStore: {},
 * });
 * group.grantReadRecords(inferenceRole);
 */
export class FeatureGroup extends FeatureGroupBase {
  /** An existing feature group, by name; grants then cover no KMS key and no offline store. */
  public static fromFeatureGroupName(scope: Construct, id: string, featureGroupName: string): IFeatureGroup {
    return FeatureGroup.fromFeatureGroupAttributes(scope, id, { featureGroupName });
  }

  /** An existing feature group, by ARN. */
  public static fromFeatureGroupArn(scope: Construct, id: string, featureGroupArn: string): IFeatureGroup {
    const name = Stack.of(scope).splitArn(featureGroupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
    if (!name) throw new Error(`fromFeatureGroupArn: '${featureGroupArn}' has no feature group name`);
    return FeatureGroup.fromFeatureGroupAttributes(scope, id, { featureGroupName: name });
  }

  /** An existing feature group, with the keys and bucket its grants need. */
  public static fromFeatureGroupAttributes(scope: Construct, id: string, attrs: FeatureGroupAttributes): IFeatureGroup {
    class Import extends FeatureGroupBase {
      public readonly featureGroupName = attrs.featureGroupName;
      public readonly featureGroupArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: attrs.featureGroupName });
      public readonly onlineStoreEncryptionKey = attrs.onlineStoreEncryptionKey;
      public readonly offlineStoreBucket = attrs.offlineStoreBucket;
      public readonly offlineStorePrefix = attrs.offlineStoreBucket ? (attrs.offlineStorePrefix ?? `feature-store/${attrs.featureGroupName}`) : undefined;
    }
    return new Import(scope, id);
  }

  public readonly featureGroupName: string;
  public readonly featureGroupArn: string;
  public readonly onlineStoreEncryptionKey?: kms.IKey;
  public readonly offlineStoreBucket?: s3.IBucket;
  public readonly offlineStorePrefix?: string;

  /** The role Feature Store uses to write the offline store, when the group has one. */
  public readonly offlineStoreRole?: iam.IRole;

  /** The name of the Athena workgroup for offline queries, when one was created. */
  public readonly queryWorkgroupName?: string;

  constructor(scope: Construct, id: string, props: FeatureGroupProps) {
    super(scope, id, { physicalName: props.featureGroupName });
    const name = props.featureGroupName ?? defaultName(this);
    const resolved = validateFeatureGroupProps(scope, id, name, props);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.featureGroupName = name;
    this.featureGroupArn = stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: name });
    this._network = props.network;
    this._hasOnlineStore = props.onlineStore !== undefined;

    // ----- online store -----
    let onlineStoreConfig: { [key: string]: unknown } | undefined;
    if (props.onlineStore) {
      const inMemory = resolved.storageType === OnlineStoreStorageType.IN_MEMORY.value;
      if (!inMemory) {
        this.onlineStoreEncryptionKey = props.onlineStore.encryptionKey ?? new kms.Key(this, 'OnlineStoreKey', {
          description: `Encrypts the online store of feature group ${name} (only through SageMaker)`,
          enableKeyRotation: true,
          removalPolicy,
          policy: onlineStoreKeyPolicy(stack),
        });
      }
      onlineStoreConfig = {
        EnableOnlineStore: true,
        StorageType: resolved.storageType,
        SecurityConfig: this.onlineStoreEncryptionKey ? { KmsKeyId: this.onlineStoreEncryptionKey.keyArn } : undefined,
        TtlDuration: resolved.ttl,
      };
    }

    // ----- offline store -----
    let offlineStoreConfig: { [key: string]: unknown } | undefined;
    let offlinePolicy: iam.ManagedPolicy | undefined;
    if (props.offlineStore) {
      const options = props.offlineStore;
      const bucket = options.bucket ?? new SecureBucket(this, 'OfflineStoreBucket', { removalPolicy });
      const key = bucket.encryptionKey!; // validated: the bucket is KMS-encrypted
      const prefix = options.prefix ?? `feature-store/${name}`;
      this.offlineStoreBucket = bucket;
      this.offlineStorePrefix = prefix;
      this._glueTableCreated = !options.disableGlueTableCreation;

      const role = new iam.Role(this, 'OfflineStoreRole', {
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
        description: `Feature Store writes the offline store of feature group ${name} with this role`,
      });
      offlinePolicy = new iam.ManagedPolicy(this, 'OfflineStorePolicy', {
        description: `Offline store of feature group ${name}: its S3 prefix, its KMS key and its Glue table only`,
        roles: [role],
        statements: offlineStoreStatements(stack, name, bucket, key, prefix, this._glueTableCreated),
      });
      acknowledge(offlinePolicy, 'FEATURE_STORE_OFFLINE_OBJECTS', [nagResourceDetail(this, bucket.arnForObjects(`${prefix}/*`))]);
      if (this._glueTableCreated) {
        acknowledge(offlinePolicy, 'FEATURE_STORE_GLUE_TABLE', [nagResourceDetail(this, glueTableArn(stack, name))]);
      }
      this.offlineStoreRole = role;

      offlineStoreConfig = {
        S3StorageConfig: { S3Uri: `s3://${bucket.bucketName}/${prefix}`, KmsKeyId: key.keyArn },
        TableFormat: resolved.tableFormat,
        DisableGlueTableCreation: options.disableGlueTableCreation ? true : undefined,
      };

      if (options.queryWorkgroup) {
        const resultsPrefix = `athena-query-results/${name}`;
        const workgroupName = `${name}-offline-queries`;
        const workgroup = new athena.CfnWorkGroup(this, 'QueryWorkgroup', {
          name: workgroupName,
          description: `Offline store queries of feature group ${name}; results encrypted with the offline store key`,
          state: 'ENABLED',
          // query history and named queries are not data; the results stay in S3
          recursiveDeleteOption: true,
          workGroupConfiguration: {
            enforceWorkGroupConfiguration: true,
            publishCloudWatchMetricsEnabled: true,
            resultConfiguration: {
              outputLocation: `s3://${bucket.bucketName}/${resultsPrefix}/`,
              expectedBucketOwner: stack.account,
              encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
            },
          },
        });
        this.queryWorkgroupName = workgroup.ref;
        this._workgroup = {
          arn: stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroupName }),
          resultsPrefix,
        };
        props.network?.addInterfaceEndpoints(InterfaceEndpointService.ATHENA, InterfaceEndpointService.GLUE);
      }
    }

    // ----- the group -----
    const throughput = props.throughput ?? (resolved.storageType === OnlineStoreStorageType.IN_MEMORY.value ? undefined : ThroughputMode.onDemand());
    const group = new sagemaker.CfnFeatureGroup(this, 'Resource', {
      featureGroupName: name,
      description: props.description,
      recordIdentifierFeatureName: props.recordIdentifierFeatureName,
      eventTimeFeatureName: props.eventTimeFeatureName,
      featureDefinitions: props.features.map((f) => ({ featureName: f.name, featureType: f.type.value })),
      onlineStoreConfig,
      offlineStoreConfig,
      roleArn: this.offlineStoreRole?.roleArn,
      throughputConfig: throughput ? {
        throughputMode: throughput.mode,
        provisionedReadCapacityUnits: throughput.readCapacityUnits,
        provisionedWriteCapacityUnits: throughput.writeCapacityUnits,
      } : undefined,
    });
    group.applyRemovalPolicy(removalPolicy);
    for (const [key, value] of Object.entries(props.tags ?? {})) group.tags.setTag(key, value);
    // the role's permissions exist before Feature Store starts writing the offline store
    if (offlinePolicy) group.node.addDependency(offlinePolicy);
    registerForCreationOrder(group);

    // ----- schema guard -----
    // The group depends on the guard, so in every stack update CloudFormation updates the guard FIRST. When
    // the change cannot be applied in place, the guard fails and CloudFormation rolls back before it creates
    // a replacement group or touches this one. (Were the guard to depend on the group, CloudFormation would
    // replace the group first and run the guard too late.)
    const arns = this._arnsForPolicy();
    const guard = createSchemaGuard(this, 'SchemaGuard', group, arns, props.allowReplacementWithDataLoss ?? false);
    group.node.addDependency(guard);

    // ----- feature descriptions and parameters, which CloudFormation has no property for -----
    // every group has the resource (even with no metadata), so removing the last description is an update
    const metadata: FeatureMetadataEntry[] = props.features
      .filter((f) => f.description !== undefined || (f.parameters && Object.keys(f.parameters).length > 0))
      .map((f) => ({ name: f.name, description: f.description, parameters: f.parameters }));
    createFeatureMetadata(this, 'FeatureMetadata', group, arns, metadata);

    props.network?.addInterfaceEndpoints(InterfaceEndpointService.SAGEMAKER_FEATURESTORE_RUNTIME, InterfaceEndpointService.SAGEMAKER_API);
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** A lower-case name from the construct path; lower case matches the ARNs SageMaker writes. */
function defaultName(group: Construct): string {
  const raw = Names.uniqueResourceName(group, { maxLength: NAME_MAX_LENGTH, separator: '-' });
  return raw.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/**
 * The policy of an online store key created here: the account administers the key through IAM, but its
 * principals can use it for cryptography (and grants) only through SageMaker, as the Feature Store developer
 * guide's example key policy does with kms:ViaService. Not even an administrator can decrypt with it directly.
 */
function onlineStoreKeyPolicy(stack: Stack): iam.PolicyDocument {
  const account = new iam.AccountRootPrincipal();
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'AdministerTheKeyThroughIam',
        principals: [account],
        actions: [
          'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:DescribeKey', 'kms:Get*', 'kms:List*',
          'kms:EnableKey', 'kms:DisableKey', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation', 'kms:RotateKeyOnDemand',
          'kms:PutKeyPolicy', 'kms:UpdateKeyDescription', 'kms:TagResource', 'kms:UntagResource', 'kms:RevokeGrant',
          'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'UseTheKeyOnlyThroughSageMakerFeatureStore',
        principals: [account],
        actions: [
          'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey',
          'kms:CreateGrant', 'kms:RetireGrant', 'kms:ListGrants',
        ],
        resources: ['*'],
        conditions: {
          StringLike: { 'kms:ViaService': 'sagemaker.*.amazonaws.com' },
          StringEquals: { 'kms:CallerAccount': stack.account },
        },
      }),
    ],
  });
}

function featureGroupArns(stack: Stack, name: string): string[] {
  const arn = (n: string) => stack.formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: n });
  if (Token.isUnresolved(name) || name === name.toLowerCase()) return [arn(name)];
  return [arn(name.toLowerCase()), arn(name)];
}

/** The Glue table Feature Store creates: `<name, lower case, hyphens as underscores>_<creation time>`. */
function glueTableArn(stack: Stack, name: string): string {
  const table = Token.isUnresolved(name) ? '*' : `${name.toLowerCase().replace(/-/g, '_')}_*`;
  return stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${FEATURE_STORE_DATABASE}/${table}` });
}

function glueResourceArns(stack: Stack, name: string): string[] {
  return [
    stack.formatArn({ service: 'glue', resource: 'catalog', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
    stack.formatArn({ service: 'glue', resource: 'database', resourceName: FEATURE_STORE_DATABASE }),
    glueTableArn(stack, name),
  ];
}

/**
 * The offline store role's permissions: the scoped equivalent of AmazonSageMakerFeatureStoreAccess (which
 * covers only buckets named like "sagemaker") for this group's prefix, key and Glue table.
 */
function offlineStoreStatements(stack: Stack, name: string, bucket: s3.IBucket, key: kms.IKey, prefix: string,
  glue: boolean): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'WriteOfflineStoreObjects',
      actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObject'],
      resources: [bucket.arnForObjects(`${prefix}/*`)],
    }),
    new iam.PolicyStatement({ sid: 'ReadBucketAcl', actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn] }),
    new iam.PolicyStatement({
      sid: 'UseOfflineStoreKeyThroughS3',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }),
  ];
  if (glue) {
    statements.push(new iam.PolicyStatement({
      sid: 'MaintainOfflineStoreGlueTable',
      actions: ['glue:GetTable', 'glue:UpdateTable'],
      resources: glueResourceArns(stack, name),
    }));
  }
  return statements;
}

/** Values derived while validating. */
interface ResolvedProps {
  readonly storageType?: string;
  readonly tableFormat?: string;
  readonly ttl?: { Unit: string; Value: number };
}

const TTL_UNITS: Array<[string, number]> = [['Weeks', 604800], ['Days', 86400], ['Hours', 3600], ['Minutes', 60], ['Seconds', 1]];

function validateFeatureGroupProps(scope: Construct, id: string, name: string, props: FeatureGroupProps): ResolvedProps {
  const v = PropsValidator.forNew('FeatureGroup', scope, id);
  const online = props.onlineStore;
  const offline = props.offlineStore;
  const storageType = online ? (online.storageType ?? OnlineStoreStorageType.STANDARD).value : undefined;
  const tableFormat = offline ? (offline.tableFormat ?? OfflineStoreTableFormat.ICEBERG).value : undefined;
  const namePattern = 'letters, digits, hyphens and underscores, starting and ending with a letter or digit';

  v.pattern('featureGroupName', name, NAME_PATTERN, namePattern, NAME_MAX_LENGTH);
  if (props.description !== undefined && !Token.isUnresolved(props.description)) {
    v.check(props.description.length <= DESCRIPTION_MAX_LENGTH,
      `description must be at most ${DESCRIPTION_MAX_LENGTH} characters, got ${props.description.length}`);
  }

  // ----- features -----
  const features = props.features ?? [];
  v.check(features.length >= 1 && features.length <= MAX_FEATURES,
    `features must have between 1 and ${MAX_FEATURES} entries, got ${features.length}`);
  const seen = new Map<string, string>();
  const validTypes = [FeatureType.STRING, FeatureType.INTEGRAL, FeatureType.FRACTIONAL].map((t) => t.value);
  features.forEach((f, i) => {
    const label = `features[${i}]`;
    if (Token.isUnresolved(f.name)) return;
    v.pattern(`${label}.name`, f.name, NAME_PATTERN, namePattern, NAME_MAX_LENGTH);
    v.check(!(RESERVED_FEATURE_NAMES as readonly string[]).includes(f.name.toLowerCase()),
      `${label}.name '${f.name}' is reserved: Feature Store adds ${RESERVED_FEATURE_NAMES.join(', ')} to every offline record`);
    v.oneOf(`${label}.type ('${f.name}')`, f.type?.value, validTypes);
    const caseKey = offline ? f.name.toLowerCase() : f.name;
    const previous = seen.get(caseKey);
    if (previous !== undefined) {
      v.error(previous === f.name
        ? `${label}.name '${f.name}' is declared more than once`
        : `${label}.name '${f.name}' differs from '${previous}' only in case; the offline store's Glue table has lower-case column names`);
    } else {
      seen.set(caseKey, f.name);
    }
    if (f.description !== undefined && !Token.isUnresolved(f.description)) {
      v.check(f.description.length <= FEATURE_DESCRIPTION_MAX_LENGTH,
        `${label}.description ('${f.name}') must be at most ${FEATURE_DESCRIPTION_MAX_LENGTH} characters, got ${f.description.length}`);
    }
    for (const [key, value] of Object.entries(f.parameters ?? {})) {
      for (const [what, text] of [['key', key], ['value', value]] as const) {
        if (Token.isUnresolved(text)) continue;
        v.check(text.length >= 1 && text.length <= FEATURE_PARAMETER_MAX_LENGTH && FEATURE_PARAMETER_PATTERN.test(text),
          `${label}.parameters ('${f.name}') ${what} '${text}' must be 1-${FEATURE_PARAMETER_MAX_LENGTH} letters, digits, spaces or _.:/=+-@`);
      }
    }
  });

  const byName = new Map(features.filter((f) => !Token.isUnresolved(f.name)).map((f) => [f.name, f]));
  const recordId = props.recordIdentifierFeatureName;
  if (!Token.isUnresolved(recordId)) {
    v.check(byName.has(recordId), `recordIdentifierFeatureName '${recordId}' is not one of the features (${[...byName.keys()].join(', ')})`);
  }
  const eventTime = props.eventTimeFeatureName;
  if (!Token.isUnresolved(eventTime)) {
    const feature = byName.get(eventTime);
    if (!feature) {
      v.error(`eventTimeFeatureName '${eventTime}' is not one of the features (${[...byName.keys()].join(', ')})`);
    } else {
      const type = feature.type?.value;
      v.check((EVENT_TIME_TYPES as readonly string[]).includes(type),
        `eventTimeFeatureName '${eventTime}' has type ${type}; an event time feature must be String (ISO-8601) or Fractional (Unix epoch seconds)`);
      if (tableFormat === OfflineStoreTableFormat.ICEBERG.value && type === FeatureType.FRACTIONAL.value) {
        v.error(`eventTimeFeatureName '${eventTime}' is Fractional, but the offline store's tableFormat is Iceberg`
          + `${offline?.tableFormat ? '' : ' (the default)'}, which partitions by the String event time; `
          + 'use FeatureType.STRING with ISO-8601 values or offlineStore.tableFormat OfflineStoreTableFormat.GLUE');
      }
    }
  }

  // ----- stores -----
  v.check(online !== undefined || offline !== undefined,
    'give at least one of onlineStore and offlineStore: Feature Store needs one to create a feature group');
  v.oneOf('onlineStore.storageType', storageType, [OnlineStoreStorageType.STANDARD.value, OnlineStoreStorageType.IN_MEMORY.value]);
  v.oneOf('offlineStore.tableFormat', tableFormat, [OfflineStoreTableFormat.ICEBERG.value, OfflineStoreTableFormat.GLUE.value]);
  const inMemory = storageType === OnlineStoreStorageType.IN_MEMORY.value;
  if (inMemory && online?.encryptionKey) {
    v.error(`onlineStore.encryptionKey '${online.encryptionKey.node.path}' cannot be used: an InMemory online store is encrypted with an `
      + 'AWS owned key and takes no customer managed key; remove onlineStore.encryptionKey or use OnlineStoreStorageType.STANDARD');
  }
  if (inMemory && offline) {
    v.error('offlineStore cannot be combined with onlineStore.storageType InMemory: Feature Store does not replicate an InMemory '
      + 'online store to an offline store; use OnlineStoreStorageType.STANDARD or a separate offline-only feature group');
  }
  if (offline?.bucket && !offline.bucket.encryptionKey) {
    v.error(`offlineStore.bucket '${offline.bucket.node.path}' has no KMS key: the offline store needs a KMS-encrypted bucket `
      + '(a SecureBucket, or an imported bucket with encryptionKey)');
  }
  if (online?.encryptionKey && offline?.bucket?.encryptionKey && online.encryptionKey === offline.bucket.encryptionKey) {
    v.error(`onlineStore.encryptionKey '${online.encryptionKey.node.path}' is also the key of offlineStore.bucket; use separate keys: `
      + 'the online key\'s kms:ViaService condition fails CreateFeatureGroup when one key serves both stores');
  }
  if (offline?.prefix !== undefined && !Token.isUnresolved(offline.prefix)) {
    v.check(offline.prefix.length >= 1 && offline.prefix.length <= 900 && !/^\/|\/$|^s3:/.test(offline.prefix) && !offline.prefix.includes('//'),
      `offlineStore.prefix must be a key prefix of 1-900 characters without a leading or trailing '/' or 's3://', got '${offline.prefix}'`);
  }

  let ttl: ResolvedProps['ttl'];
  if (online?.ttl && !online.ttl.isUnresolved()) {
    const ms = online.ttl.toMilliseconds();
    if (ms < 1000 || ms % 1000 !== 0) {
      v.error(`onlineStore.ttl must be a whole number of seconds, at least 1, got ${online.ttl.toHumanString()}`);
    } else {
      const seconds = ms / 1000;
      const [unit, size] = TTL_UNITS.find(([, s]) => seconds % s === 0)!;
      ttl = { Unit: unit, Value: seconds / size };
    }
  }

  // ----- throughput -----
  const throughput = props.throughput;
  if (throughput && throughput.mode === 'Provisioned') {
    if (inMemory) {
      v.error('throughput ThroughputMode.provisioned() is not available for an InMemory online store (Feature Store uses on-demand '
        + 'for it); use ThroughputMode.onDemand() or OnlineStoreStorageType.STANDARD');
    }
    v.check(throughput.writeCapacityUnits !== undefined, 'throughput.writeCapacityUnits is required with ThroughputMode.provisioned()');
    v.range('throughput.writeCapacityUnits', throughput.writeCapacityUnits, 1, MAX_PROVISIONED_CAPACITY_UNITS);
    if (online) {
      v.check(throughput.readCapacityUnits !== undefined,
        'throughput.readCapacityUnits is required with ThroughputMode.provisioned() when the group has an online store');
      v.range('throughput.readCapacityUnits', throughput.readCapacityUnits, 1, MAX_PROVISIONED_CAPACITY_UNITS);
    } else if (throughput.readCapacityUnits !== undefined) {
      v.error(`throughput.readCapacityUnits (${throughput.readCapacityUnits}) applies only to feature groups with an online store; `
        + 'an offline-only group is provisioned for writes only');
    }
  }

  // ----- tags -----
  const tags = Object.entries(props.tags ?? {});
  v.check(tags.length <= MAX_TAGS, `tags must have at most ${MAX_TAGS} entries, got ${tags.length}`);
  for (const [key, value] of tags) {
    if (!Token.isUnresolved(key)) v.check(key.length >= 1 && key.length <= 128 && !key.startsWith('aws:'), `tags key '${key}' must be 1-128 characters and not start with 'aws:'`);
    if (!Token.isUnresolved(value)) v.check(value.length <= 256, `tags value of '${key}' must be at most 256 characters, got ${value.length}`);
  }

  v.throwIfInvalid();
  return { storageType, tableFormat, ttl };
}
