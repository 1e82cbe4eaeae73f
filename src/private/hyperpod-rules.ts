/**
 * SageMaker HyperPod rules the CloudFormation schema does not catch, enforced at synth by
 * `GpuTrainingCluster`. Each row cites the sentence (or API constraint) it comes from.
 *
 * Sources:
 * - [API] SageMaker API Reference, CreateCluster / ClusterInstanceGroupSpecification
 *   (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClusterInstanceGroupSpecification.html)
 * - [EFA] Amazon EC2 User Guide, "Supported instance types" for Elastic Fabric Adapter
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa.html#efa-instance-types)
 * - [PREREQ] SageMaker developer guide, "SageMaker HyperPod prerequisites"
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-prerequisites.html)
 * - [CMK] SageMaker developer guide, "Customer managed AWS KMS key encryption for SageMaker HyperPod"
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/smcluster-cmk.html)
 * - [DHC] SageMaker developer guide, "Deep health checks" (HyperPod with Amazon EKS)
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-eks-resiliency-deep-health-checks.html)
 * - [MULTIHEAD] SageMaker developer guide, "Multiple controller nodes for Slurm clusters"
 *   (https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-multihead.html)
 */

/** What an instance type accelerates with. */
export type HyperPodAccelerator = 'nvidia-gpu' | 'trainium' | 'cpu';

/** One HyperPod-supported instance type. */
export interface HyperPodInstanceTypeRule {
  readonly accelerator: HyperPodAccelerator;
  /** True when the EC2 type supports an Elastic Fabric Adapter. */
  readonly efa: boolean;
}

const gpu = (efa: boolean): HyperPodInstanceTypeRule => ({ accelerator: 'nvidia-gpu', efa });
const trn = (efa: boolean): HyperPodInstanceTypeRule => ({ accelerator: 'trainium', efa });
const cpu = (efa: boolean): HyperPodInstanceTypeRule => ({ accelerator: 'cpu', efa });

/**
 * Instance types HyperPod accepts for an instance group.
 *
 * [API] ClusterInstanceGroupSpecification.InstanceType, "Valid Values: ml.p4d.24xlarge | ml.p4de.24xlarge |
 * ml.p5.48xlarge | ... | ml.trn1.32xlarge | ml.trn1n.32xlarge | ml.g5.xlarge | ... | ml.c5.large | ... |
 * ml.m5.large | ... | ml.t3.medium | ..." (the ClusterInstanceType enum of the 2017-07-24 API model).
 * The `efa` column is [EFA]: "EFA is supported on the following instance types" (p4d, p4de, p5, p5e,
 * p5en, p6, trn1, trn1n, trn2, g5/g6/g6e 8xlarge and larger, c5n.9xlarge and larger).
 */
export const HYPERPOD_INSTANCE_TYPES: { readonly [instanceType: string]: HyperPodInstanceTypeRule } = {
  // NVIDIA GPU training families
  'ml.p4d.24xlarge': gpu(true),
  'ml.p4de.24xlarge': gpu(true),
  'ml.p5.4xlarge': gpu(false),
  'ml.p5.48xlarge': gpu(true),
  'ml.p5e.48xlarge': gpu(true),
  'ml.p5en.48xlarge': gpu(true),
  'ml.p6-b200.48xlarge': gpu(true),
  'ml.p6e-gb200.36xlarge': gpu(true),
  'ml.g5.xlarge': gpu(false),
  'ml.g5.2xlarge': gpu(false),
  'ml.g5.4xlarge': gpu(false),
  'ml.g5.8xlarge': gpu(true),
  'ml.g5.12xlarge': gpu(true),
  'ml.g5.16xlarge': gpu(true),
  'ml.g5.24xlarge': gpu(true),
  'ml.g5.48xlarge': gpu(true),
  'ml.g6.xlarge': gpu(false),
  'ml.g6.2xlarge': gpu(false),
  'ml.g6.4xlarge': gpu(false),
  'ml.g6.8xlarge': gpu(true),
  'ml.g6.12xlarge': gpu(true),
  'ml.g6.16xlarge': gpu(true),
  'ml.g6.24xlarge': gpu(true),
  'ml.g6.48xlarge': gpu(true),
  'ml.g6e.xlarge': gpu(false),
  'ml.g6e.2xlarge': gpu(false),
  'ml.g6e.4xlarge': gpu(false),
  'ml.g6e.8xlarge': gpu(true),
  'ml.g6e.12xlarge': gpu(true),
  'ml.g6e.16xlarge': gpu(true),
  'ml.g6e.24xlarge': gpu(true),
  'ml.g6e.48xlarge': gpu(true),
  // AWS Trainium
  'ml.trn1.32xlarge': trn(true),
  'ml.trn1n.32xlarge': trn(true),
  'ml.trn2.3xlarge': trn(false),
  'ml.trn2.48xlarge': trn(true),
  // CPU: controllers, login nodes, data preparation
  'ml.m5.large': cpu(false),
  'ml.m5.xlarge': cpu(false),
  'ml.m5.2xlarge': cpu(false),
  'ml.m5.4xlarge': cpu(false),
  'ml.m5.8xlarge': cpu(false),
  'ml.m5.12xlarge': cpu(false),
  'ml.m5.16xlarge': cpu(false),
  'ml.m5.24xlarge': cpu(false),
  'ml.c5.large': cpu(false),
  'ml.c5.xlarge': cpu(false),
  'ml.c5.2xlarge': cpu(false),
  'ml.c5.4xlarge': cpu(false),
  'ml.c5.9xlarge': cpu(false),
  'ml.c5.12xlarge': cpu(false),
  'ml.c5.18xlarge': cpu(false),
  'ml.c5.24xlarge': cpu(false),
  'ml.c5n.large': cpu(false),
  'ml.c5n.2xlarge': cpu(false),
  'ml.c5n.4xlarge': cpu(false),
  'ml.c5n.9xlarge': cpu(true),
  'ml.c5n.18xlarge': cpu(true),
  'ml.t3.medium': cpu(false),
  'ml.t3.large': cpu(false),
  'ml.t3.xlarge': cpu(false),
  'ml.t3.2xlarge': cpu(false),
  'ml.m6i.large': cpu(false),
  'ml.m6i.xlarge': cpu(false),
  'ml.m6i.2xlarge': cpu(false),
  'ml.m6i.4xlarge': cpu(false),
  'ml.m6i.8xlarge': cpu(false),
  'ml.m6i.12xlarge': cpu(false),
  'ml.m6i.16xlarge': cpu(false),
  'ml.m6i.24xlarge': cpu(false),
  'ml.m6i.32xlarge': cpu(false),
  'ml.c6i.large': cpu(false),
  'ml.c6i.xlarge': cpu(false),
  'ml.c6i.2xlarge': cpu(false),
  'ml.c6i.4xlarge': cpu(false),
  'ml.c6i.8xlarge': cpu(false),
  'ml.c6i.12xlarge': cpu(false),
  'ml.c6i.16xlarge': cpu(false),
  'ml.c6i.24xlarge': cpu(false),
  'ml.c6i.32xlarge': cpu(false),
  'ml.r6i.large': cpu(false),
  'ml.r6i.xlarge': cpu(false),
  'ml.r6i.2xlarge': cpu(false),
  'ml.r6i.4xlarge': cpu(false),
  'ml.r6i.8xlarge': cpu(false),
  'ml.r6i.12xlarge': cpu(false),
  'ml.r6i.16xlarge': cpu(false),
  'ml.r6i.24xlarge': cpu(false),
  'ml.r6i.32xlarge': cpu(false),
};

/** Numeric and naming limits of the CreateCluster API. */
export const HYPERPOD_LIMITS = {
  /** [API] CreateCluster.InstanceGroups: "Array Members: Minimum number of 1 item. Maximum number of 100 items." */
  maxInstanceGroups: 100,
  /** [API] ClusterInstanceGroupSpecification.InstanceCount: "Valid Range: Minimum value of 0. Maximum value of 6758."
   * Zero is refused here: an empty group runs no lifecycle script and trains nothing. */
  maxInstanceCount: 6758,
  /** [API] ThreadsPerCore: "you can specify 1 for disabling multithreading and 2 for enabling multithreading". */
  threadsPerCore: [1, 2] as const,
  /** [API] ClusterEbsVolumeConfig.VolumeSizeInGB: "Valid Range: Minimum value of 1. Maximum value of 16384." */
  ebsVolumeSizeGiB: { min: 1, max: 16384 },
  /** [API] ClusterName and InstanceGroupName: "Length Constraints: Minimum length of 1. Maximum length of 63.
   * Pattern: [a-zA-Z0-9](-*[a-zA-Z0-9])*". */
  namePattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
  nameMaxLength: 63,
  /** [API] TrainingPlanArn: "Pattern: arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:training-plan/.*". */
  trainingPlanArnPattern: /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:training-plan\/.+$/,
  /** [API] OnStartDeepHealthChecks: "Array Members: Minimum number of 1 item. Maximum number of 2 items." */
  maxDeepHealthChecks: 2,
  /** [API] CreateComputeQuota ComputeQuotaTarget.TeamName: "Pattern: [a-z0-9]([-a-z0-9]*[a-z0-9]){0,39}?";
   * it becomes the Kubernetes namespace hyperpod-ns-<team>. */
  teamNamePattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  teamNameMaxLength: 40,
  /** [API] PriorityClass.Weight and ComputeQuotaTarget.FairShareWeight: "Valid Range: Minimum value of 0. Maximum value of 100." */
  weight: { min: 0, max: 100 },
  /** [API] SchedulerConfig.PriorityClasses: "Maximum number of 10 items". */
  maxPriorityClasses: 10,
  /** [API] ComputeQuotaConfig.ComputeQuotaResources: "Maximum number of 15 items". */
  maxQuotaResources: 15,
  /** [API] ResourceSharingConfig.BorrowLimit: "The values can be 1 - 500 percent of idle compute". */
  borrowLimitPercent: { min: 1, max: 500 },
} as const;

/**
 * Rules that combine props, each with the sentence it enforces.
 */
export const HYPERPOD_RULES = {
  /** [PREREQ] ClusterLifeCycleConfig.SourceS3Uri: "Make sure that the S3 bucket path starts with s3://sagemaker-.
   * The IAM role for SageMaker HyperPod has the managed AmazonSageMakerClusterInstanceRolePolicy attached, which allows
   * access to S3 buckets with the specific prefix sagemaker-." */
  lifecycleBucketPrefix: 'sagemaker-',
  /** [EFA] "An EFA can only communicate with other EFAs in the same Availability Zone" and "the security group
   * must allow all inbound and outbound traffic to and from the security group itself". */
  efaSingleAz: true,
  /** [DHC] "Deep health checks are available for SageMaker HyperPod clusters orchestrated with Amazon EKS." */
  deepHealthChecksEksOnly: true,
  /** [CMK] "Customer managed key encryption is only supported for clusters using the continuous node provisioning mode." */
  cmkNeedsContinuousProvisioning: true,
  /** [MULTIHEAD] "You can create multiple controller (head) nodes ... and manage your own accounting databases":
   * more than one controller needs an external accounting database that these lifecycle scripts do not set up. */
  maxSlurmControllers: 1,
} as const;

/** The rule of a supported instance type, or undefined. */
export function hyperPodInstanceType(instanceType: string): HyperPodInstanceTypeRule | undefined {
  return Object.prototype.hasOwnProperty.call(HYPERPOD_INSTANCE_TYPES, instanceType)
    ? HYPERPOD_INSTANCE_TYPES[instanceType]
    : undefined;
}
