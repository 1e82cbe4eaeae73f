import { CfnResource } from 'aws-cdk-lib';
import { cfnProperties, get, present, volumeEncrypted } from './rule';

/** A job step of a pipeline definition with what the rules need to know about it. */
export interface PipelineJobStep {
  readonly name: string;
  readonly type: string;
  /** Undefined where the job type has no VPC setting of its own (Transform uses its model's). */
  readonly inVpc?: boolean;
  /**
   * A volume KMS key, or only instance types with local NVMe storage: their instance store is
   * encrypted by the hardware and SageMaker rejects a volume key for them.
   */
  readonly volumeKey: boolean;
  readonly outputKey: boolean;
}

/**
 * The job steps of an inline pipeline definition, or undefined when the definition is in S3 (it
 * cannot be read at synth). Tokens inside the definition become a placeholder string.
 */
export function pipelineJobSteps(node: CfnResource): PipelineJobStep[] | undefined {
  const body = get(cfnProperties(node), 'PipelineDefinition.PipelineDefinitionBody');
  if (body === undefined) return undefined;
  const text = flatten(body);
  let definition: any;
  try {
    definition = JSON.parse(text);
  } catch {
    return undefined;
  }
  const steps: PipelineJobStep[] = [];
  const visit = (list: any[]) => {
    for (const step of list ?? []) {
      if (step.Type === 'Condition') {
        visit(get(step, 'Arguments.IfSteps'));
        visit(get(step, 'Arguments.ElseSteps'));
        continue;
      }
      const job = jobStep(step);
      if (job) steps.push(job);
    }
  };
  visit(definition.Steps);
  return steps;
}

function jobStep(step: any): PipelineJobStep | undefined {
  const a = step.Arguments ?? {};
  const vpc = (cfg: any) => present(get(cfg, 'Subnets')) && present(get(cfg, 'SecurityGroupIds'));
  switch (step.Type) {
    case 'Training':
      return { name: step.Name, type: step.Type, inVpc: vpc(a.VpcConfig), volumeKey: volumeEncrypted(a.ResourceConfig), outputKey: present(get(a, 'OutputDataConfig.KmsKeyId')) };
    case 'Processing':
      return {
        name: step.Name,
        type: step.Type,
        inVpc: vpc(get(a, 'NetworkConfig.VpcConfig')),
        volumeKey: volumeEncrypted(get(a, 'ProcessingResources.ClusterConfig')),
        outputKey: !a.ProcessingOutputConfig || present(get(a, 'ProcessingOutputConfig.KmsKeyId')),
      };
    case 'Tuning': {
      const defs: any[] = a.TrainingJobDefinitions ?? (a.TrainingJobDefinition ? [a.TrainingJobDefinition] : []);
      return {
        name: step.Name,
        type: step.Type,
        inVpc: defs.length > 0 && defs.every((d) => vpc(d.VpcConfig)),
        volumeKey: defs.length > 0 && defs.every((d) => volumeEncrypted(d.ResourceConfig)),
        outputKey: defs.length > 0 && defs.every((d) => present(get(d, 'OutputDataConfig.KmsKeyId'))),
      };
    }
    case 'AutoML':
      return {
        name: step.Name,
        type: step.Type,
        inVpc: vpc(get(a, 'AutoMLJobConfig.SecurityConfig.VpcConfig')),
        volumeKey: present(get(a, 'AutoMLJobConfig.SecurityConfig.VolumeKmsKeyId')),
        outputKey: present(get(a, 'OutputDataConfig.KmsKeyId')),
      };
    case 'Transform':
      return { name: step.Name, type: step.Type, volumeKey: volumeEncrypted(a.TransformResources), outputKey: present(get(a, 'TransformOutput.KmsKeyId')) };
    default:
      return undefined;
  }
}

/** Renders a definition body (a string or an Fn::Join of strings and intrinsics) as text. */
function flatten(body: unknown): string {
  if (typeof body === 'string') return body;
  const join = (body as any)?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const [sep, parts] = join as [string, unknown[]];
    return parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(sep);
  }
  return JSON.stringify(body);
}
