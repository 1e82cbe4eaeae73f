import { SecureStudioStack } from '../../examples/studio';
import { compliantTemplate, inspect, TEST_ENV, testApp } from '../harness';

describe('SecureStudioStack example', () => {
  // GIVEN the example app's Studio stack
  const stack = new SecureStudioStack(testApp(), 'SecureStudio', { env: TEST_ENV });

  test('passes every rule pack and the CloudFormation validation', () => {
    expect(() => compliantTemplate(stack)).not.toThrow();
  });

  test('has two users, each with a private space, and one shared space', () => {
    const template = compliantTemplate(stack);
    template.resourceCountIs('AWS::SageMaker::UserProfile', 2);
    const spaces = Object.values(template.findResources('AWS::SageMaker::Space')).map((r) => [
      r.Properties.SpaceName, r.Properties.SpaceSharingSettings.SharingType, r.Properties.OwnershipSettings?.OwnerUserProfileName,
    ]);
    expect(spaces).toEqual(expect.arrayContaining([
      ['team-fraud', 'Shared', undefined],
      ['alice-private', 'Private', 'alice'],
      ['bob-private', 'Private', 'bob'],
    ]));
    expect(spaces).toHaveLength(3);
  });

  test('creates exactly the Studio interface endpoints and the S3 gateway endpoint', () => {
    const endpoints = Object.values(compliantTemplate(stack).findResources('AWS::EC2::VPCEndpoint'))
      .filter((r) => r.Properties.VpcEndpointType === 'Interface')
      .map((r) => r.Properties.ServiceName)
      .sort();
    expect(endpoints).toEqual([
      'com.amazonaws.us-east-1.ecr.api',
      'com.amazonaws.us-east-1.ecr.dkr',
      'com.amazonaws.us-east-1.logs',
      'com.amazonaws.us-east-1.sagemaker.api',
      'com.amazonaws.us-east-1.sagemaker.runtime',
      'com.amazonaws.us-east-1.sts',
    ]);
    expect(stack.network.s3GatewayEndpoint).toBeDefined();
  });

  test('every acknowledgment is registered and scoped to one resource', () => {
    const { acknowledgments, acknowledgmentProblems } = inspect(stack);
    expect(acknowledgmentProblems).toEqual([]);
    expect(acknowledgments.length).toBeGreaterThan(0);
  });
});
