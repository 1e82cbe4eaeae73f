import { Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { estimatePolicySize } from '../../src/private/policy-size';
import { TEST_ENV } from '../harness';

describe('estimatePolicySize', () => {
  test('counts a join over a list-valued intrinsic as one deploy-time value instead of failing', () => {
    // GIVEN a resource joined from Fn::Split, which resolves to an Fn::Join whose list is an intrinsic
    const stack = new Stack(undefined, 'Sizes', { env: TEST_ENV });
    const policy = new iam.ManagedPolicy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [Fn.join('', Fn.split(',', Fn.importValue('Shared:Arns')))] })],
    });

    // THEN the estimate counts it as the longest usual value
    expect(estimatePolicySize(policy)).toBe(JSON.stringify({
      Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'x'.repeat(75) }],
      Version: '2012-10-17',
    }).length);
  });
});
