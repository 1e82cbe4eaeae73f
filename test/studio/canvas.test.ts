import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { InterfaceEndpointService } from '../../src/network';
import { SecureBucket } from '../../src/security';
import { Canvas, CanvasFeature, CanvasScope, StudioDomain } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';
import { FixedSubnetsNetwork, studioFixture } from './fixtures';

const CORE = ['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs', 'monitoring', 'ecr.api', 'ecr.dkr', 'ec2', 'ssm'];
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

/** The logical IDs of the customer-managed policies attached to a role. */
function policiesOf(stack: Stack, role: iam.IRole): string[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const policies = compliantTemplate(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.entries(policies)
    .filter(([, p]: [string, any]) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId))
    .map(([id]) => id);
}

/** The statements of a managed policy construct. */
function statementsOf(stack: Stack, policy: iam.ManagedPolicy): any[] {
  const id = stack.getLogicalId(policy.node.defaultChild as iam.CfnManagedPolicy);
  return compliantTemplate(stack).toJSON().Resources[id].Properties.PolicyDocument.Statement;
}

const sid = (statements: any[], name: string) => {
  const found = statements.find((s) => s.Sid === name);
  if (!found) throw new Error(`no statement ${name} in ${statements.map((s) => s.Sid).join(', ')}`);
  return found;
};

describe('Canvas', () => {
  describe('for a team, with every feature', () => {
    // GIVEN a VPC-only domain with two users, a platform bucket and the model registry
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });
    const alice = domain.addUserProfile('alice');
    const bob = domain.addUserProfile('bob');
    const data = new SecureBucket(stack, 'Data', { encryptionKey: dataKey });
    const registry = new sagemaker.CfnModelPackageGroup(stack, 'Registry', { modelPackageGroupName: 'employee-retention' });
    const endpointsBefore = network.interfaceEndpointServices.map((s) => s.name);
    // WHEN Canvas is enabled for alice only, with every feature
    const canvas = new Canvas(stack, 'FraudCanvas', {
      domain,
      userProfiles: [alice],
      workspaceBucket: data,
      workspacePrefix: 'canvas/fraud/',
      features: [
        CanvasFeature.TIME_SERIES_FORECASTING, CanvasFeature.MODEL_REGISTRATION, CanvasFeature.BATCH_PREDICTIONS,
        CanvasFeature.READY_TO_USE_MODELS, CanvasFeature.GENERATIVE_AI,
      ],
      modelRegistry: registry,
      foundationModels: [HAIKU],
    });
    const template = compliantTemplate(stack);
    const core = statementsOf(stack, canvas.policies[0]);
    const features = statementsOf(stack, canvas.policies[1]);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
      expect(canvas.settingsScope).toBe(CanvasScope.USER_PROFILES);
    });

    test('applies the settings to alice\'s profile with a custom resource (CloudFormation has no Canvas settings)', () => {
      template.hasResource('Custom::SageMakerPlatformCanvasSettings', {
        Properties: {
          DomainId: stack.resolve(domain.domainId),
          UserProfileNames: ['alice'],
          CanvasAppSettings: {
            WorkspaceSettings: {
              S3ArtifactPath: { 'Fn::Join': ['', ['s3://', { Ref: stack.getLogicalId(data.node.defaultChild as s3.CfnBucket) }, '/canvas/fraud/']] },
              S3KmsKeyId: stack.resolve(dataKey.keyArn),
            },
            TimeSeriesForecastingSettings: { Status: 'ENABLED', AmazonForecastRoleArn: stack.resolve(canvas.forecastRole!.roleArn) },
            ModelRegisterSettings: { Status: 'ENABLED' },
            DirectDeploySettings: { Status: 'DISABLED' },
            KendraSettings: { Status: 'DISABLED' },
            EmrServerlessSettings: { Status: 'DISABLED' },
          },
          Revision: Match.stringLikeRegexp('^[0-9a-f]{16}$'),
        },
        DependsOn: Match.arrayWith([stack.getLogicalId(alice.cfnUserProfile)]),
      });
    });

    test('the custom resource may update alice\'s profile only, and pass the Forecast role to SageMaker', () => {
      const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^CanvasSettings custom resource') } });
      const [statements] = Object.values(policies).map((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements).toEqual([
        { Sid: 'CanvasSettingsOfTheDomain', Action: 'sagemaker:DescribeDomain', Effect: 'Allow', Resource: stack.resolve(domain.domainArn) },
        {
          Sid: 'CanvasSettingsOfTheUserProfiles',
          Action: ['sagemaker:DescribeUserProfile', 'sagemaker:UpdateUserProfile'],
          Effect: 'Allow',
          Resource: stack.resolve(alice.userProfileArn),
        },
        {
          Sid: 'PassTheForecastRoleToSageMaker',
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: stack.resolve(canvas.forecastRole!.roleArn),
          Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        },
      ]);
    });

    test('alice\'s role gets the Canvas policies; bob\'s none', () => {
      const ids = (policies: iam.ManagedPolicy[]) => policies.map((p) => stack.getLogicalId(p.node.defaultChild as iam.CfnManagedPolicy));
      expect(policiesOf(stack, alice.role)).toEqual(expect.arrayContaining(ids([...canvas.policies, canvas.appPolicyOf(alice)!])));
      expect(policiesOf(stack, bob.role)).toEqual(expect.not.arrayContaining(ids([...canvas.policies])));
      expect(canvas.appPolicyOf(bob)).toBeUndefined();
      expect(canvas.userProfiles).toEqual([alice]);
    });

    test('her Canvas app is her own, in her profile or in a private space she owns', () => {
      const app = statementsOf(stack, canvas.appPolicyOf(alice)!);
      expect(sid(app, 'OwnCanvasApp').Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':app/',
          stack.resolve(domain.domainId), '/alice/canvas/*']],
      });
      expect(sid(app, 'CanvasAppInOwnPrivateSpace').Condition).toEqual({
        ArnEquals: { 'sagemaker:OwnerUserProfileArn': stack.resolve(alice.userProfileArn) },
        StringEquals: { 'sagemaker:SpaceSharingType': 'Private' },
      });
    });

    test('the workspace is the team\'s prefix, its key usable through S3 only', () => {
      expect(sid(core, 'CanvasWorkspaceObjects').Resource).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(data.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/canvas/fraud/*']],
      });
      expect(sid(core, 'CanvasWorkspaceListing').Condition).toEqual({ StringLike: { 's3:prefix': ['canvas/fraud/', 'canvas/fraud/*'] } });
      expect(sid(core, 'CanvasWorkspaceKeyThroughS3').Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
    });

    test('builds, models and prediction endpoints are Canvas-named; endpoint configs within the instance allowlist', () => {
      expect(JSON.stringify(sid(core, 'CanvasBuilds').Resource)).toContain(':automl-job/canvas*');
      expect(sid(core, 'CanvasPredictionEndpointConfigs').Condition).toEqual({
        'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': expect.arrayContaining(['ml.m5.*']) },
      });
      expect(sid(core, 'CanvasListingsAndEndpointDiscovery').Action).toContain('ec2:DescribeVpcEndpointServices');
      // Resource "*" only for listing and discovery, never for creating, deleting or invoking
      const unscoped = core.filter((s) => s.Resource === '*').flatMap((s) => s.Action);
      expect(unscoped.filter((a: string) => /:(Create|Delete|Update|Invoke|Stop)/.test(a))).toEqual([]);
      expect(JSON.stringify(core)).not.toContain('sagemaker:*');
    });

    test('registration goes to the platform registry only, pending approval', () => {
      const register = sid(features, 'RegisterInThePlatformRegistry');
      expect(JSON.stringify(register.Resource)).toContain(':model-package/');
      expect(register.Condition).toEqual({ StringEqualsIfExists: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } });
      expect(sid(features, 'ReadThePlatformRegistry').Resource).toContainEqual({ Ref: stack.getLogicalId(registry) });
    });

    test('batch predictions, forecasting, ready-to-use models and the listed foundation model', () => {
      expect(JSON.stringify(sid(features, 'CanvasBatchPredictions').Resource)).toContain(':transform-job/canvas*');
      expect(sid(features, 'CanvasTimeSeriesForecasting').Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':forecast:us-east-1:123456789012:*Canvas*']],
      });
      expect(sid(features, 'PassTheForecastRoleToForecast').Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'forecast.amazonaws.com' } });
      expect(sid(features, 'CanvasReadyToUseModels').Action).toEqual(expect.arrayContaining(['textract:AnalyzeDocument', 'rekognition:DetectLabels', 'comprehend:DetectSentiment']));
      expect(sid(features, 'ChatWithListedFoundationModels').Resource).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:bedrock:us-east-1::foundation-model/${HAIKU}`]],
      });
    });

    test('the Forecast role trusts Amazon Forecast of this account and reaches only the workspace', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'forecast.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }],
        },
      });
      const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^Amazon Forecast for SageMaker Canvas') } });
      const [statements] = Object.values(policies).map((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements.map((s: any) => s.Sid)).toEqual(['CanvasWorkspaceObjects', 'CanvasWorkspaceListing', 'CanvasWorkspaceBucket', 'CanvasWorkspaceKeyThroughS3']);
    });

    test('registers the endpoints of the enabled features, and reports what they add and cost', () => {
      const names = ['forecast', 'forecastquery', 'textract', 'rekognition', 'comprehend', 'bedrock-runtime', 'bedrock'];
      expect(canvas.requiredEndpoints.map((e) => e.name)).toEqual([...CORE, ...names]);
      expect(canvas.addedEndpoints.map((e) => e.name)).toEqual(['monitoring', 'ec2', 'ssm', ...names]);
      expect(endpointsBefore).toEqual(expect.arrayContaining(['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs', 'ecr.api', 'ecr.dkr']));
      // 10 endpoints x 2 AZs x $0.01 per AZ-hour x 730 hours
      expect(canvas.estimatedMonthlyEndpointCost).toBe(146);
      for (const name of names) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: `com.amazonaws.us-east-1.${name}`, PrivateDnsEnabled: true });
      }
    });
  });

  describe('for the whole domain, without optional features', () => {
    // GIVEN a domain with two users
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });
    const alice = domain.addUserProfile('alice');
    const bob = domain.addUserProfile('bob');
    const data = new SecureBucket(stack, 'Data', { encryptionKey: dataKey });
    // WHEN Canvas is enabled for the domain, and a third user is added later
    const canvas = new Canvas(stack, 'Canvas', { domain, workspaceBucket: data });
    const carol = domain.addUserProfile('carol');
    canvas.addUserProfile(carol);
    canvas.addUserProfile(carol);
    const template = compliantTemplate(stack);

    test('passes every rule pack', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('writes the domain\'s default settings, with every optional feature off', () => {
      expect(canvas.settingsScope).toBe(CanvasScope.DOMAIN);
      template.hasResourceProperties('Custom::SageMakerPlatformCanvasSettings', {
        UserProfileNames: [],
        CanvasAppSettings: Match.objectLike({
          WorkspaceSettings: Match.objectLike({ S3ArtifactPath: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/canvas/canvas/'])] }) }),
          TimeSeriesForecastingSettings: { Status: 'DISABLED' },
          ModelRegisterSettings: { Status: 'DISABLED' },
        }),
      });
      const policies = template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('^CanvasSettings custom resource') } });
      const [statements] = Object.values(policies).map((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements).toEqual([{
        Sid: 'CanvasSettingsOfTheDomain',
        Action: ['sagemaker:DescribeDomain', 'sagemaker:UpdateDomain'],
        Effect: 'Allow',
        Resource: stack.resolve(domain.domainArn),
      }]);
    });

    test('every user so far and the one added later get Canvas, once', () => {
      expect(canvas.userProfiles).toEqual([alice, bob, carol]);
      for (const user of [alice, bob, carol]) expect(canvas.appPolicyOf(user)).toBeDefined();
      expect(canvas.policies).toHaveLength(1);
      expect(canvas.forecastRole).toBeUndefined();
    });

    test('only the core endpoints', () => {
      expect(canvas.requiredEndpoints.map((e) => e.name)).toEqual(CORE);
      expect(canvas.addedEndpoints.map((e) => e.name)).toEqual(['monitoring', 'ec2', 'ssm']);
      expect(canvas.estimatedMonthlyEndpointCost).toBe(43.8);
      expect(Canvas.endpointsFor().map((e) => e.name)).toEqual(CORE);
      expect(Canvas.endpointsFor([CanvasFeature.BATCH_PREDICTIONS, CanvasFeature.MODEL_REGISTRATION]).map((e) => e.name)).toEqual(CORE);
    });
  });

  test('the settings are applied again whenever CloudFormation changes the domain', () => {
    const revisionOf = (idleMinutes: number) => {
      const stack = testStack();
      const { network, storageKey, dataKey } = studioFixture(stack);
      const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey, idleTimeout: Duration.minutes(idleMinutes) });
      const canvas = new Canvas(stack, 'Canvas', { domain, workspaceBucket: new SecureBucket(stack, 'Data', { encryptionKey: dataKey }) });
      return stack.resolve((canvas.settings.node.defaultChild as CfnResource)._toCloudFormation());
    };
    const [a, b, c] = [revisionOf(60), revisionOf(60), revisionOf(120)].map((t: any) => Object.values(t.Resources as object)[0].Properties.Revision);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  test('a team workspace takes precedence: a later domain-wide Canvas leaves the team\'s users to it', () => {
    const stack = testStack();
    const { network, storageKey, dataKey } = studioFixture(stack);
    const domain = new StudioDomain(stack, 'Studio', { network, storageKey, jobKey: dataKey });
    const alice = domain.addUserProfile('alice');
    const bob = domain.addUserProfile('bob');
    const data = new SecureBucket(stack, 'Data', { encryptionKey: dataKey });
    const team = new Canvas(stack, 'Team', { domain, userProfiles: [alice], workspaceBucket: data, workspacePrefix: 'canvas/team/' });
    const everyone = new Canvas(stack, 'Everyone', { domain, workspaceBucket: data, workspacePrefix: 'canvas/everyone/' });
    expect(team.userProfiles).toEqual([alice]);
    expect(everyone.userProfiles).toEqual([bob]);
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  describe('bad input', () => {
    /** A network run by another team that takes only the endpoints Studio needs. */
    class FixedEndpointsNetwork extends FixedSubnetsNetwork {
      public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
        const refused = services.filter((s) => !['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs', 'ecr.api', 'ecr.dkr'].includes(s.name));
        if (refused.length > 0) throw new Error(`this network's endpoints are managed centrally; request ${refused.map((s) => s.name).join(', ')} from the network team`);
        super.addInterfaceEndpoints(...services);
      }
    }

    function domainOf(stack: Stack, network?: FixedSubnetsNetwork) {
      const fixture = studioFixture(stack);
      const domain = new StudioDomain(stack, 'Studio', { network: network ?? fixture.network, storageKey: fixture.storageKey, jobKey: fixture.dataKey });
      return { domain, data: new SecureBucket(stack, 'Data', { encryptionKey: fixture.dataKey }) };
    }

    test('a domain that is not VpcOnly', () => {
      const stack = testStack(new App());
      const { domain, data } = domainOf(stack);
      domain._cfnDomain.appNetworkAccessType = 'PublicInternetOnly';
      expect(() => new Canvas(stack, 'Canvas', { domain, workspaceBucket: data })).toThrow(
        /domain TestStack\/Studio must be VpcOnly \(AppNetworkAccessType\), got 'PublicInternetOnly': Canvas would reach AWS through the service's internet-connected VPC/);
    });

    test('a domain made PublicInternetOnly by an escape hatch fails the synth', () => {
      const app = new App();
      const stack = testStack(app);
      const { domain, data } = domainOf(stack);
      new Canvas(stack, 'Canvas', { domain, workspaceBucket: data });
      domain._cfnDomain.addPropertyOverride('AppNetworkAccessType', 'PublicInternetOnly');
      expect(() => app.synth()).toThrow(/Canvas 'TestStack\/Canvas' needs a VpcOnly domain, but TestStack\/Studio has AppNetworkAccessType "PublicInternetOnly"/);
    });

    test('a network that cannot create the endpoints Canvas needs', () => {
      const stack = testStack(new App());
      const network = new FixedEndpointsNetwork(stack, 'CentralNetwork', ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
      const { domain, data } = domainOf(stack, network);
      expect(() => new Canvas(stack, 'Canvas', { domain, workspaceBucket: data })).toThrow(
        /the domain's network \(TestStack\/CentralNetwork\) cannot create the interface endpoints Canvas needs \(sagemaker.api, .*ssm\): this network's endpoints are managed centrally; request monitoring, ec2, ssm[\s\S]*internet-connected VPC/);
    });

    test('an imported domain', () => {
      const stack = testStack(new App());
      const { domain, data } = domainOf(stack);
      const imported = StudioDomain.fromDomainAttributes(stack, 'Imported', {
        domainId: 'd-0123456789ab',
        domainName: 'shared',
        network: domain.network,
        storageKey: domain.storageKey,
        homeEfsFileSystemId: 'fs-0123456789abcdef0',
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0'),
        jobGuardrails: domain.jobGuardrails,
      });
      expect(() => new Canvas(stack, 'Canvas', { domain: imported, workspaceBucket: data })).toThrow(/domain must be a StudioDomain created in this app/);
    });

    test('every prop problem in one error', () => {
      const stack = testStack(new App());
      const { domain } = domainOf(stack);
      const plain = new s3.Bucket(stack, 'Plain');
      expect(() => new Canvas(stack, 'Canvas', {
        domain,
        userProfiles: [],
        workspaceBucket: plain,
        workspacePrefix: '/canvas',
        features: [CanvasFeature.MODEL_REGISTRATION, CanvasFeature.GENERATIVE_AI],
        foundationModels: ['not a model id!'],
      })).toThrow(new RegExp([
        "Canvas 'TestStack/Canvas' has invalid props:",
        'workspaceBucket \\(TestStack/Plain\\) has no customer-managed KMS key',
        "workspacePrefix must be a key prefix ending with '/'.*got '/canvas'",
        'userProfiles must list at least one user profile when given, got \\[\\]',
        'features include MODEL_REGISTRATION, which needs modelRegistry',
        "foundationModels\\[0\\] must be a Bedrock model ID.*got 'not a model id!'",
      ].join('[\\s\\S]*')));
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      expect(() => new Canvas(stack, 'Canvas2', {
        domain,
        workspaceBucket: plain,
        workspaceKey: key,
        modelRegistry: new sagemaker.CfnModelPackageGroup(stack, 'G', { modelPackageGroupName: 'x' }),
        foundationModels: [HAIKU],
        features: [CanvasFeature.GENERATIVE_AI],
      })).toThrow(/modelRegistry is given but features do not include CanvasFeature.MODEL_REGISTRATION/);
      expect(() => new Canvas(stack, 'Canvas3', { domain, workspaceBucket: plain, workspaceKey: key, features: [CanvasFeature.GENERATIVE_AI] }))
        .toThrow(/GENERATIVE_AI, which needs foundationModels/);
      expect(() => new Canvas(stack, 'Canvas4', { domain, workspaceBucket: plain, workspaceKey: key, foundationModels: [HAIKU] }))
        .toThrow(/foundationModels is given but features do not include CanvasFeature.GENERATIVE_AI/);
    });

    test('a user in two workspaces, overlapping prefixes, two domain-wide Canvases, users of other domains', () => {
      const stack = testStack(new App());
      const { domain, data } = domainOf(stack);
      const alice = domain.addUserProfile('alice');
      new Canvas(stack, 'Team', { domain, userProfiles: [alice], workspaceBucket: data, workspacePrefix: 'canvas/team/' });
      expect(() => new Canvas(stack, 'Other', { domain, userProfiles: [alice], workspaceBucket: data, workspacePrefix: 'canvas/other/' }))
        .toThrow(/user profile 'alice' already uses Canvas through TestStack\/Team; a user has one Canvas workspace/);
      expect(() => new Canvas(stack, 'Nested', { domain, workspaceBucket: data, workspacePrefix: 'canvas/team/sub/' }))
        .toThrow(/workspacePrefix 'canvas\/team\/sub\/' overlaps the workspace 'canvas\/team\/' of TestStack\/Team/);
      const everyone = new Canvas(stack, 'Everyone', { domain, workspaceBucket: data, workspacePrefix: 'canvas/everyone/' });
      expect(() => new Canvas(stack, 'Everyone2', { domain, workspaceBucket: data, workspacePrefix: 'canvas/everyone2/' }))
        .toThrow(/already has domain-wide Canvas settings from TestStack\/Everyone/);
      const otherStack = testStack(new App(), 'Other');
      const other = domainOf(otherStack);
      const mallory = other.domain.addUserProfile('mallory');
      expect(() => everyone.addUserProfile(mallory)).toThrow(/user profile 'mallory' belongs to another domain/);
    });
  });
});
