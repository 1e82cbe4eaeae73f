/**
 * Team isolation, proven with an IAM policy simulator (@cloud-copilot/iam-simulate, AGPL: a test-only
 * devDependency, never imported from src/).
 *
 * A platform with two teams (retention: alice and bob; fraud: carol) is synthesized into its stacks
 * (network and keys, data, Studio with one nested stack per team); the policies of each member's role,
 * each team's shared-space role and alice's person are resolved across the stacks (exports, nested
 * parameters) to concrete ARNs, and each request of MATRIX is evaluated with the identity policies of the
 * principal and the resource policy that governs the resource (the data bucket policy, the data key policy).
 *
 * Every role of a team carries the team tag (asserted below), so every request of a team principal is
 * made with `aws:PrincipalTag/sagemaker-platform:team`. Positive controls must be allowed, so a policy that
 * denies everything fails this test; explicit denials name the statement that decides them.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InterfaceEndpointService } from '../../src/network';
import { PlatformTeam, SecureMlPlatform } from '../../src/platform';
import { TEST_ENV, testApp } from '../harness';
import { c, Case, Context, Principal, runMatrix, sessionOf } from '../iam-matrix';
import { AppResolver } from './app-resolver';
import { ACCOUNT, PARTITION, REGION } from '../studio/iam-resolver';

type Who = 'alice' | 'bob' | 'carol' | 'retention shared space' | 'fraud shared space' | 'alice (human)';

// ---------- GIVEN a platform with two teams ----------
const app = testApp();
const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'hr-ml', env: TEST_ENV });
const aliceHuman = new iam.Role(platform.studioStack, 'AliceSignIn', { assumedBy: new iam.AccountRootPrincipal() });
const retention = platform.addTeam('retention', {
  members: [
    { userName: 'alice', humanPrincipal: aliceHuman, presignedUrlEndpoint: platform.network.interfaceEndpointFor(InterfaceEndpointService.SAGEMAKER_API) },
    { userName: 'bob' },
  ],
});
const fraud = platform.addTeam('fraud', { members: [{ userName: 'carol' }] });
const [alice, bob] = retention.memberProfiles;
const [carol] = fraud.memberProfiles;

const resolver = new AppResolver(platform);
const value = (scope: { node: unknown } & object, token: unknown) => resolver.value(scope as never, token);

const sm = (path: string) => `arn:${PARTITION}:sagemaker:${REGION}:${ACCOUNT}:${path}`;
const domainId = { retention: value(retention, retention.domain.domainId), fraud: value(fraud, fraud.domain.domainId) };
const domainArn = { retention: value(retention, retention.domain.domainArn), fraud: value(fraud, fraud.domain.domainArn) };
const profileArn = { alice: value(alice, alice.userProfileArn), bob: value(bob, bob.userProfileArn), carol: value(carol, carol.userProfileArn) };
const roleArn = {
  alice: value(alice, alice.role.roleArn),
  carol: value(carol, carol.role.roleArn),
  retentionShared: value(retention, retention.domain.defaultExecutionRole.roleArn),
};
const bucket = value(platform.dataBucket, platform.dataBucket.bucketName);
const dataKey = value(platform.keys, platform.keys.dataKey.keyArn);
const subnets = platform.network.subnetIds.map((s) => value(platform.networkStack, s));
const jobSg = {
  retention: value(retention, retention.domain.jobSecurityGroup.securityGroupId),
  fraud: value(fraud, fraud.domain.jobSecurityGroup.securityGroupId),
};
const vpce = value(platform.networkStack, platform.network.interfaceEndpointFor(InterfaceEndpointService.SAGEMAKER_API)!.vpcEndpointId);

const TLS: Context = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
const object = (key: string) => `arn:${PARTITION}:s3:::${bucket}/${key}`;
const bucketArn = `arn:${PARTITION}:s3:::${bucket}`;
/**
 * A KMS request made by S3 on the caller's behalf. The simulator cannot evaluate
 * `kms:EncryptionContext:aws:s3:arn` (it only knows variable keys written with '/'), so the requests
 * carry no encryption context: the statements that require it are checked in the template instead.
 */
const VIA_S3: Context = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
const space = (team: 'retention' | 'fraud', name: string) => sm(`space/${domainId[team]}/${name}`);
const app_ = (team: 'retention' | 'fraud', spaceName: string, type = 'jupyterlab') => sm(`app/${domainId[team]}/${spaceName}/${type}/default`);
const ownPrivate = (owner: 'alice' | 'carol') => ({ 'sagemaker:OwnerUserProfileArn': profileArn[owner], 'sagemaker:SpaceSharingType': 'Private' });
const OWNER = 'aws:RequestTag/sagemaker-platform:owner';
const training = (owner: 'alice' | 'carol', team: 'retention' | 'fraud', sg: string): Context => ({
  [OWNER]: owner,
  'aws:RequestTag/sagemaker:domain-arn': domainArn[team],
  'aws:TagKeys': ['sagemaker-platform:owner', 'sagemaker:domain-arn'],
  'sagemaker:VpcSubnets': subnets,
  'sagemaker:VpcSecurityGroupIds': [sg],
  'sagemaker:VolumeKmsKeyArn': dataKey,
  'sagemaker:OutputKmsKeyArn': dataKey,
  'sagemaker:InterContainerTrafficEncryption': 'true',
  'sagemaker:InstanceTypes': ['ml.m5.xlarge'],
});

const MATRIX: Case<Who>[] = [
  // ---------- positive controls: each team's own data, spaces and jobs ----------
  c('alice', 's3:GetObject', object('teams/retention/train.csv'), TLS, 'Allowed', 'her team\'s data'),
  c('alice', 's3:PutObject', object('teams/retention/features/part-0.parquet'), TLS, 'Allowed', 'writes her team\'s data'),
  c('alice', 's3:DeleteObject', object('teams/retention/tmp.csv'), TLS, 'Allowed', 'her team\'s data'),
  c('alice', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'teams/retention/' }, 'Allowed', 'lists her team\'s prefix'),
  c('alice', 's3:GetObject', object('users/alice/notes.csv'), TLS, 'Allowed', 'her own prefix'),
  c('bob', 's3:GetObject', object('teams/retention/train.csv'), TLS, 'Allowed', 'his team\'s data'),
  c('carol', 's3:GetObject', object('teams/fraud/transactions.csv'), TLS, 'Allowed', 'her team\'s data'),
  c('carol', 's3:PutObject', object('teams/fraud/scores.csv'), TLS, 'Allowed', 'writes her team\'s data'),
  c('retention shared space', 's3:GetObject', object('teams/retention/train.csv'), TLS, 'Allowed', 'the shared space reads its team\'s data'),
  c('fraud shared space', 's3:PutObject', object('teams/fraud/shared.csv'), TLS, 'Allowed', 'the shared space writes its team\'s data'),
  c('alice', 'kms:Decrypt', dataKey, VIA_S3, 'Allowed', 'the data key through S3 for the data bucket'),
  c('alice', 'kms:GenerateDataKey', dataKey, VIA_S3, 'Allowed', 'encrypts new objects through S3'),
  c('alice', 'sagemaker:CreateApp', app_('retention', 'retention-shared'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'Allowed', 'her team\'s shared space'),
  c('bob', 'sagemaker:CreateApp', app_('retention', 'retention-shared'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'Allowed', 'his team\'s shared space'),
  c('carol', 'sagemaker:CreateApp', app_('fraud', 'fraud-shared'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'Allowed', 'her team\'s shared space'),
  c('alice', 'sagemaker:CreateTrainingJob', sm('training-job/alice-xgb'), training('alice', 'retention', jobSg.retention), 'Allowed', 'a compliant job of her team'),
  c('carol', 'sagemaker:CreateTrainingJob', sm('training-job/carol-xgb'), training('carol', 'fraud', jobSg.fraud), 'Allowed', 'a compliant job of her team'),
  c('alice', 'iam:PassRole', roleArn.alice, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'Allowed', 'her own role to SageMaker'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.alice, { 'aws:SourceVpce': vpce }, 'Allowed', 'opens her own Studio'),

  // ---------- app types: the Studio IDEs in the member's private and team spaces, never Canvas (no team has it) ----------
  c('alice', 'sagemaker:CreateApp', app_('retention', 'retention-shared', 'codeeditor'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'Allowed', 'Code Editor in her team\'s shared space'),
  c('alice', 'sagemaker:CreateApp', app_('retention', 'alice-private'), ownPrivate('alice'), 'Allowed', 'JupyterLab in her private space'),
  c('carol', 'sagemaker:CreateApp', app_('fraud', 'carol-private', 'codeeditor'), ownPrivate('carol'), 'Allowed', 'Code Editor in her private space'),
  c('alice', 'sagemaker:CreateApp', app_('retention', 'retention-shared', 'canvas'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'Canvas in her team\'s shared space, without Canvas'),
  c('alice', 'sagemaker:CreateApp', app_('retention', 'alice-private', 'canvas'), ownPrivate('alice'), 'ImplicitlyDenied', 'Canvas in her private space, without Canvas'),
  c('carol', 'sagemaker:CreateApp', app_('fraud', 'carol-private', 'canvas'), ownPrivate('carol'), 'ImplicitlyDenied', 'Canvas in her private space, without Canvas'),
  c('retention shared space', 'sagemaker:CreateApp', app_('retention', 'retention-shared', 'canvas'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ImplicitlyDenied', 'the shared-space role starts no app'),

  // ---------- another team's data: denied by the bucket policy, whatever the role is granted ----------
  c('alice', 's3:GetObject', object('teams/fraud/transactions.csv'), TLS, 'ExplicitlyDenied', 'the fraud team\'s data', 'DenyTeamfraudObjectsToOtherTeams'),
  c('alice', 's3:PutObject', object('teams/fraud/planted.csv'), TLS, 'ExplicitlyDenied', 'writes into the fraud team\'s prefix', 'DenyTeamfraudObjectsToOtherTeams'),
  c('alice', 's3:DeleteObject', object('teams/fraud/transactions.csv'), TLS, 'ExplicitlyDenied', 'deletes the fraud team\'s data', 'DenyTeamfraudObjectsToOtherTeams'),
  c('alice', 's3:GetObjectVersion', object('teams/fraud/transactions.csv'), TLS, 'ExplicitlyDenied', 'an old version of the fraud team\'s data', 'DenyTeamfraudObjectsToOtherTeams'),
  c('alice', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'teams/fraud/' }, 'ExplicitlyDenied', 'lists the fraud team\'s prefix', 'DenyListingOtherTeamsPrefixes'),
  c('bob', 's3:GetObject', object('teams/fraud/transactions.csv'), TLS, 'ExplicitlyDenied', 'the fraud team\'s data', 'DenyTeamfraudObjectsToOtherTeams'),
  c('carol', 's3:GetObject', object('teams/retention/train.csv'), TLS, 'ExplicitlyDenied', 'the retention team\'s data', 'DenyTeamretentionObjectsToOtherTeams'),
  c('carol', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'teams/retention/' }, 'ExplicitlyDenied', 'lists the retention team\'s prefix', 'DenyListingOtherTeamsPrefixes'),
  c('fraud shared space', 's3:GetObject', object('teams/retention/train.csv'), TLS, 'ExplicitlyDenied', 'the other team\'s shared space', 'DenyTeamretentionObjectsToOtherTeams'),
  c('retention shared space', 's3:GetObject', object('teams/fraud/transactions.csv'), TLS, 'ExplicitlyDenied', 'the other team\'s shared space', 'DenyTeamfraudObjectsToOtherTeams'),

  // ---------- data outside the team's grants ----------
  c('alice', 's3:GetObject', object('users/bob/notes.csv'), TLS, 'ImplicitlyDenied', 'a teammate\'s own prefix'),
  c('alice', 's3:GetObject', object('users/carol/notes.csv'), TLS, 'ImplicitlyDenied', 'another team member\'s own prefix'),
  c('carol', 's3:GetObject', object('users/alice/notes.csv'), TLS, 'ImplicitlyDenied', 'another team member\'s own prefix'),
  c('alice', 's3:GetObject', object('shared/reference.csv'), TLS, 'ImplicitlyDenied', 'outside any team prefix'),
  c('alice', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'teams/' }, 'ExplicitlyDenied', 'lists the names of every team', 'DenyListingOtherTeamsPrefixes'),
  c('alice', 's3:ListBucket', bucketArn, { ...TLS, 's3:prefix': 'teams/retention/2024/' }, 'Allowed', 'lists below her team\'s prefix'),
  c('retention shared space', 's3:GetObject', object('users/alice/notes.csv'), TLS, 'ImplicitlyDenied', 'a member\'s own prefix from the shared space'),
  c('alice', 's3:GetObject', object('teams/retention/train.csv'), { 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied', 'her team\'s data without TLS', 'aws:SecureTransport'),

  // ---------- the data key: only through its services ----------
  c('alice', 'kms:Decrypt', dataKey, {}, 'ExplicitlyDenied', 'a direct decrypt of platform data', 'DenyUseExceptThroughItsServices'),
  c('alice', 'kms:Decrypt', dataKey, { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` }, 'ExplicitlyDenied', 'through a service that is not the key\'s', 'DenyUseExceptThroughItsServices'),
  c('retention shared space', 'kms:Decrypt', dataKey, {}, 'ExplicitlyDenied', 'a direct decrypt from the shared space', 'DenyUseExceptThroughItsServices'),
  c('carol', 'kms:GenerateDataKey', dataKey, { 'kms:ViaService': `lambda.${REGION}.amazonaws.com` }, 'ExplicitlyDenied', 'through Lambda', 'DenyUseExceptThroughItsServices'),
  c('retention shared space', 'kms:Decrypt', dataKey, VIA_S3, 'ImplicitlyDenied', 'through S3 but without the data bucket\'s encryption context'),

  // ---------- another team's domain: spaces, apps, profiles, jobs ----------
  c('alice', 'sagemaker:CreateApp', app_('fraud', 'fraud-shared'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ExplicitlyDenied', 'the fraud team\'s shared space', 'DenyStudioResourcesOfOtherDomains'),
  c('carol', 'sagemaker:CreateApp', app_('retention', 'retention-shared'), { 'sagemaker:SpaceSharingType': 'Shared' }, 'ExplicitlyDenied', 'the retention team\'s shared space', 'DenyStudioResourcesOfOtherDomains'),
  c('alice', 'sagemaker:CreateApp', app_('fraud', 'carol-private'), { 'sagemaker:OwnerUserProfileArn': profileArn.carol, 'sagemaker:SpaceSharingType': 'Private' }, 'ExplicitlyDenied', 'carol\'s private space', 'DenyStudioResourcesOfOtherDomains'),
  c('alice', 'sagemaker:DescribeSpace', space('fraud', 'fraud-shared'), {}, 'ExplicitlyDenied', 'describes the other team\'s space', 'DenyStudioResourcesOfOtherDomains'),
  c('alice', 'sagemaker:CreatePresignedDomainUrl', profileArn.carol, {}, 'ExplicitlyDenied', 'opens Studio as carol', 'DenyStudioAdministration'),
  c('alice', 'sagemaker:DescribeTrainingJob', sm('training-job/carol-xgb'), { 'aws:ResourceTag/sagemaker-platform:owner': 'carol', 'aws:ResourceTag/sagemaker:domain-arn': domainArn.fraud }, 'ExplicitlyDenied', 'a job of the fraud team', 'DenyResourcesOfOtherDomains'),
  c('alice', 'sagemaker:CreateTrainingJob', sm('training-job/x'), training('alice', 'retention', jobSg.fraud), 'ExplicitlyDenied', 'a job in the fraud team\'s job security group', 'DenyJobsOutsidePlatformSecurityGroups'),
  c('alice', 'sagemaker:CreateTrainingJob', sm('training-job/x'), training('alice', 'fraud', jobSg.retention), 'ExplicitlyDenied', 'a job tagged into the fraud team\'s domain', 'DenyCreatingInOtherDomains'),
  c('alice', 'iam:PassRole', roleArn.carol, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied', 'carol\'s role'),
  c('alice', 'iam:PassRole', roleArn.retentionShared, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied', 'her team\'s shared-space role'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.carol, { 'aws:SourceVpce': vpce }, 'ImplicitlyDenied', 'opens carol\'s Studio'),
  c('alice (human)', 'sagemaker:CreatePresignedDomainUrl', profileArn.bob, { 'aws:SourceVpce': vpce }, 'ImplicitlyDenied', 'opens her teammate\'s Studio'),
];

// ---------- the principals: role sessions with the team tag of their role ----------
const policiesOf = (roleName: string) => resolver.policiesOfRole(roleName);
const roleOf = (team: PlatformTeam | undefined, role: iam.IRole, session: string): Principal =>
  sessionOf(value(role, role.roleName), session, policiesOf, team && { [`aws:PrincipalTag/${PlatformTeam.TEAM_TAG_KEY}`]: team.teamName });
const principals: { [who in Who]: Principal } = {
  'alice': roleOf(retention, alice.role, 'SageMaker'),
  'bob': roleOf(retention, bob.role, 'SageMaker'),
  'carol': roleOf(fraud, carol.role, 'SageMaker'),
  'retention shared space': roleOf(retention, retention.domain.defaultExecutionRole, 'SageMaker'),
  'fraud shared space': roleOf(fraud, fraud.domain.defaultExecutionRole, 'SageMaker'),
  'alice (human)': roleOf(undefined, aliceHuman, 'alice'),
};

describe('team isolation on a two-team platform, proven with an IAM policy simulator', () => {
  const decide = runMatrix(MATRIX, { principals, resourcePolicyOf: (arn) => resolver.resourcePolicyOf(arn), minExplicitDenials: 20 });

  test('every role of a team carries the team tag the bucket policy reads (the context of the requests)', () => {
    const roles: Array<[iam.IRole, PlatformTeam]> = [
      [alice.role, retention], [bob.role, retention], [carol.role, fraud],
      [retention.domain.defaultExecutionRole, retention], [fraud.domain.defaultExecutionRole, fraud],
    ];
    for (const [role, team] of roles) {
      const stack = Stack.of(role);
      const logicalId = stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId) as string;
      const tags = resolver.of(stack).resource(logicalId).Properties?.Tags;
      expect(tags).toEqual(expect.arrayContaining([{ Key: PlatformTeam.TEAM_TAG_KEY, Value: team.teamName }]));
    }
  });

  test('the other team\'s prefix stays denied even when a role is granted the whole bucket', async () => {
    // GIVEN a mistaken grant of every object of the bucket to alice's role
    const tooBroad = [...principals.alice.policies, {
      name: 'MistakenGrant',
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: [bucketArn, `${bucketArn}/*`] }] },
    }];
    // THEN the fraud team's data is still denied by the bucket policy
    const row = MATRIX.find((r) => r.who === 'alice' && r.action === 's3:GetObject' && r.resource.includes('teams/fraud'))!;
    const { decision, denies } = await decide(row, tooBroad);
    expect(decision).toBe('ExplicitlyDenied');
    expect(denies).toContain('DenyTeamfraudObjectsToOtherTeams');
  });

  test('each member role carries its own policies, the shared ones of its domain and its team\'s access policy only', () => {
    const names = (who: Who) => principals[who].policies.map((p) => p.name);
    expect(names('alice')).toHaveLength(6);
    expect(names('alice').filter((n) => /AccessPolicy/.test(n))).toHaveLength(1);
    expect(names('carol')).toHaveLength(6);
    expect(names('retention shared space').sort()).toEqual([
      expect.stringMatching(/^TeamAccessPolicy/),
      expect.stringMatching(/^TeamDomainDefaultExecutionGuardrails/),
    ].sort());
  });

  test('the team statement of the data key: only through S3 and only for objects of the data bucket (read in the template: the simulator cannot evaluate kms:EncryptionContext:aws:s3:arn)', () => {
    const cases: Array<[Who, string]> = [['alice', 'retention'], ['carol', 'fraud'], ['retention shared space', 'retention'], ['fraud shared space', 'fraud']];
    for (const [who, team] of cases) {
      const statements = principals[who].policies
        .flatMap((p) => (p.policy as { Statement: Array<{ Sid?: string }> }).Statement)
        .filter((st) => st.Sid === 'TeamDataKeyThroughS3');
      expect(statements).toEqual([{
        Sid: 'TeamDataKeyThroughS3',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: dataKey,
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/teams/${team}/*`] },
        },
      }]);
    }
  });

  test('the key and bucket policies name no role of the teams, so the network and data stacks never depend on Studio', () => {
    const key = JSON.stringify(resolver.resourcePolicyOf(dataKey));
    const bucketPolicy = JSON.stringify(resolver.resourcePolicyOf(object('teams/retention/x')));
    for (const principal of Object.values(principals)) {
      const role = principal.arn.split('/')[1];
      expect(key).not.toContain(role);
      expect(bucketPolicy).not.toContain(role);
    }
  });
});
