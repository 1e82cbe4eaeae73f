/**
 * Service rules of SageMaker hosting that the CloudFormation schema does not catch, one table per
 * topic, each row with the sentence of the documentation it comes from. The inference constructs
 * enforce them at synth time with clear errors. Instance families with local NVMe storage (no KMS
 * volume key) are in instance-storage-rules.ts, shared with jobs and the job guardrails.
 */
import { familyRule, InstanceFamilyRule } from './instance-storage-rules';


/**
 * Burstable instance families, which cannot be registered as Application Auto Scaling targets for
 * an endpoint variant.
 */
export const BURSTABLE_FAMILIES: readonly InstanceFamilyRule[] = [
  {
    family: 't2',
    source: 'SageMaker Developer Guide, "Automatic scaling of Amazon SageMaker AI models" (prerequisites): automatic scaling '
      + 'is not supported for burstable performance instances such as ml.t2; their CPU credits, not the instance count, '
      + 'decide their capacity.',
  },
  {
    family: 't3',
    source: 'SageMaker Developer Guide, "Automatic scaling of Amazon SageMaker AI models" (prerequisites): automatic scaling '
      + 'is not supported for burstable performance instances (ml.t3 is burstable like ml.t2).',
  },
];

/**
 * Families whose endpoints cannot use deployment guardrails (canary or linear traffic shifting and
 * baking periods): SageMaker silently falls back to all-at-once, so the construct refuses the
 * combination instead of deploying something the author did not ask for.
 */
export const NO_GUARDRAILS_FAMILIES: readonly InstanceFamilyRule[] = [
  {
    family: 'inf1',
    source: 'SageMaker Developer Guide, "Exclusions" (deployment guardrails): "If your endpoint uses any of the following '
      + 'features, you cannot use deployment guardrails on your endpoint, and your endpoint will fall back to using a '
      + 'blue/green deployment with all at once traffic shifting and no final baking period: Marketplace containers; '
      + 'Endpoints that use Inf1 (Inferentia-based) instances."',
  },
];

/**
 * GPU instance families: `scaleOnGpuUtilization` needs one, because the GPU utilization metrics are
 * published only by instances with GPUs.
 */
export const GPU_FAMILIES: readonly InstanceFamilyRule[] = [
  'g4dn', 'g5', 'g6', 'g6e', 'g7', 'g7e', 'p2', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300', 'p6e-gb200',
].map((family) => ({
  family,
  source: 'SageMaker Developer Guide, "Amazon SageMaker AI metrics in Amazon CloudWatch", endpoint instance metrics: '
    + 'GPUUtilization and GPUMemoryUtilization are the utilization of the GPUs of the instance (accelerated computing '
    + `instances with NVIDIA GPUs: ml.${family}).`,
}));

/** The deployment-guardrails sentence on variant names across a blue/green or rolling update. */
export const GUARDRAILS_SAME_VARIANT_NAMES = 'SageMaker Developer Guide, "Exclusions" (deployment guardrails): "When doing a '
  + 'blue/green or rolling deployment, your new endpoint configuration must have the same variant name as the old endpoint '
  + 'configuration."';

/** The update rule the scaling guard exists for. */
export const AUTOSCALED_UPDATE_RULE = 'SageMaker Developer Guide, "Update endpoints that use auto scaling": "If the update '
  + 'would change the instance type for any model that is a target for auto scaling, the update fails." Deregistering is '
  + 'required when changing the instance type of, or removing, a production variant configured for auto scaling.';

/**
 * The account of the Model Monitor analyzer image (`sagemaker-model-monitor-analyzer`) in each
 * Region: the registry paths of the SageMaker Model Monitor prebuilt container (SageMaker Developer
 * Guide, "Amazon SageMaker Model Monitor prebuilt container"; the same table ships with the
 * SageMaker Python SDK as image_uri_config/model-monitor.json).
 */
export const MODEL_MONITOR_REGISTRIES: { readonly [region: string]: string } = {
  'eu-north-1': '895015795356',
  'me-south-1': '607024016150',
  'ap-south-1': '126357580389',
  'us-east-2': '777275614652',
  'eu-west-1': '468650794304',
  'eu-central-1': '048819808253',
  'sa-east-1': '539772159869',
  'ap-east-1': '001633400207',
  'us-east-1': '156813124566',
  'ap-northeast-2': '709848358524',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'ap-northeast-1': '574779866223',
  'us-west-2': '159807026194',
  'us-west-1': '890145073186',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
};

/** The repository of the Model Monitor analyzer image. */
export const MODEL_MONITOR_REPOSITORY = 'sagemaker-model-monitor-analyzer';

/** The rule row when the instance type is burstable (cannot be autoscaled). */
export function burstableRule(instanceType: string): InstanceFamilyRule | undefined {
  return familyRule(BURSTABLE_FAMILIES, instanceType);
}

/** The rule row when the instance type excludes deployment guardrails. */
export function noGuardrailsRule(instanceType: string): InstanceFamilyRule | undefined {
  return familyRule(NO_GUARDRAILS_FAMILIES, instanceType);
}

/** True when the instance type has NVIDIA GPUs. */
export function isGpuInstanceType(instanceType: string): boolean {
  return familyRule(GPU_FAMILIES, instanceType) !== undefined;
}
