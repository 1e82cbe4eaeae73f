import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { InterfaceEndpointService, PlatformNetwork } from '../../src/network';
import { SecureBucket } from '../../src/security';
import { MaintenanceDay, MlflowTrackingServer, MlflowTrackingServerSize } from '../../src/studio';
import { compliantTemplate, testStack } from '../harness';

/** A platform bucket with its own key. */
function platformBucket(stack: Stack): SecureBucket {
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true, description: 'Platform data' });
  return new SecureBucket(stack, 'Data', { encryptionKey: key });
}

/** The statements of the managed policy whose description starts with `prefix`. */
function statementsOf(stack: Stack, prefix: string): any[] {
  const policies = compliantTemplate(stack).findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Description: Match.stringLikeRegexp(`^${prefix}`) },
  });
  const all = Object.values(policies);
  expect(all).toHaveLength(1);
  return (all[0] as any).Properties.PolicyDocument.Statement;
}

describe('MlflowTrackingServer', () => {
  describe('with defaults', () => {
    // GIVEN a platform bucket and network
    const stack = testStack();
    const data = platformBucket(stack);
    const network = new PlatformNetwork(stack, 'Network');
    // WHEN a tracking server is created with only its artifact bucket and network
    const server = new MlflowTrackingServer(stack, 'Experiments', { artifactBucket: data, network, trackingServerName: 'employee-retention' });
    const template = compliantTemplate(stack);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('creates a Small server with its artifact store in the bucket, automatic registration off, a weekly window', () => {
      template.hasResourceProperties('AWS::SageMaker::MlflowTrackingServer', {
        TrackingServerName: 'employee-retention',
        ArtifactStoreUri: { 'Fn::Join': ['', ['s3://', { Ref: stack.getLogicalId(data.node.defaultChild as s3.CfnBucket) }, '/mlflow/employee-retention']] },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExperimentsRole'), 'Arn'] },
        TrackingServerSize: 'Small',
        AutomaticModelRegistration: false,
        WeeklyMaintenanceWindowStart: 'Sun:03:00',
        MlflowVersion: Match.absent(),
      });
    });

    test('retains the server by default (it holds the experiments\' history), after its role policy exists', () => {
      template.hasResource('AWS::SageMaker::MlflowTrackingServer', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ExperimentsRolePolicy')]),
      });
    });

    test('the role trusts SageMaker of this account only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('^Role of the SageMaker MLflow tracking server employee-retention'),
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'sagemaker.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }],
        },
      });
    });

    test('the role reaches only the artifact prefix, and the key only through S3', () => {
      const statements = statementsOf(stack, 'SageMaker MLflow tracking server employee-retention');
      expect(statements.map((s) => s.Sid)).toEqual(['ArtifactObjects', 'ArtifactListing', 'ArtifactBucketLocation', 'ArtifactKeyThroughS3']);
      expect(statements[0].Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(data.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/mlflow/employee-retention/*']] });
      expect(statements[1].Condition).toEqual({ StringLike: { 's3:prefix': ['mlflow/employee-retention/', 'mlflow/employee-retention/*'] } });
      expect(statements[3].Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } });
      expect(JSON.stringify(statements)).not.toContain('sagemaker:CreateModelPackage');
    });

    test('declares the MLflow and SageMaker API interface endpoints', () => {
      expect(network.interfaceEndpointFor(MlflowTrackingServer.ENDPOINT_SERVICE)).toBeDefined();
      expect(network.interfaceEndpointFor(InterfaceEndpointService.SAGEMAKER_API)).toBeDefined();
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'aws.sagemaker.us-east-1.experiments', PrivateDnsEnabled: true });
    });

    test('exposes the ARN as the tracking URI', () => {
      expect(stack.resolve(server.trackingServerArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:mlflow-tracking-server/employee-retention']],
      });
      expect(server.environment).toEqual({ MLFLOW_TRACKING_URI: server.trackingServerArn });
      expect(server.artifactPrefix).toBe('mlflow/employee-retention/');
    });
  });

  describe('grantAccess', () => {
    // GIVEN a tracking server and a role, a group and a user
    const stack = testStack();
    const server = new MlflowTrackingServer(stack, 'Experiments', { artifactBucket: platformBucket(stack), trackingServerName: 'team-fraud' });
    const role = new iam.Role(stack, 'Scientist', { assumedBy: new iam.AccountRootPrincipal() });
    const group = new iam.Group(stack, 'Analysts');
    new iam.User(stack, 'Analyst', { groups: [group] });
    const ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:mlflow-tracking-server/team-fraud']] };
    // WHEN access is granted to the role (twice) and the group
    const grant = server.grantAccess(role);
    server.grantAccess(role);
    server.grantAccess(group);

    test('the grants are customer-managed policies on this server only (the packs reject inline policies)', () => {
      compliantTemplate(stack).resourceCountIs('AWS::IAM::Policy', 0);
      const policies = compliantTemplate(stack).findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Description: Match.stringLikeRegexp('^Use of the MLflow tracking server') },
      });
      expect(Object.keys(policies)).toHaveLength(2);
      for (const policy of Object.values(policies) as any[]) {
        expect(policy.Properties.PolicyDocument.Statement).toEqual([
          { Action: 'sagemaker-mlflow:*', Effect: 'Allow', Resource: ARN },
          {
            Action: ['sagemaker:CreatePresignedMlflowTrackingServerUrl', 'sagemaker:DescribeMlflowTrackingServer'],
            Effect: 'Allow',
            Resource: ARN,
          },
        ]);
      }
      expect(grant.success).toBe(true);
    });

    test('attaches one policy to the role, one to the group', () => {
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] });
      compliantTemplate(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Groups: [{ Ref: stack.getLogicalId(group.node.defaultChild as iam.CfnGroup) }] });
    });

    test('an imported server grants the same on its ARN', () => {
      const imported = MlflowTrackingServer.fromTrackingServerArn(stack, 'Imported', 'arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/shared');
      expect(imported.trackingServerName).toBe('shared');
      const byName = MlflowTrackingServer.fromTrackingServerName(stack, 'ByName', 'shared');
      expect(stack.resolve(byName.trackingServerArn)).toEqual(
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:mlflow-tracking-server/shared']] });
      expect(imported.trackingServerArn).toBe('arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/shared');
    });
  });

  describe('with every option', () => {
    const stack = testStack();
    const data = platformBucket(stack);
    const otherKey = new kms.Key(stack, 'ArtifactKey', { enableKeyRotation: true });
    const role = new iam.Role(stack, 'GivenRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const server = new MlflowTrackingServer(stack, 'Experiments', {
      artifactBucket: data,
      artifactKey: otherKey,
      artifactPrefix: 'experiments/churn/',
      size: MlflowTrackingServerSize.LARGE,
      mlflowVersion: '2.16.2',
      maintenanceWindow: { day: MaintenanceDay.TUESDAY, hourUtc: 4, minute: 30 },
      automaticModelRegistration: true,
      role,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    test('uses the given options', () => {
      compliantTemplate(stack).hasResource('AWS::SageMaker::MlflowTrackingServer', {
        Properties: {
          TrackingServerSize: 'Large',
          MlflowVersion: '2.16.2',
          WeeklyMaintenanceWindowStart: 'Tue:04:30',
          AutomaticModelRegistration: true,
          RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] },
          ArtifactStoreUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/experiments/churn'])] }),
        },
        DeletionPolicy: 'Delete',
      });
      expect(server.role).toBe(role);
      expect(server.artifactKey).toBe(otherKey);
    });

    test('automatic registration may create model packages, never approve them', () => {
      const statements = statementsOf(stack, 'SageMaker MLflow tracking server');
      const registration = statements.find((s) => s.Sid === 'AutomaticModelRegistration');
      expect(registration.Condition).toEqual({ StringEqualsIfExists: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } });
      expect(statements.find((s) => s.Sid === 'ArtifactKeyThroughS3').Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(otherKey.node.defaultChild as kms.CfnKey), 'Arn'] });
    });
  });

  describe('bad input', () => {
    test('sizes the service does not offer, and every other problem, in one error', () => {
      const stack = testStack();
      const plain = new s3.Bucket(stack, 'Plain');
      expect(() => new MlflowTrackingServer(stack, 'Bad', {
        artifactBucket: plain,
        size: MlflowTrackingServerSize.of('XLarge'),
        trackingServerName: '-bad_name',
        mlflowVersion: 'latest',
        maintenanceWindow: { day: MaintenanceDay.MONDAY, hourUtc: 24, minute: 75 },
        artifactPrefix: '/mlflow',
      })).toThrow(new RegExp([
        "MlflowTrackingServer 'TestStack/Bad' has invalid props:",
        "trackingServerName must be 1-256 letters, digits and hyphens, starting and ending with a letter or digit, got '-bad_name'",
        "size must be one of Small, Medium, Large, got 'XLarge'",
        "mlflowVersion must be a version number such as 2.16.2, got 'latest'",
        'maintenanceWindow.hourUtc must be an integer between 0 and 23, got 24',
        'maintenanceWindow.minute must be an integer between 0 and 59, got 75',
        'artifactBucket \\(TestStack/Plain\\) has no customer-managed KMS key',
        "artifactPrefix must be a key prefix ending with '/'.*got '/mlflow'",
      ].join('[\\s\\S]*')));
    });
  });
});
