import { CfnResource, NestedStack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { auditAcknowledgments, compliantTemplate, inspect, NESTED_STACK_VALIDATION, nestedTemplateFindings, testStack } from './harness';

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

// aws-cdk-lib validates only the templates of top-level stacks; the harness validates nested ones too.
describe('verification harness on nested stacks', () => {
  /** A parent stack whose nested stack has a queue with a retention period that is not a number. */
  function parentWithBadQueue() {
    const stack = testStack(undefined, 'IngestStack');
    const nested = new NestedStack(stack, 'Buffers');
    const queue = new CfnResource(nested, 'IngestQueue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 'not-a-number' } });
    return { stack, nested, queue };
  }

  test('fails a parent stack whose nested template breaks a CloudFormation schema rule', () => {
    // GIVEN a nested stack with a resource that breaks its schema
    const { stack } = parentWithBadQueue();

    // WHEN the harness inspects the parent
    const findings = inspect(stack).findings.filter((f) => f.source === NESTED_STACK_VALIDATION);

    // THEN the finding names the rule, the nested resource and the property
    expect(findings).toEqual([{
      source: 'CloudFormation Validate (nested stack)',
      rule: 'F3012',
      resource: 'IngestStack/Buffers/IngestQueue',
      message: "MessageRetentionPeriod: 'not-a-number' is not of type 'integer'",
    }]);
    expect(() => compliantTemplate(stack)).toThrow(/CloudFormation Validate \(nested stack\) F3012 on IngestStack\/Buffers\/IngestQueue/);
  });

  test('validates a nested stack inspected on its own, and nested stacks of nested stacks', () => {
    // GIVEN the bad queue one level deeper
    const stack = testStack(undefined, 'IngestStack');
    const outer = new NestedStack(stack, 'Outer');
    const inner = new NestedStack(outer, 'Inner');
    new CfnResource(inner, 'IngestQueue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 'not-a-number' } });

    // THEN the parent, the outer and the inner nested stack all report it
    for (const scope of [stack, outer, inner]) {
      expect(inspect(scope).findings.map((f) => `${f.rule} on ${f.resource}`)).toContain('F3012 on IngestStack/Outer/Inner/IngestQueue');
    }
    expect(nestedTemplateFindings(stack).map((f) => f.rule)).toEqual(['F3012']);
  });

  test('honours an acknowledgment of the finding on the nested resource, as aws-cdk-lib does on top-level ones', () => {
    // GIVEN the finding acknowledged on the resource with the plugin's namespace
    const { stack, queue } = parentWithBadQueue();
    Validations.of(queue).acknowledge({ id: 'CloudFormation-Validate::F3012', reason: 'the retention period is set by a later migration step' });

    // THEN the harness does not report it (the acknowledgment audit flags it as unregistered)
    expect(inspect(stack).findings.filter((f) => f.source === NESTED_STACK_VALIDATION)).toEqual([]);
    expect(inspect(stack).acknowledgmentProblems).toEqual([expect.stringMatching(/F3012 on IngestStack\/Buffers\/IngestQueue is not in src\/private\/acknowledgments.ts/)]);
  });

  test('ignores an acknowledgment without the plugin\'s namespace, which aws-cdk-lib would not honour either', () => {
    // GIVEN the bare rule id, which Validations records as an annotation id (Annotation::F3012)
    const { stack, queue } = parentWithBadQueue();
    Validations.of(queue).acknowledge({ id: 'F3012', reason: 'the retention period is set by a later migration step' });

    // THEN the finding is still reported
    expect(inspect(stack).findings.map((f) => `${f.source} ${f.rule}`)).toContain('CloudFormation Validate (nested stack) F3012');
  });

  test('reports nothing for a clean nested stack', () => {
    // GIVEN a nested stack with a valid resource that no rule pack objects to
    const stack = testStack(undefined, 'IngestStack');
    const nested = new NestedStack(stack, 'Settings');
    new ssm.StringParameter(nested, 'BatchSize', { parameterName: '/ingest/batch-size', stringValue: '500' });

    // THEN the nested template validates and the harness finds nothing at all
    expect(nestedTemplateFindings(stack)).toEqual([]);
    expect(inspect(stack).findings).toEqual([]);
    expect(() => compliantTemplate(stack)).not.toThrow();
  });
});
