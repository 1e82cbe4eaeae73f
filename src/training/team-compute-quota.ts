import { IResource, Names, Resource, Token } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { IGpuTrainingCluster } from './gpu-training-cluster';
import { HyperPodInstanceType } from './hyperpod-instance-type';
import { HYPERPOD_LIMITS } from '../private/hyperpod-rules';
import { PropsValidator } from '../private/validation';

/**
 * How a team takes part in sharing idle compute.
 */
export enum IdleComputeSharing {
  /** The team neither lends its idle quota nor borrows. */
  DONT_LEND = 'DontLend',
  /** The team lends its idle quota but does not borrow. */
  LEND = 'Lend',
  /** The team lends its idle quota and borrows idle compute. */
  LEND_AND_BORROW = 'LendAndBorrow',
}

/**
 * Compute of one instance type allocated to a team. Give instances, or accelerators, vCPUs or memory (the
 * service fills in the other dimensions in proportion).
 */
export interface ComputeAllocation {
  /** The instance type (must be a type of the cluster). */
  readonly instanceType: HyperPodInstanceType;

  /**
   * Whole instances.
   * @default - derived from the other dimensions
   */
  readonly instanceCount?: number;

  /**
   * GPUs or Trainium chips.
   * @default - derived from the other dimensions
   */
  readonly accelerators?: number;

  /**
   * vCPUs.
   * @default - derived from the other dimensions
   */
  readonly vCpu?: number;

  /**
   * Memory in GiB.
   * @default - derived from the other dimensions
   */
  readonly memoryGiB?: number;
}

/**
 * Properties of a {@link TeamComputeQuota}.
 */
export interface TeamComputeQuotaProps {
  /** The EKS-orchestrated HyperPod cluster. */
  readonly cluster: IGpuTrainingCluster;

  /**
   * The team (lowercase letters, digits and hyphens, at most 40 characters). HyperPod creates the Kubernetes
   * namespace `hyperpod-ns-<team>` for it; the name cannot change later.
   */
  readonly team: string;

  /** Compute guaranteed to the team (at most 15 instance types). */
  readonly allocations: ComputeAllocation[];

  /**
   * Weight from 0 to 100 when the policy shares idle compute by fair share.
   * @default 0
   */
  readonly fairShareWeight?: number;

  /**
   * How the team lends and borrows idle compute.
   * @default IdleComputeSharing.LEND_AND_BORROW
   */
  readonly idleComputeSharing?: IdleComputeSharing;

  /**
   * How much idle compute the team may borrow, in percent of its quota (1 to 500).
   * @default - the service default (50)
   */
  readonly borrowLimitPercent?: number;

  /**
   * Let the team's higher-priority tasks preempt its own lower-priority tasks.
   * @default true
   */
  readonly preemptLowerPriorityTasks?: boolean;

  /**
   * Name of the quota (letters, digits and hyphens, at most 63 characters).
   * @default - a name derived from the construct path
   */
  readonly quotaName?: string;
}

/**
 * A team compute quota.
 */
export interface ITeamComputeQuota extends IResource {
  /**
   * @attribute
   */
  readonly quotaArn: string;
}

/**
 * The compute a team of an EKS-orchestrated HyperPod cluster is guaranteed (`AWS::SageMaker::ComputeQuota`),
 * and how it lends and borrows idle compute.
 *
 * @example
 * new TeamComputeQuota(this, 'Research', {
 *   cluster,
 *   team: 'research',
 *   allocations: [{ instanceType: HyperPodInstanceType.ML_P5_48XLARGE, instanceCount: 2 }],
 *   fairShareWeight: 50,
 * });
 */
export class TeamComputeQuota extends Resource implements ITeamComputeQuota {
  public readonly quotaArn: string;

  constructor(scope: Construct, id: string, props: TeamComputeQuotaProps) {
    const v = PropsValidator.forNew('TeamComputeQuota', scope, id);
    v.check(props.cluster.orchestrator?.kind !== 'slurm',
      'cluster must be orchestrated by Amazon EKS: HyperPod rejects compute quotas on Slurm clusters, got a Slurm cluster');
    v.pattern('team', props.team, HYPERPOD_LIMITS.teamNamePattern,
      'lowercase letters, digits and hyphens, starting and ending with a letter or digit', HYPERPOD_LIMITS.teamNameMaxLength);
    v.pattern('quotaName', props.quotaName, HYPERPOD_LIMITS.namePattern, 'letters, digits and hyphens', HYPERPOD_LIMITS.nameMaxLength);
    v.check(props.allocations.length >= 1, 'allocations must list at least one instance type');
    v.check(props.allocations.length <= HYPERPOD_LIMITS.maxQuotaResources,
      `allocations may list at most ${HYPERPOD_LIMITS.maxQuotaResources} instance types, got ${props.allocations.length}`);
    props.allocations.forEach((a, i) => {
      const type = a.instanceType.name;
      if (!Token.isUnresolved(type)) {
        v.check(a.instanceType.isSupported, `allocations[${i}].instanceType '${type}' is not an instance type SageMaker HyperPod supports`);
      }
      v.check([a.instanceCount, a.accelerators, a.vCpu, a.memoryGiB].some((x) => x !== undefined),
        `allocations[${i}] must give instanceCount, accelerators, vCpu or memoryGiB`);
      v.range(`allocations[${i}].instanceCount`, a.instanceCount, 0, 10_000_000);
      v.range(`allocations[${i}].accelerators`, a.accelerators, 0, 10_000_000);
      v.range(`allocations[${i}].vCpu`, a.vCpu, 0, 10_000_000, false);
      v.range(`allocations[${i}].memoryGiB`, a.memoryGiB, 0, 10_000_000, false);
    });
    v.range('fairShareWeight', props.fairShareWeight, HYPERPOD_LIMITS.weight.min, HYPERPOD_LIMITS.weight.max);
    v.range('borrowLimitPercent', props.borrowLimitPercent, HYPERPOD_LIMITS.borrowLimitPercent.min, HYPERPOD_LIMITS.borrowLimitPercent.max);
    v.throwIfInvalid();

    super(scope, id, { physicalName: props.quotaName });
    const quotaName = props.quotaName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });

    const resource = new sagemaker.CfnComputeQuota(this, 'Resource', {
      name: quotaName,
      clusterArn: props.cluster.clusterArn,
      computeQuotaTarget: { teamName: props.team, fairShareWeight: props.fairShareWeight },
      computeQuotaConfig: {
        computeQuotaResources: props.allocations.map((a) => ({
          instanceType: a.instanceType.name,
          count: a.instanceCount,
          accelerators: a.accelerators,
          vCpu: a.vCpu,
          memoryInGiB: a.memoryGiB,
        })),
        resourceSharingConfig: {
          strategy: props.idleComputeSharing ?? IdleComputeSharing.LEND_AND_BORROW,
          borrowLimit: props.borrowLimitPercent,
        },
        preemptTeamTasks: props.preemptLowerPriorityTasks === false ? 'Never' : 'LowerPriority',
      },
      activationState: 'Enabled',
    });
    this.quotaArn = resource.attrComputeQuotaArn;
  }
}
