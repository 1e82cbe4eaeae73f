import { Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork, PlatformNetwork } from '../network';

/**
 * Properties of a {@link SharedPlatformNetwork}.
 */
export interface SharedPlatformNetworkProps {
  /** The network to share: its VPC, subnets, endpoints and endpoint security group. */
  readonly network: PlatformNetwork;
}

/**
 * A {@link PlatformNetwork} that constructs in every stack of an app can use.
 *
 * `PlatformNetwork.allowEndpointAccessFrom(sg)` adds the HTTPS rule to the endpoint security group
 * in the network's stack. When `sg` lives in another stack (a Studio, data or workloads stack), that
 * rule makes the network stack depend on it while it already depends on the network stack: a
 * dependency cycle CloudFormation cannot deploy. This wrapper writes the rule (an
 * `AWS::EC2::SecurityGroupIngress` on the endpoint security group, and the matching egress rule of
 * `sg`) into the stack of `sg` instead, so references only ever point from the consuming stacks to
 * the network stack. Interface endpoints declared through it are created once, in the network.
 *
 * @example
 * const shared = new SharedPlatformNetwork(networkStack, 'Shared', { network });
 * new StudioDomain(studioStack, 'Studio', { network: shared, storageKey, jobKey });
 */
export class SharedPlatformNetwork extends Construct implements IPlatformNetwork {
  public readonly vpc: ec2.IVpc;
  public readonly subnets: ec2.ISubnet[];
  public readonly subnetIds: string[];
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;

  /** The network this wrapper shares. */
  public readonly network: PlatformNetwork;

  private readonly admitted = new Set<string>();

  constructor(scope: Construct, id: string, props: SharedPlatformNetworkProps) {
    super(scope, id);
    this.network = props.network;
    this.vpc = props.network.vpc;
    this.subnets = props.network.subnets;
    this.subnetIds = props.network.subnetIds;
    this.endpointSecurityGroup = props.network.endpointSecurityGroup;
  }

  /** The interface endpoints of the network. */
  public get interfaceEndpoints(): ec2.IInterfaceVpcEndpoint[] {
    return this.network.interfaceEndpoints;
  }

  /** How many interface endpoints the network has (each is billed per AZ-hour). */
  public get interfaceEndpointCount(): number {
    return this.network.interfaceEndpointCount;
  }

  /**
   * How many security groups were admitted to the endpoints through this wrapper. Each is one inbound
   * rule of the endpoint security group, whose default quota is 60 inbound rules
   * ("Inbound or outbound rules per security group", adjustable).
   */
  public get endpointAccessCount(): number {
    return this.admitted.size;
  }

  /** The interface endpoint of `service`, when one was declared. */
  public interfaceEndpointFor(service: InterfaceEndpointService): ec2.IInterfaceVpcEndpoint | undefined {
    return this.network.interfaceEndpointFor(service);
  }

  public addInterfaceEndpoints(...services: InterfaceEndpointService[]): void {
    // the endpoints reference nothing outside the network stack: created there, once each
    this.network.addInterfaceEndpoints(...services);
  }

  /**
   * Admits HTTPS (443) from `peer` to the interface endpoints, with the rules in the stack of `peer`.
   * Idempotent.
   */
  public allowEndpointAccessFrom(peer: ec2.ISecurityGroup): void {
    this.admitted.add(peer.node.path);
    const stack = Stack.of(peer);
    if (stack === Stack.of(this.network)) {
      this.network.allowEndpointAccessFrom(peer);
      return;
    }
    this.endpointSecurityGroupIn(stack).connections.allowFrom(peer, ec2.Port.tcp(443),
      'HTTPS from a platform security group to the interface endpoints');
  }

  /** The endpoint security group, imported once into `stack` (its ID is a cross-stack reference). */
  private endpointSecurityGroupIn(stack: Stack): ec2.ISecurityGroup {
    const id = `PlatformEndpointSecurityGroup${Names.nodeUniqueId(this.node)}`;
    const existing = stack.node.tryFindChild(id) as ec2.ISecurityGroup | undefined;
    if (existing) return existing;
    return ec2.SecurityGroup.fromSecurityGroupId(stack, id, this.endpointSecurityGroup.securityGroupId, {
      allowAllOutbound: false,
      mutable: true,
    });
  }
}
