import { CfnParameter, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SecureBucket } from '../../src';
import { compliantTemplate, inspect, testStack } from '../harness';

describe('SecureBucket', () => {
  describe('with defaults', () => {
    // GIVEN a stack with a SecureBucket and nothing else
    const stack = testStack();
    const bucket = new SecureBucket(stack, 'Data');

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('creates a customer-managed key with rotation, retained', () => {
      const template = compliantTemplate(stack);
      template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(bucket.encryptionKey).toBeDefined();
    });

    test('encrypts with SSE-KMS and a bucket key, versions objects and blocks public access', () => {
      compliantTemplate(stack).hasResource('AWS::S3::Bucket', {
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            }],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'access-logs/' },
        },
        DeletionPolicy: 'Retain',
      });
    });

    test('denies requests without TLS 1.2', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    });

    test('creates an access-log bucket when none is given, with a scoped log-delivery grant', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::S3::Bucket', 2);
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
          })]),
        },
      });
      expect(bucket.accessLogsBucket).toBeDefined();
    });

    test('acknowledges only registered findings, each on one resource', () => {
      const { acknowledgments } = inspect(stack);
      expect(acknowledgments.map((a) => a.id).sort()).toEqual([
        'AwsSolutions-S1',
        'HIPAA.Security-S3BucketLoggingEnabled',
        'HIPAA.Security-S3BucketReplicationEnabled',
        'HIPAA.Security-S3BucketReplicationEnabled',
        'HIPAA.Security-S3DefaultEncryptionKMS',
        'NIST.800.53.R5-S3BucketLoggingEnabled',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'NIST.800.53.R5-S3DefaultEncryptionKMS',
        'PCI.DSS.321-S3BucketLoggingEnabled',
        'PCI.DSS.321-S3BucketReplicationEnabled',
        'PCI.DSS.321-S3BucketReplicationEnabled',
        'PCI.DSS.321-S3DefaultEncryptionKMS',
      ]);
    });
  });

  describe('with provided resources', () => {
    // GIVEN a key and a log bucket from the caller
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const logs = new SecureBucket(stack, 'Logs');
    new SecureBucket(stack, 'Data', { encryptionKey: key, serverAccessLogsBucket: logs.accessLogsBucket, serverAccessLogsPrefix: 'data/' });

    test('uses the provided key', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            ServerSideEncryptionByDefault: { KMSMasterKeyID: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
          }],
        },
        LoggingConfiguration: { LogFilePrefix: 'data/' },
      });
    });

    test('uses the provided access-log bucket instead of creating one', () => {
      // Logs + its access-log bucket + Data
      compliantTemplate(stack).resourceCountIs('AWS::S3::Bucket', 3);
    });
  });

  test('RemovalPolicy.DESTROY is the explicit opt-in to delete', () => {
    const stack = testStack();
    new SecureBucket(stack, 'Scratch', { removalPolicy: RemovalPolicy.DESTROY, noncurrentVersionExpiration: Duration.days(30) });
    const template = compliantTemplate(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]) } } });
  });

  test('rejects bad names with the prop and the value, all at once', () => {
    const stack = testStack();
    expect(() => new SecureBucket(stack, 'Bad', { bucketName: 'Bad_Name', serverAccessLogsPrefix: 'x'.repeat(600) }))
      .toThrow(/bucketName must be .*got 'Bad_Name'[\s\S]*serverAccessLogsPrefix must be at most 512 characters, got 600/);
  });

  test('accepts a bucket name token', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => new SecureBucket(stack, 'Tok', { bucketName: name })).not.toThrow();
  });
});
