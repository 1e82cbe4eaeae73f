/**
 * Amazon SageMaker Feature Store rules that the CloudFormation schema of AWS::SageMaker::FeatureGroup
 * does not (fully) enforce, checked at synth by `FeatureGroup`.
 *
 * One row per rule: the value the construct checks, where it comes from, and the sentence of the
 * documentation it is taken from. Sources:
 * - DG: Amazon SageMaker Developer Guide, https://docs.aws.amazon.com/sagemaker/latest/dg/
 * - API: Amazon SageMaker API Reference, https://docs.aws.amazon.com/sagemaker/latest/APIReference/
 * - CFN: the AWS::SageMaker::FeatureGroup resource schema (CloudFormation registry)
 */

/** One service rule. */
export interface FeatureStoreRule {
  /** Where the rule comes from. */
  readonly source: string;
  /** The sentence of the documentation the rule is taken from. */
  readonly sentence: string;
  /** Anything a reviewer should know about how the rule is applied. */
  readonly note?: string;
}

/** Feature names and feature group names: API pattern and length (the CFN pattern is not end-anchored). */
export const NAME_PATTERN = /^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$/;
/** Maximum length of a feature or feature group name. */
export const NAME_MAX_LENGTH = 64;
/** Feature names Feature Store adds to every offline record. */
export const RESERVED_FEATURE_NAMES = ['is_deleted', 'write_time', 'api_invocation_time'] as const;
/** Feature definitions per feature group. */
export const MAX_FEATURES = 2500;
/** Feature types an event time feature may have. */
export const EVENT_TIME_TYPES = ['String', 'Fractional'] as const;
/** Maximum length of the feature group description (CFN schema). */
export const DESCRIPTION_MAX_LENGTH = 128;
/** Maximum length of a feature description (UpdateFeatureMetadata). */
export const FEATURE_DESCRIPTION_MAX_LENGTH = 255;
/** Feature parameter keys and values (UpdateFeatureMetadata, FeatureParameter). */
export const FEATURE_PARAMETER_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
/** Maximum length of a feature parameter key or value. */
export const FEATURE_PARAMETER_MAX_LENGTH = 255;
/** Tags per feature group (CFN schema maxItems). */
export const MAX_TAGS = 50;
/** Provisioned capacity units on a single feature group. */
export const MAX_PROVISIONED_CAPACITY_UNITS = 40000;
/** Feature groups one account and Region creates at the same time. */
export const MAX_CONCURRENT_CREATIONS = 4;

/** The rules, each with its source sentence. The keys are referenced by the validation code and tests. */
export const FEATURE_STORE_RULES: { readonly [id: string]: FeatureStoreRule } = {
  featureNamePattern: {
    source: 'API FeatureDefinition.FeatureName; CFN FeatureDefinition.FeatureName (maxLength 64)',
    sentence: 'The name: Must start with an alphanumeric character. Can only include alphanumeric characters, underscores, and hyphens. Spaces are not allowed.',
  },
  featureGroupNamePattern: {
    source: 'CFN FeatureGroupName (minLength 1, maxLength 64, pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}); API CreateFeatureGroup.FeatureGroupName',
    sentence: 'The name of the FeatureGroup. The name must be unique within an AWS Region in an AWS account.',
    note: 'Checked with the same pattern as feature names (alphanumeric first, then alphanumerics, hyphens and underscores, no trailing separator).',
  },
  reservedFeatureNames: {
    source: 'DG feature-store-quotas.html, Naming rules',
    sentence: 'Reserved Words: The following are reserved words and cannot be used as feature names in feature definitions: is_deleted, write_time, and api_invocation_time.',
    note: 'Compared case-insensitively: the offline store table lower-cases column names.',
  },
  maxFeatures: {
    source: 'DG feature-store-quotas.html, Limits and quotas; CFN FeatureDefinitions (maxItems 2500)',
    sentence: 'Maximum number of feature definitions per feature group: 2500.',
  },
  uniqueFeatureNames: {
    source: 'Athena tables-databases-columns-names.html',
    sentence: 'Athena accepts mixed case in DDL and DML queries, but lower cases the names when it executes the query.',
    note: 'Feature names must be unique; with an offline store they must also be unique ignoring case, because the Glue/Athena '
      + 'table Feature Store creates has lower-case column names.',
  },
  recordIdentifierIsFeature: {
    source: 'CFN RecordIdentifierFeatureName',
    sentence: 'The name of the Feature whose value uniquely identifies a Record defined in the FeatureGroup FeatureDefinitions.',
  },
  eventTimeIsFeature: {
    source: 'CFN EventTimeFeatureName',
    sentence: 'The name of the feature that stores the EventTime of a Record in a FeatureGroup. An EventTime is a point in time when a new event occurs that corresponds to the creation or update of a Record in a FeatureGroup. All Records in the FeatureGroup must have a corresponding EventTime.',
  },
  eventTimeType: {
    source: 'DG feature-store-quotas.html, Data types',
    sentence: 'Event Time Features: All feature groups have an event time feature. The feature can have a feature type of either String or Fractional.',
  },
  icebergEventTimeString: {
    source: 'DG feature-store-offline.html, Iceberg table format URI structure',
    sentence: 'Records in the offline store stored using the Iceberg table format are partitioned by event time into daily partitions '
      + '(.../data/<8-random-alphanumeric-digits>/<event-time-feature-name>_trunc=<event-time-year>-<event-time-month>-<event-time-day>/...).',
    note: 'The partition truncates the ISO-8601 String event time to its date; the AWS Feature Store workshop converts event_time '
      + 'to a string before creating Iceberg feature groups. The developer guide does not state the String requirement in one '
      + 'sentence; the project architecture lists it as a service rule. Use tableFormat GLUE for a Fractional event time.',
  },
  inMemoryNoOfflineStore: {
    source: 'DG feature-store-storage-configurations-offline-store.html',
    sentence: 'Please note that an online store feature group with the InMemory storage type enabled does not currently support a corresponding feature group in the offline store (no online to offline replication).',
  },
  inMemoryNoCustomerKey: {
    source: 'Project issue 5 (Feature Store); DG feature-store-security.html describes customer managed keys for the Standard online store and the offline store',
    sentence: 'Online store: Standard (with its own customer-managed key, kms:ViaService-conditioned) or InMemory (which cannot take a customer key: say so in the error).',
    note: 'Not found verbatim in the developer guide; enforced as the project states it. The InMemory tier is powered by Amazon ElastiCache (Redis OSS).',
  },
  collectionTypes: {
    source: 'DG feature-store-collection-types.html; CFN FeatureDefinition (properties FeatureName and FeatureType only, additionalProperties false)',
    sentence: 'Only InMemory online store feature groups currently support collection types.',
    note: 'AWS::SageMaker::FeatureGroup has no CollectionType or CollectionConfig, so list, set and vector features cannot be '
      + 'declared through CloudFormation at all; FeatureType offers String, Integral and Fractional only.',
  },
  onlineKeyNotOfflineKey: {
    source: 'DG feature-store-security.html, Customer managed key policy',
    sentence: 'The kms:ViaService condition key can only be used for the online store customer managed AWS KMS key, and cannot be used for the offline store. If you add this special condition to your customer managed key, and use the same AWS KMS key for both the online and offline store, then it will fail the CreateFeatureGroup API operation.',
  },
  atLeastOneStore: {
    source: 'API CreateFeatureGroup',
    sentence: 'You must include at least one of OnlineStoreConfig and OfflineStoreConfig to create a FeatureGroup.',
  },
  provisionedThroughputStorage: {
    source: 'API ThroughputConfig; DG feature-store-throughput-mode.html',
    sentence: 'Note: PROVISIONED throughput mode is supported only for feature groups that are offline-only, or use the Standard tier online store.',
  },
  provisionedReadCapacityOnline: {
    source: 'API ThroughputConfig.ProvisionedReadCapacityUnits',
    sentence: 'For provisioned feature groups with online store enabled, this indicates the read throughput you are billed for and can consume without throttling.',
  },
  provisionedCapacityMax: {
    source: 'DG feature-store-quotas.html, Limits and quotas',
    sentence: 'Max Read Capacity Units (RCU) that can be provisioned on a single feature group: 40000 RCU. Max Write Capacity Units (WCU) that can be provisioned on a single feature group: 40000 WCU.',
  },
  onDemandOncePerDay: {
    source: 'API ThroughputConfig',
    sentence: 'You can switch a feature group to on-demand only once in a 24 hour period.',
    note: 'Documented, not enforced (the construct cannot know when the mode last changed).',
  },
  ttlPositiveWhole: {
    source: 'CFN TtlDuration (Unit Seconds|Minutes|Hours|Days|Weeks, Value integer minimum 1)',
    sentence: 'Time to live duration, where the record is hard deleted after the expiration time is reached; ExpiresAt = EventTime + TtlDuration.',
  },
  maxConcurrentCreations: {
    source: 'DG feature-store-quotas.html, Limits and quotas',
    sentence: 'Maximum number of concurrent feature group creation workflows: 4.',
    note: 'FeatureGroup chains the groups of one stack so each waits for the group created four before it.',
  },
  noDataCatalogWithGlueCreation: {
    source: 'aws/aws-cli issue 6702 (answer from AWS: the error comes from the server)',
    sentence: 'The error you\'re receiving is from the server, so this functionality is not currently available.',
    note: 'A DataCatalogConfig cannot be given while Feature Store creates the Glue table; the construct never sets one.',
  },
  descriptionLength: {
    source: 'CFN Description (maxLength 128)',
    sentence: 'A free form description of a FeatureGroup.',
  },
  featureMetadata: {
    source: 'API UpdateFeatureMetadata, FeatureParameter',
    sentence: 'Description: A description that you can write to better describe the feature (Maximum length of 255). '
      + 'FeatureParameter Key and Value: Minimum length of 1. Maximum length of 255. Pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
  },
  tagsCreateOnly: {
    source: 'CFN createOnlyProperties (/properties/Tags) and tagging.tagUpdatable false',
    sentence: 'Tags used to define a FeatureGroup. (Update requires: Replacement)',
    note: 'A tag change replaces the group; the schema guard refuses it like any other replacement.',
  },
};

/**
 * The create-only properties of AWS::SageMaker::FeatureGroup (CloudFormation registry schema,
 * `createOnlyProperties`): a change to any of them makes CloudFormation replace the feature group.
 * Everything else (FeatureDefinitions additions, OnlineStoreConfig/TtlDuration, ThroughputConfig) is
 * updated in place.
 */
export const FEATURE_GROUP_CREATE_ONLY_PROPERTIES = [
  'FeatureGroupName',
  'RecordIdentifierFeatureName',
  'EventTimeFeatureName',
  'OnlineStoreConfig.SecurityConfig',
  'OnlineStoreConfig.EnableOnlineStore',
  'OnlineStoreConfig.StorageType',
  'OfflineStoreConfig',
  'RoleArn',
  'Description',
  'Tags',
] as const;
