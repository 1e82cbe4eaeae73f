import { CfnResource, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { auditAcknowledgments, compliantTemplate, inspect, testStack } from './harness';

// The harness must fail a construct that breaks a rule; these tests keep it honest.
describe('verification harness', () => {
  test('fails a stack that violates cdk-nag rules, naming pack, rule and resource', () => {
    // GIVEN a bucket without encryption, logging or TLS enforcement
    const stack = testStack();
    new s3.Bucket(stack, 'Plain');

    // THEN every pack reports it
    const rules = inspect(stack).findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'AwsSolutions-S1',
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-S3BucketSSLRequestsOnly',
      'PCI.DSS.321-S3BucketLoggingEnabled',
    ]));
    expect(() => compliantTemplate(stack)).toThrow(/AwsSolutions-S10 on TestStack\/Plain\/Resource/);
  });

  test('fails a stack whose template breaks a CloudFormation schema rule', () => {
    // GIVEN a resource missing a required property and with an invalid enum value
    const stack = testStack();
    new CfnResource(stack, 'Domain', {
      type: 'AWS::SageMaker::Domain',
      properties: { AuthMode: 'PASSWORD', DomainName: 'd', VpcId: 'vpc-0123456789abcdef0', SubnetIds: ['subnet-0123456789abcdef0'] },
    });
    // THEN the CloudFormation validation reports it (warnings count as errors)
    const findings = inspect(stack).findings.filter((f) => f.source.startsWith('CloudFormation'));
    expect(findings.map((f) => f.message).join('\n')).toMatch(/DefaultUserSettings/);
    expect(() => compliantTemplate(stack)).toThrow(/CloudFormation Validate/);
  });

  test('flags acknowledgments that are stack-wide, unregistered or without the registered reason', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'B');
    Validations.of(stack).acknowledge({ id: 'AwsSolutions-S1', reason: 'a stack-wide acknowledgment is never allowed' });
    Validations.of(bucket.node.defaultChild!).acknowledge({ id: 'AwsSolutions-S10', reason: 'not in the registry of acknowledgments' });
    Validations.of(bucket.node.defaultChild!).acknowledge({ id: 'AwsSolutions-S1', reason: 'a reason that differs from the registered one' });

    const { records, problems } = auditAcknowledgments(stack);
    expect(records).toHaveLength(3);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/AwsSolutions-S1 on TestStack is not on a single CloudFormation resource/),
      expect.stringMatching(/AwsSolutions-S10 on TestStack\/B\/Resource is not in src\/private\/acknowledgments.ts/),
      expect.stringMatching(/AwsSolutions-S1 on TestStack\/B\/Resource has a reason that is not the registered one/),
    ]));
  });
});
