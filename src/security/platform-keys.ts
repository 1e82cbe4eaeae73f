import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowCloudWatchLogs } from '../private/kms-policies';
import { PropsValidator } from '../private/validation';

/**
 * An AWS service through which principals of the account may use a platform key (`kms:ViaService`).
 *
 * Services that call AWS KMS on a principal's behalf (forward access sessions) send the
 * `kms:ViaService` condition key, valued `<service>.<region>.amazonaws.com`; a key restricted to a
 * list of them cannot be used directly (`aws kms decrypt`) or through any other service.
 */
export class KeyUsageService {
  /** Amazon S3 (SSE-KMS objects: data, artifacts, job inputs and outputs). */
  public static readonly S3 = new KeyUsageService('s3');
  /** Amazon SageMaker (grants for job and endpoint volumes, domain resources, Feature Store). */
  public static readonly SAGEMAKER = new KeyUsageService('sagemaker');
  /** Amazon EBS, through the EC2 endpoint (`ec2.<region>.amazonaws.com`): Studio and job volumes. */
  public static readonly EBS = new KeyUsageService('ec2');
  /** Amazon EFS (the Studio domain's home file system). */
  public static readonly EFS = new KeyUsageService('elasticfilesystem');
  /** Amazon DynamoDB. */
  public static readonly DYNAMODB = new KeyUsageService('dynamodb');
  /** AWS Glue (Data Catalog encryption). */
  public static readonly GLUE = new KeyUsageService('glue');
  /** Amazon SQS. */
  public static readonly SQS = new KeyUsageService('sqs');
  /** Amazon SNS. */
  public static readonly SNS = new KeyUsageService('sns');
  /** AWS Secrets Manager. */
  public static readonly SECRETS_MANAGER = new KeyUsageService('secretsmanager');
  /** Amazon FSx (HyperPod file systems). */
  public static readonly FSX = new KeyUsageService('fsx');

  /**
   * Another service, by the first label of its `kms:ViaService` value (for example `lambda`).
   */
  public static of(servicePrefix: string): KeyUsageService {
    return new KeyUsageService(servicePrefix);
  }

  /** @param servicePrefix the first label of `<prefix>.<region>.amazonaws.com` */
  private constructor(public readonly servicePrefix: string) {}

  /** The `kms:ViaService` value in `region`. */
  public viaServiceIn(region: string): string {
    return `${this.servicePrefix}.${region}.amazonaws.com`;
  }
}

/**
 * Options of a further purpose key (see {@link PlatformKeys.addKey}).
 */
export interface PlatformKeyOptions {
  /** What the key encrypts; shown in the KMS console. */
  readonly description: string;

  /**
   * The services through which principals of the account may use the key for cryptographic
   * operations and grants. An empty list means no principal of the account may use it directly
   * (AWS service principals named in the key policy still can).
   *
   * @default - no restriction: principals allowed by IAM may use the key directly
   */
  readonly viaServices?: KeyUsageService[];

  /**
   * Let CloudWatch Logs (`logs.<region>.amazonaws.com`) encrypt this account's log groups with the key.
   *
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
}

/**
 * Properties of {@link PlatformKeys}.
 */
export interface PlatformKeysProps {
  /**
   * Prefix of the key aliases: the keys are `alias/<prefix>/studio`, `alias/<prefix>/data`,
   * `alias/<prefix>/logs` and `alias/<prefix>/<purpose>` for added keys. Letters, digits, `/`, `_`
   * and `-`; not starting with `aws`.
   *
   * @default - the stack name (aliases are unique per account and Region)
   */
  readonly aliasPrefix?: string;

  /**
   * What happens to the keys when they leave the stack. Deleting a key makes everything encrypted
   * with it unreadable: `RemovalPolicy.DESTROY` is the explicit opt-in.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How often KMS rotates the key material, 90 to 2560 days.
   *
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;

  /**
   * How long a key scheduled for deletion can still be recovered, 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
}

/**
 * The platform's customer-managed KMS keys, one per purpose, so that each key's policy names only
 * the services its data flows through:
 *
 * - `studioKey`: the Studio domain's EFS home file system and app EBS volumes (SageMaker, EFS, EBS);
 * - `dataKey`: S3 data and artifacts, job volumes and outputs (S3, SageMaker, EBS);
 * - `logsKey`: CloudWatch Logs log groups of this account (the CloudWatch Logs service principal only).
 *
 * Every key rotates yearly, is retained by default, and has a least-privilege key policy:
 * 1. the account root may manage and use the key through IAM policies (the statement CDK creates).
 *    Without it, IAM policies could not grant the key (`key.grant*()` on a role of the account adds
 *    to the role's policy and relies on it), and a key policy naming individual roles would lock the
 *    account out when those roles change. It grants nothing by itself: a principal still needs an IAM
 *    policy that allows the action;
 * 2. a deny of cryptographic operations and grants to every principal of the account unless the
 *    request comes through one of the key's services (`kms:ViaService`), so even an administrator
 *    cannot decrypt platform data with a direct KMS call; AWS service principals named in the policy
 *    (CloudWatch Logs) are exempt.
 *
 * No other principal gets `kms:*`.
 *
 * @example
 * const keys = new PlatformKeys(this, 'Keys', { aliasPrefix: 'ml-platform' });
 * const onlineStoreKey = keys.addKey('online-store', {
 *   description: 'Feature Store online store',
 *   viaServices: [KeyUsageService.SAGEMAKER],
 * });
 */
export class PlatformKeys extends Construct {
  /** Encrypts the Studio domain's EFS home file system and the EBS volumes of its apps. */
  public readonly studioKey: kms.IKey;
  /** Encrypts S3 data and artifacts, and the volumes and outputs of jobs and endpoints. */
  public readonly dataKey: kms.IKey;
  /** Encrypts the platform's CloudWatch Logs log groups. */
  public readonly logsKey: kms.IKey;
  /** The alias prefix, without `alias/`. */
  public readonly aliasPrefix: string;

  private readonly removalPolicy: RemovalPolicy;
  private readonly rotationPeriod?: Duration;
  private readonly pendingWindow?: Duration;
  private readonly byPurpose = new Map<string, kms.Key>();

  constructor(scope: Construct, id: string, props: PlatformKeysProps = {}) {
    super(scope, id);
    const v = PropsValidator.forNew('PlatformKeys', scope, id);
    if (props.aliasPrefix !== undefined && !Token.isUnresolved(props.aliasPrefix)) {
      v.pattern('aliasPrefix', props.aliasPrefix, /^[a-zA-Z0-9_-][a-zA-Z0-9/_-]*[a-zA-Z0-9_-]$|^[a-zA-Z0-9_-]$/,
        'letters, digits, /, _ and - (not starting or ending with /)', 200);
      v.check(!/^aws($|\/)/i.test(props.aliasPrefix), `aliasPrefix must not start with 'aws' (reserved for AWS managed keys), got '${props.aliasPrefix}'`);
    }
    if (props.rotationPeriod && !props.rotationPeriod.isUnresolved()) {
      v.range('rotationPeriod (days)', props.rotationPeriod.toDays(), 90, 2560);
    }
    if (props.pendingWindow && !props.pendingWindow.isUnresolved()) {
      v.range('pendingWindow (days)', props.pendingWindow.toDays(), 7, 30);
    }
    v.throwIfInvalid();

    this.aliasPrefix = props.aliasPrefix ?? Stack.of(this).stackName;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.rotationPeriod = props.rotationPeriod;
    this.pendingWindow = props.pendingWindow;

    this.studioKey = this.addKey('studio', {
      description: 'ML platform: Studio domain storage (EFS home file system, app EBS volumes)',
      viaServices: [KeyUsageService.SAGEMAKER, KeyUsageService.EFS, KeyUsageService.EBS],
    });
    this.dataKey = this.addKey('data', {
      description: 'ML platform: S3 data and artifacts, job and endpoint volumes and outputs',
      viaServices: [KeyUsageService.S3, KeyUsageService.SAGEMAKER, KeyUsageService.EBS],
    });
    this.logsKey = this.addKey('logs', {
      description: 'ML platform: CloudWatch Logs log groups',
      viaServices: [],
      allowCloudWatchLogs: true,
    });
  }

  /** The key of `purpose` ('studio', 'data', 'logs' or an added one), if there is one. */
  public keyFor(purpose: string): kms.IKey | undefined {
    return this.byPurpose.get(purpose);
  }

  /** The purposes of the keys, in creation order. */
  public get purposes(): string[] {
    return [...this.byPurpose.keys()];
  }

  /**
   * Adds a key for a further purpose, with the same rotation, retention and policy shape as the
   * others. Its construct ID is the purpose and its alias `alias/<aliasPrefix>/<purpose>`.
   *
   * @param purpose lowercase letters, digits and hyphens, for example `online-store`
   */
  public addKey(purpose: string, options: PlatformKeyOptions): kms.IKey {
    const v = new PropsValidator('PlatformKeys', this.node.path);
    v.pattern('addKey purpose', purpose, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and hyphens', 64);
    v.check(!this.byPurpose.has(purpose), `addKey purpose must be unique, got '${purpose}' a second time`);
    v.check(options.description.length <= 8192, `addKey description must be at most 8192 characters, got ${options.description.length}`);
    for (const service of options.viaServices ?? []) {
      v.pattern('addKey viaServices', service.servicePrefix, /^[a-z0-9][a-z0-9-]*$/, 'a service prefix such as s3 or sagemaker');
    }
    const aliasName = `alias/${this.aliasPrefix}/${purpose}`;
    if (!Token.isUnresolved(aliasName)) {
      v.check(aliasName.length <= 256, `the alias '${aliasName}' must be at most 256 characters, got ${aliasName.length}: shorten aliasPrefix`);
      const taken = takenAliases(Stack.of(this));
      v.check(!taken.has(aliasName), `the alias '${aliasName}' is already used by another key in this stack: give each PlatformKeys its own aliasPrefix`);
      taken.add(aliasName);
    }
    v.throwIfInvalid();

    const key = new kms.Key(this, purpose, {
      description: options.description,
      alias: aliasName,
      enableKeyRotation: true,
      rotationPeriod: this.rotationPeriod,
      pendingWindow: this.pendingWindow,
      removalPolicy: this.removalPolicy,
    });
    if (options.viaServices) denyUseOutside(key, options.viaServices);
    if (options.allowCloudWatchLogs) allowCloudWatchLogs(key);
    this.byPurpose.set(purpose, key);
    return key;
  }
}

const ALIASES = new WeakMap<Stack, Set<string>>();

/** Alias names are unique per account and Region: catch collisions within a stack at synth. */
function takenAliases(stack: Stack): Set<string> {
  let set = ALIASES.get(stack);
  if (!set) {
    set = new Set();
    ALIASES.set(stack, set);
  }
  return set;
}

/** Deny cryptographic use by principals of the account except through `services`. */
function denyUseOutside(key: kms.Key, services: KeyUsageService[]): void {
  const region = Stack.of(key).region;
  const conditions: { [operator: string]: { [key: string]: unknown } } = {
    // AWS service principals the policy names (CloudWatch Logs) act for themselves, not via a service
    Bool: { 'aws:PrincipalIsAWSService': 'false' },
  };
  if (services.length > 0) {
    conditions.StringNotEquals = { 'kms:ViaService': [...new Set(services.map((s) => s.viaServiceIn(region)))] };
  }
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: services.length > 0 ? 'DenyUseExceptThroughItsServices' : 'DenyDirectUseByAccountPrincipals',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant'],
    resources: ['*'],
    conditions,
  }));
}
