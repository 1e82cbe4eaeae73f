import { RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { InterfaceEndpointService } from '../../src/network';
import { SecureBucket } from '../../src/security';
import { StudioDomain, UserProfile } from '../../src/studio';
import { compliantTemplate, inspect, testStack } from '../harness';
import { FixedSubnetsNetwork, studioFixture } from './fixtures';

/** The statements of the managed policy whose description starts with `prefix`. */
function policyStatements(stack: Stack, prefix: string): any[] {
  const policies = compliantTemplate(stack).findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp(`^${prefix}`) },
  });
  const [only, ...rest] = Object.values(policies);
  expect(rest).toHaveLength(0);
  return (only as any).Properties.PolicyDocument.Statement;
}

describe('UserProfile', () => {
  describe('with defaults', () => {
    // GIVEN a domain
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });
    // WHEN two users are added with no options
    const alice = domain.addUserProfile('alice');
    domain.addUserProfile('bob');

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('creates the profile with its own execution role and security group', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::UserProfile', {
        DomainId: stack.resolve(domain.domainId),
        UserProfileName: 'alice',
        UserSettings: {
          ExecutionRole: stack.resolve(alice.role.roleArn),
          SecurityGroups: [stack.resolve(alice.securityGroup.securityGroupId)],
        },
        Tags: Match.arrayWith([{ Key: 'sagemaker-platform:owner', Value: 'alice' }]),
      });
      expect(alice.userProfileName).toBe('alice');
      expect(stack.resolve(alice.userProfileArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(alice.cfnUserProfile), 'UserProfileArn'] });
    });

    test('retains the profile by default, like the domain', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::UserProfile', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test('the role trusts only SageMaker in this account, and lets it set the profile name as source identity', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::Role', {
        Description: 'Execution role of SageMaker Studio user profile alice',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'sagemaker.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            },
            {
              Action: 'sts:SetSourceIdentity',
              Effect: 'Allow',
              Principal: { Service: 'sagemaker.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            },
          ],
        },
        Tags: Match.arrayWith([{ Key: 'sagemaker-platform:owner', Value: 'alice' }]),
      });
    });

    test('the role has no inline policy and no AWS managed policy', () => {
      const role = compliantTemplate(stack).findResources('AWS::IAM::Role', {
        Properties: { Description: 'Execution role of SageMaker Studio user profile alice' },
      });
      const props = (Object.values(role)[0] as any).Properties;
      expect(props.Policies).toBeUndefined();
      expect(props.ManagedPolicyArns).toBeUndefined();
      compliantTemplate(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('the security group admits only itself on the app ports and reaches NFS and the endpoints', () => {
      const template = compliantTemplate(stack);
      const sg = stack.resolve(alice.securityGroup.securityGroupId);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Studio apps of user profile alice'),
        SecurityGroupEgress: [{
          CidrIp: stack.resolve(network.vpc.vpcCidrBlock),
          FromPort: 2049,
          ToPort: 2049,
          IpProtocol: 'tcp',
          Description: Match.stringLikeRegexp('NFS'),
        }],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sg, SourceSecurityGroupId: sg, FromPort: 8192, ToPort: 65535, IpProtocol: 'tcp' });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: sg, DestinationSecurityGroupId: sg, FromPort: 8192, ToPort: 65535 });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: stack.resolve(network.endpointSecurityGroup.securityGroupId), SourceSecurityGroupId: sg, FromPort: 443, ToPort: 443,
      });
      // no rule admits anything but the user's own group
      const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: sg } });
      expect(Object.values(ingress).map((r: any) => r.Properties.SourceSecurityGroupId)).toEqual([sg]);
    });

    test('creates a private space when none is disabled, owned by the user, after the profile', () => {
      const template = compliantTemplate(stack);
      template.hasResource('AWS::SageMaker::Space', {
        Properties: {
          SpaceName: 'alice-private',
          OwnershipSettings: { OwnerUserProfileName: 'alice' },
          SpaceSharingSettings: { SharingType: 'Private' },
          Tags: Match.arrayWith([{ Key: 'sagemaker-platform:owner', Value: 'alice' }]),
        },
        DependsOn: Match.arrayWith([stack.getLogicalId(alice.cfnUserProfile)]),
      });
      expect(alice.privateSpace?.spaceName).toBe('alice-private');
    });

    test('attaches the user\'s own policies and one shared pair per domain', () => {
      const template = compliantTemplate(stack);
      const role = { Ref: stack.getLogicalId(alice.role.node.defaultChild as iam.CfnRole) };
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Description: Match.stringLikeRegexp('^Studio user profile alice: own spaces'), Roles: [role] });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Description: Match.stringLikeRegexp('^Studio user profile alice: own jobs'), Roles: [role] });
      for (const prefix of ['Job guardrails of every Studio user', 'Domain isolation of every Studio user', 'What every Studio user']) {
        template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          Description: Match.stringLikeRegexp(`^${prefix}`),
          Roles: [role, { Ref: Match.stringLikeRegexp('^StudioUserProfilebobExecutionRole') }],
        });
      }
      expect(alice.executionPolicy).toBeDefined();
      expect(alice.jobsPolicy).toBeDefined();
    });

    test('passes only its own role, only to SageMaker', () => {
      const passRole = policyStatements(stack, 'Studio user profile alice: own spaces').find((s) => s.Action === 'iam:PassRole');
      expect(passRole).toEqual({
        Sid: 'PassNamedRolesToOneService',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: stack.resolve(alice.role.roleArn),
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
    });

    test('creates jobs only tagged as the user\'s own, within the domain\'s guardrails', () => {
      const create = policyStatements(stack, 'Studio user profile alice: own jobs').find((s) => s.Sid === 'CreateTrainingProcessingTuningWithinGuardrails');
      expect(create.Condition).toMatchObject({
        'StringEquals': { 'aws:RequestTag/sagemaker-platform:owner': 'alice' },
        'ForAllValues:StringEquals': {
          'sagemaker:VpcSubnets': stack.resolve(network.subnetIds),
          'sagemaker:VpcSecurityGroupIds': [stack.resolve(domain.jobSecurityGroup.securityGroupId)],
        },
        'ArnEquals': { 'sagemaker:VolumeKmsKeyArn': stack.resolve(dataKey.keyArn), 'sagemaker:OutputKmsKeyArn': stack.resolve(dataKey.keyArn) },
      });
    });

    test('the shared guardrails deny non-compliant jobs, other domains and administration', () => {
      expect(policyStatements(stack, 'Job guardrails of every Studio user').map((s) => s.Sid))
        .toEqual(expect.arrayContaining(['DenyJobsWithoutVpcSubnets', 'DenyJobsWithoutPlatformVolumeKey', 'DenyJobsOnUnapprovedInstanceTypes']));
      expect(policyStatements(stack, 'Domain isolation of every Studio user').map((s) => s.Sid)).toEqual([
        'DenyResourcesOfOtherDomains', 'DenyCreatingInOtherDomains', 'DenyStudioResourcesOfOtherDomains', 'DenyStudioAdministration',
      ]);
    });

    test('grants no data when no bucket is given, and no access policy without a person', () => {
      const sids = policyStatements(stack, 'Studio user profile alice: own spaces').map((s) => s.Sid);
      expect(sids.filter((s) => s.startsWith('OwnData') || s.startsWith('ListOwnData'))).toEqual([]);
      compliantTemplate(stack).resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', { Description: Match.stringLikeRegexp('^Opens SageMaker Studio') }, 0);
      expect(alice.dataPrefix).toBe('users/alice/');
    });

    test('acknowledges only the registered wildcard findings, each on one policy', () => {
      const { acknowledgments } = inspect(stack);
      const ours = acknowledgments.filter((a) => /UserProfile|StudioUserPolicies/.test(a.path));
      expect(new Set(ours.map((a) => a.id.replace(/\[.*$/, '')))).toEqual(new Set(['AwsSolutions-IAM5']));
      expect(ours.every((a) => /Resource::/.test(a.id))).toBe(true);
      expect(ours.some((a) => a.id.includes('training-job/*'))).toBe(true);
    });
  });

  describe('with every option', () => {
    // GIVEN a domain with an app allowlist, a shared space, a data bucket and the people behind the profiles
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, appInstanceTypes: ['ml.t3.medium', 'ml.m5.large'] });
    const team = domain.addSharedSpace('Team-Fraud');
    const bucket = new SecureBucket(stack, 'Data', { encryptionKey: dataKey });
    const person = new iam.Role(stack, 'CarolPerson', { assumedBy: new iam.AccountRootPrincipal() });
    const group = new iam.Group(stack, 'EveGroup');
    new iam.User(stack, 'EveUser', { groups: [group] });
    const api = network.interfaceEndpointFor(InterfaceEndpointService.SAGEMAKER_API)!;
    // WHEN profiles use every option
    const carol = domain.addUserProfile('carol', {
      privateSpaceName: 'carol-lab',
      privateSpaceOptions: { ebsVolumeSize: Size.gibibytes(20), removalPolicy: RemovalPolicy.DESTROY },
      instanceTypes: ['ml.t3.*'],
      ownerEmail: 'carol@example.com',
      tags: { 'cost-center': 'ml-123' },
      allowedSharedSpaces: [team],
      humanPrincipal: person,
      presignedUrlEndpoint: api,
      dataBuckets: [bucket],
      dataPrefix: 'teams/fraud/carol/',
    });
    const dave = domain.addUserProfile('dave', { privateSpace: false });
    const eve = domain.addUserProfile('eve', { privateSpace: false });
    eve.grantPresignedUrl(group);
    const frank = UserProfile.fromUserProfileAttributes(stack, 'Frank', { domain, userProfileName: 'frank' }) as UserProfile;
    const frankPerson = new iam.Role(stack, 'FrankPerson', { assumedBy: new iam.AccountRootPrincipal() });
    frank.grantPresignedUrl(frankPerson);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('uses the provided private space name and settings', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::Space', {
        Properties: {
          SpaceName: 'carol-lab',
          OwnershipSettings: { OwnerUserProfileName: 'carol' },
          SpaceSettings: Match.objectLike({ SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 20 } } }),
        },
        DeletionPolicy: 'Delete',
      });
      expect(carol.privateSpace?.spaceName).toBe('carol-lab');
    });

    test('creates no private space when disabled', () => {
      expect(dave.privateSpace).toBeUndefined();
      compliantTemplate(stack).resourcePropertiesCountIs('AWS::SageMaker::Space', { OwnershipSettings: { OwnerUserProfileName: 'dave' } }, 0);
    });

    test('uses the provided instance types for apps, and the domain\'s allowlist otherwise', () => {
      const own = policyStatements(stack, 'Studio user profile carol: own spaces').find((s) => s.Sid === 'OwnPrivateSpacesAndTheirApps');
      expect(own.Condition['ForAllValues:StringLike']).toEqual({ 'sagemaker:InstanceTypes': ['ml.t3.*'] });
      const daves = policyStatements(stack, 'Studio user profile dave: own spaces').find((s) => s.Sid === 'OwnPrivateSpacesAndTheirApps');
      expect(daves.Condition['ForAllValues:StringLike']).toEqual({ 'sagemaker:InstanceTypes': ['ml.t3.medium', 'ml.m5.large'] });
    });

    test('allows apps in the provided shared spaces only', () => {
      const shared = policyStatements(stack, 'Studio user profile carol: own spaces').find((s) => s.Sid === 'AppsInAllowedSharedSpaces');
      // the Studio IDEs only: JupyterLab and Code Editor apps of the space
      expect(shared.Resource).toHaveLength(2);
      expect(JSON.stringify(shared.Resource)).toContain('/team-fraud/jupyterlab/*');
      expect(JSON.stringify(shared.Resource)).toContain('/team-fraud/codeeditor/*');
      expect(policyStatements(stack, 'Studio user profile dave: own spaces').find((s) => s.Sid === 'AppsInAllowedSharedSpaces')).toBeUndefined();
    });

    test('writes the owner, e-mail and provided tags', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::SageMaker::UserProfile', {
        UserProfileName: 'carol',
        Tags: Match.arrayWith([
          { Key: 'cost-center', Value: 'ml-123' },
          { Key: 'sagemaker-platform:owner', Value: 'carol' },
          { Key: 'sagemaker-platform:owner-email', Value: 'carol@example.com' },
        ]),
      });
    });

    test('grants the provided buckets under the provided prefix only, their key only through S3', () => {
      const statements = policyStatements(stack, 'Studio user profile carol: own spaces');
      const objects = statements.find((s) => s.Sid === 'OwnDataObjects');
      expect(objects.Resource).toEqual({ 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/teams/fraud/carol/*']] });
      expect(statements.find((s) => s.Sid === 'ListOwnDataPrefix').Condition)
        .toEqual({ StringLike: { 's3:prefix': ['teams/fraud/carol/', 'teams/fraud/carol/*'] } });
      expect(statements.find((s) => s.Sid === 'DataKeysThroughS3')).toMatchObject({
        Resource: stack.resolve(dataKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      });
    });

    test('attaches the access policy to the provided role and group', () => {
      const template = compliantTemplate(stack);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Description: Match.stringLikeRegexp('^Opens SageMaker Studio as user profile .*carol'),
        Roles: [{ Ref: stack.getLogicalId(person.node.defaultChild as iam.CfnRole) }],
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Description: Match.stringLikeRegexp('eve'), Groups: [{ Ref: stack.getLogicalId(group.node.defaultChild as iam.CfnGroup) }],
      });
      expect(carol.accessPolicy).toBe(carol.accessPolicy);
    });

    test('limits opening Studio to the provided endpoint', () => {
      const statements = policyStatements(stack, 'Opens SageMaker Studio as user profile .*carol');
      expect(statements[0]).toMatchObject({
        Action: 'sagemaker:CreatePresignedDomainUrl',
        Resource: stack.resolve(carol.userProfileArn),
        Condition: { StringEquals: { 'aws:SourceVpce': stack.resolve(api.vpcEndpointId) } },
      });
      expect(statements.find((s) => s.Sid === 'DenyStudioOutsidePlatformEndpoint')).toBeDefined();
    });

    test('imports a profile by domain and name, and grants presigned URLs to it', () => {
      expect(stack.resolve(frank.userProfileArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:user-profile/', stack.resolve(domain.domainId), '/frank']],
      });
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Description: Match.stringLikeRegexp('Frank'),
        Roles: [{ Ref: stack.getLogicalId(frankPerson.node.defaultChild as iam.CfnRole) }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sagemaker:CreatePresignedDomainUrl', Resource: stack.resolve(frank.userProfileArn) })]) },
      });
    });
  });

  describe('bad input', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });
    const other = new StudioDomain(stack, 'Other', { network, storageKey, jobKey: dataKey });
    const foreignSpace = other.addSharedSpace('elsewhere');

    test('collects every error and throws once, naming the props and values', () => {
      expect(() => new UserProfile(stack, 'Bad', {
        domain,
        userProfileName: 'bad.name',
        instanceTypes: ['t3.medium'],
        ownerEmail: 'not-an-email',
        tags: { 'aws:cost': 'x', 'sagemaker-platform:owner': 'mallory' },
        dataPrefix: 'no-trailing-slash',
        allowedSharedSpaces: [foreignSpace],
      })).toThrow(new RegExp([
        "UserProfile 'TestStack/Bad' has invalid props:",
        '  - userProfileName must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit, got \'bad.name\'',
        "  - instanceTypes\\[0\\] must be an instance type such as 'ml.m5.xlarge' or a pattern such as 'ml.m5.\\*', got 't3.medium'",
        "  - ownerEmail must be an e-mail address such as alice@example.com, got 'not-an-email'",
        "  - tags key 'aws:cost' must be 1-128 letters, digits, spaces and _.:/=\\+-@, not starting with 'aws:', got 'aws:cost'",
        "  - tags must not set the reserved key 'sagemaker-platform:owner' \\(the profile writes it\\), got 'mallory'",
        "  - dataPrefix must be a key prefix ending with '/' without wildcards or a leading '/', got 'no-trailing-slash'",
        "  - allowedSharedSpaces\\[0\\] \\('elsewhere'\\) belongs to another domain \\(TestStack/Other\\), not TestStack/Studio",
      ].join('\n')));
    });

    test('refuses private space settings without a private space', () => {
      expect(() => domain.addUserProfile('gina', { privateSpace: false, privateSpaceName: 'gina-lab' }))
        .toThrow(/privateSpaceName and privateSpaceOptions apply only to a private space/);
    });

    test('asks for a private space name when the default would be too long', () => {
      expect(() => domain.addUserProfile('h'.repeat(60))).toThrow(/privateSpaceName is required when userProfileName is longer than 55 characters/);
      expect(() => domain.addUserProfile('i'.repeat(60), { privateSpaceName: 'short' })).not.toThrow();
    });

    test('refuses options that would make a policy exceed the managed-policy size quota', () => {
      const many = Array.from({ length: 400 }, (_, i) => `ml.family${i}.xlarge`);
      expect(() => domain.addUserProfile('olga', { privateSpace: false, instanceTypes: many }))
        .toThrow(/the managed policy .*olga\/ExecutionPolicy would have about \d+ characters, over the 6144 IAM allows; shorten the instance-type allowlists/);
    });

    test('refuses a private space as an allowed shared space', () => {
      const owner = domain.addUserProfile('judy');
      expect(() => domain.addUserProfile('ken', { allowedSharedSpaces: [owner.privateSpace!] }))
        .toThrow(/allowedSharedSpaces\[0\] \('judy-private'\) is the private space of 'judy', not a shared space/);
    });

    test('refuses a person that is not an IAM role or group', () => {
      expect(() => domain.addUserProfile('leo', { privateSpace: false, humanPrincipal: new iam.ServicePrincipal('lambda.amazonaws.com') }))
        .toThrow(/grantPresignedUrl needs an IAM role or group, got .*lambda.amazonaws.com.*attach accessPolicy yourself/);
    });

    test('refuses an IAM user: permissions go through groups', () => {
      const user = new iam.User(stack, 'Nina');
      expect(() => domain.addUserProfile('nina', { privateSpace: false, humanPrincipal: user }))
        .toThrow(/grantPresignedUrl does not attach policies to IAM user .*; pass an IAM group the user belongs to, or a role the person assumes/);
    });

    test('refuses job guardrails without subnets and a network without a CIDR block', () => {
      const s = testStack();
      const fixed = new FixedSubnetsNetwork(s, 'Fixed', ['subnet-0123456789abcdef0']);
      const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      const imported = StudioDomain.fromDomainAttributes(s, 'Imported', {
        domainId: 'd-0123456789ab',
        domainName: 'imported',
        network: fixed,
        storageKey: key,
        homeEfsFileSystemId: 'fs-0123456789abcdef0',
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-0123456789abcdef0'),
        jobGuardrails: { subnets: [], securityGroups: [], volumeKey: key, outputKey: key },
      });
      expect(() => new UserProfile(s, 'Mia', { domain: imported, userProfileName: 'mia' })).toThrow(new RegExp([
        '  - domain.jobGuardrails.subnets must name at least one subnet, got 0',
        '  - domain.jobGuardrails.securityGroups must name at least one security group, got 0',
        '  - domain.network.vpc \\(vpc-0123456789abcdef0\\) has no CIDR block, which the NFS rule to the home EFS needs: import the VPC with vpcCidrBlock',
      ].join('\n')));
    });
  });
});
