import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, ArnFormat, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import type { PipelineDefinition } from './definition';
import { ModelPackageGroup } from './model-package-group';
import { PipelineSchedule, PipelineScheduleOptions } from './pipeline-schedule';
import type { IPlatformNetwork } from '../network/platform-network';
import { PropsValidator } from '../private/validation';
import { buildPipelinePolicy, buildStepRolePolicies } from './private/pipeline-policy';
import { RenderContext, slug } from './private/render';
import { addStartOnDeploy } from './private/start-on-deploy';

/**
 * Where the definition is stored.
 */
export enum DefinitionStorage {
  /**
   * Inline up to {@link Pipeline.INLINE_DEFINITION_LIMIT} bytes, in S3 (an asset) above it.
   */
  AUTO = 'AUTO',
  /** Always inline (`PipelineDefinitionBody`). */
  INLINE = 'INLINE',
  /** Always in S3, as an asset (`PipelineDefinitionS3Location`). */
  S3 = 'S3',
}

/**
 * A SageMaker pipeline.
 */
export interface IPipeline extends sagemaker.IPipeline {
  /** Lets `grantee` describe the pipeline and its executions. */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /** Lets `grantee` stop and retry executions. */
  grantStopExecution(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` report the outcome of callback steps (`SendPipelineExecutionStepSuccess` and
   * `SendPipelineExecutionStepFailure`).
   */
  grantSendCallback(grantee: iam.IGrantable): iam.Grant;

  /**
   * A metric of the pipeline's executions (namespace `AWS/Sagemaker/ModelBuildingPipeline`,
   * dimension `PipelineName`).
   *
   * @param metricName for example `ExecutionFailed`
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * A metric of one step of the pipeline (dimensions `PipelineName` and `StepName`).
   *
   * @param stepName the step name
   * @param metricName `StepStarted`, `StepFailed`, `StepSucceeded`, `StepStopped` or `StepDuration`
   */
  metricStep(stepName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Executions started. */
  metricExecutionStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Executions that failed. */
  metricExecutionFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Executions that succeeded. */
  metricExecutionSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Executions that were stopped. */
  metricExecutionStopped(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Duration of executions, in milliseconds. */
  metricExecutionDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** Start an execution when the stack is deployed. */
export interface StartExecutionOnDeployOptions {
  /**
   * Values of pipeline parameters for the execution.
   *
   * @default - the parameters' defaults
   */
  readonly parameters?: { [name: string]: string };

  /**
   * Also start an execution when a deployment changes the definition or these options.
   *
   * @default true
   */
  readonly onUpdate?: boolean;

  /**
   * The key of the custom-resource provider's log group.
   *
   * @default - the stack's shared custom-resource logs key
   */
  readonly logKey?: kms.IKey;
}

/** Properties of a {@link Pipeline}. */
export interface PipelineProps {
  /** The steps and parameters. */
  readonly definition: PipelineDefinition;

  /**
   * The pipeline name (1-256 letters, digits and hyphens).
   *
   * @default - a unique name generated from the construct path
   */
  readonly pipelineName?: string;

  /**
   * A display name.
   *
   * @default - none
   */
  readonly displayName?: string;

  /**
   * A description (at most 3072 characters).
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The platform network: job steps run in its subnets, with a job security group created in its
   * VPC, and the network gets the interface endpoints the jobs call.
   *
   * @default - none; give `subnets` and `securityGroups`, or opt steps out with `runInVpc: false`
   */
  readonly network?: IPlatformNetwork;

  /**
   * Subnets of job steps (instead of the network's).
   *
   * @default - the network's subnets
   */
  readonly subnets?: ec2.ISubnet[];

  /**
   * Security groups of job steps.
   *
   * @default - a job security group created in the network's VPC: HTTPS out (the isolated subnets
   * route only to VPC endpoints) and all TCP between the jobs' instances
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The KMS key of the jobs' storage volumes.
   *
   * @default - the key given as `outputKey`, or a key created here (rotated, retained)
   */
  readonly volumeKey?: kms.IKey;

  /**
   * The KMS key of the jobs' outputs.
   *
   * @default - the key given as `volumeKey`, or a key created here (rotated, retained)
   */
  readonly outputKey?: kms.IKey;

  /**
   * The prefix of every job name (lower-case letters, digits and hyphens, at most 16 characters).
   * The pipeline role may create, describe and stop only jobs whose names start with it.
   *
   * @default - derived from the pipeline's construct path, unique in the account
   */
  readonly jobPrefix?: string;

  /**
   * The most steps that run at once.
   *
   * @default - the service default
   */
  readonly maxParallelExecutionSteps?: number;

  /**
   * Where the definition is stored.
   *
   * @default DefinitionStorage.AUTO
   */
  readonly definitionStorage?: DefinitionStorage;

  /**
   * Attach a policy with the permissions the steps need (their KMS keys and the S3 prefixes given
   * with `PipelineValue.fromS3Location`) to the step roles.
   *
   * @default true
   */
  readonly grantStepRoles?: boolean;

  /**
   * Start an execution when the stack is deployed (opt-in).
   *
   * @default - no execution is started
   */
  readonly startExecutionOnDeploy?: StartExecutionOnDeployOptions;
}

/** Attributes of an existing pipeline. */
export interface PipelineAttributes {
  /** The pipeline name. */
  readonly pipelineName: string;
}

/** Grants and metrics of created and imported pipelines. */
export abstract class PipelineBase extends Resource implements IPipeline {
  public abstract readonly pipelineName: string;
  public abstract readonly pipelineArn: string;

  public get pipelineRef(): sagemaker.PipelineReference {
    return { pipelineName: this.pipelineName };
  }

  /** ARN pattern of the pipeline's executions. */
  protected get executionArns(): string {
    return `${this.pipelineArn}/execution/*`;
  }

  public grantStartPipelineExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:StartPipelineExecution'], resourceArns: [this.pipelineArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    const pipeline = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:DescribePipeline', 'sagemaker:ListPipelineExecutions'],
      resourceArns: [this.pipelineArn],
    });
    return pipeline.combine(iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'sagemaker:DescribePipelineExecution',
        'sagemaker:DescribePipelineDefinitionForExecution',
        'sagemaker:ListPipelineExecutionSteps',
        'sagemaker:ListPipelineParametersForExecution',
      ],
      resourceArns: [this.executionArns],
    }));
  }

  public grantStopExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:StopPipelineExecution', 'sagemaker:RetryPipelineExecution'],
      resourceArns: [this.executionArns],
    });
  }

  public grantSendCallback(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:SendPipelineExecutionStepSuccess', 'sagemaker:SendPipelineExecutionStepFailure'],
      resourceArns: [this.executionArns],
    });
  }

  /**
   * Starts executions of this pipeline on a schedule (EventBridge Scheduler).
   *
   * @param id the schedule's construct ID (under this pipeline)
   * @param options when, and with which parameter values
   */
  public addSchedule(id: string, options: PipelineScheduleOptions): PipelineSchedule {
    return new PipelineSchedule(this, id, { ...options, pipeline: this });
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Sagemaker/ModelBuildingPipeline',
      metricName,
      dimensionsMap: { PipelineName: this.pipelineName },
      statistic: cloudwatch.Stats.SUM,
      ...props,
    }).attachTo(this);
  }

  /**
   * A metric of one step of the pipeline (dimensions `PipelineName` and `StepName`).
   *
   * @param stepName the step name
   * @param metricName `StepStarted`, `StepFailed`, `StepSucceeded`, `StepStopped` or `StepDuration`
   */
  public metricStep(stepName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Sagemaker/ModelBuildingPipeline',
      metricName,
      dimensionsMap: { PipelineName: this.pipelineName, StepName: stepName },
      statistic: metricName === 'StepDuration' ? cloudwatch.Stats.AVERAGE : cloudwatch.Stats.SUM,
      ...props,
    }).attachTo(this);
  }

  public metricExecutionStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecutionStarted', props);
  }

  public metricExecutionFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecutionFailed', props);
  }

  public metricExecutionSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecutionSucceeded', props);
  }

  public metricExecutionStopped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecutionStopped', props);
  }

  public metricExecutionDuration(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecutionDuration', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }
}

/**
 * A SageMaker pipeline (`AWS::SageMaker::Pipeline`) built from a typed {@link PipelineDefinition},
 * secure by default.
 *
 * - The definition is checked at synth (names, references, cycles, types, service rules); every
 *   problem is reported at once.
 * - Job steps run in the VPC (the network's subnets and a job security group), with network
 *   isolation and inter-container traffic encryption where the job type supports them, and KMS keys
 *   for volumes and outputs; each step may opt out explicitly.
 * - The execution role is derived from the steps: create/describe/stop of exactly the job types
 *   used, on job names under the pipeline's job prefix, with guardrail conditions on network and
 *   keys; `iam:PassRole` only for the step roles and only to SageMaker; S3 and KMS only on what the
 *   pipeline reads; Lambda, SQS and EMR only on the functions, queues and clusters used. All of it
 *   is in a customer-managed policy.
 * - Definitions above {@link Pipeline.INLINE_DEFINITION_LIMIT} bytes go to S3 as an asset.
 *
 * @example
 * const pipeline = new Pipeline(this, 'Pipeline', { definition, network, volumeKey: keys.jobs, outputKey: keys.data });
 * pipeline.grantStartPipelineExecution(scheduler);
 */
export class Pipeline extends PipelineBase {
  /**
   * Definitions up to this many bytes (UTF-8) are stored inline; larger ones go to S3. It is the
   * size above which the SageMaker Python SDK uploads definitions to S3 (100 KiB), and keeps the
   * template well under CloudFormation's 1 MB template limit (the `PipelineDefinitionBody`
   * property has no length limit of its own; `CreatePipeline` accepts at most 1 MiB inline).
   */
  public static readonly INLINE_DEFINITION_LIMIT = 102_400;

  /** An existing pipeline, by name. */
  public static fromPipelineName(scope: Construct, id: string, pipelineName: string): IPipeline {
    return Pipeline.fromPipelineAttributes(scope, id, { pipelineName });
  }

  /** An existing pipeline, by ARN. */
  public static fromPipelineArn(scope: Construct, id: string, pipelineArn: string): IPipeline {
    const pipelineName = Stack.of(scope).splitArn(pipelineArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends PipelineBase {
      public readonly pipelineName = pipelineName;
      public readonly pipelineArn = pipelineArn;
    }
    return new Import(scope, id, { environmentFromArn: pipelineArn });
  }

  /** An existing pipeline, by attributes. */
  public static fromPipelineAttributes(scope: Construct, id: string, attrs: PipelineAttributes): IPipeline {
    class Import extends PipelineBase {
      public readonly pipelineName = attrs.pipelineName;
      public readonly pipelineArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: attrs.pipelineName });
    }
    return new Import(scope, id);
  }

  public readonly pipelineName: string;
  public readonly pipelineArn: string;

  /** The execution role, with the permissions the steps need. */
  public readonly role: iam.IRole;

  /** The prefix of every job name. */
  public readonly jobPrefix: string;

  /** The job security group created here, when one was. */
  public readonly jobSecurityGroup?: ec2.ISecurityGroup;

  /** The KMS key created for the jobs, when one was. */
  public readonly jobKey?: kms.IKey;

  /** Where the definition is stored. */
  public readonly definitionStorage: DefinitionStorage;

  /** The names of the definition's parameters. */
  public readonly parameterNames: string[];

  /** The size of the definition in bytes (UTF-8), with CloudFormation references counted in their intrinsic form. */
  public readonly definitionSize: number;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    validatePipelineProps(scope, id, props);
    super(scope, id);
    const stack = Stack.of(this);

    this.parameterNames = props.definition.parameters.map((p) => p.name);
    const name = props.pipelineName ?? Names.uniqueResourceName(this, { maxLength: 80, separator: '-' }).replace(/[^a-zA-Z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
    this.jobPrefix = props.jobPrefix ?? defaultJobPrefix(this);

    // defaults the job steps fall back to, created only when a step uses them
    let jobSecurityGroup: ec2.SecurityGroup | undefined;
    const network = props.network;
    const createSecurityGroup = (): ec2.ISecurityGroup[] | undefined => {
      if (props.securityGroups || !network) return props.securityGroups;
      if (!jobSecurityGroup) {
        jobSecurityGroup = new ec2.SecurityGroup(this, 'JobSecurityGroup', {
          vpc: network.vpc,
          description: `Jobs of SageMaker pipeline ${name}`,
          allowAllOutbound: false,
        });
        // isolated subnets route only to the VPC endpoints and the S3 gateway endpoint
        jobSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');
        jobSecurityGroup.connections.allowInternally(ec2.Port.allTcp(), 'Traffic between the instances of a distributed job');
        network.allowEndpointAccessFrom(jobSecurityGroup);
      }
      return [jobSecurityGroup];
    };
    let jobKey: kms.Key | undefined;
    const createKey = (): kms.IKey => {
      if (!jobKey) {
        jobKey = new kms.Key(this, 'JobKey', {
          description: `Encrypts the job volumes and outputs of SageMaker pipeline ${name}`,
          enableKeyRotation: true,
          removalPolicy: RemovalPolicy.RETAIN,
        });
      }
      return jobKey;
    };

    // render and check the definition; every problem is reported at once
    const ctx = new RenderContext(this.jobPrefix, {
      subnets: props.subnets ?? props.network?.subnets,
      get securityGroups() { return createSecurityGroup(); },
      get volumeKey() { return props.volumeKey ?? props.outputKey ?? createKey(); },
      get outputKey() { return props.outputKey ?? props.volumeKey ?? createKey(); },
    });
    const definition = props.definition._render(ctx);
    if (ctx.errors.length > 0) {
      const v = new PropsValidator('Pipeline', this.node.path);
      ctx.errors.forEach((e) => v.error(e));
      v.throwIfInvalid();
    }
    const requirements = ctx.requirements;
    this.jobSecurityGroup = jobSecurityGroup;
    this.jobKey = jobKey;

    if (props.network && requirements.endpoints.size > 0) {
      props.network.addInterfaceEndpoints(...requirements.endpoints);
    }

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of SageMaker pipeline ${name}`,
    });
    this.role = role;
    const pipelineArnForPolicy = stack.formatArn({ service: 'sagemaker', resource: 'pipeline', resourceName: name });
    const policy = buildPipelinePolicy(this, 'RolePolicy', {
      role,
      requirements,
      jobPrefix: this.jobPrefix,
      pipelineName: name,
      pipelineArn: pipelineArnForPolicy,
    });
    if (props.grantStepRoles ?? true) buildStepRolePolicies(this, requirements);

    // definition: inline or in S3
    const body = stack.toJsonString(definition);
    this.definitionSize = Buffer.byteLength(JSON.stringify(stack.resolve(definition)), 'utf-8');
    const storage = props.definitionStorage ?? DefinitionStorage.AUTO;
    let pipelineDefinition: any;
    const inline = storage === DefinitionStorage.INLINE
      || (storage === DefinitionStorage.AUTO && this.definitionSize <= Pipeline.INLINE_DEFINITION_LIMIT);
    const literal = inline ? { value: undefined, unresolved: [] } : literalDefinition(stack, definition);
    if (!inline && literal.unresolved.length === 0) {
      this.definitionStorage = DefinitionStorage.S3;
      pipelineDefinition = { PipelineDefinitionS3Location: definitionAsset(this, literal.value) };
    } else if (!inline && storage === DefinitionStorage.AUTO && this.definitionSize <= CREATE_PIPELINE_MAX_DEFINITION) {
      // an asset is written at synth and cannot hold values known only at deploy time: stay inline
      this.definitionStorage = DefinitionStorage.INLINE;
      pipelineDefinition = { PipelineDefinitionBody: body };
      Annotations.of(this).addWarningV2('cdk-sagemaker-platform:pipelineDefinitionInline',
        `The definition is ${this.definitionSize} bytes, above the ${Pipeline.INLINE_DEFINITION_LIMIT}-byte inline limit, but it holds values known only at deploy time `
        + `(${describeUnresolved(literal.unresolved)}), which an S3 asset cannot: it stays inline. Import those resources by literal ARN or ID to store it in S3.`);
    } else if (!inline) {
      const reason = storage === DefinitionStorage.S3 ? 'definitionStorage is DefinitionStorage.S3'
        : `the definition is ${this.definitionSize} bytes, more than CreatePipeline accepts inline (${CREATE_PIPELINE_MAX_DEFINITION})`;
      throw new Error(`Pipeline '${this.node.path}' has invalid props:\n  - ${reason}, so it must be stored in S3 as an asset, which is written at synth; `
        + `these values are only known at deploy time: ${describeUnresolved(literal.unresolved)}. `
        + 'Import the roles, keys, subnets and security groups the steps use by their literal ARNs or IDs, or split the pipeline.');
    } else {
      this.definitionStorage = DefinitionStorage.INLINE;
      pipelineDefinition = { PipelineDefinitionBody: body };
    }

    const resource = new sagemaker.CfnPipeline(this, 'Resource', {
      pipelineName: name,
      pipelineDisplayName: props.displayName,
      pipelineDescription: props.description,
      roleArn: role.roleArn,
      pipelineDefinition,
      parallelismConfiguration: props.maxParallelExecutionSteps !== undefined
        ? { MaxParallelExecutionSteps: props.maxParallelExecutionSteps }
        : undefined,
    });
    // executions need the role's permissions from the first run
    resource.node.addDependency(policy);
    for (const group of requirements.modelPackageGroups) {
      if (group instanceof ModelPackageGroup && Stack.of(group) === stack) resource.node.addDependency(group);
    }
    this.pipelineName = resource.ref;
    this.pipelineArn = pipelineArnForPolicy;

    if (props.startExecutionOnDeploy) {
      addStartOnDeploy(this, resource, {
        ...props.startExecutionOnDeploy,
        definitionHash: crypto.createHash('sha256').update(body).digest('hex'),
        parameterNames: this.parameterNames,
      });
    }
  }

  /**
   * Starts executions of this pipeline on a schedule; the parameters must be the definition's.
   *
   * @param id the schedule's construct ID (under this pipeline)
   * @param options when, and with which parameter values
   */
  public addSchedule(id: string, options: PipelineScheduleOptions): PipelineSchedule {
    const unknown = Object.keys(options.parameters ?? {}).filter((n) => !Token.isUnresolved(n) && !this.parameterNames.includes(n));
    if (unknown.length > 0) {
      throw new Error(`Pipeline '${this.node.path}'.addSchedule('${id}'): ${unknown.map((n) => `'${n}'`).join(', ')} `
        + `${unknown.length === 1 ? 'is' : 'are'} not a parameter of the definition (parameters: ${this.parameterNames.join(', ') || 'none'})`);
    }
    return super.addSchedule(id, options);
  }
}

function defaultJobPrefix(scope: Construct): string {
  // lower case (SageMaker writes job names in lower case in ARNs, which IAM compares case-sensitively)
  const unique = Names.uniqueResourceName(scope, { maxLength: 16, separator: '-' });
  return slug(unique).slice(0, 16).replace(/-+$/, '') || 'pipeline';
}

/** The largest inline definition `CreatePipeline` accepts (`PipelineDefinition`: maximum length 1048576). */
const CREATE_PIPELINE_MAX_DEFINITION = 1_048_576;

/**
 * The definition with every value resolved at synth: the stack's account, Region and partition are
 * substituted; any other CloudFormation reference (a role created in the stack, a key, a subnet) is
 * listed in `unresolved`.
 */
function literalDefinition(stack: Stack, definition: any): { value: any; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = substitutePseudoParameters(stack.resolve(definition), stack, unresolved, '');
  return { value, unresolved };
}

function describeUnresolved(unresolved: string[]): string {
  const unique = [...new Set(unresolved)];
  return unique.slice(0, 5).join(', ') + (unique.length > 5 ? ` and ${unique.length - 5} more` : '');
}

/** The literal definition as an S3 asset (`PipelineDefinitionS3Location`). */
function definitionAsset(scope: Pipeline, literal: any): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-definition-'));
  const file = path.join(dir, 'definition.json');
  fs.writeFileSync(file, JSON.stringify(literal));
  const asset = new s3assets.Asset(scope, 'DefinitionAsset', { path: file });
  return { Bucket: asset.s3BucketName, Key: asset.s3ObjectKey };
}

/** Replaces references to the stack's account, Region and partition with their values; lists other references. */
function substitutePseudoParameters(value: any, stack: Stack, unresolved: string[], at: string): any {
  if (Array.isArray(value)) return value.map((v, i) => substitutePseudoParameters(v, stack, unresolved, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    if (keys[0] === 'Ref') {
      const known = pseudoParameter(value.Ref, stack);
      if (known !== undefined) return known;
    }
    if (keys[0] === 'Fn::Join') {
      const [sep, parts] = value['Fn::Join'];
      const subs = parts.map((p: any) => substitutePseudoParameters(p, stack, unresolved, at));
      if (subs.every((s: any) => typeof s === 'string')) return subs.join(sep);
      return { 'Fn::Join': [sep, subs] };
    }
    unresolved.push(`${at || '/'}`);
    return value;
  }
  const out: any = {};
  for (const k of keys) out[k] = substitutePseudoParameters(value[k], stack, unresolved, `${at}/${k}`);
  return out;
}

function pseudoParameter(ref: string, stack: Stack): string | undefined {
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  switch (ref) {
    case 'AWS::AccountId': return Token.isUnresolved(stack.account) ? undefined : stack.account;
    case 'AWS::Region': return region;
    case 'AWS::Partition': return region ? RegionInfo.get(region).partition : undefined;
    case 'AWS::URLSuffix': return region ? RegionInfo.get(region).domainSuffix : undefined;
    default: return undefined;
  }
}

function validatePipelineProps(scope: Construct, id: string, props: PipelineProps): void {
  const v = PropsValidator.forNew('Pipeline', scope, id);
  v.pattern('pipelineName', props.pipelineName, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/, '1-256 letters, digits and hyphens, starting with a letter or digit', 256);
  v.pattern('displayName', props.displayName, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/, '1-256 letters, digits and hyphens, starting with a letter or digit', 256);
  if (props.description !== undefined && !Token.isUnresolved(props.description)) {
    v.check(props.description.length <= 3072, `description must be at most 3072 characters, got ${props.description.length}`);
  }
  v.pattern('jobPrefix', props.jobPrefix, /^[a-z0-9](-?[a-z0-9])*$/,
    'lower-case letters, digits and single hyphens, starting and ending with a letter or digit (SageMaker writes job names in lower case in ARNs)', 16);
  v.range('maxParallelExecutionSteps', props.maxParallelExecutionSteps, 1, 1000);
  if (props.network && props.subnets) v.error('give either network or subnets, not both');
  if (props.securityGroups && props.securityGroups.length === 0) v.error('securityGroups must not be empty when given');
  v.throwIfInvalid();
}
