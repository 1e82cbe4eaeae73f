import { App, CfnResource, Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SageMakerPlatformChecks } from '../../src/nag';
import { PlatformTeam, SecureMlPlatform } from '../../src/platform';
import { allStacks, auditAcknowledgments, compliantTemplate, inspect, NESTED_STACK_VALIDATION, nestedStacks, TEST_ENV, testApp } from '../harness';

/** Every template of the platform (top-level and nested) by construct path. */
function templates(platform: SecureMlPlatform): Map<string, Template> {
  return new Map(allStacks(platform).map((s) => [s.node.path, Template.fromStack(s)]));
}

describe('SecureMlPlatform with two teams', () => {
  // GIVEN the employee-retention platform: retention (alice, bob) and fraud (carol)
  const app = testApp();
  const platform = new SecureMlPlatform(app, 'Platform', {
    platformName: 'hr-ml',
    env: TEST_ENV,
    teams: [{ teamName: 'retention', members: [{ userName: 'alice' }, { userName: 'bob' }], budget: { monthlyLimitUsd: 500, notificationEmails: ['ml-leads@example.com'] } }],
  });
  const fraud = platform.addTeam('fraud', { members: [{ userName: 'carol' }], budgetCode: 'cc-4711' });
  // a grant to a team from another stack, of the kind feature groups and endpoints make
  const extraKey = new kms.Key(platform.dataStack, 'ExtraKey', { enableKeyRotation: true });
  extraKey.grantDecrypt(fraud);
  iam.Grant.addToPrincipal({ grantee: fraud, actions: ['s3:GetObject'], resourceArns: [platform.dataBucket.arnForObjects('reference/catalog.json')] });

  test('every top-level stack passes every rule pack and the CloudFormation validation', () => {
    for (const stack of [platform.networkStack, platform.dataStack, platform.studioStack]) {
      expect(() => compliantTemplate(stack)).not.toThrow();
    }
  });

  test('the nested team stacks pass the CloudFormation validation and carry only registered acknowledgments', () => {
    // (cdk-nag walks the nested stacks with their parent; the harness validates their templates with the parent's)
    expect(() => compliantTemplate(platform.studioStack)).not.toThrow();
    expect(inspect(platform.studioStack).findings.filter((f) => f.source === NESTED_STACK_VALIDATION)).toEqual([]);
    for (const nested of nestedStacks(platform)) expect(auditAcknowledgments(nested).problems).toEqual([]);
  });

  test('passes the library\'s own SageMaker rule pack, nested team stacks included', () => {
    const report = new SageMakerPlatformChecks().validateScope(platform);
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} on ${r.constructPath}`))).toEqual([]);
  });

  test('lays out the stacks a platform team deploys separately, with one nested stack per team', () => {
    const stacks = allStacks(platform);
    expect(stacks.filter((s) => !NestedStack.isNestedStack(s)).map((s) => s.stackName)).toEqual([
      'Platform-Network', 'Platform-Data', 'Platform-Studio',
    ]);
    expect(nestedStacks(platform).map((s) => s.node.path)).toEqual(['Platform/Studio/Team-retention', 'Platform/Studio/Team-fraud']);
    expect(platform.teamNames).toEqual(['retention', 'fraud']);
  });

  test('references point only towards the network and data stacks: no cycle, nothing depends on Studio', () => {
    const assembly = app.synth();
    const deps = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets')).sort();
    expect(deps('Platform-Network')).toEqual([]);
    expect(deps('Platform-Data')).toEqual([platform.networkStack.artifactId]);
    expect(deps('Platform-Studio')).toEqual([platform.dataStack.artifactId, platform.networkStack.artifactId].sort());
    // the network stack imports nothing: the endpoint rules of Studio's security groups live in Studio
    const network = JSON.stringify(Template.fromStack(platform.networkStack).toJSON());
    expect(network).not.toContain('Fn::ImportValue');
    const data = JSON.stringify(Template.fromStack(platform.dataStack).toJSON());
    expect(data).not.toContain('Platform-Studio');
  });

  test('admits every Studio security group to the interface endpoints with rules in the team stacks', () => {
    for (const nested of nestedStacks(platform)) {
      const rules = Template.fromStack(nested).findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { FromPort: 443, ToPort: 443, IpProtocol: 'tcp', GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('EndpointSecurityGroup') } },
      });
      // the domain's and the job security group, and one per member
      const members = platform.team(nested.node.id.replace('Team-', ''))!.memberNames.length;
      expect(Object.keys(rules)).toHaveLength(2 + members);
    }
    Template.fromStack(platform.networkStack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(platform.network.endpointAccessCount).toBe(2 * 2 + 3);
  });

  test('gives each team its own domain, shared space, members and data prefix', () => {
    const retention = platform.team('retention')!;
    const t = Template.fromStack(Stack.of(retention) as NestedStack);
    t.resourceCountIs('AWS::SageMaker::Domain', 1);
    t.hasResourceProperties('AWS::SageMaker::Domain', { DomainName: 'hr-ml-retention', AppNetworkAccessType: 'VpcOnly' });
    t.resourceCountIs('AWS::SageMaker::UserProfile', 2);
    t.hasResourceProperties('AWS::SageMaker::Space', { SpaceName: 'retention-shared', SpaceSharingSettings: { SharingType: 'Shared' } });
    expect(retention.dataPrefix).toBe('teams/retention/');
    expect(retention.memberNames).toEqual(['alice', 'bob']);
    expect(retention.sharedSpace?.spaceName).toBe('retention-shared');
  });

  test('puts the budget tag and the team tag on every taggable resource of a team, and on its nested stack', () => {
    for (const [path, template] of templates(platform)) {
      if (!path.includes('/Team-')) continue;
      const team = path.endsWith('retention') ? { name: 'retention', budget: 'retention' } : { name: 'fraud', budget: 'cc-4711' };
      for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, { Properties?: { Tags?: unknown } }>)) {
        const tags = resource.Properties?.Tags;
        if (!Array.isArray(tags)) continue;
        expect({ id, tags }).toEqual({
          id,
          tags: expect.arrayContaining([
            { Key: PlatformTeam.BUDGET_TAG_KEY, Value: team.budget },
            { Key: PlatformTeam.TEAM_TAG_KEY, Value: team.name },
          ]),
        });
      }
    }
    Template.fromStack(platform.studioStack).hasResource('AWS::CloudFormation::Stack', {
      Properties: { Tags: Match.arrayWith([{ Key: PlatformTeam.BUDGET_TAG_KEY, Value: 'cc-4711' }]) },
    });
  });

  test('creates a monthly budget filtered on the team\'s budget tag when one is given', () => {
    const retention = Template.fromStack(Stack.of(platform.team('retention')!) as NestedStack);
    retention.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 500, Unit: 'USD' },
        FilterExpression: { Tags: { Key: PlatformTeam.BUDGET_TAG_KEY, Values: ['retention'], MatchOptions: ['EQUALS'] } },
      },
      NotificationsWithSubscribers: Match.arrayWith([Match.objectLike({ Subscribers: [{ SubscriptionType: 'EMAIL', Address: 'ml-leads@example.com' }] })]),
    });
    Template.fromStack(Stack.of(fraud) as NestedStack).resourceCountIs('AWS::Budgets::Budget', 0);
  });

  test('denies each team prefix of the data bucket to roles tagged with another team', () => {
    Template.fromStack(platform.dataStack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyListingOtherTeamsPrefixes',
          Effect: 'Deny',
          Action: ['s3:ListBucket', 's3:ListBucketVersions'],
          Condition: {
            Null: { 'aws:PrincipalTag/sagemaker-platform:team': 'false' },
            StringLike: { 's3:prefix': ['teams', 'teams/*'] },
            StringNotLike: { 's3:prefix': ['teams/${aws:PrincipalTag/sagemaker-platform:team}/*', 'teams/${aws:PrincipalTag/sagemaker-platform:team}'] },
          },
        })]),
      },
    });
    Template.fromStack(platform.dataStack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DenyTeamfraudObjectsToOtherTeams',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Condition: {
            StringNotEquals: { 'aws:PrincipalTag/sagemaker-platform:team': 'fraud' },
            Null: { 'aws:PrincipalTag/sagemaker-platform:team': 'false' },
          },
        })]),
      },
    });
  });

  test('grants to a team land in the team\'s access policy, never in a key or bucket policy of another stack', () => {
    const t = Template.fromStack(Stack.of(fraud) as NestedStack);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Effect: 'Allow' })]) },
      Roles: Match.arrayWith([{ Ref: Match.stringLikeRegexp('UserProfilecarolExecutionRole') }]),
    });
    const data = Template.fromStack(platform.dataStack);
    const keyPolicy = JSON.stringify(data.findResources('AWS::KMS::Key'));
    expect(keyPolicy).not.toMatch(/ExecutionRole/);
    expect(fraud.grantPrincipal.principalAccount).toBe(TEST_ENV.account);
  });

  test('publishes every ID other CDK apps need as an SSM parameter, each one present in a template', () => {
    const names = platform.parameterNames;
    expect(Object.keys(names).sort()).toEqual([
      'data/bucket-arn', 'data/bucket-name',
      'keys/data-key-arn', 'keys/logs-key-arn', 'keys/studio-key-arn',
      'network/endpoint-security-group-id', 'network/subnet-ids', 'network/vpc-cidr', 'network/vpc-id',
      'studio/teams',
      ...['retention', 'fraud'].flatMap((team) => ['data-prefix', 'domain-arn', 'domain-id', 'job-security-group-id', 'security-group-id', 'shared-space-role-arn']
        .map((k) => `teams/${team}/${k}`)),
    ].sort());
    const published = new Map<string, { Type: string; Value: unknown }>();
    for (const template of templates(platform).values()) {
      for (const r of Object.values(template.findResources('AWS::SSM::Parameter'))) {
        published.set(r.Properties.Name, { Type: r.Properties.Type, Value: r.Properties.Value });
      }
    }
    for (const [key, name] of Object.entries(names)) {
      expect({ key, name: name.startsWith('/sagemaker-platform/hr-ml/'), present: published.has(name) }).toEqual({ key, name: true, present: true });
    }
    expect(published.get('/sagemaker-platform/hr-ml/network/subnet-ids')!.Type).toBe('StringList');
    expect(published.get('/sagemaker-platform/hr-ml/studio/teams')!).toEqual({ Type: 'StringList', Value: { 'Fn::Join': [',', ['retention', 'fraud']] } });
    expect(published.get('/sagemaker-platform/hr-ml/teams/fraud/data-prefix')!.Value).toBe('s3://hr-ml-data-123456789012-us-east-1/teams/fraud/');
  });

  test('also publishes the IDs as stack outputs (per team: the domain ID)', () => {
    expect(Object.keys(Template.fromStack(platform.networkStack).findOutputs('*'))).toEqual(expect.arrayContaining([
      'NetworkVpcId', 'NetworkSubnetIds', 'NetworkEndpointSecurityGroupId', 'KeysDataKeyArn', 'KeysStudioKeyArn', 'KeysLogsKeyArn',
    ]));
    Template.fromStack(platform.dataStack).hasOutput('DataBucketName', { Value: { Ref: Match.stringLikeRegexp('DataBucket') } });
    expect(Object.keys(Template.fromStack(platform.studioStack).findOutputs('*'))).toEqual(['TeamsRetentionDomainId', 'TeamsFraudDomainId']);
  });

  test('keeps data by default: keys, data bucket and Studio domains are retained', () => {
    Template.fromStack(platform.networkStack).allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    Template.fromStack(platform.dataStack).allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    for (const nested of nestedStacks(platform)) {
      Template.fromStack(nested).allResources('AWS::SageMaker::Domain', { DeletionPolicy: 'Retain' });
      Template.fromStack(nested).allResources('AWS::SageMaker::UserProfile', { DeletionPolicy: 'Retain' });
    }
  });
});

/** A stack of another app part, holding a resource of its own (an empty template is invalid). */
function sharedStack(app: App): Stack {
  const stack = new Stack(app, 'Shared', { env: TEST_ENV });
  new iam.ManagedPolicy(stack, 'Placeholder', { statements: [new iam.PolicyStatement({ actions: ['sagemaker:ListDomains'], resources: ['*'] })] });
  return stack;
}

test('the harness validates the template of a nested stack, which aws-cdk-lib does not (negative control)', () => {
  // GIVEN a nested stack with a resource that breaks its schema
  const stack = new Stack(testApp(), 'Parent', { env: TEST_ENV });
  const nested = new NestedStack(stack, 'Child');
  new CfnResource(nested, 'Domain', {
    type: 'AWS::SageMaker::Domain',
    properties: { AuthMode: 'PASSWORD', DomainName: 'd', VpcId: 'vpc-0123456789abcdef0', SubnetIds: ['subnet-0123456789abcdef0'] },
  });
  // THEN the parent's synth passes, and the harness reports the nested resource
  expect(() => Template.fromStack(stack)).not.toThrow();
  expect(() => compliantTemplate(stack)).toThrow(/CloudFormation Validate \(nested stack\) \S+ on Parent\/Child\/Domain: .*DefaultUserSettings/);
});

describe('SecureMlPlatform options', () => {
  test('uses the provided names, prefix, network and Studio settings', () => {
    // GIVEN every naming and network option
    const app = testApp();
    const platform = new SecureMlPlatform(app, 'Ml', {
      platformName: 'risk',
      env: TEST_ENV,
      stackNamePrefix: 'RiskMl',
      parameterPrefix: '/org/ml/risk',
      dataBucketName: 'risk-ml-data-0123',
      network: { maxAzs: 3, endpointAzCount: 1 },
      keys: { aliasPrefix: 'org/risk' },
      studio: { idleTimeout: Duration.minutes(120), appInstanceTypes: ['ml.t3.medium'] },
      budgetTagKey: 'CostCenter',
    });
    platform.addTeam('quant', { members: [{ userName: 'dave' }], domainName: 'quant-studio' });

    // THEN
    expect(allStacks(platform).filter((s) => !NestedStack.isNestedStack(s)).map((s) => s.stackName)).toEqual(['RiskMl-Network', 'RiskMl-Data', 'RiskMl-Studio']);
    expect(Object.values(platform.parameterNames).every((n) => n.startsWith('/org/ml/risk/'))).toBe(true);
    const network = Template.fromStack(platform.networkStack);
    network.resourceCountIs('AWS::EC2::Subnet', 3);
    network.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/org/risk/data' });
    Template.fromStack(platform.dataStack).hasResourceProperties('AWS::S3::Bucket', { BucketName: 'risk-ml-data-0123' });
    const team = Template.fromStack(Stack.of(platform.team('quant')!) as NestedStack);
    team.hasResourceProperties('AWS::SageMaker::Domain', {
      DomainName: 'quant-studio',
      DefaultUserSettings: Match.objectLike({
        JupyterLabAppSettings: Match.objectLike({
          AppLifecycleManagement: { IdleSettings: Match.objectLike({ IdleTimeoutInMinutes: 120 }) },
        }),
      }),
      Tags: Match.arrayWith([{ Key: 'CostCenter', Value: 'quant' }]),
    });
  });

  test('creates the network, keys, bucket names and alias prefix when none are given', () => {
    const platform = new SecureMlPlatform(testApp(), 'Platform', { platformName: 'hr-ml', env: TEST_ENV });
    const network = Template.fromStack(platform.networkStack);
    network.resourceCountIs('AWS::EC2::VPC', 1);
    network.resourceCountIs('AWS::EC2::Subnet', 2);
    network.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/sagemaker-platform/hr-ml/studio' });
    network.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 'cloud-watch-logs' });
    network.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Keyslogs'), 'Arn'] } });
    Template.fromStack(platform.dataStack).hasResourceProperties('AWS::S3::Bucket', { BucketName: 'hr-ml-data-123456789012-us-east-1' });
    expect(platform.parameterPrefix).toBe('/sagemaker-platform/hr-ml');
  });

  test('uses the provided VPC (imported without lookups) instead of creating one', () => {
    const app = testApp();
    const platform = new SecureMlPlatform(app, 'Platform', {
      platformName: 'shared-vpc',
      env: TEST_ENV,
      network: {
        vpc: ec2.Vpc.fromVpcAttributes(sharedStack(app), 'Vpc', {
          vpcId: 'vpc-0123456789abcdef0',
          vpcCidrBlock: '10.1.0.0/16',
          availabilityZones: ['us-east-1a', 'us-east-1b'],
          isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
          isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
        }),
      },
    });
    platform.addTeam('core', { members: [{ userName: 'erin' }] });
    const network = Template.fromStack(platform.networkStack);
    network.resourceCountIs('AWS::EC2::VPC', 0);
    network.hasResourceProperties('AWS::SSM::Parameter', { Name: '/sagemaker-platform/shared-vpc/network/vpc-id', Value: 'vpc-0123456789abcdef0' });
    Template.fromStack(Stack.of(platform.team('core')!) as NestedStack).hasResourceProperties('AWS::SageMaker::Domain', {
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
  });

  test('creates the workloads stack on first use, depending on the network and data stacks', () => {
    const app = testApp();
    const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'hr-ml', env: TEST_ENV });
    expect(allStacks(platform).map((s) => s.stackName)).toEqual(['Platform-Network', 'Platform-Data']);
    const workloads = platform.workloadsStack;
    new s3.Bucket(workloads, 'Scratch', { encryption: s3.BucketEncryption.KMS, encryptionKey: platform.keys.dataKey });
    expect(platform.workloadsStack).toBe(workloads);
    expect(workloads.stackName).toBe('Platform-Workloads');
    expect(workloads.dependencies.map((s) => s.stackName).sort()).toEqual(['Platform-Data', 'Platform-Network']);
  });

  test('shares the network with any stack of the app: endpoint rules go to the stack of the security group', () => {
    const app = testApp();
    const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'hr-ml', env: TEST_ENV });
    const sg = new ec2.SecurityGroup(platform.workloadsStack, 'JobSg', { vpc: platform.network.vpc, allowAllOutbound: false });
    platform.network.allowEndpointAccessFrom(sg);
    platform.network.allowEndpointAccessFrom(sg);
    const local = new ec2.SecurityGroup(platform.networkStack, 'LocalSg', { vpc: platform.network.vpc, allowAllOutbound: false });
    platform.network.allowEndpointAccessFrom(local);

    const workloads = Template.fromStack(platform.workloadsStack);
    workloads.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    workloads.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443,
      GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('EndpointSecurityGroup') },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('JobSg'), 'GroupId'] },
    });
    workloads.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 443, DestinationSecurityGroupId: { 'Fn::ImportValue': Match.anyValue() } });
    Template.fromStack(platform.networkStack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    expect(platform.network.endpointAccessCount).toBe(2);
    expect(platform.network.interfaceEndpointCount).toBe(0);
  });
});

describe('SecureMlPlatform bad input', () => {
  const platform = () => new SecureMlPlatform(new App(), 'Platform', { platformName: 'hr-ml' });

  test('names the props and values it refuses, all at once', () => {
    expect(() => new SecureMlPlatform(new App(), 'Platform', {
      platformName: 'HR_ML',
      parameterPrefix: 'no-slash/',
      stackNamePrefix: '9lives',
    })).toThrow(/platformName must be 1-24 lowercase.*got 'HR_ML'[\s\S]*parameterPrefix must be an SSM path.*got 'no-slash\/'[\s\S]*stackNamePrefix must be/);
  });

  test('refuses more teams than the 20 KB data bucket policy can hold, at synth', () => {
    const app = new App();
    const p = new SecureMlPlatform(app, 'Platform', { platformName: 'crowd', env: TEST_ENV });
    for (let t = 0; t < 50; t++) p.addTeam(`a-team-with-a-long-name-${t}`, { sharedSpace: false });
    expect(() => app.synth()).toThrow(/the data bucket policy would have about \d+ bytes, over the 20480 S3 allows/);
  });

  test('refuses a platform name longer than 24 characters', () => {
    expect(() => new SecureMlPlatform(new App(), 'Platform', { platformName: 'a'.repeat(25) }))
      .toThrow(/platformName must be at most 24 characters, got 25/);
  });

  test('refuses duplicate teams and bad team names', () => {
    const p = platform();
    p.addTeam('retention');
    expect(() => p.addTeam('retention')).toThrow(/addTeam teamName must be unique, got 'retention' a second time/);
    expect(() => p.addTeam('Fraud Team')).toThrow(/addTeam teamName must be 1-32 lowercase letters.*got 'Fraud Team'/);
  });

  test('refuses a user name used in another team, suggesting a second name', () => {
    const p = platform();
    p.addTeam('retention', { members: [{ userName: 'alice' }] });
    expect(() => p.addTeam('fraud', { members: [{ userName: 'Alice' }] }))
      .toThrow(/user name 'Alice' must be unique across the platform.*already a member of team 'retention'.*'Alice-fraud'/);
    expect(() => p.addMember('retention', 'alice')).toThrow(/user name 'alice' must be unique across the platform/);
    expect(() => p.addMember('nope', 'zed')).toThrow(/addMember teamName must be a team of the platform \(retention\), got 'nope'/);
    expect(p.addMember('retention', 'bob').userProfileName).toBe('bob');
  });

  test('refuses, at synth, a user name added twice across teams through PlatformTeam.addMember', () => {
    const app = new App();
    const p = new SecureMlPlatform(app, 'Platform', { platformName: 'hr-ml', env: TEST_ENV });
    p.addTeam('retention', { members: [{ userName: 'alice' }] });
    p.addTeam('fraud').addMember('alice');
    expect(() => app.synth()).toThrow(/user name 'alice' of team 'fraud' is also a member of team 'retention'/);
  });

  test('refuses bad budgets, tag keys and duplicate members of a team', () => {
    expect(() => platform().addTeam('retention', {
      budget: { monthlyLimitUsd: -5, notificationEmails: ['not-an-email'] },
      budgetCode: 'x'.repeat(300),
      members: [{ userName: 'alice' }, { userName: 'ALICE' }],
      sharedSpace: false,
      sharedSpaceOptions: { displayName: 'x' },
    })).toThrow(/user name 'ALICE' must be unique across the platform/);
    const p = platform();
    expect(() => new PlatformTeam(p.studioStack, 'T', {
      teamName: 'retention',
      network: p.network,
      storageKey: p.keys.studioKey,
      jobKey: p.keys.dataKey,
      dataBucket: p.dataBucket,
      budget: { monthlyLimitUsd: -5, notificationEmails: ['not-an-email'] },
      budgetCode: 'x'.repeat(300),
      budgetTagKey: PlatformTeam.TEAM_TAG_KEY,
      members: [{ userName: 'alice' }, { userName: 'ALICE' }],
      sharedSpace: false,
      sharedSpaceOptions: { displayName: 'x' },
    })).toThrow(/budgetCode must be at most 256 characters[\s\S]*budgetTagKey must not be 'sagemaker-platform:team'[\s\S]*budget.monthlyLimitUsd must be a positive number of USD, got -5[\s\S]*notificationEmails\[0\] must be an e-mail address[\s\S]*sharedSpaceOptions applies only to a shared space[\s\S]*members\[1\].userName must be unique in the team/);
  });
});

describe('PlatformTeam on its own', () => {
  test('works in a single stack with a plain network, keys and bucket; without a shared space', () => {
    // GIVEN the parts a team needs, in one stack
    const app = testApp();
    const platform = new SecureMlPlatform(app, 'P', { platformName: 'solo', env: TEST_ENV });
    const stack = platform.studioStack;
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Imported', { bucketName: 'solo-data', encryptionKey: platform.keys.dataKey });
    const team = new PlatformTeam(stack, 'Team', {
      teamName: 'solo',
      network: platform.network,
      storageKey: platform.keys.studioKey,
      jobKey: platform.keys.dataKey,
      dataBucket: bucket,
      sharedSpace: false,
      studio: { removalPolicy: RemovalPolicy.RETAIN },
    });
    team.addMember('frank');
    // WHEN something is granted to the team
    iam.Grant.addToPrincipal({ grantee: team, actions: ['s3:GetObject'], resourceArns: ['arn:aws:s3:::solo-data/catalog.json'] });

    // THEN
    const t = compliantTemplate(stack);
    t.hasResourceProperties('AWS::SageMaker::Domain', { DomainName: 'solo' });
    t.resourceCountIs('AWS::SageMaker::Space', 1); // frank's private space only
    expect(team.sharedSpace).toBeUndefined();
    // the grant lands in the team's policy; in a resource policy the team is its roles
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::solo-data/catalog.json' })]) },
    });
    expect(stack.resolve(team.grantPrincipal.policyFragment.principalJson.AWS)).toHaveLength(2);
    expect(CfnResource.isCfnResource(team.accessPolicy.node.defaultChild)).toBe(true);
  });
});
