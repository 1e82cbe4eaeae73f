import { RemovalPolicy, Size } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Space, StudioAppType, StudioDomain } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { ManagedPolicyGrantee, studioFixture } from './fixtures';

describe('Space', () => {
  describe('shared and private spaces', () => {
    // GIVEN a domain with an instance-type allowlist and a user without a private space
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, appInstanceTypes: ['ml.t3.medium', 'ml.m5.large'], sdkDefaults: false });
    const alice = domain.addUserProfile('alice', { privateSpace: false });
    // WHEN a team space and a private Code Editor space are added
    const team = domain.addSharedSpace('team-fraud', { displayName: 'Fraud team', ebsVolumeSize: Size.gibibytes(20), instanceType: 'ml.m5.large' });
    const editor = new Space(stack, 'AliceEditor', {
      domain,
      spaceName: 'alice-editor',
      ownerUserProfileName: 'alice',
      appType: StudioAppType.CODE_EDITOR,
      instanceType: 'ml.t3.medium',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    editor.node.addDependency(alice);
    const reader = new ManagedPolicyGrantee(stack, 'Reader');
    team.grantDescribe(reader);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('a shared space has no owner and is retained with the domain', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::Space', {
        Properties: {
          DomainId: stack.resolve(domain.domainId),
          SpaceName: 'team-fraud',
          SpaceDisplayName: 'Fraud team',
          SpaceSharingSettings: { SharingType: 'Shared' },
          OwnershipSettings: Match.absent(),
          SpaceSettings: {
            AppType: 'JupyterLab',
            JupyterLabAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.m5.large' } },
            SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 20 } },
          },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(team.node.id).toBe('SharedSpace-team-fraud');
      expect(team.ownerUserProfileName).toBeUndefined();
    });

    test('a private space names its owner and uses the provided app type and removal policy', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::Space', {
        Properties: {
          SpaceName: 'alice-editor',
          OwnershipSettings: { OwnerUserProfileName: 'alice' },
          SpaceSharingSettings: { SharingType: 'Private' },
          SpaceSettings: {
            AppType: 'CodeEditor',
            CodeEditorAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.t3.medium' } },
            JupyterLabAppSettings: Match.absent(),
            SpaceStorageSettings: Match.absent(),
          },
        },
        DeletionPolicy: 'Delete',
        DependsOn: Match.arrayWith([stack.getLogicalId(alice.cfnUserProfile)]),
      });
      expect(editor.appType).toBe(StudioAppType.CODE_EDITOR);
    });

    test('exposes the space ARN', () => {
      const logicalId = stack.getLogicalId(team.node.defaultChild as any);
      expect(stack.resolve(team.spaceArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'SpaceArn'] });
    });

    test('grantDescribe allows DescribeSpace on this space only', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [stack.resolve(reader.role.roleName)],
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:DescribeSpace', Resource: stack.resolve(team.spaceArn) }] },
      });
    });
  });

  describe('with defaults on a DESTROY domain', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, removalPolicy: RemovalPolicy.DESTROY, sdkDefaults: false });
    domain.addSharedSpace('team');

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('runs JupyterLab with the domain defaults and follows the domain removal policy', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::Space', {
        Properties: { SpaceName: 'team', SpaceSettings: { AppType: 'JupyterLab' }, SpaceSharingSettings: { SharingType: 'Shared' } },
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('imported', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, sdkDefaults: false });
    const space = Space.fromSpaceAttributes(stack, 'Existing', { domain, spaceName: 'existing' });

    test('builds the ARN from the domain ID and name', () => {
      expect(stack.resolve(space.spaceArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:space/', stack.resolve(domain.domainId), '/existing']],
      });
    });
  });

  describe('bad input', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, appInstanceTypes: ['ml.t3.medium'], sdkDefaults: false });

    test('reports every problem at once, naming prop and value', () => {
      expect(() => new Space(stack, 'Bad', {
        domain,
        spaceName: 'team_space',
        ownerUserProfileName: '-alice',
        ebsVolumeSize: Size.gibibytes(2),
        instanceType: 'ml.p4d.24xlarge',
      })).toThrow(new RegExp([
        "Space 'TestStack/Bad' has invalid props:",
        "  - spaceName must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit, got 'team_space'",
        "  - ownerUserProfileName must be 1-63 letters, digits and hyphens, starting and ending with a letter or digit, got '-alice'",
        '  - ebsVolumeSize \\(GiB\\) must be an integer between 5 and 16384, got 2',
        "  - instanceType must be one of the domain's appInstanceTypes \\(ml.t3.medium\\), got 'ml.p4d.24xlarge'",
      ].join('\n')));
    });

    test('a name longer than 63 characters is refused with its length', () => {
      expect(() => domain.addSharedSpace('a'.repeat(64))).toThrow(/spaceName must be at most 63 characters, got 64/);
    });

    test('an EBS size of a fraction of a GiB is refused', () => {
      expect(() => domain.addSharedSpace('frac', { ebsVolumeSize: Size.mebibytes(10_000) })).toThrow(/ebsVolumeSize \(GiB\) must be an integer between 5 and 16384, got 9.765625/);
    });
  });
});
