import { Aws, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// cdk-nag's own flattening (not exported from its index): the renderings must match it
import { flattenCfnReference as cdkNagFlatten } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { flattenCfnReference, nagResourceDetail, policyWildcardFindings, wildcardFindings } from '../../src/private/nag-detail';
import { TEST_ENV } from '../harness';

describe('nag-detail', () => {
  test.each([
    ['a plain string', 'arn:aws:s3:::bucket/*'],
    ['an Fn::Sub string', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/*' }],
    ['a Ref', { Ref: 'Bucket83908E77' }],
    ['an Fn::GetAtt', { 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }],
    ['an Fn::ImportValue', { 'Fn::ImportValue': 'Shared:BucketArn' }],
    ['a nested Fn::Join', { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket83908E77', 'Arn'] }, '/', { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }]] }, '/*']] }],
    ['another intrinsic', { 'Fn::Select': [0, ['a', 'b']] }],
    ['undefined', undefined],
  ])('flattens %s exactly as cdk-nag does', (_, value) => {
    expect(flattenCfnReference(value)).toBe(cdkNagFlatten(value));
  });

  test('an Fn::Join over a list-valued intrinsic (cdk-nag throws on it) becomes a placeholder', () => {
    const split = { 'Fn::Join': ['', ['arn:aws:s3:::', { 'Fn::Join': [',', { 'Fn::Split': [',', 'a,b*'] }] }, '/*']] };
    expect(() => cdkNagFlatten(split)).toThrow();
    expect(flattenCfnReference(split)).toBe('arn:aws:s3:::<Fn::Split>/*');
    expect(flattenCfnReference({ 'Fn::Join': [',', { Ref: 'SubnetIds' }] })).toBe('<SubnetIds>');
    expect(flattenCfnReference(null)).toBe('');
  });

  describe('on a stack', () => {
    const stack = new Stack(undefined, 'NagDetail', { env: TEST_ENV });
    const statements = [
      new iam.PolicyStatement({ actions: ['s3:Get*', 's3:PutObject'], resources: [`arn:${Aws.PARTITION}:s3:::bucket/users/*`, 'arn:aws:s3:::bucket'] }),
      // a wildcard resource built from a list-valued intrinsic no longer crashes the synthesis
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [Fn.join('', ['arn:aws:s3:::', Fn.join('', Fn.split(',', Fn.importValue('Shared:BucketNames'))), '/*'])] }),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'] }),
    ];
    const policy = new iam.ManagedPolicy(stack, 'Policy', { statements });

    test('nagResourceDetail renders one resource', () => {
      expect(nagResourceDetail(stack, `arn:${Aws.PARTITION}:s3:::bucket/*`)).toBe('Resource::arn:<AWS::Partition>:s3:::bucket/*');
    });

    test('statements and the policy holding them give the same details, for allow statements only', () => {
      const expected = ['Action::s3:Get*', 'Resource::arn:<AWS::Partition>:s3:::bucket/users/*', 'Resource::arn:aws:s3:::<Fn::Split>/*'];
      expect(wildcardFindings(stack, statements)).toEqual(expected);
      expect(policyWildcardFindings(policy)).toEqual(expected);
    });
  });
});
