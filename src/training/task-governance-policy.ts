import { IResource, Names, Resource, Token } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { IGpuTrainingCluster } from './gpu-training-cluster';
import { HYPERPOD_LIMITS } from '../private/hyperpod-rules';
import { PropsValidator } from '../private/validation';

/**
 * A task priority class of HyperPod task governance. Tasks of a higher-weight class are scheduled (and may
 * preempt) before lower-weight ones.
 */
export interface PriorityClass {
  /** Name (lowercase letters, digits and hyphens, at most 40 characters); jobs reference it as a Kueue priority class. */
  readonly name: string;

  /** Weight from 0 (lowest) to 100 (highest). */
  readonly weight: number;
}

/**
 * Cluster-wide task governance settings.
 */
export interface TaskGovernanceOptions {
  /**
   * Priority classes of the cluster (at most 10).
   *
   * @default - none
   */
  readonly priorityClasses?: PriorityClass[];

  /**
   * Share idle compute by the teams' fair-share weights (otherwise first come, first served).
   *
   * @default true
   */
  readonly fairShare?: boolean;

  /**
   * Let teams borrow compute that no quota allocates.
   *
   * @default true
   */
  readonly idleResourceSharing?: boolean;
}

/**
 * Properties of a {@link TaskGovernancePolicy}.
 */
export interface TaskGovernancePolicyProps extends TaskGovernanceOptions {
  /**
   * The EKS-orchestrated HyperPod cluster the policy governs.
   */
  readonly cluster: IGpuTrainingCluster;

  /**
   * Name of the policy (letters, digits and hyphens, at most 63 characters).
   *
   * @default - a name derived from the construct path
   */
  readonly policyName?: string;

  /**
   * Description of the policy.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * A HyperPod task governance policy.
 */
export interface ITaskGovernancePolicy extends IResource {
  /**
   * @attribute
   */
  readonly policyArn: string;

  /**
   * @attribute
   */
  readonly policyId: string;
}

/**
 * The task governance policy (`AWS::SageMaker::ClusterSchedulerConfig`) of an EKS-orchestrated HyperPod
 * cluster: priority classes, fair share and idle-compute sharing. A cluster has one policy; team quotas
 * are {@link TeamComputeQuota}s.
 *
 * Task governance runs in the EKS cluster: install the `amazon-sagemaker-hyperpod-taskgovernance` EKS add-on.
 *
 * @example
 * new TaskGovernancePolicy(this, 'Governance', {
 *   cluster,
 *   priorityClasses: [{ name: 'inference', weight: 90 }, { name: 'training', weight: 50 }],
 * });
 */
export class TaskGovernancePolicy extends Resource implements ITaskGovernancePolicy {
  public readonly policyArn: string;
  public readonly policyId: string;

  constructor(scope: Construct, id: string, props: TaskGovernancePolicyProps) {
    const v = PropsValidator.forNew('TaskGovernancePolicy', scope, id);
    v.pattern('policyName', props.policyName, HYPERPOD_LIMITS.namePattern, 'letters, digits and hyphens', HYPERPOD_LIMITS.nameMaxLength);
    v.check(props.cluster.orchestrator?.kind !== 'slurm',
      'cluster must be orchestrated by Amazon EKS: task governance is an EKS feature, got a Slurm cluster');
    validateTaskGovernance(v, '', props);
    v.throwIfInvalid();
    super(scope, id, { physicalName: props.policyName });
    const policyName = props.policyName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });

    const resource = new sagemaker.CfnClusterSchedulerConfig(this, 'Resource', {
      clusterArn: props.cluster.clusterArn,
      name: policyName,
      description: props.description,
      schedulerConfig: {
        fairShare: props.fairShare === false ? 'Disabled' : 'Enabled',
        idleResourceSharing: props.idleResourceSharing === false ? 'Disabled' : 'Enabled',
        priorityClasses: props.priorityClasses?.map((p) => ({ name: p.name, weight: p.weight })),
      },
    });
    this.policyArn = resource.attrClusterSchedulerConfigArn;
    this.policyId = resource.attrClusterSchedulerConfigId;
  }
}

/** Adds the errors of task governance settings to `v`; `prefix` names the prop they came from. */
function validateTaskGovernance(v: PropsValidator, prefix: string, options: TaskGovernanceOptions): void {
  const classes = options.priorityClasses ?? [];
  v.check(classes.length <= HYPERPOD_LIMITS.maxPriorityClasses,
    `${prefix}priorityClasses may list at most ${HYPERPOD_LIMITS.maxPriorityClasses} classes, got ${classes.length}`);
  const seen = new Set<string>();
  classes.forEach((c, i) => {
    v.pattern(`${prefix}priorityClasses[${i}].name`, c.name, HYPERPOD_LIMITS.teamNamePattern,
      'lowercase letters, digits and hyphens, starting and ending with a letter or digit', HYPERPOD_LIMITS.teamNameMaxLength);
    v.range(`${prefix}priorityClasses[${i}].weight`, c.weight, HYPERPOD_LIMITS.weight.min, HYPERPOD_LIMITS.weight.max);
    if (!Token.isUnresolved(c.name)) {
      v.check(!seen.has(c.name), `${prefix}priorityClasses has '${c.name}' twice`);
      seen.add(c.name);
    }
  });
}
