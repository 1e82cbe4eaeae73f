import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  FeatureDefinition, FeatureGroup, FeatureGroupProps, FeatureType, OfflineStoreTableFormat, OnlineStoreStorageType, SecureBucket,
  ThroughputMode,
} from '../../src';
import { FEATURE_GROUP_CREATE_ONLY_PROPERTIES, FEATURE_STORE_RULES } from '../../src/private/feature-store-rules';
import { testStack } from '../harness';

const base: FeatureGroupProps = {
  features: [
    { name: 'id', type: FeatureType.STRING },
    { name: 'event_time', type: FeatureType.STRING },
  ],
  recordIdentifierFeatureName: 'id',
  eventTimeFeatureName: 'event_time',
  onlineStore: {},
};

function create(props: Partial<FeatureGroupProps>) {
  const stack = testStack();
  return () => new FeatureGroup(stack, 'Group', { ...base, ...props });
}

describe('FeatureGroup rejects bad input with the prop and the value, all at once', () => {
  test('names, reserved words, duplicates, types, record identifier, event time and description together', () => {
    const features: FeatureDefinition[] = [
      { name: 'id', type: FeatureType.STRING },
      { name: 'is_deleted', type: FeatureType.STRING },
      { name: 'bad name', type: FeatureType.STRING },
      { name: 'id', type: FeatureType.INTEGRAL },
      { name: 'flag', type: FeatureType.of('Boolean') },
      { name: 'when', type: FeatureType.INTEGRAL },
    ];
    expect(create({
      featureGroupName: '-bad', description: 'x'.repeat(129), features, recordIdentifierFeatureName: 'missing', eventTimeFeatureName: 'when',
    })).toThrow(new RegExp([
      "FeatureGroup 'TestStack/Group' has invalid props:",
      "featureGroupName must be letters, digits, hyphens and underscores.*got '-bad'",
      'description must be at most 128 characters, got 129',
      "features\\[1\\]\\.name 'is_deleted' is reserved",
      "features\\[2\\]\\.name must be .*got 'bad name'",
      "features\\[3\\]\\.name 'id' is declared more than once",
      "features\\[4\\]\\.type \\('flag'\\) must be one of String, Integral, Fractional, got 'Boolean'",
      "recordIdentifierFeatureName 'missing' is not one of the features",
      "eventTimeFeatureName 'when' has type Integral; an event time feature must be String \\(ISO-8601\\) or Fractional",
    ].join('[\\s\\S]*')));
  });

  test('needs 1 to 2,500 features', () => {
    expect(create({ features: [] })).toThrow(/features must have between 1 and 2500 entries, got 0/);
    const many = Array.from({ length: 2501 }, (_, i) => ({ name: `f${i}`, type: FeatureType.INTEGRAL }));
    expect(create({ features: [...base.features, ...many] })).toThrow(/features must have between 1 and 2500 entries, got 2503/);
  });

  test('reserved names are reserved in any case', () => {
    expect(create({ features: [...base.features, { name: 'Write_Time', type: FeatureType.STRING }] }))
      .toThrow(/features\[2\]\.name 'Write_Time' is reserved: Feature Store adds is_deleted, write_time, api_invocation_time/);
  });

  test('names that differ only in case collide in the offline store only', () => {
    const features = [...base.features, { name: 'Age', type: FeatureType.INTEGRAL }, { name: 'age', type: FeatureType.INTEGRAL }];
    expect(create({ features, offlineStore: {} })).toThrow(/features\[3\]\.name 'age' differs from 'Age' only in case/);
    expect(create({ features })).not.toThrow();
  });

  test('a Fractional event time needs the Glue table format, because Iceberg is the default', () => {
    const features = [{ name: 'id', type: FeatureType.STRING }, { name: 'event_time', type: FeatureType.FRACTIONAL }];
    expect(create({ features, offlineStore: {} }))
      .toThrow(/eventTimeFeatureName 'event_time' is Fractional, but the offline store's tableFormat is Iceberg \(the default\)/);
    expect(create({ features, offlineStore: { tableFormat: OfflineStoreTableFormat.GLUE } })).not.toThrow();
    expect(create({ features })).not.toThrow();
  });

  test('an InMemory online store takes no customer key and no offline store', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    expect(() => new FeatureGroup(stack, 'Group', {
      ...base, onlineStore: { storageType: OnlineStoreStorageType.IN_MEMORY, encryptionKey: key }, offlineStore: {},
    })).toThrow(/onlineStore\.encryptionKey 'TestStack\/Key' cannot be used: an InMemory online store[\s\S]*offlineStore cannot be combined with onlineStore\.storageType InMemory/);
  });

  test('needs a store', () => {
    expect(create({ onlineStore: undefined })).toThrow(/give at least one of onlineStore and offlineStore/);
  });

  test('the online key must not be the offline key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const bucket = new SecureBucket(stack, 'Bucket', { encryptionKey: key });
    expect(() => new FeatureGroup(stack, 'Group', { ...base, onlineStore: { encryptionKey: key }, offlineStore: { bucket } }))
      .toThrow(/onlineStore\.encryptionKey 'TestStack\/Key' is also the key of offlineStore\.bucket; use separate keys/);
  });

  test('the offline bucket must be KMS-encrypted, and the prefix a plain key prefix', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Plain', 'plain-bucket');
    expect(() => new FeatureGroup(stack, 'Group', { ...base, offlineStore: { bucket, prefix: '/features/' } }))
      .toThrow(/offlineStore\.bucket 'TestStack\/Plain' has no KMS key[\s\S]*offlineStore\.prefix must be a key prefix .*got '\/features\/'/);
  });

  test('the TTL is a whole number of seconds', () => {
    expect(create({ onlineStore: { ttl: Duration.millis(1500) } })).toThrow(/onlineStore\.ttl must be a whole number of seconds, at least 1, got 1 second 500 millis/);
    expect(create({ onlineStore: { ttl: Duration.seconds(0) } })).toThrow(/onlineStore\.ttl must be a whole number of seconds/);
  });

  test('provisioned throughput: Standard or offline-only, with valid capacities', () => {
    const both = ThroughputMode.provisioned({ writeCapacityUnits: 5, readCapacityUnits: 5 });
    expect(create({ onlineStore: { storageType: OnlineStoreStorageType.IN_MEMORY }, throughput: both }))
      .toThrow(/throughput ThroughputMode\.provisioned\(\) is not available for an InMemory online store/);
    expect(create({ throughput: ThroughputMode.provisioned({ writeCapacityUnits: 50000 }) }))
      .toThrow(/throughput\.writeCapacityUnits must be an integer between 1 and 40000, got 50000[\s\S]*throughput\.readCapacityUnits is required/);
    expect(create({ onlineStore: undefined, offlineStore: {}, throughput: both }))
      .toThrow(/throughput\.readCapacityUnits \(5\) applies only to feature groups with an online store/);
  });

  test('feature metadata and tags within the service limits', () => {
    const features = [...base.features, { name: 'x', type: FeatureType.INTEGRAL, description: 'd'.repeat(256), parameters: { 'bad<key>': 'v' } }];
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(create({ features, tags })).toThrow(new RegExp([
      "features\\[2\\]\\.description \\('x'\\) must be at most 255 characters, got 256",
      "features\\[2\\]\\.parameters \\('x'\\) key 'bad<key>' must be",
      'tags must have at most 50 entries, got 51',
    ].join('[\\s\\S]*')));
  });
});

describe('feature store rule table', () => {
  test('every rule cites its source and sentence', () => {
    for (const [id, rule] of Object.entries(FEATURE_STORE_RULES)) {
      expect(`${id}: ${rule.source}`).toMatch(/: \S/);
      expect(rule.sentence.length).toBeGreaterThan(20);
    }
  });

  test('lists the create-only properties of the CloudFormation schema', () => {
    expect([...FEATURE_GROUP_CREATE_ONLY_PROPERTIES]).toEqual([
      'FeatureGroupName', 'RecordIdentifierFeatureName', 'EventTimeFeatureName', 'OnlineStoreConfig.SecurityConfig',
      'OnlineStoreConfig.EnableOnlineStore', 'OnlineStoreConfig.StorageType', 'OfflineStoreConfig', 'RoleArn', 'Description', 'Tags',
    ]);
  });
});
