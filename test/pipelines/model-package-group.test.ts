import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ModelApprovalStatus, ModelPackageGroup, PipelineValue } from '../../src';
import { ManagedPolicyRole } from '../../src/pipelines/private/iam';
import { acknowledge } from '../../src/private/acknowledgments';
import { compliantTemplate, testStack } from '../harness';
import { flatten } from './util';

describe('ModelPackageGroup', () => {
  describe('with defaults', () => {
    const stack = testStack();
    const group = new ModelPackageGroup(stack, 'Models');
    const template = compliantTemplate(stack);

    test('is retained, with a generated lower-case name and no resource policy', () => {
      template.hasResource('AWS::SageMaker::ModelPackageGroup', {
        Properties: { ModelPackageGroupName: Match.stringLikeRegexp('^[a-z0-9-]+$'), ModelPackageGroupPolicy: Match.absent() },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(group.modelPackageGroupName).toMatch(/^[a-z0-9-]+$/);
      // Ref of AWS::SageMaker::ModelPackageGroup is the ARN
      expect(stack.resolve(group.modelPackageGroupArn).Ref).toMatch(/^Models/);
    });
  });

  describe('with a cross-account read policy and an approval hook', () => {
    // GIVEN a group shared with a deployment account, and a topic told about approvals
    const stack = testStack();
    const group = new ModelPackageGroup(stack, 'Models', {
      modelPackageGroupName: 'employee-retention',
      description: 'Employee retention models',
      crossAccountReadAccounts: ['210987654321'],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const topic = new sns.Topic(stack, 'Approvals', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }), enforceSSL: true });
    const rule = group.onApprovalStatusChange('OnApproval', { target: new targets.SnsTopic(topic), approvalStatuses: [ModelApprovalStatus.APPROVED, ModelApprovalStatus.REJECTED] });
    const reviewer = new ManagedPolicyRole(stack, 'Reviewer', { assumedBy: new iam.AccountRootPrincipal() });
    group.grantRead(reviewer);
    group.grantApprove(reviewer);
    acknowledge(reviewer.policy, 'MODEL_PACKAGE_VERSIONS', [`Resource::${flatten(stack.resolve(group.modelPackageArnPattern))}`]);
    const template = compliantTemplate(stack);

    test('passes every rule pack; DESTROY is honored', () => {
      template.hasResource('AWS::SageMaker::ModelPackageGroup', { DeletionPolicy: 'Delete' });
      expect(rule).toBeDefined();
    });

    test('lets the other account read the group and its versions and create models, but not approve', () => {
      const props = template.findResources('AWS::SageMaker::ModelPackageGroup');
      const policy = JSON.stringify(Object.values(props)[0].Properties.ModelPackageGroupPolicy);
      expect(policy).toContain(':iam::210987654321:root');
      expect(policy).toContain('sagemaker:DescribeModelPackageGroup');
      expect(policy).toContain('sagemaker:CreateModel');
      expect(policy).toContain('model-package/employee-retention/*');
      expect(policy).not.toContain('UpdateModelPackage');
      template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupDescription: 'Employee retention models' });
    });

    test('the approval hook is an EventBridge rule on model package state changes of this group', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.sagemaker'],
          'detail-type': ['SageMaker Model Package State Change'],
          'detail': { ModelPackageGroupName: ['employee-retention'], ModelApprovalStatus: ['Approved', 'Rejected'] },
        },
        Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('Approvals') } })],
      });
    });

    test('grants read and approval on the group\'s versions', () => {
      const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      expect(statements.flatMap((s: any) => [].concat(s.Action)).sort()).toEqual([
        'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackage', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:ListModelPackages', 'sagemaker:UpdateModelPackage',
      ]);
    });
  });

  describe('imports and validation', () => {
    test('imports by name and by ARN', () => {
      const stack = testStack();
      expect(ModelPackageGroup.fromModelPackageGroupArn(stack, 'ByArn', 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/churn').modelPackageGroupName).toEqual('churn');
      expect(stack.resolve(ModelPackageGroup.fromModelPackageGroupName(stack, 'ByName', 'Churn').modelPackageArnPattern))
        .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:model-package/churn/*']] });
    });

    test('rejects an invalid name, description and accounts at once', () => {
      const stack = testStack();
      expect(() => new ModelPackageGroup(stack, 'G', { modelPackageGroupName: '-bad', description: 'x'.repeat(1025), crossAccountReadAccounts: ['12345'] }))
        .toThrow(/ModelPackageGroup 'TestStack\/G' has invalid props:\n  - modelPackageGroupName must be 1-63 letters[\s\S]*description must be at most 1024 characters, got 1025[\s\S]*crossAccountReadAccounts must be 12-digit account IDs, got '12345'/);
    });

    test('approval hooks need statuses known at synth', () => {
      const stack = testStack();
      const group = new ModelPackageGroup(stack, 'G');
      const topic = new sns.Topic(stack, 'T');
      expect(() => group.onApprovalStatusChange('Hook', { target: new targets.SnsTopic(topic), approvalStatuses: [ModelApprovalStatus.fromValue(PipelineValue.fromString('x'))] }))
        .toThrow(/approvalStatuses must be known at synth/);
    });
  });
});
