import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { InterfaceEndpointService } from './endpoint-service';

/**
 * The VPC-only network the platform's constructs run in.
 *
 * Constructs receive it from their caller, declare the AWS services they call with
 * `addInterfaceEndpoints` (the network creates each interface endpoint once), and let their
 * security groups reach the endpoints with `allowEndpointAccessFrom`.
 */
export interface IPlatformNetwork extends IConstruct {
  /** The VPC. */
  readonly vpc: ec2.IVpc;

  /** The isolated subnets platform workloads run in (at least two, in different AZs). */
  readonly subnets: ec2.ISubnet[];

  /** The IDs of `subnets`. */
  readonly subnetIds: string[];

  /** The security group of the interface endpoints. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;

  /**
   * Declares AWS services that platform workloads call; each interface endpoint is created once,
   * with private DNS, however many constructs declare it.
   */
  addInterfaceEndpoints(...services: InterfaceEndpointService[]): void;

  /** Admits HTTPS from a platform security group to the interface endpoints. */
  allowEndpointAccessFrom(peer: ec2.ISecurityGroup): void;
}
