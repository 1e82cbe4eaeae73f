import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { InterfaceEndpointService, PlatformKeys, PlatformNetwork } from '../src';

/**
 * The platform's network and keys on their own: a VPC-only network in two AZs whose flow logs use
 * the platform logs key, with the interface endpoints a VPC-only Studio domain needs.
 */
export class PlatformNetworkStack extends Stack {
  public readonly keys: PlatformKeys;
  public readonly network: PlatformNetwork;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.keys = new PlatformKeys(this, 'Keys', { aliasPrefix: 'ml-platform-example' });
    this.network = new PlatformNetwork(this, 'Network', { flowLogsEncryptionKey: this.keys.logsKey });
    this.network.addInterfaceEndpoints(
      InterfaceEndpointService.SAGEMAKER_API,
      InterfaceEndpointService.SAGEMAKER_RUNTIME,
      InterfaceEndpointService.STS,
      InterfaceEndpointService.LOGS,
      InterfaceEndpointService.ECR_API,
      InterfaceEndpointService.ECR_DKR,
    );
  }
}
