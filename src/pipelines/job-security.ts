import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * The network and encryption settings of a step that runs a SageMaker job. Each setting defaults to
 * the pipeline's (secure) default; turning a protection off is an explicit, named opt-out.
 */
export interface JobSecurityOptions {
  /**
   * Subnets of the job's network interfaces.
   *
   * @default - the subnets of the pipeline's `network` (or its `subnets`)
   */
  readonly subnets?: ec2.ISubnet[];

  /**
   * Security groups of the job's network interfaces.
   *
   * @default - the pipeline's job security group (or its `securityGroups`)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Run the job in the VPC. `false` is an explicit opt-out: the job then runs in the SageMaker
   * service network.
   *
   * @default true
   */
  readonly runInVpc?: boolean;

  /**
   * Network isolation: the job's containers cannot make any outbound network call. `false` is an
   * explicit opt-out, for containers that must call AWS APIs.
   *
   * @default true where the job type supports it
   */
  readonly networkIsolation?: boolean;

  /**
   * Encrypt the traffic between the job's instances. `false` is an explicit opt-out (distributed
   * jobs run somewhat slower with encryption).
   *
   * @default true where the job type supports it
   */
  readonly interContainerTrafficEncryption?: boolean;

  /**
   * The KMS key of the job's storage volumes. Not used for instance types with local NVMe storage,
   * which a hardware module encrypts.
   *
   * @default - the pipeline's volume key
   */
  readonly volumeKey?: kms.IKey;

  /**
   * The KMS key of the job's output in S3.
   *
   * @default - the pipeline's output key
   */
  readonly outputKey?: kms.IKey;
}
