import * as eks from 'aws-cdk-lib/aws-eks';

/**
 * What schedules work on a HyperPod cluster.
 *
 * - `slurm()`: HyperPod runs Slurm; the lifecycle scripts start slurmctld on a controller group and slurmd on
 *   the worker (and login) groups.
 * - `eks(cluster)`: the nodes join an existing Amazon EKS cluster; deep health checks and task governance
 *   (scheduler policy, team quotas) are available.
 */
export abstract class ClusterOrchestrator {
  /** Slurm, configured by the lifecycle scripts from `provisioning_parameters.json`. */
  public static slurm(): ClusterOrchestrator {
    return new SlurmOrchestrator();
  }

  /**
   * An existing Amazon EKS cluster the HyperPod nodes join. The EKS cluster must use the `API` or
   * `API_AND_CONFIG_MAP` authentication mode and have the HyperPod dependencies installed (see the README).
   */
  public static eks(cluster: eks.ICluster): ClusterOrchestrator {
    return new EksOrchestrator(cluster);
  }

  /** `slurm` or `eks`. */
  public abstract readonly kind: string;

  /** The EKS cluster, for EKS orchestration. */
  public abstract readonly eksCluster?: eks.ICluster;
}

class SlurmOrchestrator extends ClusterOrchestrator {
  public readonly kind = 'slurm';
  public readonly eksCluster = undefined;
}

class EksOrchestrator extends ClusterOrchestrator {
  public readonly kind = 'eks';
  constructor(public readonly eksCluster: eks.ICluster) {
    super();
  }
}
