import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelArtifacts, ModelPackage, ModelPackageGroup, ModelSource } from '../../src';
import { testStack } from '../harness';
import { PACKAGE_ARN } from './fixtures';

describe('model sources', () => {
  test('a model package ARN is checked and its group read from it', () => {
    const stack = testStack();
    const pkg = ModelPackage.fromModelPackageArn(stack, 'Pkg', PACKAGE_ARN);
    expect(pkg.modelPackageGroupName).toBe('employee-retention');
    expect(() => ModelPackage.fromModelPackageArn(stack, 'Group', 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/employee-retention'))
      .toThrow(/modelPackageArn must be the ARN of a model package version .* got 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group\/employee-retention'/);
  });

  test('a registry model with an artifacts bucket needs the prefix of its artifacts', () => {
    const stack = testStack();
    const pkg = ModelPackage.fromModelPackageArn(stack, 'Pkg', PACKAGE_ARN);
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'ml-artifacts-123456789012');
    expect(() => ModelSource.fromModelPackage(pkg, { artifactsBucket: bucket })).toThrow(/artifactsKeyPrefix must be a key prefix ending with '\/'.*got none/);
    expect(() => ModelSource.fromModelPackage(pkg, { artifactsBucket: bucket, artifactsKeyPrefix: 'employee-retention' })).toThrow(/got 'employee-retention'/);
  });

  test('binding grants exactly the artifacts object, the repository pull and the package prefix', () => {
    // GIVEN an image with artifacts, and a registry package with an image repository
    const stack = testStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'ml-artifacts-123456789012');
    const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'churn-inference');
    const image = ModelSource.fromContainerImage(sagemakerAlpha.ContainerImage.fromEcrRepository(repo, '1.4.0'), {
      modelData: ModelArtifacts.fromBucket(bucket, 'churn/model.tar.gz'),
      environment: { SAGEMAKER_PROGRAM: 'inference.py' },
    });
    const pkg = ModelSource.fromModelPackage(ModelPackage.fromModelPackageArn(stack, 'Pkg', PACKAGE_ARN), {
      artifactsBucket: bucket, artifactsKeyPrefix: 'employee-retention/models/', imageRepositories: [repo],
    });

    // WHEN both are bound
    const imageConfig = image.bind(stack, role);
    const pkgConfig = pkg.bind(stack, role);

    // THEN
    expect(imageConfig).toMatchObject({ environment: { SAGEMAKER_PROGRAM: 'inference.py' }, fromRegistry: false });
    expect(stack.resolve(imageConfig.modelDataUrl)).toBe('s3://ml-artifacts-123456789012/churn/model.tar.gz');
    expect(pkgConfig).toEqual({ modelPackageName: PACKAGE_ARN, environment: undefined, fromRegistry: true });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:123456789012:repository/churn-inference']] } },
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
          { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ml-artifacts-123456789012/churn/model.tar.gz']] } },
          { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ml-artifacts-123456789012/employee-retention/models/*']] } },
        ],
      },
    });
  });

  test('asset artifacts must be gzipped tar files', () => {
    expect(() => ModelArtifacts.fromAsset('/tmp/model.zip')).toThrow(/path must be a gzipped tar file ending in .tar.gz, got '\/tmp\/model.zip'/);
  });
});

describe('ModelPackage.fromModelPackageGroup', () => {
  test('names a version of a registry group', () => {
    const stack = testStack();
    const group = ModelPackageGroup.fromModelPackageGroupName(stack, 'Group', 'employee-retention');
    const pkg = ModelPackage.fromModelPackageGroup(stack, 'V3', group, 3);
    expect(pkg.modelPackageGroupName).toBe('employee-retention');
    expect(stack.resolve(pkg.modelPackageArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:model-package/employee-retention/3']],
    });
    expect(() => ModelPackage.fromModelPackageGroup(stack, 'V0', group, 0)).toThrow(/version must be a positive integer, got 0/);
  });
});
