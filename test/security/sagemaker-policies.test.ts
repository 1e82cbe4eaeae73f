import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SageMakerPolicies } from '../../src/security';
import { TEST_ENV } from '../harness';

const stack = new Stack(undefined, 'Policies', { env: TEST_ENV });
const json = (statements: iam.PolicyStatement | iam.PolicyStatement[]) =>
  (Array.isArray(statements) ? statements : [statements]).map((s) => stack.resolve(s.toStatementJson()));
/** An ARN built with the deploying account and Region, as CloudFormation renders it. */
const arn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

const DOMAIN_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:domain/d-0123456789ab';
const PROFILE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-0123456789ab/alice';

describe('SageMakerPolicies', () => {
  describe('passRole', () => {
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::123456789012:role/alice-execution');

    test('passes only the named roles, only to SageMaker by default', () => {
      expect(json(SageMakerPolicies.passRole([role]))).toEqual([{
        Sid: 'PassNamedRolesToOneService',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::123456789012:role/alice-execution',
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }]);
    });

    test('uses the provided service', () => {
      const [statement] = json(SageMakerPolicies.passRole([role], 'scheduler.amazonaws.com'));
      expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    });

    test('refuses an empty role list', () => {
      expect(() => SageMakerPolicies.passRole([])).toThrow(/roles must name at least one role, got none/);
    });
  });

  describe('domainResourceIsolation', () => {
    const statements = json(SageMakerPolicies.domainResourceIsolation(DOMAIN_ARN, 'd-0123456789ab'));

    test('is made of explicit denies only', () => {
      expect(statements.map((s) => [s.Sid, s.Effect])).toEqual([
        ['DenyResourcesOfOtherDomains', 'Deny'],
        ['DenyCreatingInOtherDomains', 'Deny'],
        ['DenyStudioResourcesOfOtherDomains', 'Deny'],
      ]);
    });

    test('denies resources tagged with another domain, but not untagged ones', () => {
      expect(statements[0].Condition).toEqual({
        StringNotEquals: { 'aws:ResourceTag/sagemaker:domain-arn': DOMAIN_ARN },
        Null: { 'aws:ResourceTag/sagemaker:domain-arn': 'false' },
      });
      expect(statements[1].Condition).toEqual({
        StringNotEquals: { 'aws:RequestTag/sagemaker:domain-arn': DOMAIN_ARN },
        Null: { 'aws:RequestTag/sagemaker:domain-arn': 'false' },
      });
    });

    test('denies Studio actions on apps, spaces and profiles outside the domain ID', () => {
      expect(statements[2].NotResource).toEqual([
        arn('app/d-0123456789ab/*'), arn('space/d-0123456789ab/*'), arn('user-profile/d-0123456789ab/*'), arn('domain/d-0123456789ab'),
      ]);
      expect(statements[2].Action).toEqual(expect.arrayContaining(['sagemaker:CreateApp', 'sagemaker:CreatePresignedDomainUrl', 'sagemaker:UpdateDomain']));
    });
  });

  describe('userExecution', () => {
    const statements = json(SageMakerPolicies.userExecution({
      domainId: 'd-0123456789ab',
      userProfileArn: PROFILE_ARN,
      owner: 'alice',
      allowedSharedSpaces: ['Team-Fraud'],
      instanceTypes: ['ml.t3.medium'],
    }));
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);

    test('spaces and apps only in the user\'s own private spaces', () => {
      expect(bySid('OwnPrivateSpacesAndTheirApps').Condition).toEqual({
        'ArnEquals': { 'sagemaker:OwnerUserProfileArn': PROFILE_ARN },
        'StringEquals': { 'sagemaker:SpaceSharingType': 'Private' },
        'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': ['ml.t3.medium'] },
      });
      expect(bySid('OwnPrivateSpacesAndTheirApps').Action).toEqual([
        'sagemaker:CreateSpace', 'sagemaker:UpdateSpace', 'sagemaker:DeleteSpace', 'sagemaker:CreateApp', 'sagemaker:DeleteApp',
      ]);
    });

    test('apps of the Studio IDEs only (JupyterLab, Code Editor), never Canvas or another app type, by lower-case ARN', () => {
      expect(bySid('OwnPrivateSpacesAndTheirApps').Resource).toEqual([
        arn('space/d-0123456789ab/*'), arn('app/d-0123456789ab/*/jupyterlab/*'), arn('app/d-0123456789ab/*/codeeditor/*'),
      ]);
      expect(bySid('AppsInAllowedSharedSpaces').Resource).toEqual([
        arn('app/d-0123456789ab/team-fraud/jupyterlab/*'), arn('app/d-0123456789ab/team-fraud/codeeditor/*'),
      ]);
      expect(bySid('AppsInAllowedSharedSpaces').Condition.StringEquals).toEqual({ 'sagemaker:SpaceSharingType': 'Shared' });
      // no other allow statement reaches apps
      const appStatements = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => /App$/.test(a)));
      expect(appStatements.map((s) => s.Sid)).toEqual(['OwnPrivateSpacesAndTheirApps', 'AppsInAllowedSharedSpaces']);
    });

    test('keeps a shared space name that is a deploy-time value as it is', () => {
      const name = Token.asString({ Ref: 'SpaceName' });
      const withToken = json(SageMakerPolicies.userExecution({
        domainId: 'd-0123456789ab', userProfileArn: PROFILE_ARN, owner: 'alice', allowedSharedSpaces: [name],
      }));
      expect(withToken.find((s) => s.Sid === 'AppsInAllowedSharedSpaces').Resource[0]).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
          ':app/d-0123456789ab/', { Ref: 'SpaceName' }, '/jupyterlab/*']],
      });
    });

    test('explicitly denies private spaces of others, tagging resources of others and removing the owner tag', () => {
      expect(bySid('DenySpacesAndAppsOfOthers')).toMatchObject({
        Effect: 'Deny',
        Condition: {
          ArnNotEquals: { 'sagemaker:OwnerUserProfileArn': PROFILE_ARN },
          Null: { 'sagemaker:OwnerUserProfileArn': 'false' },
          StringEquals: { 'sagemaker:SpaceSharingType': 'Private' },
        },
      });
      expect(bySid('DenyTaggingResourcesOfOthers').Condition.StringNotEquals).toEqual({ 'aws:ResourceTag/sagemaker-platform:owner': 'alice' });
      expect(bySid('DenyTaggingAsSomeoneElse').Condition.StringNotEquals).toEqual({ 'aws:RequestTag/sagemaker-platform:owner': 'alice' });
      expect(bySid('DenyRemovingOwnerTag').Condition).toEqual({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['sagemaker-platform:owner'] } });
    });

    test('has no shared-space statement and no instance condition when none are given', () => {
      const minimal = json(SageMakerPolicies.userExecution({ domainId: 'd-0123456789ab', userProfileArn: PROFILE_ARN, owner: 'alice' }));
      expect(minimal.find((s) => s.Sid === 'AppsInAllowedSharedSpaces')).toBeUndefined();
      expect(minimal.find((s) => s.Sid === 'OwnPrivateSpacesAndTheirApps').Condition['ForAllValues:StringLike']).toBeUndefined();
    });

    test('never allows an action wildcard', () => {
      for (const s of statements.filter((x) => x.Effect === 'Allow')) {
        expect([s.Action].flat().filter((a: string) => a.includes('*'))).toEqual([]);
      }
    });
  });

  describe('humanAccess', () => {
    test('opens Studio only as the user\'s own profile, with the console\'s read-only calls', () => {
      const statements = json(SageMakerPolicies.humanAccess({ domainArn: DOMAIN_ARN, userProfileArn: PROFILE_ARN }));
      expect(statements).toEqual([
        { Sid: 'OpenOwnStudioProfile', Effect: 'Allow', Action: 'sagemaker:CreatePresignedDomainUrl', Resource: PROFILE_ARN },
        { Sid: 'DescribeOwnStudioProfile', Effect: 'Allow', Action: ['sagemaker:DescribeDomain', 'sagemaker:DescribeUserProfile'], Resource: [DOMAIN_ARN, PROFILE_ARN] },
        { Sid: 'ListStudioForConsole', Effect: 'Allow', Action: ['sagemaker:ListDomains', 'sagemaker:ListUserProfiles', 'sagemaker:ListSpaces', 'sagemaker:ListApps'], Resource: '*' },
      ]);
    });

    test('uses the provided SageMaker API endpoint as the only way in', () => {
      const endpoint = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Api', { vpcEndpointId: 'vpce-0123456789abcdef0', port: 443 });
      const statements = json(SageMakerPolicies.humanAccess({ domainArn: DOMAIN_ARN, userProfileArn: PROFILE_ARN, sageMakerApiEndpoint: endpoint }));
      expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } });
      expect(statements[3]).toEqual({
        Sid: 'DenyStudioOutsidePlatformEndpoint',
        Effect: 'Deny',
        Action: 'sagemaker:CreatePresignedDomainUrl',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
      });
    });
  });

  describe('studioDomainAccess, denyStudioAdministration and jobExecution', () => {
    test('reads only the domain and its spaces and apps', () => {
      const [describe] = json(SageMakerPolicies.studioDomainAccess({ domainArn: DOMAIN_ARN, domainId: 'd-0123456789ab' }));
      expect(describe.Resource).toEqual([DOMAIN_ARN, arn('space/d-0123456789ab/*'), arn('app/d-0123456789ab/*')]);
    });

    test('denies domain and profile administration and opening Studio', () => {
      const [deny] = json(SageMakerPolicies.denyStudioAdministration());
      expect(deny.Effect).toBe('Deny');
      expect(deny.Action).toEqual(expect.arrayContaining(['sagemaker:UpdateDomain', 'sagemaker:DeleteUserProfile', 'sagemaker:CreatePresignedDomainUrl']));
    });

    test('creates network interfaces only in the platform subnets and security groups, cleans up only in the VPC', () => {
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'] });
      const key = kms.Key.fromKeyArn(stack, 'JobKey', 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
      const statements = json(SageMakerPolicies.jobExecution({
        vpc,
        guardrails: {
          subnets: [ec2.Subnet.fromSubnetId(stack, 'S', 'subnet-0123456789abcdef0')],
          securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0')],
          volumeKey: key,
          outputKey: key,
        },
      }));
      const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
      const ec2Arn = (resource: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
      });
      expect(bySid('NetworkInterfacesInPlatformSubnets').Resource).toEqual([
        ec2Arn('network-interface/*'), ec2Arn('subnet/subnet-0123456789abcdef0'), ec2Arn('security-group/sg-0123456789abcdef0'),
      ]);
      expect(bySid('NetworkInterfaceCleanupInPlatformVpc').Condition).toEqual({
        ArnEquals: { 'ec2:Vpc': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0']] } },
      });
      // one key used as volume and output key appears once
      expect(bySid('UsePlatformKeys').Resource).toBe('arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555');
      expect(bySid('PlatformKeyGrantsForAwsResources').Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
      expect(bySid('JobMetrics').Condition).toEqual({ StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } });
    });
  });
});
