import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PipelineStepRole } from '../../src';
import { compliantTemplate, testStack } from '../harness';
import { FakeNetwork } from './util';

describe('PipelineStepRole', () => {
  const stack = testStack();
  const network = new FakeNetwork(stack, 'Network');
  const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'JobSg', 'sg-0123456789abcdef0');
  const volumeKey = new kms.Key(stack, 'VolumeKey', { enableKeyRotation: true });
  const outputKey = new kms.Key(stack, 'OutputKey', { enableKeyRotation: true });
  const withOutputKey = new PipelineStepRole(stack, 'JobRole', { network, securityGroups: [sg], volumeKey, outputKey });
  new PipelineStepRole(stack, 'ModelRole', { network, securityGroups: [sg], volumeKey });
  const template = compliantTemplate(stack);
  const statementsOf = (path: string) => Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((p: any) => JSON.stringify(p.Properties.Roles).includes(path)).flatMap((p: any) => p.Properties.PolicyDocument.Statement);

  test('is a role SageMaker assumes, with a customer-managed run-time policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] } });
    expect(withOutputKey.policy).toBeDefined();
  });

  test('creates network interfaces only in the platform subnets and security groups', () => {
    const create = statementsOf('JobRole').find((s: any) => s.Sid === 'NetworkInterfacesInPlatformSubnets');
    const resources = JSON.stringify(create.Resource);
    expect(resources).toContain('subnet/subnet-0123456789abcdef0');
    expect(resources).toContain('security-group/sg-0123456789abcdef0');
  });

  test('uses the provided output key, and the volume key when none is given', () => {
    const keysOf = (path: string) => JSON.stringify(statementsOf(path).find((s: any) => s.Sid === 'UsePlatformKeys').Resource);
    expect(keysOf('JobRole')).toMatch(/OutputKey/);
    expect(keysOf('ModelRole')).not.toMatch(/OutputKey/);
    expect(keysOf('ModelRole')).toMatch(/VolumeKey/);
  });

  test('needs a security group', () => {
    expect(() => new PipelineStepRole(testStack(), 'R', { network, securityGroups: [], volumeKey }))
      .toThrow(/PipelineStepRole 'TestStack\/R' has invalid props:\n  - securityGroups must name at least one security group/);
  });
});
