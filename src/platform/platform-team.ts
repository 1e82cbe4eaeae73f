import { Duration, RemovalPolicy, Size, Stack, Tags, Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IPlatformNetwork } from '../network';
import { acknowledge } from '../private/acknowledgments';
import { policyWildcardFindings } from '../private/nag-detail';
import { TEAM_NAME } from '../private/platform-rules';
import { estimatePolicySize, MANAGED_POLICY_MAX_CHARS } from '../private/policy-size';
import { STUDIO_NAME } from '../private/studio-rules';
import { PropsValidator } from '../private/validation';
import { Space, SpaceOptions, StudioAuthMode, StudioDomain, UserProfile } from '../studio';

/**
 * Settings of a team's Studio domain. A platform applies the same settings to every team's domain.
 */
export interface TeamStudioOptions {
  /**
   * How people sign in.
   *
   * @default StudioAuthMode.IAM
   */
  readonly authMode?: StudioAuthMode;

  /**
   * How long a JupyterLab or Code Editor app may be idle before it is shut down (60 minutes to 365 days).
   *
   * @default Duration.minutes(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * The longest idle timeout users may choose.
   *
   * @default - `idleTimeout`: users cannot lengthen it
   */
  readonly maxIdleTimeout?: Duration;

  /**
   * Default EBS volume size of a space (5-16384 GiB).
   *
   * @default Size.gibibytes(5)
   */
  readonly defaultEbsVolumeSize?: Size;

  /**
   * Largest EBS volume size a user may choose for a space.
   *
   * @default Size.gibibytes(100)
   */
  readonly maximumEbsVolumeSize?: Size;

  /**
   * Instance types Studio apps may run on (cost control), enforced in the user roles.
   *
   * @default - any instance type the service offers
   */
  readonly appInstanceTypes?: string[];

  /**
   * Instance types of the training, processing, tuning, transform and AutoML jobs users start.
   *
   * @default - JobGuardrails.DEFAULT_INSTANCE_TYPES
   */
  readonly jobInstanceTypes?: string[];

  /**
   * Write the SageMaker Python SDK defaults (subnets, security groups, keys) with a lifecycle configuration.
   *
   * @default true
   */
  readonly sdkDefaults?: boolean;

  /**
   * Also create the `aws.sagemaker.<region>.studio` interface endpoint (browsers inside the network).
   *
   * @default false
   */
  readonly studioUiEndpoint?: boolean;

  /**
   * What happens to the domain, its user profiles and spaces (whose EBS volumes hold the users' work)
   * when they leave the stack. `RemovalPolicy.DESTROY` is the explicit opt-in to delete them, with the
   * teardown custom resource the service needs.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * DATA LOSS opt-in: with `removalPolicy: RemovalPolicy.DESTROY`, also delete the home EFS file system.
   *
   * @default false
   */
  readonly deleteHomeFileSystemOnDelete?: boolean;
}

/**
 * What a team member gets besides a user profile in the team's domain.
 */
export interface TeamMemberOptions {
  /**
   * The e-mail address of the person (the `sagemaker-platform:owner-email` tag).
   *
   * @default - no e-mail tag
   */
  readonly ownerEmail?: string;

  /**
   * The IAM role or group of the person (IAM authentication): it may open Studio as this member only.
   *
   * @default - none; attach the profile's `accessPolicy` yourself
   */
  readonly humanPrincipal?: iam.IPrincipal;

  /**
   * Allow opening Studio only through this interface endpoint of the SageMaker API (`aws:SourceVpce`).
   *
   * @default - from any network path
   */
  readonly presignedUrlEndpoint?: ec2.IVpcEndpoint;

  /**
   * Instance types the member may run Studio apps on.
   *
   * @default - the domain's `appInstanceTypes`
   */
  readonly instanceTypes?: string[];

  /**
   * Create a private space owned by the member.
   *
   * @default true
   */
  readonly privateSpace?: boolean;

  /**
   * Settings of the private space.
   *
   * @default - the domain's defaults
   */
  readonly privateSpaceOptions?: SpaceOptions;
}

/**
 * A member of a team: a Studio user profile name and its options.
 */
export interface TeamMember extends TeamMemberOptions {
  /**
   * The user profile name: 1-63 letters, digits and hyphens. Unique in the platform (the owner tag
   * and the personal data prefix `users/<name>/` carry it).
   */
  readonly userName: string;
}

/**
 * A monthly cost budget of a team, filtered on its budget tag.
 */
export interface TeamBudgetOptions {
  /** The monthly limit in USD. */
  readonly monthlyLimitUsd: number;

  /**
   * E-mail addresses notified when actual cost passes 80% and forecast cost passes 100% of the limit.
   *
   * @default - no notifications (the budget is visible in AWS Budgets)
   */
  readonly notificationEmails?: string[];
}

/**
 * What a team accepts besides its name and the platform's resources (what `SecureMlPlatform.addTeam` takes).
 */
export interface PlatformTeamOptions {
  /**
   * The members of the team.
   *
   * @default - none; add them with `addMember`
   */
  readonly members?: TeamMember[];

  /**
   * The value of the budget tag on every resource of the team (the cost allocation tag). Tags of user
   * profiles and domains are fixed at creation: choose it when you create the team.
   *
   * @default - the team name
   */
  readonly budgetCode?: string;

  /**
   * A monthly AWS Budgets cost budget filtered on the team's budget tag.
   *
   * @default - no budget resource (the tag still allocates cost)
   */
  readonly budget?: TeamBudgetOptions;

  /**
   * Create the team's shared space, which every member can open and which runs as the team's shared
   * role (with the team's data).
   *
   * @default true
   */
  readonly sharedSpace?: boolean;

  /**
   * Settings of the shared space.
   *
   * @default - the domain's defaults
   */
  readonly sharedSpaceOptions?: SpaceOptions;

  /**
   * The name of the team's Studio domain.
   *
   * @default - `<teamName>` (a platform passes `<platformName>-<teamName>`)
   */
  readonly domainName?: string;
}

/**
 * Properties of a {@link PlatformTeam}.
 */
export interface PlatformTeamProps extends PlatformTeamOptions {
  /**
   * The team name: 1-32 lowercase letters, digits and hyphens, starting and ending with a letter or digit.
   * It names the data prefix `teams/<teamName>/`, the shared space and the team tag.
   */
  readonly teamName: string;

  /** The VPC-only network the team's apps and jobs run in. */
  readonly network: IPlatformNetwork;

  /** Key of the domain's home EFS and the spaces' EBS volumes (`PlatformKeys.studioKey`). */
  readonly storageKey: kms.IKey;

  /** Key of the volumes and outputs of the jobs members start (`PlatformKeys.dataKey`). */
  readonly jobKey: kms.IKey;

  /**
   * The platform data bucket: the team reads and writes `teams/<teamName>/`, each member also their
   * own `users/<userName>/`. Its encryption key (if it has one) is granted through S3 only.
   */
  readonly dataBucket: s3.IBucket;

  /**
   * Key of the log groups of the domain's custom resources (with `removalPolicy: DESTROY`).
   *
   * @default - the stack's shared custom-resource logs key
   */
  readonly customResourceLogsKey?: kms.IKey;

  /**
   * Settings of the team's domain.
   *
   * @default - the StudioDomain defaults
   */
  readonly studio?: TeamStudioOptions;

  /**
   * The key of the cost allocation tag that carries `budgetCode`. Activate it once in the Billing
   * console (cost allocation tags) for AWS Budgets and Cost Explorer to use it.
   *
   * @default PlatformTeam.BUDGET_TAG_KEY
   */
  readonly budgetTagKey?: string;
}

/**
 * A team of the ML platform: its own Studio domain (users of different teams share no domain, no
 * shared-space role and no job security group), its members' user profiles, a shared space, a data
 * prefix `teams/<teamName>/` in the platform data bucket that only the team's roles may use, and a
 * budget tag on every resource of the team.
 *
 * The team is a grantee: `featureGroup.grantReadRecords(team)` adds the statement to the team's
 * customer-managed access policy, which every member's role and the shared-space role carry.
 *
 * @example
 * const team = new PlatformTeam(this, 'Retention', {
 *   teamName: 'retention', network, storageKey: keys.studioKey, jobKey: keys.dataKey, dataBucket,
 *   members: [{ userName: 'alice' }, { userName: 'bob' }],
 * });
 */
export class PlatformTeam extends Construct implements iam.IGrantable {
  /** The tag every resource of a team carries, valued with the team name (used in the data bucket policy). */
  public static readonly TEAM_TAG_KEY = 'sagemaker-platform:team';

  /** The default key of the budget (cost allocation) tag. */
  public static readonly BUDGET_TAG_KEY = 'sagemaker-platform:budget';

  /** The team name. */
  public readonly teamName: string;

  /** The team's Studio domain. */
  public readonly domain: StudioDomain;

  /** The team's shared space, unless `sharedSpace: false`. */
  public readonly sharedSpace?: Space;

  /** The key prefix of the team's objects in the data bucket, `teams/<teamName>/`. */
  public readonly dataPrefix: string;

  /** The platform data bucket. */
  public readonly dataBucket: s3.IBucket;

  /**
   * The team's customer-managed policy: its data prefix and whatever was granted to the team. Every
   * member's execution role and the shared-space role carry it.
   */
  public readonly accessPolicy: iam.ManagedPolicy;

  /** The value of the budget tag. */
  public readonly budgetCode: string;

  /** The key of the budget tag. */
  public readonly budgetTagKey: string;

  /** The monthly cost budget, when `budget` is set. */
  public readonly budget?: budgets.CfnBudget;

  /** Grants to the team land in `accessPolicy`. */
  public readonly grantPrincipal: iam.IPrincipal;

  private readonly members = new Map<string, UserProfile>();

  constructor(scope: Construct, id: string, props: PlatformTeamProps) {
    validateTeamProps(scope, id, props);
    super(scope, id);
    this.teamName = props.teamName;
    this.dataBucket = props.dataBucket;
    this.dataPrefix = `teams/${props.teamName}/`;
    this.budgetCode = props.budgetCode ?? props.teamName;
    this.budgetTagKey = props.budgetTagKey ?? PlatformTeam.BUDGET_TAG_KEY;

    // on every taggable resource of the team: the data bucket policy reads the team tag of the caller's
    // role, and the budget tag allocates the team's cost (Studio propagates both to what users create)
    Tags.of(this).add(PlatformTeam.TEAM_TAG_KEY, this.teamName);
    Tags.of(this).add(this.budgetTagKey, this.budgetCode);

    const studio = props.studio ?? {};
    // one domain per team: shared spaces run as the domain's space role, so a domain shared by teams
    // would give every team's shared spaces the same permissions
    this.domain = new StudioDomain(this, 'Domain', {
      network: props.network,
      storageKey: props.storageKey,
      jobKey: props.jobKey,
      domainName: props.domainName ?? props.teamName,
      customResourceLogsKey: props.customResourceLogsKey,
      authMode: studio.authMode,
      idleTimeout: studio.idleTimeout,
      maxIdleTimeout: studio.maxIdleTimeout,
      defaultEbsVolumeSize: studio.defaultEbsVolumeSize,
      maximumEbsVolumeSize: studio.maximumEbsVolumeSize,
      appInstanceTypes: studio.appInstanceTypes,
      jobInstanceTypes: studio.jobInstanceTypes,
      sdkDefaults: studio.sdkDefaults,
      studioUiEndpoint: studio.studioUiEndpoint,
      removalPolicy: studio.removalPolicy,
      deleteHomeFileSystemOnDelete: studio.deleteHomeFileSystemOnDelete,
    });

    this.accessPolicy = new iam.ManagedPolicy(this, 'AccessPolicy', {
      description: `Team ${this.teamName}: objects under ${this.dataPrefix} of the platform data bucket, and what was granted to the team`,
      statements: teamDataStatements(this.dataBucket, this.dataPrefix),
      roles: [this.domain.defaultExecutionRole],
    });
    acknowledgeWildcards(this.accessPolicy);
    this.grantPrincipal = new TeamPrincipal(this);
    this.node.addValidation({ validate: () => this.validatePolicySize() });

    if (props.sharedSpace ?? true) {
      this.sharedSpace = this.domain.addSharedSpace(`${this.teamName}-shared`, {
        displayName: `Team ${this.teamName}`,
        ...props.sharedSpaceOptions,
      });
    }

    if (props.budget) this.budget = this.createBudget(props.budget);

    for (const member of props.members ?? []) {
      const { userName, ...options } = member;
      this.addMember(userName, options);
    }
  }

  /** The members' user profiles, in the order they were added. */
  public get memberProfiles(): UserProfile[] {
    return [...this.members.values()];
  }

  /** The members' user names, in the order they were added. */
  public get memberNames(): string[] {
    return [...this.members.keys()];
  }

  /**
   * Adds a member: a user profile in the team's domain with its own role, security group and private
   * space, allowed in the team's shared space, with the team's access policy and its own data prefix
   * `users/<userName>/`.
   */
  public addMember(userName: string, options: TeamMemberOptions = {}): UserProfile {
    const profile = this.domain.addUserProfile(userName, {
      ...options,
      allowedSharedSpaces: this.sharedSpace ? [this.sharedSpace] : undefined,
      dataBuckets: [this.dataBucket],
    });
    this.accessPolicy.attachToRole(profile.role);
    this.members.set(userName, profile);
    return profile;
  }

  private createBudget(options: TeamBudgetOptions): budgets.CfnBudget {
    const emails = options.notificationEmails ?? [];
    const notify = (notificationType: string, threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers: emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
    });
    return new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `${this.domain.domainName}-monthly`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: options.monthlyLimitUsd, unit: 'USD' },
        filterExpression: { tags: { key: this.budgetTagKey, values: [this.budgetCode], matchOptions: ['EQUALS'] } },
      },
      notificationsWithSubscribers: emails.length > 0 ? [notify('ACTUAL', 80), notify('FORECASTED', 100)] : undefined,
    });
  }

  private validatePolicySize(): string[] {
    const size = estimatePolicySize(this.accessPolicy);
    if (size <= MANAGED_POLICY_MAX_CHARS) return [];
    return [`the access policy of team '${this.teamName}' would have about ${size} characters, over the ${MANAGED_POLICY_MAX_CHARS} `
      + 'IAM allows for a managed policy: grant fewer resources to the team, or grant to a narrower role'];
  }
}

/** Grants to a team land in the team's customer-managed access policy (never in a resource policy). */
class TeamPrincipal extends iam.PrincipalBase {
  /** Same account as the team's stack: grants stay on the identity side, never in a key or bucket policy. */
  public readonly principalAccount: string;

  constructor(private readonly team: PlatformTeam) {
    super();
    this.principalAccount = Stack.of(team).account;
  }

  /** In a resource policy: the shared-space role and the roles of the members added so far. */
  public get policyFragment(): iam.PrincipalPolicyFragment {
    const roles = [this.team.domain.defaultExecutionRole, ...this.team.memberProfiles.map((p) => p.role)];
    return new iam.PrincipalPolicyFragment({ AWS: roles.map((r) => r.roleArn) });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.team.accessPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.team.accessPolicy };
  }

  public dedupeString(): string {
    return `PlatformTeam:${this.team.node.path}`;
  }

  public toString(): string {
    return `PlatformTeam(${this.team.teamName})`;
  }
}

/**
 * The team prefix of the data bucket, and the bucket's key only through S3 for objects of that bucket
 * (`kms:EncryptionContext:aws:s3:arn` is the bucket ARN with an S3 Bucket Key, the object ARN without).
 */
function teamDataStatements(bucket: s3.IBucket, prefix: string): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'TeamDataObjects',
      effect: iam.Effect.ALLOW,
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
    new iam.PolicyStatement({
      sid: 'ListTeamDataPrefix',
      effect: iam.Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
    }),
  ];
  if (bucket.encryptionKey) {
    statements.push(new iam.PolicyStatement({
      sid: 'TeamDataKeyThroughS3',
      effect: iam.Effect.ALLOW,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [bucket.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${Stack.of(bucket).region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, bucket.arnForObjects(`${prefix}*`)] },
      },
    }));
  }
  return statements;
}

function acknowledgeWildcards(policy: iam.ManagedPolicy): void {
  const details = policyWildcardFindings(policy);
  if (details.length > 0) acknowledge(policy, 'PLATFORM_TEAM_DATA_PREFIX', details);
}

const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validateTeamProps(scope: Construct, id: string, props: PlatformTeamProps): void {
  const v = PropsValidator.forNew('PlatformTeam', scope, id);
  v.pattern('teamName', props.teamName, TEAM_NAME.pattern, TEAM_NAME.description, TEAM_NAME.maxLength);
  if (Token.isUnresolved(props.teamName)) v.error(`teamName must be a literal (it names the data prefix, tags and construct IDs), got the token ${props.teamName}`);
  v.pattern('domainName', props.domainName, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);
  v.pattern('budgetCode', props.budgetCode, TAG_VALUE, 'at most 256 letters, digits, spaces and _.:/=+-@', 256);
  v.pattern('budgetTagKey', props.budgetTagKey, TAG_KEY, "1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'", 128);
  if (props.budgetTagKey === PlatformTeam.TEAM_TAG_KEY) {
    v.error(`budgetTagKey must not be '${PlatformTeam.TEAM_TAG_KEY}', the team tag the data bucket policy relies on`);
  }
  if (props.budget) {
    const limit = props.budget.monthlyLimitUsd;
    if (!Token.isUnresolved(limit)) v.check(Number.isFinite(limit) && limit > 0, `budget.monthlyLimitUsd must be a positive number of USD, got ${limit}`);
    (props.budget.notificationEmails ?? []).forEach((email, i) => v.pattern(`budget.notificationEmails[${i}]`, email, EMAIL, 'an e-mail address', 256));
  }
  if (props.sharedSpace === false && props.sharedSpaceOptions !== undefined) {
    v.error('sharedSpaceOptions applies only to a shared space; remove it or drop sharedSpace: false');
  }
  const seen = new Map<string, string>();
  (props.members ?? []).forEach((member, i) => {
    if (Token.isUnresolved(member.userName)) return;
    const clash = seen.get(member.userName.toLowerCase());
    if (clash !== undefined) v.error(`members[${i}].userName must be unique in the team (compared without case), got '${member.userName}', already given as '${clash}'`);
    seen.set(member.userName.toLowerCase(), member.userName);
  });
  v.throwIfInvalid();
}
