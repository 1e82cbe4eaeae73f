import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { KeyUsageService, PlatformKeys } from '../../src';
import { compliantTemplate, inspect, testStack } from '../harness';

const ROOT = { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } };
const CRYPTO = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant'];

/** The key policy statements of the key with `description`. */
function statementsOf(template: ReturnType<typeof compliantTemplate>, description: string): Array<Record<string, unknown>> {
  const keys = template.findResources('AWS::KMS::Key', { Properties: { Description: description } });
  const ids = Object.keys(keys);
  expect(ids).toHaveLength(1);
  return keys[ids[0]].Properties.KeyPolicy.Statement;
}

describe('PlatformKeys', () => {
  describe('with defaults', () => {
    // GIVEN the three platform keys and a Feature Store online-store key added later
    const stack = testStack();
    const keys = new PlatformKeys(stack, 'Keys');
    const online = keys.addKey('online-store', {
      description: 'ML platform: Feature Store online store',
      viaServices: [KeyUsageService.SAGEMAKER],
    });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
      expect(inspect(stack).acknowledgments).toEqual([]);
    });

    test('creates four customer-managed keys with yearly rotation, retained', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('AWS::KMS::Key', 4);
      template.allResources('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(keys.purposes).toEqual(['studio', 'data', 'logs', 'online-store']);
      expect(keys.keyFor('online-store')).toBe(online);
      expect(keys.keyFor('nope')).toBeUndefined();
    });

    test('names the keys alias/<stack name>/<purpose>', () => {
      const template = compliantTemplate(stack);
      for (const purpose of ['studio', 'data', 'logs', 'online-store']) {
        template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/TestStack/${purpose}` });
      }
      expect(keys.aliasPrefix).toBe('TestStack');
    });

    test('keeps the account root statement and gives kms:* to nobody else', () => {
      const template = compliantTemplate(stack);
      for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
        const statements: Array<Record<string, unknown>> = key.Properties.KeyPolicy.Statement;
        const everything = statements.filter((s) => s.Effect === 'Allow' && (s.Action === 'kms:*' || (Array.isArray(s.Action) && s.Action.includes('kms:*'))));
        expect(everything).toEqual([{ Action: 'kms:*', Effect: 'Allow', Principal: ROOT, Resource: '*' }]);
        // no Allow to a wildcard principal
        expect(statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('"*"'))).toEqual([]);
      }
    });

    test('the studio key is usable only through SageMaker, EFS and EBS', () => {
      expect(statementsOf(compliantTemplate(stack), 'ML platform: Studio domain storage (EFS home file system, app EBS volumes)')).toContainEqual({
        Sid: 'DenyUseExceptThroughItsServices',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: CRYPTO,
        Resource: '*',
        Condition: {
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
          StringNotEquals: {
            'kms:ViaService': ['sagemaker.us-east-1.amazonaws.com', 'elasticfilesystem.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com'],
          },
        },
      });
    });

    test('the data key is usable only through S3, SageMaker and EBS', () => {
      const statements = statementsOf(compliantTemplate(stack), 'ML platform: S3 data and artifacts, job and endpoint volumes and outputs');
      expect(statements).toContainEqual(expect.objectContaining({
        Effect: 'Deny',
        Condition: {
          Bool: { 'aws:PrincipalIsAWSService': 'false' },
          StringNotEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'sagemaker.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com'] },
        },
      }));
      expect(statements).toHaveLength(2);
    });

    test('the logs key admits CloudWatch Logs for this account\'s log groups only, and no direct use', () => {
      const statements = statementsOf(compliantTemplate(stack), 'ML platform: CloudWatch Logs log groups');
      expect(statements).toContainEqual({
        Sid: 'AllowCloudWatchLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] },
          },
        },
      });
      expect(statements).toContainEqual({
        Sid: 'DenyDirectUseByAccountPrincipals',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: CRYPTO,
        Resource: '*',
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      });
    });

    test('an added key gets the same policy shape with its own services', () => {
      const statements = statementsOf(compliantTemplate(stack), 'ML platform: Feature Store online store');
      expect(statements).toContainEqual(expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' }, StringNotEquals: { 'kms:ViaService': ['sagemaker.us-east-1.amazonaws.com'] } },
      }));
    });
  });

  describe('with options', () => {
    // GIVEN an alias prefix, a rotation period, a pending window and DESTROY opted in
    const stack = testStack();
    const keys = new PlatformKeys(stack, 'Keys', {
      aliasPrefix: 'ml-platform/prod',
      rotationPeriod: Duration.days(180),
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    keys.addKey('open', { description: 'A key without a service restriction' });

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('uses the alias prefix, rotation period, pending window and removal policy', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ml-platform/prod/studio' });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ml-platform/prod/open' });
      template.allResources('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 180, PendingWindowInDays: 7 }),
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
    });

    test('a key without viaServices keeps only the root statement', () => {
      expect(statementsOf(compliantTemplate(stack), 'A key without a service restriction')).toEqual([
        { Action: 'kms:*', Effect: 'Allow', Principal: ROOT, Resource: '*' },
      ]);
    });
  });

  describe('rejects bad input with the prop and the value, all at once', () => {
    test('props', () => {
      expect(() => new PlatformKeys(testStack(), 'Keys', {
        aliasPrefix: 'aws/keys',
        rotationPeriod: Duration.days(30),
        pendingWindow: Duration.days(60),
      })).toThrow(/aliasPrefix must not start with 'aws'.*got 'aws\/keys'[\s\S]*rotationPeriod \(days\) must be an integer between 90 and 2560, got 30[\s\S]*pendingWindow \(days\) must be an integer between 7 and 30, got 60/);
      expect(() => new PlatformKeys(testStack(), 'Keys', { aliasPrefix: 'bad prefix!' }))
        .toThrow(/aliasPrefix must be letters, digits, \/, _ and -.*got 'bad prefix!'/);
    });

    test('addKey', () => {
      const keys = new PlatformKeys(testStack(), 'Keys');
      expect(() => keys.addKey('Data', { description: 'x', viaServices: [KeyUsageService.of('Not A Service')] }))
        .toThrow(/addKey purpose must be lowercase letters, digits and hyphens, got 'Data'[\s\S]*addKey viaServices must be a service prefix.*got 'Not A Service'/);
      expect(() => keys.addKey('data', { description: 'again' })).toThrow(/addKey purpose must be unique, got 'data' a second time/);
    });

    test('two PlatformKeys with the same aliases in one stack', () => {
      const stack = testStack();
      new PlatformKeys(stack, 'Keys');
      expect(() => new PlatformKeys(stack, 'MoreKeys'))
        .toThrow(/the alias 'alias\/TestStack\/studio' is already used by another key in this stack: give each PlatformKeys its own aliasPrefix/);
    });

    test('skips tokens', () => {
      const stack = testStack();
      const keys = new PlatformKeys(stack, 'Keys', { aliasPrefix: Fn.importValue('KeyPrefix') });
      expect((keys.dataKey as kms.Key).keyArn).toBeDefined();
    });
  });
});
