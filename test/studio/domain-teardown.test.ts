import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as lambdaTypes from '../../lambda/domain-teardown/types';
import { DomainTeardown } from '../../src/studio/domain-teardown';

const DOMAIN_TEARDOWN_TAG = DomainTeardown.TAG_KEY;
import { compliantTemplate, testStack } from '../harness';

const VPC_ID = 'vpc-0123456789abcdef0';

/** A VpcOnly domain as StudioDomain creates it (the L1 is what the teardown needs). */
function domainFixture(stack: Stack, id = 'Domain', vpcId: string | null = VPC_ID): sagemaker.CfnDomain {
  return new sagemaker.CfnDomain(stack, id, {
    domainName: id.toLowerCase(),
    authMode: 'IAM',
    appNetworkAccessType: 'VpcOnly',
    vpcId: vpcId ?? undefined,
    subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    defaultUserSettings: {
      executionRole: 'arn:aws:iam::123456789012:role/studio-default',
      securityGroups: ['sg-0123456789abcdef0'],
    },
  });
}

function policyOf(template: Template, resourceLogicalId: string): any[] {
  const resource = template.toJSON().Resources[resourceLogicalId];
  const policyId = resource.DependsOn.find((d: string) => template.toJSON().Resources[d].Type === 'AWS::IAM::ManagedPolicy');
  return template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement;
}

function logicalIdOf(template: Template, phase: string): string {
  const [id] = Object.keys(template.findResources('Custom::SageMakerPlatformDomainTeardown', { Properties: { Phase: phase } }));
  return id;
}

describe('DomainTeardown', () => {
  describe('with defaults, a user profile and a space', () => {
    // GIVEN a domain, a user profile and a space
    const stack = testStack();
    const domain = domainFixture(stack);
    const profile = new sagemaker.CfnUserProfile(stack, 'Alice', { domainId: domain.attrDomainId, userProfileName: 'alice' });
    const space = new sagemaker.CfnSpace(stack, 'TeamSpace', { domainId: domain.attrDomainId, spaceName: 'team' });
    // WHEN
    const teardown = new DomainTeardown(stack, 'Teardown', { domain });
    teardown.runBeforeDeletionOf(profile, space);
    const domainId = stack.getLogicalId(domain);

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('runs the app and space deletion before the domain, the profiles and the spaces are deleted', () => {
      const template = compliantTemplate(stack);
      const before = template.toJSON().Resources[logicalIdOf(template, 'BeforeDomainDeletion')];
      expect(before.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(profile), stack.getLogicalId(space)]));
      expect(before.Properties).toEqual(expect.objectContaining({
        DomainId: { 'Fn::GetAtt': [domainId, 'DomainId'] },
        DomainArn: { 'Fn::GetAtt': [domainId, 'DomainArn'] },
      }));
    });

    test('runs the network cleanup after the domain is deleted: the domain depends on it, it never references the domain', () => {
      const template = compliantTemplate(stack);
      const afterId = logicalIdOf(template, 'AfterDomainDeletion');
      const after = template.toJSON().Resources[afterId];
      expect(template.toJSON().Resources[domainId].DependsOn).toContain(afterId);
      expect(JSON.stringify(after)).not.toContain(`"${domainId}"`);
      expect(JSON.stringify(policyOf(template, afterId))).not.toContain(`"${domainId}"`);
      expect(after.Properties).toEqual(expect.objectContaining({
        VpcId: VPC_ID,
        // the subnets (where the mount targets live) are deleted after the cleanup
        SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        DeleteHomeFileSystem: false,
      }));
    });

    test('hands off through a tag value unique to the stack deployment and this teardown', () => {
      const template = compliantTemplate(stack);
      const tag = { 'Fn::Join': ['', [{ Ref: 'AWS::StackId' }, Match.stringLikeRegexp('^/[0-9A-F]{8}$')]] };
      template.hasResourceProperties('Custom::SageMakerPlatformDomainTeardown', { Phase: 'BeforeDomainDeletion', TeardownTag: tag });
      template.hasResourceProperties('Custom::SageMakerPlatformDomainTeardown', { Phase: 'AfterDomainDeletion', TeardownTag: tag });
    });

    test('deletes only apps and spaces of this domain', () => {
      const template = compliantTemplate(stack);
      const statements = policyOf(template, logicalIdOf(template, 'BeforeDomainDeletion'));
      const arnOf = (kind: string) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sagemaker:us-east-1:123456789012:${kind}/`, { 'Fn::GetAtt': [domainId, 'DomainId'] }, '/*']],
      });
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: 'sagemaker:DeleteApp', Resource: arnOf('app') }),
        expect.objectContaining({ Action: ['sagemaker:DeleteSpace', 'sagemaker:ListTags'], Resource: arnOf('space') }),
        expect.objectContaining({ Action: 'sagemaker:DescribeDomain', Resource: { 'Fn::GetAtt': [domainId, 'DomainArn'] } }),
      ]));
      // nothing but listings on '*'
      const anywhere = statements.filter((s) => s.Resource === '*');
      expect(anywhere.map((s) => s.Action)).toEqual([['sagemaker:ListApps', 'sagemaker:ListSpaces', 'ec2:DescribeSecurityGroups']]);
    });

    test('tags only resources SageMaker created for this domain, in its VPC, with the teardown tags only', () => {
      const template = compliantTemplate(stack);
      const statements = policyOf(template, logicalIdOf(template, 'BeforeDomainDeletion'));
      const tagging = statements.filter((s) => ['ec2:CreateTags', 'elasticfilesystem:TagResource'].includes(s.Action));
      expect(tagging).toHaveLength(2);
      for (const s of tagging) {
        expect(s.Condition.StringEquals['aws:ResourceTag/ManagedByAmazonSageMakerResource']).toEqual({ 'Fn::GetAtt': [domainId, 'DomainArn'] });
        expect(s.Condition.StringEquals[`aws:RequestTag/${DOMAIN_TEARDOWN_TAG}`]).toBeDefined();
        expect(s.Condition['ForAllValues:StringEquals']['aws:TagKeys']).toContain(DOMAIN_TEARDOWN_TAG);
      }
      expect(tagging[0].Condition.StringEquals['ec2:Vpc']).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ec2:us-east-1:123456789012:vpc/${VPC_ID}`]],
      });
    });

    test('deletes only tagged security groups in the domain VPC, and keeps the home file system by default', () => {
      const template = compliantTemplate(stack);
      const statements = policyOf(template, logicalIdOf(template, 'AfterDomainDeletion'));
      const groups = statements.find((s) => s.Sid === 'DeleteTaggedNfsSecurityGroups');
      expect(groups.Action).toEqual(['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:DeleteSecurityGroup']);
      expect(Object.keys(groups.Condition.StringEquals)).toEqual(['ec2:Vpc', `aws:ResourceTag/${DOMAIN_TEARDOWN_TAG}`]);
      const files = statements.find((s) => s.Sid === 'CleanUpTaggedHomeFileSystem');
      expect(files.Action).toEqual(['elasticfilesystem:DescribeMountTargets', 'elasticfilesystem:DeleteMountTarget']);
      expect(Object.keys(files.Condition.StringEquals)).toEqual([`aws:ResourceTag/${DOMAIN_TEARDOWN_TAG}`]);
      expect(JSON.stringify(statements)).not.toContain('elasticfilesystem:DeleteFileSystem');
      const interfaces = statements.find((s) => s.Sid === 'DeleteMountTargetInterfaces');
      expect(Object.keys(interfaces.Condition.StringEquals)).toEqual(['ec2:Vpc']);
    });

    test('polls isComplete every 30 seconds for up to 50 minutes', () => {
      const definition = JSON.stringify(compliantTemplate(stack).findResources('AWS::StepFunctions::StateMachine'));
      expect(definition).toContain('\\"IntervalSeconds\\":30');
      expect(definition).toContain('\\"MaxAttempts\\":100');
    });

    test('creates the stack\'s logs key when none is given', () => {
      compliantTemplate(stack).resourceCountIs('AWS::KMS::Key', 1);
    });

    test('uses the same tag keys as the handlers', () => {
      expect(DOMAIN_TEARDOWN_TAG).toBe(lambdaTypes.TEARDOWN_TAG);
      const source = JSON.stringify(compliantTemplate(stack).toJSON());
      for (const key of [lambdaTypes.DOMAIN_ID_TAG, lambdaTypes.HOME_EFS_TAG, lambdaTypes.SAGEMAKER_MANAGED_TAG]) expect(source).toContain(key);
      expect(teardown.tagValue).toBeDefined();
    });
  });

  describe('two domains, home file systems deleted on opt-in, with a logs key', () => {
    // GIVEN two domains in one stack and a platform logs key
    const stack = testStack();
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    new DomainTeardown(stack, 'First', { domain: domainFixture(stack, 'One'), homeFileSystemRemovalPolicy: RemovalPolicy.DESTROY, logKey: key });
    new DomainTeardown(stack, 'Second', { domain: domainFixture(stack, 'Two'), logKey: key });

    test('passes every rule pack and the CloudFormation validation', () => {
      expect(() => compliantTemplate(stack)).not.toThrow();
    });

    test('shares one provider and uses the provided key', () => {
      const template = compliantTemplate(stack);
      template.resourceCountIs('Custom::SageMakerPlatformDomainTeardown', 4);
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    });

    test('deletes the home file system only where the user opted in', () => {
      const template = compliantTemplate(stack);
      const afters = template.findResources('Custom::SageMakerPlatformDomainTeardown', { Properties: { Phase: 'AfterDomainDeletion' } });
      const byOptIn = Object.entries(afters).map(([id, r]: [string, any]) => ({
        optIn: r.Properties.DeleteHomeFileSystem,
        deletes: JSON.stringify(policyOf(template, id)).includes('elasticfilesystem:DeleteFileSystem'),
      }));
      expect(byOptIn).toEqual(expect.arrayContaining([{ optIn: true, deletes: true }, { optIn: false, deletes: false }]));
    });

    test('gives each teardown its own tag value', () => {
      const template = compliantTemplate(stack);
      const afters = Object.values(template.findResources('Custom::SageMakerPlatformDomainTeardown', { Properties: { Phase: 'AfterDomainDeletion' } }));
      expect(new Set(afters.map((r: any) => JSON.stringify(r.Properties.TeardownTag))).size).toBe(2);
    });
  });

  describe('bad input', () => {
    test('rejects a snapshot removal policy and a domain without a VPC, in one error', () => {
      const stack = testStack();
      const domain = domainFixture(stack, 'Domain', null);
      expect(() => new DomainTeardown(stack, 'Teardown', { domain, homeFileSystemRemovalPolicy: RemovalPolicy.SNAPSHOT }))
        .toThrow(/DomainTeardown 'TestStack\/Teardown' has invalid props:\n {2}- homeFileSystemRemovalPolicy must be one of retain, destroy, got 'snapshot'\n {2}- domain must have a vpcId/);
    });
  });
});
