import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { InterfaceEndpointService, PlatformNetwork } from '../src/network';
import { PlatformKeys } from '../src/security/platform-keys';
import { SecureBucket } from '../src/security/secure-bucket';
import { StudioDomain } from '../src/studio';

/**
 * A secure SageMaker Studio: a VPC-only network, the platform keys, a domain whose apps reach AWS only
 * through VPC endpoints, two isolated users (alice and bob, each with a private space, their own role
 * and security group) and a shared space for their team.
 */
export class SecureStudioStack extends Stack {
  public readonly network: PlatformNetwork;
  public readonly domain: StudioDomain;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const keys = new PlatformKeys(this, 'Keys', { aliasPrefix: 'ml-platform-studio-example' });
    this.network = new PlatformNetwork(this, 'Network', { flowLogsEncryptionKey: keys.logsKey });

    this.domain = new StudioDomain(this, 'Studio', {
      network: this.network,
      storageKey: keys.studioKey,
      jobKey: keys.dataKey,
      customResourceLogsKey: keys.logsKey,
      appInstanceTypes: ['ml.t3.medium', 'ml.t3.large', 'ml.m5.large'],
      // an example is meant to be deleted: `cdk destroy` deletes the apps, spaces (and their EBS
      // volumes), profiles and domain; the home EFS is kept (deleteHomeFileSystemOnDelete is not set)
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const data = new SecureBucket(this, 'Data', { encryptionKey: keys.dataKey });
    const team = this.domain.addSharedSpace('team-fraud', { displayName: 'Fraud detection team' });
    const apiEndpoint = this.network.interfaceEndpointFor(InterfaceEndpointService.SAGEMAKER_API);

    for (const name of ['alice', 'bob']) {
      // the IAM role the person signs in with; it may open Studio as their own profile only
      const human = new iam.Role(this, `${name}-signin`, {
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Signs ${name} in to SageMaker Studio`,
      });
      this.domain.addUserProfile(name, {
        humanPrincipal: human,
        presignedUrlEndpoint: apiEndpoint,
        allowedSharedSpaces: [team],
        dataBuckets: [data],
        ownerEmail: `${name}@example.com`,
      });
    }
  }
}
