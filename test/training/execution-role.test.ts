/**
 * The execution role of an instance group, resolved to concrete ARNs and evaluated with an IAM policy simulator
 * (@cloud-copilot/iam-simulate, AGPL: a test-only devDependency, never imported from src/): what a node needs is
 * allowed, the same request against another cluster, bucket, subnet or VPC is not.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { GpuTrainingCluster, HyperPodInstanceType } from '../../src';
import { compliantTemplate, testStack } from '../harness';
import { fixtureNetwork, SUBNET_A1, SUBNET_B1 } from './fixtures';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

// GIVEN a Slurm cluster with a GPU group
const stack = testStack();
new GpuTrainingCluster(stack, 'Cluster', {
  network: fixtureNetwork(stack),
  clusterName: 'llm-training',
  workerGroups: [{ name: 'gpu', instanceType: HyperPodInstanceType.ML_P5_48XLARGE, instanceCount: 2 }],
});
const template = compliantTemplate(stack).toJSON() as { Resources: { [id: string]: { Type: string; Properties: any } } };

/** Concrete values for the intrinsics the policies use, as CloudFormation would resolve them. */
function resolve(value: any): any {
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  if (value.Ref !== undefined) {
    const pseudo: { [k: string]: string } = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
    if (pseudo[value.Ref]) return pseudo[value.Ref];
    const r = template.Resources[value.Ref];
    if (r.Type === 'AWS::S3::Bucket') return r.Properties.BucketName;
    if (r.Type === 'AWS::IAM::Role') return value.Ref;
    return value.Ref;
  }
  if (value['Fn::GetAtt']) {
    const [id, attr] = value['Fn::GetAtt'];
    const r = template.Resources[id];
    if (r.Type === 'AWS::KMS::Key' && attr === 'Arn') return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
    if (r.Type === 'AWS::EC2::SecurityGroup' && attr === 'GroupId') return CLUSTER_SG;
    if (r.Type === 'AWS::S3::Bucket' && attr === 'Arn') return `arn:aws:s3:::${r.Properties.BucketName}`;
    throw new Error(`no fixture for ${r.Type}.${attr}`);
  }
  if (value['Fn::Join']) return resolve(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
  const out: any = {};
  for (const [k, v] of Object.entries(value)) out[k] = resolve(v);
  return out;
}

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const CLUSTER_SG = 'sg-0cluster000000000';
const roleId = Object.keys(template.Resources).find((id) => id.startsWith('ClusterGroupgpuExecutionRole'))!;
const policies = Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId))
  .map(([name, r]) => ({ name, policy: resolve(r.Properties.PolicyDocument) }));
const bucketName = Object.values(template.Resources).find((r) => r.Type === 'AWS::S3::Bucket' && String(r.Properties.BucketName).startsWith('sagemaker-'))!
  .Properties.BucketName as string;

const keyPolicy = resolve(Object.values(template.Resources).find((r) => r.Type === 'AWS::KMS::Key')!.Properties.KeyPolicy);

const bucket = `arn:aws:s3:::${bucketName}`;
const key = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
const logGroup = (cluster: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/Clusters/${cluster}/abcdefgh1234`;
const ec2 = (path: string, account = ACCOUNT) => `arn:aws:ec2:${REGION}:${account}:${path}`;
const vpc = ec2('vpc/vpc-0123456789abcdef0');

type Decision = 'Allowed' | 'ImplicitlyDenied';
const MATRIX: Array<[string, string, { [k: string]: string }, Decision, string]> = [
  ['s3:GetObject', `${bucket}/hyperpod/llm-training/on_create.sh`, {}, 'Allowed', 'its entry script'],
  ['s3:GetObject', `${bucket}/hyperpod/llm-training/provisioning_parameters.json`, {}, 'Allowed', 'its parameters'],
  ['s3:GetObject', `${bucket}/hyperpod/other-cluster/on_create.sh`, {}, 'ImplicitlyDenied', 'another cluster\'s scripts'],
  ['s3:GetObject', `${bucket}/hyperpod/llm-training/injected.sh`, {}, 'ImplicitlyDenied', 'an object it did not upload'],
  ['s3:GetObject', 'arn:aws:s3:::sagemaker-other-team/on_create.sh', {}, 'ImplicitlyDenied', 'another sagemaker- bucket'],
  ['s3:ListBucket', bucket, { 's3:prefix': 'hyperpod/llm-training/' }, 'Allowed', 'listing its prefix'],
  ['s3:ListBucket', bucket, { 's3:prefix': 'hyperpod/' }, 'ImplicitlyDenied', 'listing other clusters'],
  // the simulator ignores kms:EncryptionContext:<key> condition keys, so the allowed read through S3 is asserted on
  // the statement in gpu-training-cluster.test.ts; the denial without S3 holds either way
  ['kms:Decrypt', key, {}, 'ImplicitlyDenied', 'decrypting directly'],
  ['logs:CreateLogGroup', logGroup('llm-training'), {}, 'Allowed', 'its log group'],
  ['logs:DescribeLogStreams', logGroup('llm-training'), {}, 'Allowed', 'its log streams'],
  ['logs:PutLogEvents', `${logGroup('llm-training')}:log-stream:i-0123456789abcdef0`, {}, 'Allowed', 'its logs'],
  ['logs:PutLogEvents', `${logGroup('other-cluster')}:log-stream:i-0123456789abcdef0`, {}, 'ImplicitlyDenied', 'another cluster\'s logs'],
  ['cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': '/aws/sagemaker/Clusters' }, 'Allowed', 'HyperPod metrics'],
  ['cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'Custom/Anything' }, 'ImplicitlyDenied', 'other namespaces'],
  ['ssmmessages:OpenDataChannel', '*', {}, 'Allowed', 'Session Manager'],
  ['ec2:CreateNetworkInterface', ec2(`subnet/${SUBNET_A1}`), {}, 'Allowed', 'an ENI in the cluster subnet'],
  ['ec2:CreateNetworkInterface', ec2(`security-group/${CLUSTER_SG}`), {}, 'Allowed', 'with the cluster security group'],
  ['ec2:CreateNetworkInterface', ec2(`subnet/${SUBNET_B1}`), {}, 'ImplicitlyDenied', 'an ENI in another subnet'],
  ['ec2:CreateNetworkInterface', ec2('security-group/sg-0another00000000'), {}, 'ImplicitlyDenied', 'with another security group'],
  ['ec2:DetachNetworkInterface', ec2('network-interface/eni-0123456789abcdef0'), { 'ec2:Vpc': vpc }, 'Allowed', 'auto-resume in its VPC'],
  // the node is an instance of the service's account; the simulator models no such instances, so this checks that
  // the identity policy names instances of any account
  ['ec2:DetachNetworkInterface', ec2('instance/i-0123456789abcdef0', '999999999999'), {}, 'Allowed', 'from a HyperPod node'],
  ['ec2:DeleteNetworkInterface', ec2('network-interface/eni-0123456789abcdef0'), { 'ec2:Vpc': ec2('vpc/vpc-0another0000000000') }, 'ImplicitlyDenied', 'an ENI of another VPC'],
  ['kms:CreateGrant', key, {}, 'Allowed', 'grants for the encrypted volumes'],
  ['sagemaker:CreateCluster', `arn:aws:sagemaker:${REGION}:${ACCOUNT}:cluster/abcdefgh1234`, {}, 'ImplicitlyDenied', 'control-plane changes'],
  ['s3:PutObject', `${bucket}/hyperpod/llm-training/on_create.sh`, {}, 'ImplicitlyDenied', 'rewriting its own scripts'],
];

describe('the execution role of an instance group, proven with an IAM policy simulator', () => {
  test('has positive controls and denials', () => {
    expect(MATRIX.filter((r) => r[3] === 'Allowed').length).toBeGreaterThanOrEqual(10);
    expect(MATRIX.filter((r) => r[3] === 'ImplicitlyDenied').length).toBeGreaterThanOrEqual(10);
    expect(policies.map((p) => p.name).sort()).toEqual([expect.stringMatching(/NetworkPolicy/), expect.stringMatching(/NodePolicy/)]);
  });

  test.each(MATRIX)('%s on %s (%j) is %s: %s', async (action, resource, context, expected) => {
    const response = await runSimulation({
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/${roleId}`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: policies,
      // KMS authorizes with the key policy too: the cluster's key lets the account's IAM policies decide
      resourcePolicy: resource.startsWith('arn:aws:kms:') ? keyPolicy : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
    expect(response.overallResult).toBe(expected);
  });
});
