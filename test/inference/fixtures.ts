import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ModelArtifacts, ModelPackage, ModelSource, PlatformNetwork, SecureBucket } from '../../src';

/** The platform pieces an endpoint receives from its caller: network (existing VPC), key, buckets. */
export function platform(stack: Stack) {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef1'],
  });
  const network = new PlatformNetwork(stack, 'Network', { vpc });
  const key = new kms.Key(stack, 'PlatformKey', { enableKeyRotation: true, description: 'Platform data key' });
  const bucket = new SecureBucket(stack, 'Data', { encryptionKey: key });
  return { network, key, bucket };
}

/** An image in the account's ECR repository, with artifacts in the platform bucket. */
export function imageModel(stack: Stack, bucket: SecureBucket, id = 'Repo'): ModelSource {
  const repo = ecr.Repository.fromRepositoryName(stack, id, 'churn-inference');
  return ModelSource.fromContainerImage(sagemakerAlpha.ContainerImage.fromEcrRepository(repo, '1.4.0'), {
    modelData: ModelArtifacts.fromBucket(bucket, 'churn/model.tar.gz'),
  });
}

export const PACKAGE_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/employee-retention/1';

/** The employee-retention model from the registry. */
export function packageModel(stack: Stack, bucket: SecureBucket): ModelSource {
  return ModelSource.fromModelPackage(ModelPackage.fromModelPackageArn(stack, 'Package', PACKAGE_ARN), {
    artifactsBucket: bucket,
    artifactsKeyPrefix: 'employee-retention/models/',
  });
}

export const M5_XLARGE = sagemakerAlpha.InstanceType.M5_XLARGE;
export const G5_2XLARGE = sagemakerAlpha.InstanceType.G5_2XLARGE;

/**
 * An application role whose grants go to a customer-managed policy (the HIPAA, NIST and PCI packs
 * reject the inline default policy of iam.Role).
 */
export class AppRole extends iam.Role {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [this] });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
