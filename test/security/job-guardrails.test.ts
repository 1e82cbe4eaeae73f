import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { JobGuardrails, JobGuardrailsOptions, SageMakerJobType } from '../../src/security';
import { TEST_ENV } from '../harness';

/** Imported fixtures: the statements only reference them, nothing is synthesized. */
function options(overrides: Partial<JobGuardrailsOptions> = {}): { stack: Stack; options: JobGuardrailsOptions } {
  const stack = new Stack(undefined, 'Guardrails', { env: TEST_ENV });
  return {
    stack,
    options: {
      subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'].map((id, i) =>
        ec2.Subnet.fromSubnetAttributes(stack, `Subnet${i}`, { subnetId: id, availabilityZone: `us-east-1${'ab'[i]}` })),
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'JobSg', 'sg-0123456789abcdef0')],
      volumeKey: kms.Key.fromKeyArn(stack, 'Volume', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555'),
      outputKey: kms.Key.fromKeyArn(stack, 'Output', 'arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000'),
      ...overrides,
    },
  };
}

function json(stack: Stack, statements: iam.PolicyStatement[]): any[] {
  return statements.map((s) => stack.resolve(s.toStatementJson()));
}

const VOLUME = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const OUTPUT = 'arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000';

describe('JobGuardrails', () => {
  describe('allowJobCreation', () => {
    // GIVEN guardrails with the default instance allowlist
    const { stack, options: opts } = options();
    const statements = json(stack, new JobGuardrails(opts).allowJobCreation({ tags: { 'sagemaker-platform:owner': 'alice' } }));
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);

    test('groups the actions by the condition keys the IAM data lists for them', () => {
      expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
        ['CreateTrainingProcessingTuningWithinGuardrails',
          ['sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob']],
        ['CreateAutoMLWithinGuardrails', ['sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2']],
        ['CreateTransformWithinGuardrails', 'sagemaker:CreateTransformJob'],
        ['CreateModelWithinGuardrails', 'sagemaker:CreateModel'],
      ]);
    });

    test('training, processing and tuning need the subnets, security groups, both keys, encryption and allowed instance types', () => {
      expect(bySid('CreateTrainingProcessingTuningWithinGuardrails').Condition).toEqual({
        'ForAllValues:StringEquals': {
          'sagemaker:VpcSubnets': ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
          'sagemaker:VpcSecurityGroupIds': ['sg-0123456789abcdef0'],
        },
        'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': JobGuardrails.DEFAULT_INSTANCE_TYPES },
        'Null': { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false', 'sagemaker:InstanceTypes': 'false' },
        'ArnEquals': { 'sagemaker:VolumeKmsKeyArn': VOLUME, 'sagemaker:OutputKmsKeyArn': OUTPUT },
        'Bool': { 'sagemaker:InterContainerTrafficEncryption': 'true' },
        'StringEquals': { 'aws:RequestTag/sagemaker-platform:owner': 'alice' },
      });
    });

    test('AutoML has no instance-type key; transform jobs have no VPC keys; models carry the VPC', () => {
      const automl = bySid('CreateAutoMLWithinGuardrails').Condition;
      expect(Object.keys(automl).sort()).toEqual(['ArnEquals', 'Bool', 'ForAllValues:StringEquals', 'Null', 'StringEquals']);
      expect(bySid('CreateTransformWithinGuardrails').Condition).toEqual({
        'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': JobGuardrails.DEFAULT_INSTANCE_TYPES },
        'Null': { 'sagemaker:InstanceTypes': 'false' },
        'ArnEquals': { 'sagemaker:VolumeKmsKeyArn': VOLUME, 'sagemaker:OutputKmsKeyArn': OUTPUT },
        'StringEquals': { 'aws:RequestTag/sagemaker-platform:owner': 'alice' },
      });
      expect(Object.keys(bySid('CreateModelWithinGuardrails').Condition).sort())
        .toEqual(['ForAllValues:StringEquals', 'Null', 'StringEquals']);
    });

    test('never uses the deprecated sagemaker:VolumeKmsKey or sagemaker:OutputKmsKey keys', () => {
      const text = JSON.stringify(json(stack, new JobGuardrails(opts).statements()));
      expect(text).not.toMatch(/sagemaker:(Volume|Output)KmsKey"/);
      expect(text).toMatch(/sagemaker:VolumeKmsKeyArn/);
    });

    test('scopes resources to the job types and an optional name prefix', () => {
      const [only] = json(stack, new JobGuardrails(opts).allowJobCreation({ jobTypes: [SageMakerJobType.PROCESSING], jobNamePrefix: 'pipe-' }));
      expect(only.Action).toBe('sagemaker:CreateProcessingJob');
      expect(stack.resolve(only.Resource)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':processing-job/pipe-*']],
      });
    });
  });

  describe('denyNonCompliantJobs', () => {
    const { stack, options: opts } = options({ instanceTypes: ['ml.m5.*'] });
    const denies = json(stack, new JobGuardrails(opts).denyNonCompliantJobs());
    const bySid = (sid: string) => denies.find((s) => s.Sid === sid);

    test('denies every omission and every value outside the guardrails, one statement per condition', () => {
      expect(denies.every((s) => s.Effect === 'Deny' && s.Resource === '*')).toBe(true);
      expect(denies.map((s) => s.Sid)).toEqual([
        'DenyJobsWithoutVpcSubnets', 'DenyJobsOutsidePlatformSubnets', 'DenyJobsWithoutSecurityGroups',
        'DenyJobsOutsidePlatformSecurityGroups', 'DenyJobsWithoutPlatformVolumeKey', 'DenyJobsWithoutPlatformOutputKey',
        'DenyJobsWithoutInterContainerEncryption', 'DenyJobsWithoutInstanceTypes', 'DenyJobsOnUnapprovedInstanceTypes',
      ]);
      expect(bySid('DenyJobsWithoutVpcSubnets').Condition).toEqual({ Null: { 'sagemaker:VpcSubnets': 'true' } });
      expect(bySid('DenyJobsOutsidePlatformSubnets').Condition).toEqual({
        'ForAnyValue:StringNotEquals': { 'sagemaker:VpcSubnets': ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      });
      expect(bySid('DenyJobsWithoutPlatformVolumeKey').Condition).toEqual({ ArnNotEquals: { 'sagemaker:VolumeKmsKeyArn': VOLUME } });
      expect(bySid('DenyJobsWithoutInterContainerEncryption').Condition)
        .toEqual({ BoolIfExists: { 'sagemaker:InterContainerTrafficEncryption': 'false' } });
      expect(bySid('DenyJobsOnUnapprovedInstanceTypes').Condition)
        .toEqual({ 'ForAnyValue:StringNotLike': { 'sagemaker:InstanceTypes': ['ml.m5.*'] } });
    });

    test('names exactly the actions that support each condition key', () => {
      expect(bySid('DenyJobsWithoutVpcSubnets').Action).toEqual([
        'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob',
        'sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2', 'sagemaker:CreateModel',
      ]);
      expect(bySid('DenyJobsWithoutPlatformVolumeKey').Action).toEqual([
        'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob',
        'sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2', 'sagemaker:CreateTransformJob',
      ]);
      expect(bySid('DenyJobsOnUnapprovedInstanceTypes').Action).toEqual([
        'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob',
        'sagemaker:CreateTransformJob',
      ]);
    });

    test('adds network isolation only when required, for the actions that support it', () => {
      expect(bySid('DenyJobsWithoutNetworkIsolation')).toBeUndefined();
      const strict = options({ requireNetworkIsolation: true });
      const guardrails = new JobGuardrails(strict.options);
      const deny = json(strict.stack, guardrails.denyNonCompliantJobs()).find((s) => s.Sid === 'DenyJobsWithoutNetworkIsolation');
      expect(deny.Action).toEqual([
        'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob', 'sagemaker:CreateModel',
      ]);
      expect(deny.Condition).toEqual({ BoolIfExists: { 'sagemaker:NetworkIsolation': 'false' } });
      const [allow] = json(strict.stack, guardrails.allowJobCreation({ jobTypes: [SageMakerJobType.TRAINING] }));
      expect(allow.Condition.Bool).toEqual({ 'sagemaker:InterContainerTrafficEncryption': 'true', 'sagemaker:NetworkIsolation': 'true' });
      expect(guardrails.requireNetworkIsolation).toBe(true);
    });
  });

  describe('on instance types with local NVMe storage', () => {
    // GIVEN an allowlist with an EBS-only family, an NVMe GPU family, an exact NVMe type and a catch-all
    const { stack, options: opts } = options({ instanceTypes: ['ml.m5.*', 'ml.g5.*', 'ml.p4d.24xlarge', 'ml.*'] });
    const guardrails = new JobGuardrails(opts);
    const allows = json(stack, guardrails.allowJobCreation({ tags: { owner: 'alice' } }));
    const denies = json(stack, guardrails.denyNonCompliantJobs());
    const bySid = (statements: any[], sid: string) => statements.find((s) => s.Sid === sid);
    const NVME = ['ml.g5.*', 'ml.p4d.24xlarge'];

    test('allows jobs that run only on those types without a volume key, in one more statement per group', () => {
      expect(allows.map((s) => s.Sid)).toEqual([
        'CreateTrainingProcessingTuningWithinGuardrails', 'CreateTrainingProcessingTuningOnLocalStorageWithinGuardrails',
        'CreateAutoMLWithinGuardrails', 'CreateTransformWithinGuardrails', 'CreateTransformOnLocalStorageWithinGuardrails',
        'CreateModelWithinGuardrails',
      ]);
      const local = bySid(allows, 'CreateTrainingProcessingTuningOnLocalStorageWithinGuardrails');
      expect(local.Action).toEqual(bySid(allows, 'CreateTrainingProcessingTuningWithinGuardrails').Action);
      expect(local.Condition).toEqual({
        'ForAllValues:StringEquals': {
          'sagemaker:VpcSubnets': ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
          'sagemaker:VpcSecurityGroupIds': ['sg-0123456789abcdef0'],
        },
        // ml.* also matches EBS-only types: it never exempts a job from the volume key
        'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': NVME },
        'Null': { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false', 'sagemaker:InstanceTypes': 'false', 'sagemaker:VolumeKmsKeyArn': 'true' },
        'ArnEquals': { 'sagemaker:OutputKmsKeyArn': OUTPUT },
        'Bool': { 'sagemaker:InterContainerTrafficEncryption': 'true' },
        'StringEquals': { 'aws:RequestTag/owner': 'alice' },
      });
      expect(bySid(allows, 'CreateTransformOnLocalStorageWithinGuardrails').Condition).toEqual({
        'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': NVME },
        'Null': { 'sagemaker:InstanceTypes': 'false', 'sagemaker:VolumeKmsKeyArn': 'true' },
        'ArnEquals': { 'sagemaker:OutputKmsKeyArn': OUTPUT },
        'StringEquals': { 'aws:RequestTag/owner': 'alice' },
      });
    });

    test('denies a missing or foreign volume key only when some instance type is not one of them', () => {
      expect(bySid(denies, 'DenyJobsWithoutPlatformVolumeKey')).toEqual({
        Sid: 'DenyJobsWithoutPlatformVolumeKey',
        Effect: 'Deny',
        Action: ['sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob', 'sagemaker:CreateTransformJob'],
        Resource: '*',
        Condition: {
          'ArnNotEquals': { 'sagemaker:VolumeKmsKeyArn': VOLUME },
          'ForAnyValue:StringNotLike': { 'sagemaker:InstanceTypes': NVME },
        },
      });
    });

    test('AutoML names no instance types, so it always needs the volume key', () => {
      expect(bySid(denies, 'DenyAutoMLWithoutPlatformVolumeKey')).toEqual({
        Sid: 'DenyAutoMLWithoutPlatformVolumeKey',
        Effect: 'Deny',
        Action: ['sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2'],
        Resource: '*',
        Condition: { ArnNotEquals: { 'sagemaker:VolumeKmsKeyArn': VOLUME } },
      });
      expect(Object.keys(bySid(allows, 'CreateAutoMLWithinGuardrails').Condition.ArnEquals))
        .toEqual(['sagemaker:VolumeKmsKeyArn', 'sagemaker:OutputKmsKeyArn']);
    });

    test('keeps every other guardrail for them', () => {
      expect(denies.map((s) => s.Sid)).toEqual([
        'DenyJobsWithoutVpcSubnets', 'DenyJobsOutsidePlatformSubnets', 'DenyJobsWithoutSecurityGroups',
        'DenyJobsOutsidePlatformSecurityGroups', 'DenyJobsWithoutPlatformVolumeKey', 'DenyAutoMLWithoutPlatformVolumeKey',
        'DenyJobsWithoutPlatformOutputKey', 'DenyJobsWithoutInterContainerEncryption', 'DenyJobsWithoutInstanceTypes',
        'DenyJobsOnUnapprovedInstanceTypes',
      ]);
      expect(bySid(denies, 'DenyJobsOnUnapprovedInstanceTypes').Condition)
        .toEqual({ 'ForAnyValue:StringNotLike': { 'sagemaker:InstanceTypes': ['ml.m5.*', 'ml.g5.*', 'ml.p4d.24xlarge', 'ml.*'] } });
    });

    test('an allowlist without such types changes nothing', () => {
      const plain = options({ instanceTypes: ['ml.m5.*', 'ml.p3.*', 'ml.*'] });
      const sids = json(plain.stack, new JobGuardrails(plain.options).statements()).map((s) => s.Sid);
      expect(sids.filter((sid) => /LocalStorage|AutoMLWithout/.test(sid))).toEqual([]);
    });
  });

  describe('management, listing and tagging', () => {
    const { stack, options: opts } = options();
    const guardrails = new JobGuardrails(opts);

    test('describe and stop only jobs that carry the tags, models with transform jobs', () => {
      const manage = stack.resolve(guardrails.allowJobManagement({ jobTypes: [SageMakerJobType.TRANSFORM], tags: { team: 'a' } }).toStatementJson());
      expect(manage.Action).toEqual(['sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob', 'sagemaker:DescribeModel', 'sagemaker:DeleteModel']);
      expect(manage.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/team': 'a' } });
    });

    test('lists with Resource * (List actions support nothing narrower)', () => {
      const list = stack.resolve(guardrails.allowJobListing([SageMakerJobType.AUTOML]).toStatementJson());
      expect(list).toEqual({ Sid: 'ListJobs', Effect: 'Allow', Action: ['sagemaker:ListAutoMLJobs', 'sagemaker:ListCandidatesForAutoMLJob'], Resource: '*' });
    });

    test('tags only while creating, and only with the required tags', () => {
      const tag = stack.resolve(guardrails.allowTaggingOnCreate({ jobTypes: [SageMakerJobType.TRAINING], tags: { owner: 'alice' } }).toStatementJson());
      expect(tag.Action).toBe('sagemaker:AddTags');
      expect(tag.Condition).toEqual({
        StringEquals: { 'sagemaker:TaggingAction': ['CreateTrainingJob'], 'aws:RequestTag/owner': 'alice' },
      });
    });

    test('statements() combines creation, denies, management, listing and tagging', () => {
      const sids = json(stack, guardrails.statements()).map((s) => s.Sid);
      expect(sids).toEqual(expect.arrayContaining(['CreateTrainingProcessingTuningWithinGuardrails', 'DenyJobsWithoutVpcSubnets', 'ManageOwnJobs', 'ListJobs', 'TagJobsOnCreate']));
      expect(guardrails.instanceTypes).toEqual(JobGuardrails.DEFAULT_INSTANCE_TYPES);
    });
  });

  describe('bad input', () => {
    test('rejects empty subnets and security groups and bad instance types, all at once', () => {
      const { options: opts } = options({ subnets: [], securityGroups: [], instanceTypes: ['m5.large', 'ml.g5.*', ''] });
      expect(() => new JobGuardrails(opts)).toThrow(new RegExp([
        "JobGuardrails 'options' has invalid props:",
        '  - options.subnets must name at least one subnet, got 0',
        '  - options.securityGroups must name at least one security group, got 0',
        "  - options.instanceTypes\\[0\\] must be an instance type such as 'ml.m5.xlarge' or a pattern such as 'ml.m5.\\*', got 'm5.large'",
        '  - options.instanceTypes\\[2\\] must be an instance type',
      ].join('\n')));
    });

    test('rejects an empty instance allowlist', () => {
      const { options: opts } = options({ instanceTypes: [] });
      expect(() => new JobGuardrails(opts)).toThrow(/options.instanceTypes must list at least one instance type, got an empty list/);
    });
  });
});
