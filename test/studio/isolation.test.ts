/**
 * The isolation proof: the IAM policies the Studio constructs synthesize for two users (alice and bob)
 * and for the people behind them, resolved to concrete ARNs and evaluated with an IAM policy simulator
 * (@cloud-copilot/iam-simulate, AGPL: a test-only devDependency, never imported from src/).
 *
 * Each row of MATRIX is one request and its expected decision. Positive controls (each user's own
 * compliant work) must be allowed, so a policy that denies everything fails this test; denials say
 * whether an explicit Deny statement decides them (they then hold whatever else the role is allowed).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { InterfaceEndpointService } from '../../src/network';
import { estimatePolicySize } from '../../src/private/policy-size';
import { JobGuardrails, SecureBucket } from '../../src/security';
import { StudioDomain } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { c, Case, Context, Principal, runMatrix, sessionOf, templateResourcePolicies } from '../iam-matrix';
import { studioFixture } from './fixtures';
import { ACCOUNT, CfnTemplate, PARTITION, REGION, TemplateResolver } from './iam-resolver';

type Who = 'alice' | 'bob' | 'alice (human)' | 'bob (human)';

// ---------- GIVEN a platform with one Studio domain, two users and two shared spaces ----------
const stack = testStack();
const fixture = studioFixture(stack);
// the default allowlist plus one GPU family with local NVMe storage (jobs on it run without a volume key)
const domain = new StudioDomain(stack, 'Studio', {
  network: fixture.network,
  storageKey: fixture.storageKey,
  jobKey: fixture.dataKey,
  jobInstanceTypes: [...JobGuardrails.DEFAULT_INSTANCE_TYPES, 'ml.g6.*'],
});
const teamFraud = domain.addSharedSpace('team-fraud');
domain.addSharedSpace('team-risk');
const data = new SecureBucket(stack, 'Data', { encryptionKey: fixture.dataKey });
const apiEndpoint = fixture.network.interfaceEndpointFor(InterfaceEndpointService.SAGEMAKER_API)!;
const aliceHuman = new iam.Role(stack, 'AliceHuman', { assumedBy: new iam.AccountRootPrincipal() });
const bobHuman = new iam.Role(stack, 'BobHuman', { assumedBy: new iam.AccountRootPrincipal() });
const alice = domain.addUserProfile('alice', {
  humanPrincipal: aliceHuman,
  presignedUrlEndpoint: apiEndpoint,
  allowedSharedSpaces: [teamFraud],
  dataBuckets: [data],
});
const bob = domain.addUserProfile('bob', { humanPrincipal: bobHuman, dataBuckets: [data] });

const template = compliantTemplate(stack).toJSON() as CfnTemplate;
const resolver = new TemplateResolver(template);
/** The concrete value of a construct attribute (a token) after deployment. */
const value = (token: unknown) => resolver.resolve(stack.resolve(token)) as string;

const sm = (path: string) => `arn:${PARTITION}:sagemaker:${REGION}:${ACCOUNT}:${path}`;
const domainId = value(domain.domainId);
const domainArn = value(domain.domainArn);
const otherDomainArn = sm('domain/d-0th3rd0ma1n0');
const subnets = fixture.network.subnetIds.map(value);
const jobSg = value(domain.jobSecurityGroup.securityGroupId);
const volumeKey = value(domain.jobGuardrails.volumeKey.keyArn);
const outputKey = value(domain.jobGuardrails.outputKey.keyArn);
const foreignKey = `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`;
const profileArn = { alice: value(alice.userProfileArn), bob: value(bob.userProfileArn) };
const roleArn = { alice: value(alice.role.roleArn), bob: value(bob.role.roleArn) };
const bucket = value(data.bucketName);
const vpce = value(apiEndpoint.vpcEndpointId);
const OWNER = 'aws:RequestTag/sagemaker-platform:owner';
/** An S3 request over TLS 1.3, which the platform buckets' policies require. */
const TLS: Context = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };

/** A compliant job request of `owner`, for an action with the condition keys `keys`, minus `omit`. */
function job(owner: 'alice' | 'bob', keys: string[], overrides: Context = {}, omit: string[] = []): Context {
  const all: Context = {
    'sagemaker:VpcSubnets': subnets,
    'sagemaker:VpcSecurityGroupIds': [jobSg],
    'sagemaker:VolumeKmsKeyArn': volumeKey,
    'sagemaker:OutputKmsKeyArn': outputKey,
    'sagemaker:InterContainerTrafficEncryption': 'true',
    'sagemaker:InstanceTypes': ['ml.m5.xlarge'],
  };
  const context: Context = {
    [OWNER]: owner,
    'aws:RequestTag/sagemaker:domain-arn': domainArn,
    'aws:TagKeys': ['sagemaker-platform:owner', 'sagemaker:domain-arn'],
  };
  for (const key of keys) context[key] = all[key];
  for (const key of omit) delete context[key];
  return { ...context, ...overrides };
}
const TRAINING_KEYS = ['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds', 'sagemaker:VolumeKmsKeyArn',
  'sagemaker:OutputKmsKeyArn', 'sagemaker:InterContainerTrafficEncryption', 'sagemaker:InstanceTypes'];
const AUTOML_KEYS = TRAINING_KEYS.filter((k) => k !== 'sagemaker:InstanceTypes');
const TRANSFORM_KEYS = ['sagemaker:VolumeKmsKeyArn', 'sagemaker:OutputKmsKeyArn', 'sagemaker:InstanceTypes'];
const MODEL_KEYS = ['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds'];
const VOLUME_KEY = 'sagemaker:VolumeKmsKeyArn';
/** Instance types with local NVMe storage: SageMaker rejects a volume key for them. */
const NVME = { 'sagemaker:InstanceTypes': ['ml.g6.12xlarge'] };

const training = (name: string) => sm(`training-job/${name}`);
const space = (name: string) => sm(`space/${domainId}/${name}`);
const app = (spaceName: string, type = 'jupyterlab', name = 'default') => sm(`app/${domainId}/${spaceName}/${type}/${name}`);
const privateSpace = (owner: 'alice' | 'bob') => ({
  'sagemaker:OwnerUserProfileArn': profileArn[owner],
  'sagemaker:SpaceSharingType': 'Private',
});
const ownJob = (owner: string, ownerDomainArn = domainArn) => ({
  'aws:ResourceTag/sagemaker-platform:owner': owner,
  'aws:ResourceTag/sagemaker:domain-arn': ownerDomainArn,
});

const MATRIX: Case<Who>[] = [
  // ---------- positive controls: each user's own, compliant work ----------
  c('alice', 'sagemaker:CreateTrainingJob', training('alice-xgb'), job('alice', TRAINING_KEYS), 'Allowed', 'compliant training job'),
  c('alice', 'sagemaker:CreateProcessingJob', sm('processing-job/alice-prep'), job('alice', TRAINING_KEYS), 'Allowed', 'compliant processing job'),
  c('alice', 'sagemaker:CreateHyperParameterTuningJob', sm('hyper-parameter-tuning-job/alice-hpo'), job('alice', TRAINING_KEYS), 'Allowed', 'compliant tuning job'),
  c('alice', 'sagemaker:CreateAutoMLJob', sm('automl-job/alice-automl'), job('alice', AUTOML_KEYS), 'Allowed', 'compliant AutoML job'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/alice-automl2'), job('alice', AUTOML_KEYS), 'Allowed', 'compliant AutoML V2 job'),
  c('alice', 'sagemaker:CreateTransformJob', sm('transform-job/alice-batch'), job('alice', TRANSFORM_KEYS), 'Allowed', 'compliant transform job'),
  c('alice', 'sagemaker:CreateModel', sm('model/alice-model'), job('alice', MODEL_KEYS), 'Allowed', 'model in the platform VPC'),
  c('alice', 'sagemaker:AddTags', training('alice-xgb'), { 'sagemaker:TaggingAction': 'CreateTrainingJob', [OWNER]: 'alice', 'aws:TagKeys': ['sagemaker-platform:owner'] }, 'Allowed', 'tags her new job as hers'),
  c('alice', 'sagemaker:DescribeTrainingJob', training('alice-xgb'), ownJob('alice'), 'Allowed', 'her own job'),
  c('alice', 'sagemaker:StopTrainingJob', training('alice-xgb'), ownJob('alice'), 'Allowed', 'her own job'),
  c('alice', 'sagemaker:ListTrainingJobs', '*', {}, 'Allowed', 'listing'),
  c('alice', 'sagemaker:CreateSpace', space('alice-scratch'), privateSpace('alice'), 'Allowed', 'a private space of her own'),
  c('alice', 'sagemaker:UpdateSpace', space('alice-private'), privateSpace('alice'), 'Allowed', 'her private space'),
  c('alice', 'sagemaker:CreateApp', app('alice-private'), { ...privateSpace('alice'), 'sagemaker:InstanceTypes': ['ml.t3.medium'] }, 'Allowed', 'app in her private space'),
  c('alice', 'sagemaker:DeleteApp', app('alice-private'), privateSpace('alice'), 'Allowed', 'app in her private space'),
  c('alice', 'sagemaker:CreateApp', app('team-fraud'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'Allowed', 'app in a shared space she is allowed'),
  c('alice', 'sagemaker:AddTags', space('alice-scratch'), { 'sagemaker:TaggingAction': 'CreateSpace', 'aws:TagKeys': ['sagemaker:domain-arn'] }, 'Allowed', 'Studio tags her new space'),
  c('alice', 'sagemaker:DescribeSpace', space('team-fraud'), {}, 'Allowed', 'spaces of her domain'),
  c('alice', 'sagemaker:DescribeUserProfile', profileArn.alice, {}, 'Allowed', 'her own profile'),
  c('alice', 'iam:PassRole', roleArn.alice, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'Allowed', 'her own role to SageMaker'),
  c('alice', 's3:GetObject', `arn:${PARTITION}:s3:::${bucket}/users/alice/train.csv`, TLS, 'Allowed', 'her data prefix'),
  c('alice', 'ec2:CreateNetworkInterface', `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:subnet/${subnets[0]}`, {}, 'Allowed', 'job interface in a platform subnet'),
  c('alice', 'kms:CreateGrant', volumeKey, { 'kms:GrantIsForAWSResource': 'true' }, 'Allowed', 'volume key grant for a job volume'),
  c('alice', 'sagemaker:CreateTrainingJob', training('alice-llm'), job('alice', TRAINING_KEYS, NVME, [VOLUME_KEY]), 'Allowed', 'compliant GPU training on local NVMe storage, without a volume key'),
  c('alice', 'sagemaker:CreateProcessingJob', sm('processing-job/alice-embed'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.g6.xlarge', 'ml.g6.2xlarge'] }, [VOLUME_KEY]), 'Allowed', 'compliant processing on local NVMe storage only, without a volume key'),
  c('alice', 'sagemaker:CreateTransformJob', sm('transform-job/alice-gpu-batch'), job('alice', TRANSFORM_KEYS, NVME, [VOLUME_KEY]), 'Allowed', 'compliant transform on local NVMe storage, without a volume key'),
  c('bob', 'sagemaker:CreateTrainingJob', training('bob-xgb'), job('bob', TRAINING_KEYS), 'Allowed', 'compliant training job'),
  c('bob', 'sagemaker:CreateApp', app('bob-private'), privateSpace('bob'), 'Allowed', 'app in his private space'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.alice, { 'aws:SourceVpce': vpce }, 'Allowed', 'opens her own Studio through the endpoint'),
  c('alice (human)', 'sagemaker:DescribeDomain', domainArn, {}, 'Allowed', 'console read'),
  c('bob (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.bob, {}, 'Allowed', 'opens his own Studio (no endpoint condition)'),

  // ---------- job guardrails ----------
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, ['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds']), 'ExplicitlyDenied', 'no VPC configuration', 'DenyJobsWithoutVpcSubnets'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:VpcSubnets': [subnets[0], 'subnet-0fedcba9876543210'] }), 'ExplicitlyDenied', 'a subnet outside the platform', 'DenyJobsOutsidePlatformSubnets'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:VpcSecurityGroupIds': ['sg-0123456789abcdef0'] }), 'ExplicitlyDenied', 'another security group', 'DenyJobsOutsidePlatformSecurityGroups'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, ['sagemaker:VpcSecurityGroupIds']), 'ExplicitlyDenied', 'subnets without security groups', 'DenyJobsWithoutSecurityGroups'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, ['sagemaker:VolumeKmsKeyArn']), 'ExplicitlyDenied', 'no volume key', 'DenyJobsWithoutPlatformVolumeKey'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:VolumeKmsKeyArn': foreignKey }), 'ExplicitlyDenied', 'another volume key', 'DenyJobsWithoutPlatformVolumeKey'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.c5.2xlarge'] }, [VOLUME_KEY]), 'ExplicitlyDenied', 'no volume key on an instance type without local storage', 'DenyJobsWithoutPlatformVolumeKey'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.g6.12xlarge', 'ml.m5.xlarge'] }, [VOLUME_KEY]), 'ExplicitlyDenied', 'no volume key, one instance type without local storage', 'DenyJobsWithoutPlatformVolumeKey'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { ...NVME, [VOLUME_KEY]: foreignKey }), 'ImplicitlyDenied', 'another volume key on local NVMe storage (SageMaker rejects any key there)'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, NVME, [VOLUME_KEY, 'sagemaker:OutputKmsKeyArn']), 'ExplicitlyDenied', 'local NVMe storage without an output key', 'DenyJobsWithoutPlatformOutputKey'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { ...NVME, 'sagemaker:VpcSubnets': ['subnet-0fedcba9876543210'] }, [VOLUME_KEY]), 'ExplicitlyDenied', 'local NVMe storage outside the platform subnets', 'DenyJobsOutsidePlatformSubnets'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { ...NVME, 'sagemaker:InterContainerTrafficEncryption': 'false' }, [VOLUME_KEY]), 'ExplicitlyDenied', 'local NVMe storage without inter-container encryption', 'DenyJobsWithoutInterContainerEncryption'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.p4d.24xlarge'] }, [VOLUME_KEY]), 'ExplicitlyDenied', 'local NVMe storage on an instance type not allowed', 'DenyJobsOnUnapprovedInstanceTypes'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, ['sagemaker:OutputKmsKeyArn']), 'ExplicitlyDenied', 'no output key', 'DenyJobsWithoutPlatformOutputKey'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:InterContainerTrafficEncryption': 'false' }), 'ExplicitlyDenied', 'inter-container encryption off', 'DenyJobsWithoutInterContainerEncryption'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, ['sagemaker:InterContainerTrafficEncryption']), 'ExplicitlyDenied', 'inter-container encryption omitted', 'DenyJobsWithoutInterContainerEncryption'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.p4d.24xlarge'] }), 'ExplicitlyDenied', 'instance type not allowed', 'DenyJobsOnUnapprovedInstanceTypes'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.m5.xlarge', 'ml.p5.48xlarge'] }), 'ExplicitlyDenied', 'one instance type not allowed', 'DenyJobsOnUnapprovedInstanceTypes'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, ['sagemaker:InstanceTypes']), 'ExplicitlyDenied', 'instance types omitted', 'DenyJobsWithoutInstanceTypes'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, {}, [OWNER]), 'ImplicitlyDenied', 'not tagged as hers'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { [OWNER]: 'bob' }), 'ImplicitlyDenied', 'tagged as bob\'s'),
  c('alice', 'sagemaker:CreateTrainingJob', training('x'), job('alice', TRAINING_KEYS, { 'aws:RequestTag/sagemaker:domain-arn': otherDomainArn }), 'ExplicitlyDenied', 'tagged into another domain', 'DenyCreatingInOtherDomains'),
  c('alice', 'sagemaker:CreateProcessingJob', sm('processing-job/x'), job('alice', TRAINING_KEYS, { 'sagemaker:InstanceTypes': ['ml.g5.48xlarge'] }), 'ExplicitlyDenied', 'instance type not allowed', 'DenyJobsOnUnapprovedInstanceTypes'),
  c('alice', 'sagemaker:CreateHyperParameterTuningJob', sm('hyper-parameter-tuning-job/x'), job('alice', TRAINING_KEYS, { 'sagemaker:OutputKmsKeyArn': foreignKey }), 'ExplicitlyDenied', 'another output key', 'DenyJobsWithoutPlatformOutputKey'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/x'), job('alice', AUTOML_KEYS, {}, ['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds']), 'ExplicitlyDenied', 'no VPC configuration', 'DenyJobsWithoutVpcSubnets'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/x'), job('alice', AUTOML_KEYS, { 'sagemaker:InterContainerTrafficEncryption': 'false' }), 'ExplicitlyDenied', 'inter-container encryption off', 'DenyJobsWithoutInterContainerEncryption'),
  c('alice', 'sagemaker:CreateAutoMLJobV2', sm('automl-job/x'), job('alice', AUTOML_KEYS, {}, [VOLUME_KEY]), 'ExplicitlyDenied', 'no volume key (AutoML names no instance types)', 'DenyAutoMLWithoutPlatformVolumeKey'),
  c('alice', 'sagemaker:CreateTransformJob', sm('transform-job/x'), job('alice', TRANSFORM_KEYS, {}, ['sagemaker:VolumeKmsKeyArn']), 'ExplicitlyDenied', 'no volume key', 'DenyJobsWithoutPlatformVolumeKey'),
  c('alice', 'sagemaker:CreateTransformJob', sm('transform-job/x'), job('alice', TRANSFORM_KEYS, { 'sagemaker:InstanceTypes': ['ml.p3.2xlarge'] }), 'ExplicitlyDenied', 'instance type not allowed', 'DenyJobsOnUnapprovedInstanceTypes'),
  c('alice', 'sagemaker:CreateModel', sm('model/x'), job('alice', MODEL_KEYS, {}, ['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds']), 'ExplicitlyDenied', 'model without VPC', 'DenyJobsWithoutVpcSubnets'),

  // ---------- other users' jobs, spaces, apps and tags ----------
  c('alice', 'sagemaker:StopTrainingJob', training('bob-xgb'), ownJob('bob'), 'ImplicitlyDenied', 'bob\'s job'),
  c('alice', 'sagemaker:DescribeTrainingJob', training('bob-xgb'), ownJob('bob'), 'ImplicitlyDenied', 'bob\'s job'),
  c('alice', 'sagemaker:CreateApp', app('bob-private'), privateSpace('bob'), 'ExplicitlyDenied', 'bob\'s private space', 'DenySpacesAndAppsOfOthers'),
  c('alice', 'sagemaker:DeleteApp', app('bob-private'), privateSpace('bob'), 'ExplicitlyDenied', 'bob\'s private space', 'DenySpacesAndAppsOfOthers'),
  c('alice', 'sagemaker:UpdateSpace', space('bob-private'), privateSpace('bob'), 'ExplicitlyDenied', 'bob\'s private space', 'DenySpacesAndAppsOfOthers'),
  c('alice', 'sagemaker:DeleteSpace', space('bob-private'), privateSpace('bob'), 'ExplicitlyDenied', 'bob\'s private space', 'DenySpacesAndAppsOfOthers'),
  c('alice', 'sagemaker:CreateSpace', space('for-bob'), privateSpace('bob'), 'ExplicitlyDenied', 'a private space owned by bob', 'DenySpacesAndAppsOfOthers'),
  c('alice', 'sagemaker:CreateSpace', space('alice-shared'), { 'sagemaker:OwnerUserProfileArn': profileArn.alice, 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'shared spaces are the platform\'s'),
  c('alice', 'sagemaker:DeleteSpace', space('team-fraud'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'a shared space'),
  c('alice', 'sagemaker:CreateApp', app('team-risk'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'a shared space she is not allowed'),
  c('alice', 'sagemaker:AddTags', training('bob-xgb'), { ...ownJob('bob'), 'aws:TagKeys': ['project'] }, 'ExplicitlyDenied', 'tags bob\'s job', 'DenyTaggingResourcesOfOthers'),
  c('alice', 'sagemaker:DeleteTags', space('bob-private'), { 'aws:ResourceTag/sagemaker-platform:owner': 'bob', 'aws:TagKeys': ['project'] }, 'ExplicitlyDenied', 'untags bob\'s space', 'DenyTaggingResourcesOfOthers'),
  c('alice', 'sagemaker:AddTags', training('x'), { 'sagemaker:TaggingAction': 'CreateTrainingJob', [OWNER]: 'bob', 'aws:TagKeys': ['sagemaker-platform:owner'] }, 'ExplicitlyDenied', 'tags a new job as bob\'s', 'DenyTaggingAsSomeoneElse'),
  c('alice', 'sagemaker:AddTags', training('alice-xgb'), { ...ownJob('alice'), 'aws:TagKeys': ['project'] }, 'ImplicitlyDenied', 're-tags an existing job'),
  c('alice', 'sagemaker:DeleteTags', training('alice-xgb'), { ...ownJob('alice'), 'aws:TagKeys': ['sagemaker-platform:owner'] }, 'ExplicitlyDenied', 'removes the owner tag', 'DenyRemovingOwnerTag'),
  c('alice', 'iam:PassRole', roleArn.bob, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied', 'bob\'s role'),
  c('alice', 'iam:PassRole', roleArn.alice, { 'iam:PassedToService': 'ec2.amazonaws.com' }, 'ImplicitlyDenied', 'her role to EC2'),
  c('alice', 'iam:PassRole', roleArn.alice, { 'iam:PassedToService': 'lambda.amazonaws.com' }, 'ImplicitlyDenied', 'her role to Lambda'),
  c('alice', 's3:GetObject', `arn:${PARTITION}:s3:::${bucket}/users/bob/train.csv`, TLS, 'ImplicitlyDenied', 'bob\'s data prefix'),
  c('alice', 's3:PutObject', `arn:${PARTITION}:s3:::${bucket}/shared.csv`, TLS, 'ImplicitlyDenied', 'outside her prefix'),
  c('bob', 'sagemaker:CreateApp', app('alice-private'), privateSpace('alice'), 'ExplicitlyDenied', 'alice\'s private space', 'DenySpacesAndAppsOfOthers'),
  c('bob', 'sagemaker:CreateApp', app('team-fraud'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'a shared space he is not allowed'),
  c('bob', 'iam:PassRole', roleArn.alice, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied', 'alice\'s role'),
  c('bob', 'sagemaker:StopTrainingJob', training('alice-xgb'), ownJob('alice'), 'ImplicitlyDenied', 'alice\'s job'),

  // ---------- app types: the Studio IDEs only; Canvas only from the Canvas construct (neither user has it) ----------
  c('alice', 'sagemaker:CreateApp', app('alice-private', 'codeeditor'), { ...privateSpace('alice'), 'sagemaker:InstanceTypes': ['ml.t3.medium'] }, 'Allowed', 'Code Editor in her private space'),
  c('alice', 'sagemaker:DeleteApp', app('alice-private', 'codeeditor'), privateSpace('alice'), 'Allowed', 'Code Editor in her private space'),
  c('alice', 'sagemaker:CreateApp', app('team-fraud', 'codeeditor'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'Allowed', 'Code Editor in a shared space she is allowed'),
  c('bob', 'sagemaker:CreateApp', app('bob-private', 'codeeditor'), privateSpace('bob'), 'Allowed', 'Code Editor in his private space'),
  c('alice', 'sagemaker:CreateApp', app('alice-private', 'canvas'), privateSpace('alice'), 'ImplicitlyDenied', 'Canvas in her private space, without Canvas'),
  c('alice', 'sagemaker:CreateApp', app('team-fraud', 'canvas'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'Canvas in a shared space she is allowed, without Canvas'),
  c('alice', 'sagemaker:CreateApp', app('alice', 'canvas'), {}, 'ImplicitlyDenied', 'Canvas in her own profile, without Canvas'),
  c('bob', 'sagemaker:CreateApp', app('bob-private', 'canvas'), privateSpace('bob'), 'ImplicitlyDenied', 'Canvas in his private space, without Canvas'),
  c('alice', 'sagemaker:CreateApp', app('alice-private', 'rstudioserverpro'), privateSpace('alice'), 'ImplicitlyDenied', 'RStudio in her private space'),
  c('alice', 'sagemaker:CreateApp', app('alice-private', 'tensorboard'), privateSpace('alice'), 'ImplicitlyDenied', 'TensorBoard in her private space'),
  c('alice', 'sagemaker:CreateApp', app('alice-private', 'detailedprofiler'), privateSpace('alice'), 'ImplicitlyDenied', 'the detailed profiler in her private space'),
  c('alice', 'sagemaker:CreateApp', app('alice-private', 'kernelgateway'), privateSpace('alice'), 'ImplicitlyDenied', 'a Studio Classic kernel gateway in her private space'),
  c('alice', 'sagemaker:CreateApp', app('team-fraud', 'jupyterserver'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'a Studio Classic server in a shared space she is allowed'),
  c('alice', 'sagemaker:CreateApp', app('jupyterlab', 'canvas'), privateSpace('alice'), 'ImplicitlyDenied', 'Canvas in her private space named jupyterlab (the type is matched in its own segment)'),
  c('alice', 'sagemaker:CreateApp', app('team-fraud', 'canvas', 'jupyterlab'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'a Canvas app named jupyterlab in a shared space'),

  // ---------- the domain, other profiles and other domains ----------
  c('alice', 'sagemaker:UpdateDomain', domainArn, {}, 'ExplicitlyDenied', 'administration', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:DeleteDomain', domainArn, {}, 'ExplicitlyDenied', 'administration', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:CreateUserProfile', sm(`user-profile/${domainId}/mallory`), {}, 'ExplicitlyDenied', 'administration', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:UpdateUserProfile', profileArn.alice, {}, 'ExplicitlyDenied', 'her own profile settings', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:DeleteUserProfile', profileArn.bob, {}, 'ExplicitlyDenied', 'bob\'s profile', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:CreatePresignedDomainUrl', profileArn.bob, {}, 'ExplicitlyDenied', 'the role opening Studio as bob', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:DescribeSpace', sm('space/d-0th3rd0ma1n0/theirs'), {}, 'ExplicitlyDenied', 'a space of another domain', 'DenyStudioResourcesOfOtherDomains'),
  c('alice', 'sagemaker:CreateApp', sm('app/d-0th3rd0ma1n0/theirs/jupyterlab/default'), privateSpace('alice'), 'ExplicitlyDenied', 'an app in another domain', 'DenyStudioResourcesOfOtherDomains'),
  c('alice', 'sagemaker:DescribeTrainingJob', training('alice-xgb'), ownJob('alice', otherDomainArn), 'ExplicitlyDenied', 'a job tagged with another domain', 'DenyResourcesOfOtherDomains'),
  c('alice', 'ec2:CreateNetworkInterface', `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0fedcba9876543210`, {}, 'ImplicitlyDenied', 'a subnet outside the platform'),
  c('alice', 'ec2:DeleteNetworkInterface', `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`, { 'ec2:Vpc': `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0fedcba9876543210` }, 'ImplicitlyDenied', 'an interface in another VPC'),
  c('alice', 'kms:Decrypt', foreignKey, {}, 'ImplicitlyDenied', 'a key that is not the platform\'s'),

  // ---------- the people behind the profiles ----------
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.bob, { 'aws:SourceVpce': vpce }, 'ImplicitlyDenied', 'bob\'s profile'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.alice, {}, 'ExplicitlyDenied', 'her profile, not through the endpoint', 'DenyStudioOutsidePlatformEndpoint'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.alice, { 'aws:SourceVpce': 'vpce-0fedcba9876543210' }, 'ExplicitlyDenied', 'her profile, through another endpoint', 'DenyStudioOutsidePlatformEndpoint'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', sm('user-profile/d-0th3rd0ma1n0/alice'), { 'aws:SourceVpce': vpce }, 'ImplicitlyDenied', 'a profile in another domain'),
  c('alice (human)', 'sagemaker:UpdateUserProfile', profileArn.alice, {}, 'ImplicitlyDenied', 'changes her profile'),
  c('bob (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.alice, {}, 'ImplicitlyDenied', 'alice\'s profile'),
];

const policiesOf = (logicalId: string) => resolver.policiesOf(logicalId);
const principals: { [who in Who]: Principal } = {
  'alice': sessionOf(value(alice.role.roleArn), 'SageMaker', policiesOf),
  'bob': sessionOf(value(bob.role.roleArn), 'SageMaker', policiesOf),
  'alice (human)': sessionOf(value(aliceHuman.roleArn), 'alice', policiesOf),
  'bob (human)': sessionOf(value(bobHuman.roleArn), 'bob', policiesOf),
};

describe('Studio user isolation, proven with an IAM policy simulator', () => {
  runMatrix(MATRIX, { principals, resourcePolicyOf: templateResourcePolicies(template, resolver), minExplicitDenials: 20 });

  test('every policy of the users fits the 6,144-character limit of a managed policy, and the synth-time estimate errs long', () => {
    const byLogicalId = new Map(stack.node.findAll().filter((x): x is iam.ManagedPolicy => x instanceof iam.ManagedPolicy)
      .map((p) => [stack.getLogicalId(p.node.defaultChild as iam.CfnManagedPolicy), p]));
    for (const who of Object.keys(principals) as Who[]) {
      for (const { name, policy } of principals[who].policies) {
        const size = JSON.stringify(policy).replace(/\s/g, '').length;
        expect({ name, fits: size <= 6144, size }).toEqual({ name, fits: true, size });
        expect(estimatePolicySize(byLogicalId.get(name)!)).toBeGreaterThanOrEqual(size);
      }
    }
  });

  test('each execution role has exactly its own policies and the shared ones, each person only their access policy', () => {
    const names = (who: Who) => principals[who].policies.map((p) => p.name).sort();
    expect(names('alice').filter((n) => n.includes('bob'))).toEqual([]);
    expect(names('alice')).toHaveLength(5);
    expect(names('bob')).toHaveLength(5);
    expect(names('alice (human)')).toEqual([expect.stringMatching(/alice.*AccessPolicy/)]);
    expect(names('bob (human)')).toEqual([expect.stringMatching(/bob.*AccessPolicy/)]);
  });
});
