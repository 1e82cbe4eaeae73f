import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HyperPodInstanceType } from './hyperpod-instance-type';
import { ITrainingPlan } from './training-plan';

/**
 * A deep health check HyperPod runs on new or updated nodes (EKS orchestration only).
 */
export enum DeepHealthCheck {
  /** Stresses GPUs or Trainium chips, memory and local storage. */
  INSTANCE_STRESS = 'InstanceStress',
  /** Tests EFA and NCCL connectivity between nodes. */
  INSTANCE_CONNECTIVITY = 'InstanceConnectivity',
}

/**
 * Settings shared by every HyperPod instance group.
 */
export interface InstanceGroupOptions {
  /**
   * The instance type.
   */
  readonly instanceType: HyperPodInstanceType;

  /**
   * How many instances the group runs (1 to 6758).
   *
   * @default 1
   */
  readonly instanceCount?: number;

  /**
   * Threads per CPU core: 1 turns simultaneous multithreading off, 2 turns it on.
   *
   * @default - the HyperPod default for the instance type
   */
  readonly threadsPerCore?: number;

  /**
   * Size of an additional EBS volume per instance, mounted at `/opt/sagemaker` and encrypted with the
   * cluster's volume key.
   *
   * @default - no additional volume
   */
  readonly ebsVolumeSizeGiB?: number;

  /**
   * A training plan (reserved capacity) the group runs on. Plans are purchases: import one with
   * `TrainingPlan.fromTrainingPlanArn`.
   *
   * @default - on-demand capacity
   */
  readonly trainingPlan?: ITrainingPlan;

  /**
   * Subnets for this group instead of the cluster's. An EFA-capable group must stay in one Availability Zone.
   *
   * @default - the cluster's subnets
   */
  readonly subnets?: ec2.ISubnet[];
}

/**
 * A group of worker nodes: Slurm compute nodes, or EKS worker nodes.
 */
export interface WorkerGroupOptions extends InstanceGroupOptions {
  /**
   * The instance group name (letters, digits and hyphens, at most 63 characters).
   */
  readonly name: string;

  /**
   * The Slurm partition of the group (Slurm only).
   *
   * @default - the group name
   */
  readonly slurmPartition?: string;

  /**
   * Deep health checks to run when nodes start (EKS orchestration only).
   *
   * @default - none
   */
  readonly deepHealthChecks?: DeepHealthCheck[];
}

/**
 * A POSIX user created with the same UID on every node (home on the shared file system when there is one).
 */
export interface ClusterUser {
  /** User name (lowercase letters, digits, `_` and `-`, starting with a letter or `_`, at most 32 characters). */
  readonly name: string;

  /** UID (and GID), between 2000 and 60000 so it collides with no system or AMI account. */
  readonly uid: number;
}
