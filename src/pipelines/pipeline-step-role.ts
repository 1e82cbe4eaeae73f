import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { IPlatformNetwork } from '../network/platform-network';
import { PropsValidator } from '../private/validation';
import { SageMakerPolicies } from '../security/sagemaker-policies';
import { acknowledgeWildcardResources } from './private/iam';

/** Properties of a {@link PipelineStepRole}. */
export interface PipelineStepRoleProps {
  /** The platform network the jobs run in. */
  readonly network: IPlatformNetwork;

  /** The security groups of the jobs (the pipeline's `securityGroups`). */
  readonly securityGroups: ec2.ISecurityGroup[];

  /** The KMS key of the jobs' volumes. */
  readonly volumeKey: kms.IKey;

  /**
   * The KMS key of the jobs' outputs.
   *
   * @default - the volume key
   */
  readonly outputKey?: kms.IKey;

  /**
   * A description of the role.
   *
   * @default - a description naming the construct path
   */
  readonly description?: string;
}

/**
 * A role for the jobs of pipeline steps: what SageMaker jobs need at run time in the platform
 * network (`SageMakerPolicies.jobExecution`: network interfaces only in the platform subnets and
 * security groups, their logs and metrics, image pulls from the account's ECR repositories, the
 * platform keys), in a customer-managed policy. The {@link Pipeline} adds the S3 prefixes and keys
 * of the steps that use it.
 *
 * @example
 * const jobRole = new PipelineStepRole(this, 'JobRole', { network, securityGroups: [jobSg], volumeKey: keys.dataKey });
 */
export class PipelineStepRole extends Construct {
  /** The role. */
  public readonly role: iam.IRole;

  /** The run-time policy. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: PipelineStepRoleProps) {
    const v = PropsValidator.forNew('PipelineStepRole', scope, id);
    v.check(props.securityGroups.length > 0, 'securityGroups must name at least one security group');
    v.throwIfInvalid();
    super(scope, id);
    const role = new iam.Role(this, 'Resource', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: props.description ?? `SageMaker pipeline jobs of ${this.node.path}`.slice(0, 1000),
    });
    const statements = SageMakerPolicies.jobExecution({
      guardrails: {
        subnets: props.network.subnets,
        securityGroups: props.securityGroups,
        volumeKey: props.volumeKey,
        outputKey: props.outputKey ?? props.volumeKey,
      },
      vpc: props.network.vpc,
    });
    this.policy = new iam.ManagedPolicy(this, 'Runtime', {
      description: `What the SageMaker jobs of ${this.node.path} need at run time`.slice(0, 1000),
      roles: [role],
      statements,
    });
    acknowledgeWildcardResources(this.policy, 'PIPELINE_STEP_ROLE_RUNTIME', statements);
    this.role = role;
  }
}
