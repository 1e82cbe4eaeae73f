import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { employeeFeatures, FakeNetwork, ManagedPolicyRole, resourcesOf } from './helpers';
import { EmployeeRetentionFeaturesStack } from '../../examples/feature-store';
import {
  FeatureGroup, FeatureType, OfflineStoreTableFormat, OnlineStoreStorageType, PlatformNetwork, RecordOperation, SecureBucket, ThroughputMode,
} from '../../src';
import { acknowledge } from '../../src/private/acknowledgments';
import { nagResourceDetail } from '../../src/private/nag-detail';
import { compliantTemplate, inspect, TEST_ENV, testApp, testStack } from '../harness';

const GROUP = 'AWS::SageMaker::FeatureGroup';
const GUARD = 'Custom::SageMakerPlatformFeatureGroupGuard';
const METADATA = 'Custom::SageMakerPlatformFeatureMetadata';

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

describe('FeatureGroup with online and offline stores and defaults', () => {
  // GIVEN a group with both stores and nothing else
  const stack = testStack();
  const group = new FeatureGroup(stack, 'Employees', {
    features: employeeFeatures(),
    recordIdentifierFeatureName: 'employee_id',
    eventTimeFeatureName: 'event_time',
    onlineStore: {},
    offlineStore: {},
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('derives a lower-case name from the construct path', () => {
    expect(group.featureGroupName).toMatch(/^teststack-employees-[0-9a-f]{8}$/);
    expect(group.featureGroupArn).toContain(`:feature-group/${group.featureGroupName}`);
  });

  test('creates an Iceberg offline store, a Standard online store and on-demand throughput, retained', () => {
    compliantTemplate(stack).hasResource(GROUP, {
      Properties: {
        FeatureGroupName: group.featureGroupName,
        RecordIdentifierFeatureName: 'employee_id',
        EventTimeFeatureName: 'event_time',
        FeatureDefinitions: [
          { FeatureName: 'employee_id', FeatureType: 'String' },
          { FeatureName: 'event_time', FeatureType: 'String' },
          { FeatureName: 'department', FeatureType: 'String' },
          { FeatureName: 'tenure_years', FeatureType: 'Fractional' },
        ],
        OnlineStoreConfig: { EnableOnlineStore: true, StorageType: 'Standard', SecurityConfig: { KmsKeyId: Match.anyValue() } },
        OfflineStoreConfig: {
          S3StorageConfig: { S3Uri: Match.anyValue(), KmsKeyId: Match.anyValue() },
          TableFormat: 'Iceberg',
        },
        ThroughputConfig: { ThroughputMode: 'OnDemand' },
        RoleArn: { 'Fn::GetAtt': [logicalId(stack, group.offlineStoreRole as never), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('creates an online store key when none is given, separate from the offline store key', () => {
    const template = compliantTemplate(stack);
    expect(group.onlineStoreEncryptionKey).toBeDefined();
    const onlineKey = logicalId(stack, group.onlineStoreEncryptionKey as never);
    const offlineKey = logicalId(stack, group.offlineStoreBucket!.encryptionKey as never);
    expect(onlineKey).not.toEqual(offlineKey);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, Description: Match.stringLikeRegexp('online store') },
      DeletionPolicy: 'Retain',
    });
    const key = resourcesOf(template, 'AWS::KMS::Key')[onlineKey];
    const statements = key.Properties.KeyPolicy.Statement as Array<{ Sid: string; Action: string[]; Condition?: unknown }>;
    // administration through IAM, cryptography only through SageMaker: no kms:* for the account
    expect(statements.map((st) => st.Sid)).toEqual(['AdministerTheKeyThroughIam', 'UseTheKeyOnlyThroughSageMakerFeatureStore']);
    expect(statements[0].Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(statements[0].Action.filter((a) => /Encrypt|Decrypt|GenerateDataKey|CreateGrant|kms:\*/.test(a))).toEqual([]);
    expect(statements[1]).toMatchObject({
      Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant']),
      Condition: { StringLike: { 'kms:ViaService': 'sagemaker.*.amazonaws.com' }, StringEquals: { 'kms:CallerAccount': '123456789012' } },
    });
    template.hasResourceProperties(GROUP, {
      OnlineStoreConfig: { SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [onlineKey, 'Arn'] } } },
      OfflineStoreConfig: { S3StorageConfig: { KmsKeyId: { 'Fn::GetAtt': [offlineKey, 'Arn'] } } },
    });
  });

  test('creates a KMS-encrypted TLS-only bucket for the offline store when none is given', () => {
    const template = compliantTemplate(stack);
    expect(group.offlineStoreBucket).toBeInstanceOf(SecureBucket);
    template.hasResourceProperties(GROUP, {
      OfflineStoreConfig: {
        S3StorageConfig: {
          S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: logicalId(stack, group.offlineStoreBucket as never) }, `/feature-store/${group.featureGroupName}`]] },
        },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('gives the offline store role the scoped equivalent of AmazonSageMakerFeatureStoreAccess, as a managed policy', () => {
    const template = compliantTemplate(stack);
    const bucket = logicalId(stack, group.offlineStoreBucket as never);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, group.offlineStoreRole as never) }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'WriteOfflineStoreObjects',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObject'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/feature-store/${group.featureGroupName}/*`]] },
          },
          { Sid: 'ReadBucketAcl', Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: { 'Fn::GetAtt': [bucket, 'Arn'] } },
          {
            Sid: 'UseOfflineStoreKeyThroughS3',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
            Resource: { 'Fn::GetAtt': [logicalId(stack, group.offlineStoreBucket!.encryptionKey as never), 'Arn'] },
          },
          {
            Sid: 'MaintainOfflineStoreGlueTable',
            Effect: 'Allow',
            Action: ['glue:GetTable', 'glue:UpdateTable'],
            Resource: [
              Match.objectLike({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:us-east-1:123456789012:catalog']] }),
              Match.objectLike({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':glue:us-east-1:123456789012:database/sagemaker_featurestore']] }),
              Match.objectLike({
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
                  `:glue:us-east-1:123456789012:table/sagemaker_featurestore/${group.featureGroupName.replace(/-/g, '_')}_*`]],
              }),
            ],
          },
        ],
      },
    });
  });

  test('the group depends on its schema guard, so CloudFormation updates the guard first', () => {
    const template = compliantTemplate(stack);
    const guards = resourcesOf(template, GUARD);
    const guardId = Object.keys(guards)[0];
    const groups = resourcesOf(template, GROUP);
    const groupId = Object.keys(groups)[0];
    expect(groups[groupId].DependsOn).toContain(guardId);
    // and never the other way round: the guard must run before any replacement of the group
    expect(JSON.stringify(guards[guardId])).not.toContain(groupId);
    expect(guards[guardId].Properties.AllowReplacement).toBe('false');
  });

  test('the guard sees the create-only properties and features, and may only describe this stack\'s groups', () => {
    const template = compliantTemplate(stack);
    const guard = Object.values(resourcesOf(template, GUARD))[0];
    const schema = JSON.stringify(guard.Properties.Schema);
    for (const key of ['FeatureGroupName', 'RecordIdentifierFeatureName', 'EventTimeFeatureName', 'FeatureDefinitions', 'OnlineStoreConfig',
      'OfflineStoreConfig', 'RoleArn']) {
      expect(schema).toContain(key);
    }
    expect(schema).not.toContain('ThroughputConfig');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'FeatureGroupGuardOnFeatureGroupsOfThisStack',
          Effect: 'Allow',
          Action: 'sagemaker:DescribeFeatureGroup',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:123456789012:feature-group/${group.featureGroupName}`]] },
        }]),
      },
    });
  });

  test('sets feature descriptions and parameters through the metadata resource, after the group', () => {
    const template = compliantTemplate(stack);
    const [id, metadata] = Object.entries(resourcesOf(template, METADATA))[0];
    expect(id).toBeDefined();
    expect(JSON.parse(metadata.Properties.Features)).toEqual([{ name: 'tenure_years', description: 'Years since hire', parameters: { unit: 'years' } }]);
    expect(metadata.DependsOn).toContain(Object.keys(resourcesOf(template, GROUP))[0]);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'FeatureMetadataOnFeatureGroupsOfThisStack', Action: ['sagemaker:UpdateFeatureMetadata', 'sagemaker:DescribeFeatureMetadata'],
        })]),
      },
    });
  });

  test('acknowledges only the offline store prefix and Glue table wildcards, on its own policy', () => {
    const iam5 = inspect(stack).acknowledgments.filter((a) => a.id.startsWith('AwsSolutions-IAM5'));
    expect(iam5.map((a) => a.path)).toEqual(['TestStack/Employees/OfflineStorePolicy/Resource', 'TestStack/Employees/OfflineStorePolicy/Resource']);
    expect(iam5.map((a) => a.id).sort()).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<EmployeesOfflineStoreBucket[0-9A-F]+\.Arn>\/feature-store\/teststack-employees-[0-9a-f]+\/\*\]$/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:glue:us-east-1:123456789012:table\/sagemaker_featurestore\/teststack_employees_[0-9a-f]+_\*\]$/),
    ]);
  });

  test('metrics use the Feature Store namespace and the group (and operation) dimensions', () => {
    const metric = group.metricConsumedReadRequestsUnits({ operation: RecordOperation.GET });
    expect(metric.namespace).toBe('AWS/SageMaker/FeatureStore');
    expect(metric.metricName).toBe('ConsumedReadRequestsUnits');
    expect(metric.statistic).toBe('Sum');
    expect(metric.dimensions).toEqual({ FeatureGroupName: group.featureGroupName, OperationName: 'GetRecord' });
    expect(group.metricLatency().dimensions).toEqual({ FeatureGroupName: group.featureGroupName });
    expect(group.metricThrottledRequests({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
    for (const m of [group.metricConsumedWriteRequestsUnits(), group.metricConsumedReadCapacityUnits(), group.metricConsumedWriteCapacityUnits(),
      group.metricInvocations(), group.metricOperation4XXErrors(), group.metricOperation5XXErrors()]) {
      expect(m.namespace).toBe('AWS/SageMaker/FeatureStore');
    }
  });
});

describe('FeatureGroup with provided resources and options', () => {
  // GIVEN a key, a bucket and every option
  const stack = testStack();
  const onlineKey = new kms.Key(stack, 'OnlineKey', { enableKeyRotation: true });
  const bucket = new SecureBucket(stack, 'Lake');
  const group = new FeatureGroup(stack, 'Orders', {
    featureGroupName: 'orders-v1',
    description: 'Order features',
    features: [
      { name: 'order_id', type: FeatureType.STRING },
      { name: 'event_time', type: FeatureType.FRACTIONAL },
      { name: 'amount', type: FeatureType.FRACTIONAL },
    ],
    recordIdentifierFeatureName: 'order_id',
    eventTimeFeatureName: 'event_time',
    onlineStore: { encryptionKey: onlineKey, ttl: Duration.days(14) },
    offlineStore: { bucket, prefix: 'features/orders', tableFormat: OfflineStoreTableFormat.GLUE, disableGlueTableCreation: true },
    throughput: ThroughputMode.provisioned({ readCapacityUnits: 10, writeCapacityUnits: 5 }),
    removalPolicy: RemovalPolicy.DESTROY,
    allowReplacementWithDataLoss: true,
    tags: { team: 'orders' },
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('uses the provided online key, bucket, prefix and options', () => {
    compliantTemplate(stack).hasResource(GROUP, {
      Properties: {
        FeatureGroupName: 'orders-v1',
        Description: 'Order features',
        OnlineStoreConfig: {
          StorageType: 'Standard',
          SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, onlineKey), 'Arn'] } },
          TtlDuration: { Unit: 'Weeks', Value: 2 },
        },
        OfflineStoreConfig: {
          S3StorageConfig: {
            S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: logicalId(stack, bucket) }, '/features/orders']] },
            KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, bucket.encryptionKey as never), 'Arn'] },
          },
          TableFormat: 'Glue',
          DisableGlueTableCreation: true,
        },
        ThroughputConfig: { ThroughputMode: 'Provisioned', ProvisionedReadCapacityUnits: 10, ProvisionedWriteCapacityUnits: 5 },
        Tags: [{ Key: 'team', Value: 'orders' }],
      },
      DeletionPolicy: 'Delete',
    });
    expect(group.onlineStoreEncryptionKey).toBe(onlineKey);
    expect(group.offlineStoreBucket).toBe(bucket);
    expect(group.offlineStorePrefix).toBe('features/orders');
  });

  test('creates no key and no bucket of its own', () => {
    const template = compliantTemplate(stack);
    // OnlineKey, Lake's key and the custom-resource logs key; Lake and its access-log bucket
    template.resourceCountIs('AWS::KMS::Key', 3);
    template.resourceCountIs('AWS::S3::Bucket', 2);
  });

  test('gives the offline role no Glue permissions when Feature Store creates no table', () => {
    const template = compliantTemplate(stack);
    const policies = JSON.stringify(resourcesOf(template, 'AWS::IAM::ManagedPolicy'));
    expect(policies).not.toContain('glue:UpdateTable');
  });

  test('tells the guard that replacement is allowed, and passes it the tags', () => {
    const guard = Object.values(resourcesOf(compliantTemplate(stack), GUARD))[0];
    expect(guard.Properties.AllowReplacement).toBe('true');
    expect(JSON.stringify(guard.Properties.Schema)).toContain('\\"Tags\\":[{\\"Key\\":\\"team\\",\\"Value\\":\\"orders\\"}]');
    expect(JSON.stringify(guard.Properties.Schema)).toContain('\\"Description\\":\\"Order features\\"');
  });
});

describe('FeatureGroup with an InMemory online store only', () => {
  const stack = testStack();
  const group = new FeatureGroup(stack, 'Sessions', {
    features: [
      { name: 'session_id', type: FeatureType.STRING },
      { name: 'ts', type: FeatureType.FRACTIONAL },
      { name: 'clicks', type: FeatureType.INTEGRAL },
    ],
    recordIdentifierFeatureName: 'session_id',
    eventTimeFeatureName: 'ts',
    onlineStore: { storageType: OnlineStoreStorageType.IN_MEMORY, ttl: Duration.hours(36) },
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('has no customer key, no throughput config, no offline store and no role', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties(GROUP, {
      OnlineStoreConfig: { EnableOnlineStore: true, StorageType: 'InMemory', SecurityConfig: Match.absent(), TtlDuration: { Unit: 'Hours', Value: 36 } },
      OfflineStoreConfig: Match.absent(),
      ThroughputConfig: Match.absent(),
      RoleArn: Match.absent(),
    });
    template.resourceCountIs('AWS::KMS::Key', 1); // the custom-resource logs key only
    expect(group.onlineStoreEncryptionKey).toBeUndefined();
    expect(group.offlineStoreRole).toBeUndefined();
  });

  test('has a metadata resource with nothing to write', () => {
    const metadata = Object.values(resourcesOf(compliantTemplate(stack), METADATA))[0];
    expect(metadata.Properties.Features).toBe('[]');
  });

  test('refuses grantQueryOffline: there is no offline store', () => {
    expect(() => group.grantQueryOffline(new ManagedPolicyRole(testStack(), 'R'))).toThrow(/has no offline store/);
  });
});

describe('FeatureGroup grants, query workgroup and network endpoints', () => {
  // GIVEN a group with a query workgroup in a network, and a role to grant to
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Network');
  const group = new FeatureGroup(stack, 'Employees', {
    featureGroupName: 'Employee-Retention',
    features: employeeFeatures(),
    recordIdentifierFeatureName: 'employee_id',
    eventTimeFeatureName: 'event_time',
    onlineStore: {},
    offlineStore: { queryWorkgroup: true },
    network,
  });
  const writer = new ManagedPolicyRole(stack, 'Writer');
  const reader = new ManagedPolicyRole(stack, 'Reader');
  const analyst = new ManagedPolicyRole(stack, 'Analyst');
  group.grantWriteRecords(writer);
  group.grantReadRecords(reader);
  group.grantQueryOffline(analyst);
  const offline = group.offlineStoreBucket!;
  acknowledge(analyst.policy, 'FEATURE_STORE_OFFLINE_OBJECTS', [nagResourceDetail(stack, offline.arnForObjects(`${group.offlineStorePrefix}/*`))]);
  acknowledge(analyst.policy, 'FEATURE_STORE_GLUE_TABLE', [nagResourceDetail(stack,
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sagemaker_featurestore/employee_retention_*' }))]);
  acknowledge(analyst.policy, 'FEATURE_STORE_QUERY_RESULTS', [nagResourceDetail(stack, offline.arnForObjects('athena-query-results/Employee-Retention/*'))]);

  const arns = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:123456789012:feature-group/${name}`]] });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('grantWriteRecords: PutRecord and DeleteRecord on the group (both ARN spellings), kms:Decrypt only through SageMaker', () => {
    compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, writer) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['sagemaker:PutRecord', 'sagemaker:DeleteRecord', 'sagemaker:DescribeFeatureGroup'],
            Resource: [arns('employee-retention'), arns('Employee-Retention')],
          },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: { 'Fn::GetAtt': [logicalId(stack, group.onlineStoreEncryptionKey as never), 'Arn'] },
            Condition: { StringLike: { 'kms:ViaService': 'sagemaker.*.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('grantReadRecords: GetRecord and BatchGetRecord, kms:Decrypt only through SageMaker', () => {
    compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, reader) }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'sagemaker:DescribeFeatureGroup'] }),
          Match.objectLike({ Action: 'kms:Decrypt', Condition: { StringLike: { 'kms:ViaService': 'sagemaker.*.amazonaws.com' } } }),
        ],
      },
    });
  });

  test('grantQueryOffline: Athena on the workgroup, Glue on the table, S3 on the prefix and results, KMS through S3', () => {
    const template = compliantTemplate(stack);
    const bucket = logicalId(stack, offline as never);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, analyst) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/feature-store/Employee-Retention/*']] } },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
            Condition: { StringLike: { 's3:prefix': ['feature-store/Employee-Retention', 'feature-store/Employee-Retention/*'] } },
          },
          Match.objectLike({
            Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
          }),
          Match.objectLike({
            Action: Match.arrayWith(['athena:StartQueryExecution', 'athena:GetQueryResults']),
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':athena:us-east-1:123456789012:workgroup/Employee-Retention-offline-queries']] },
          }),
          Match.objectLike({
            Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/athena-query-results/Employee-Retention/*']] },
          }),
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::GetAtt': [logicalId(stack, offline.encryptionKey as never), 'Arn'] },
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
          },
        ]),
      },
    });
  });

  test('creates a query workgroup with enforced, KMS-encrypted results in the offline bucket', () => {
    compliantTemplate(stack).hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'Employee-Retention-offline-queries',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        ResultConfiguration: {
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': [logicalId(stack, offline.encryptionKey as never), 'Arn'] },
          },
          ExpectedBucketOwner: '123456789012',
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: logicalId(stack, offline as never) }, '/athena-query-results/Employee-Retention/']] },
        },
      },
    });
    expect(group.queryWorkgroupName).toBeDefined();
  });

  test('declares the endpoints Feature Store clients need in the network', () => {
    expect([...network.declared].sort()).toEqual(['athena', 'glue', 'sagemaker.api', 'sagemaker.featurestore-runtime']);
  });
});

describe('FeatureGroup.fromFeatureGroupAttributes', () => {
  const stack = testStack();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', {
    bucketName: 'feature-store-offline-123456789012',
    encryptionKey: kms.Key.fromKeyArn(stack, 'BucketKey', 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab'),
  });
  const imported = FeatureGroup.fromFeatureGroupAttributes(stack, 'Imported', {
    featureGroupName: 'customers', onlineStoreEncryptionKey: key, offlineStoreBucket: bucket,
  });
  const role = new ManagedPolicyRole(stack, 'Consumer');
  imported.grantReadRecords(role);
  imported.grantQueryOffline(role);
  acknowledge(role.policy, 'FEATURE_STORE_OFFLINE_OBJECTS', [nagResourceDetail(stack, bucket.arnForObjects('feature-store/customers/*'))]);
  acknowledge(role.policy, 'FEATURE_STORE_GLUE_TABLE', [nagResourceDetail(stack,
    stack.formatArn({ service: 'glue', resource: 'table', resourceName: 'sagemaker_featurestore/customers_*' }))]);

  test('grants on the imported group, its key and its bucket', () => {
    const template = compliantTemplate(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord', 'sagemaker:DescribeFeatureGroup'] }),
          Match.objectLike({ Action: 's3:GetObject', Resource: stack.resolve(bucket.arnForObjects('feature-store/customers/*')) }),
          Match.objectLike({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab' }),
        ]),
      },
    });
  });

  test('parses a name from an ARN', () => {
    const byArn = FeatureGroup.fromFeatureGroupArn(stack, 'ByArn', 'arn:aws:sagemaker:us-east-1:123456789012:feature-group/clicks');
    expect(byArn.featureGroupName).toBe('clicks');
    expect(FeatureGroup.fromFeatureGroupName(stack, 'ByName', 'clicks').featureGroupArn).toContain('feature-group/clicks');
    expect(() => byArn.grantQueryOffline(role)).toThrow(/has no offline store/);
  });
});

describe('FeatureGroup offline only, with Glue tables and provisioned writes, in a PlatformNetwork', () => {
  // GIVEN an offline-only group in the platform network
  const stack = testStack();
  const network = new PlatformNetwork(stack, 'Network');
  const group = new FeatureGroup(stack, 'Clicks', {
    features: [
      { name: 'click_id', type: FeatureType.STRING },
      { name: 'ts', type: FeatureType.FRACTIONAL },
      { name: 'page', type: FeatureType.STRING },
    ],
    recordIdentifierFeatureName: 'click_id',
    eventTimeFeatureName: 'ts',
    offlineStore: { tableFormat: OfflineStoreTableFormat.GLUE },
    throughput: ThroughputMode.provisioned({ writeCapacityUnits: 100 }),
    network,
  });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('has no online store and provisions writes only', () => {
    compliantTemplate(stack).hasResourceProperties(GROUP, {
      OnlineStoreConfig: Match.absent(),
      OfflineStoreConfig: Match.objectLike({ TableFormat: 'Glue' }),
      ThroughputConfig: { ThroughputMode: 'Provisioned', ProvisionedWriteCapacityUnits: 100 },
    });
    expect(group.onlineStoreEncryptionKey).toBeUndefined();
  });

  test('the network creates the interface endpoints of the Feature Store runtime and the SageMaker API', () => {
    const template = compliantTemplate(stack);
    for (const service of ['sagemaker.featurestore-runtime', 'sagemaker.api']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: `com.amazonaws.us-east-1.${service}`, VpcEndpointType: 'Interface', PrivateDnsEnabled: true,
      });
    }
  });

  test('refuses grantReadRecords: there is no online store to read', () => {
    expect(() => group.grantReadRecords(new ManagedPolicyRole(testStack(), 'R'))).toThrow(/has no online store, so GetRecord has nothing to read/);
  });
});

describe('FeatureGroup creation order: at most four feature groups created at once', () => {
  // GIVEN nine feature groups in one stack
  const stack = testStack();
  const key = new kms.Key(stack, 'OnlineKey', { enableKeyRotation: true });
  const groups = Array.from({ length: 9 }, (_, i) => new FeatureGroup(stack, `Group${i}`, {
    featureGroupName: `group-${i}`,
    features: [{ name: 'id', type: FeatureType.STRING }, { name: 'event_time', type: FeatureType.STRING }],
    recordIdentifierFeatureName: 'id',
    eventTimeFeatureName: 'event_time',
    onlineStore: { encryptionKey: key },
  }));
  const ids = groups.map((g) => stack.getLogicalId(g.node.defaultChild as never));

  function groupDependencies(): string[][] {
    const template = compliantTemplate(stack);
    const resources = resourcesOf(template, 'AWS::SageMaker::FeatureGroup');
    return ids.map((id) => ((resources[id].DependsOn ?? []) as string[]).filter((d) => ids.includes(d)));
  }

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('each group waits for the group created four before it, and only for that one', () => {
    expect(groupDependencies()).toEqual([[], [], [], [], [ids[0]], [ids[1]], [ids[2]], [ids[3]], [ids[4]]]);
  });

  test.each([
    ['equal', [10, 10, 10, 10, 10, 10, 10, 10, 10]],
    ['increasing', [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['decreasing', [9, 8, 7, 6, 5, 4, 3, 2, 1]],
    ['uneven', [3, 17, 1, 8, 2, 13, 5, 1, 21]],
  ])('never has more than four creations in flight (%s creation times)', (_name, durations) => {
    // CloudFormation starts a resource as soon as everything it depends on is complete
    const deps = groupDependencies();
    const start: number[] = [];
    const end: number[] = [];
    const done = (i: number): boolean => end[i] !== undefined;
    while (end.filter((e) => e !== undefined).length < ids.length) {
      for (let i = 0; i < ids.length; i++) {
        if (start[i] === undefined && deps[i].every((d) => done(ids.indexOf(d)))) {
          start[i] = Math.max(0, ...deps[i].map((d) => end[ids.indexOf(d)]));
          end[i] = start[i] + durations[i];
        }
      }
    }
    const inFlight = (t: number) => start.filter((s, i) => s <= t && t < end[i]).length;
    const maxInFlight = Math.max(...start.map(inFlight));
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBe(4);
  });

  test('the guard handler may describe exactly these nine groups, in one statement', () => {
    compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'FeatureGroupGuardOnFeatureGroupsOfThisStack',
          Effect: 'Allow',
          Action: 'sagemaker:DescribeFeatureGroup',
          Resource: groups.map((g) => ({
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:123456789012:feature-group/${g.featureGroupName}`]],
          })),
        }]),
      },
    });
  });

  test('one provider per handler type serves all nine groups', () => {
    const template = compliantTemplate(stack);
    expect(Object.keys(resourcesOf(template, 'Custom::SageMakerPlatformFeatureGroupGuard'))).toHaveLength(9);
    expect(Object.keys(resourcesOf(template, 'Custom::SageMakerPlatformFeatureMetadata'))).toHaveLength(9);
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).map((f) => f.Properties.Description);
    expect(functions.filter((d: string) => /FeatureGroupGuard custom resource: onEvent/.test(d))).toHaveLength(1);
    expect(functions.filter((d: string) => /FeatureMetadata custom resource: onEvent/.test(d))).toHaveLength(1);
  });
});

describe('EmployeeRetentionFeaturesStack example', () => {
  const stack = new EmployeeRetentionFeaturesStack(testApp(), 'EmployeeRetentionFeatures', { env: TEST_ENV });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('declares the employee-retention features with online and offline stores', () => {
    compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::FeatureGroup', {
      FeatureGroupName: 'employee-retention',
      RecordIdentifierFeatureName: 'employee_id',
      EventTimeFeatureName: 'event_time',
      FeatureDefinitions: ['employee_id', 'event_time', 'department', 'job_level', 'tenure_years', 'monthly_income', 'overtime',
        'satisfaction_score', 'last_promotion_years', 'attrition'].map((name) => ({ FeatureName: name, FeatureType: Match.anyValue() })),
      OnlineStoreConfig: Match.objectLike({ EnableOnlineStore: true, TtlDuration: { Unit: 'Days', Value: 365 } }),
      OfflineStoreConfig: Match.objectLike({ TableFormat: 'Iceberg' }),
    });
  });
});

describe('FeatureGroup with tokens', () => {
  test('accepts a name it cannot check at synth', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const group = new FeatureGroup(stack, 'Group', {
      featureGroupName: name,
      features: [{ name: 'id', type: FeatureType.STRING }, { name: 'event_time', type: FeatureType.STRING }],
      recordIdentifierFeatureName: 'id',
      eventTimeFeatureName: 'event_time',
      onlineStore: {},
    });
    expect(() => compliantTemplate(stack)).not.toThrow();
    expect(group.featureGroupName).toBe(name);
  });
});
