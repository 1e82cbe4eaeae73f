import { Duration, Token } from 'aws-cdk-lib';
import type { JobStepProps } from '../job-resources';
import type { ModelContainer } from '../model-step';
import type { Step } from '../step';
import { PipelineValue } from '../values';
import type { RenderContext, ResolvedJobSecurity } from './render';

/** One input of a processing-type job. */
export interface ProcessingInputSpec {
  readonly inputName: string;
  readonly source: PipelineValue;
  readonly destination: string;
  readonly s3DataType?: string;
  readonly s3InputMode?: string;
  readonly distribution?: string;
  readonly compression?: string;
}

/** One output of a processing-type job. */
export interface ProcessingOutputSpec {
  readonly outputName: string;
  readonly source: string;
  readonly destination: PipelineValue;
  readonly uploadMode?: string;
}

/** Everything a processing-type job (processing, quality check, clarify check) renders from. */
export interface ProcessingJobSpec {
  readonly step: Step;
  readonly props: JobStepProps;
  readonly image: PipelineValue;
  readonly entrypoint?: string[];
  readonly containerArguments?: PipelineValue[];
  readonly environment?: { [key: string]: PipelineValue };
  readonly literalEnvironment?: { [key: string]: string };
  readonly inputs: ProcessingInputSpec[];
  readonly outputs: ProcessingOutputSpec[];
  readonly defaultNetworkIsolation?: boolean;
}

export function validateJobResources(ctx: RenderContext, props: JobStepProps): void {
  if (props.volumeSizeInGb !== undefined && !Token.isUnresolved(props.volumeSizeInGb)
    && (!Number.isInteger(props.volumeSizeInGb) || props.volumeSizeInGb < 1 || props.volumeSizeInGb > 16384)) {
    ctx.error(`volumeSizeInGb must be an integer between 1 and 16384, got ${props.volumeSizeInGb}`);
  }
  if (props.maxRuntime !== undefined && !props.maxRuntime.isUnresolved()) {
    const seconds = props.maxRuntime.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1) ctx.error(`maxRuntime must be a whole number of seconds, at least 1, got ${props.maxRuntime.toHumanString()}`);
  }
  if (props.instanceCount?._isLiteral()) {
    const count = props.instanceCount._literal();
    if (!Token.isUnresolved(count) && (typeof count !== 'number' || count < 1)) ctx.error(`instanceCount must be at least 1, got ${count}`);
  }
}

/** The `VpcConfig` of a resolved job. */
export function vpcConfig(security: ResolvedJobSecurity): any {
  return security.vpcConfig ? { SecurityGroupIds: security.vpcConfig.SecurityGroupIds, Subnets: security.vpcConfig.Subnets } : undefined;
}

export function stoppingCondition(maxRuntime: Duration | undefined, fallback?: Duration): any {
  const d = maxRuntime ?? fallback;
  // an invalid (fractional) duration is reported by validateJobResources; render without throwing
  return d ? { MaxRuntimeInSeconds: d.isUnresolved() ? d.toSeconds() : Math.round(d.toSeconds({ integral: false })) } : undefined;
}

/** Renders the arguments of a processing-type job: the `CreateProcessingJob` request. */
export function renderProcessingJob(ctx: RenderContext, spec: ProcessingJobSpec): any {
  const p = spec.props;
  validateJobResources(ctx, p);
  const security = ctx.security(p, {
    vpc: true,
    networkIsolation: true,
    interContainerTrafficEncryption: true,
    volumeKey: true,
    outputKey: true,
    defaultNetworkIsolation: spec.defaultNetworkIsolation,
  }, p.instanceType);
  ctx.recordJob('processing', security, p.role);
  ctx.recordData(p.role, spec.inputs.map((i) => i.source), spec.outputs.map((o) => o.destination));

  const names = new Set<string>();
  for (const n of [...spec.inputs.map((i) => i.inputName), ...spec.outputs.map((o) => o.outputName)]) {
    if (names.has(n)) ctx.error(`input and output names must be unique, '${n}' is used twice`);
    names.add(n);
  }

  const environment: any = { ...(spec.literalEnvironment ?? {}), ...(ctx.map(spec.environment, 'environment') ?? {}) };
  const args: any = {
    ProcessingResources: {
      ClusterConfig: {
        InstanceType: ctx.str(p.instanceType, 'instanceType'),
        InstanceCount: ctx.int(p.instanceCount ?? PipelineValue.fromInteger(1), 'instanceCount'),
        VolumeSizeInGB: p.volumeSizeInGb ?? 30,
        VolumeKmsKeyId: security.volumeKey?.keyArn,
      },
    },
    AppSpecification: {
      ImageUri: ctx.str(spec.image, 'image'),
      ContainerEntrypoint: spec.entrypoint,
      ContainerArguments: spec.containerArguments?.map((a, i) => ctx.str(a, `containerArguments[${i}]`)),
    },
    RoleArn: p.role.roleArn,
    ProcessingInputs: spec.inputs.length === 0 ? undefined : spec.inputs.map((i) => ({
      InputName: i.inputName,
      S3Input: {
        S3Uri: ctx.str(i.source, `inputs.${i.inputName}.source`),
        LocalPath: i.destination,
        S3DataType: i.s3DataType ?? 'S3Prefix',
        S3InputMode: i.s3InputMode ?? 'File',
        S3DataDistributionType: i.distribution ?? 'FullyReplicated',
        S3CompressionType: i.compression ?? 'None',
      },
    })),
    ProcessingOutputConfig: spec.outputs.length === 0 ? undefined : {
      Outputs: spec.outputs.map((o) => ({
        OutputName: o.outputName,
        S3Output: { S3Uri: ctx.str(o.destination, `outputs.${o.outputName}.destination`), LocalPath: o.source, S3UploadMode: o.uploadMode ?? 'EndOfJob' },
      })),
      KmsKeyId: security.outputKey?.keyArn,
    },
    NetworkConfig: {
      EnableNetworkIsolation: security.networkIsolation,
      EnableInterContainerTrafficEncryption: security.interContainerTrafficEncryption,
      VpcConfig: vpcConfig(security),
    },
    Environment: Object.keys(environment).length > 0 ? environment : undefined,
    StoppingCondition: stoppingCondition(p.maxRuntime),
    ProcessingJobName: ctx.jobName(spec.step),
  };
  return args;
}

/** Removes undefined values (recursively), so the definition only has the fields that are set. */
export function compact(value: any): any {
  if (Array.isArray(value)) return value.map(compact);
  if (value !== null && typeof value === 'object' && !Token.isUnresolved(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = compact(v);
    }
    return out;
  }
  return value;
}


/** Renders a container definition. */
export function renderContainer(ctx: RenderContext, c: ModelContainer, field: string): any {
  return {
    Image: ctx.str(c.image, `${field}.image`),
    ModelDataUrl: ctx.optStr(c.modelDataUrl, `${field}.modelDataUrl`),
    Environment: ctx.map(c.environment, `${field}.environment`),
  };
}

