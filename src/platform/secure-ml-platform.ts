import {
  CfnOutput, CfnResource, CrossStackReferences, Environment, Lazy, NestedStack, ReferenceStrength, RemovalPolicy, Stack, Tags, Token,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { PlatformTeam, PlatformTeamOptions, TeamMemberOptions, TeamStudioOptions } from './platform-team';
import { SharedPlatformNetwork } from './shared-network';
import { PlatformNetwork, PlatformNetworkProps } from '../network';
import { BUCKET_POLICY_MAX_BYTES, MAX_TEMPLATE_RESOURCES, PLATFORM_NAME, TEAM_NAME } from '../private/platform-rules';
import { PropsValidator } from '../private/validation';
import { PlatformKeys, PlatformKeysProps } from '../security/platform-keys';
import { SecureBucket } from '../security/secure-bucket';
import { UserProfile } from '../studio';

/**
 * A team of a {@link SecureMlPlatform}, declared in its props.
 */
export interface PlatformTeamDefinition extends PlatformTeamOptions {
  /** The team name: 1-32 lowercase letters, digits and hyphens. */
  readonly teamName: string;
}

/**
 * Properties of a {@link SecureMlPlatform}.
 */
export interface SecureMlPlatformProps {
  /**
   * The platform's name: 1-24 lowercase letters, digits and hyphens. It names the teams' domains
   * (`<platformName>-<team>`), the key aliases, the data bucket and the parameter prefix. Changing it
   * replaces named resources: choose it once.
   */
  readonly platformName: string;

  /**
   * The account and Region of every stack of the platform.
   *
   * @default - environment-agnostic stacks
   */
  readonly env?: Environment;

  /**
   * Prefix of the stack names: `<prefix>-Network`, `<prefix>-Data`, `<prefix>-Studio`, `<prefix>-Workloads`.
   *
   * @default - the construct ID
   */
  readonly stackNamePrefix?: string;

  /**
   * Prefix of the SSM parameters that publish the platform's IDs for other CDK apps (a path starting with `/`).
   *
   * @default `/sagemaker-platform/<platformName>`
   */
  readonly parameterPrefix?: string;

  /**
   * Settings of the VPC-only network (created in the network stack). `flowLogsEncryptionKey` defaults to
   * the platform's logs key.
   *
   * @default - a new VPC in 2 AZs with the PlatformNetwork defaults
   */
  readonly network?: PlatformNetworkProps;

  /**
   * Settings of the platform keys (created in the network stack).
   *
   * @default - aliases `alias/sagemaker-platform/<platformName>/<purpose>`, retained, yearly rotation
   */
  readonly keys?: PlatformKeysProps;

  /**
   * Settings of every team's Studio domain.
   *
   * @default - the StudioDomain defaults
   */
  readonly studio?: TeamStudioOptions;

  /**
   * The teams. More can be added with `addTeam`.
   *
   * @default - none
   */
  readonly teams?: PlatformTeamDefinition[];

  /**
   * The name of the platform data bucket (teams' and users' prefixes).
   *
   * @default `<platformName>-data-<account>-<region>`
   */
  readonly dataBucketName?: string;

  /**
   * What happens to the data bucket and its access-log bucket when they leave the stack.
   * `RemovalPolicy.DESTROY` is the explicit opt-in to delete data (CloudFormation deletes only empty buckets).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly dataRemovalPolicy?: RemovalPolicy;

  /**
   * The key of the cost allocation tag of the teams.
   *
   * @default PlatformTeam.BUDGET_TAG_KEY
   */
  readonly budgetTagKey?: string;
}

/** The tag every stack (and so every resource) of a platform carries, valued with the platform name. */
const PLATFORM_TAG_KEY = 'sagemaker-platform:platform';

/**
 * A secure SageMaker ML platform in stacks a platform team deploys separately:
 *
 * - `<prefix>-Network`: the platform keys and the VPC-only network (interface endpoints are added there
 *   as the other stacks declare the services they call);
 * - `<prefix>-Data`: the platform data bucket, with a prefix per team that the bucket policy denies to
 *   every other team's roles; feature groups belong here (`dataStack`);
 * - `<prefix>-Studio`: one nested stack per team (its own Studio domain, members, shared space, access
 *   policy and budget), so each team's resources stay far below CloudFormation's limits however many teams;
 * - `<prefix>-Workloads`: pipelines, endpoints and training clusters (`workloadsStack`), created on first use.
 *
 * References only point from Studio, Data and Workloads to Network, and from Studio to Data: `network`
 * creates the security-group rules of other stacks in those stacks, and grants to a team land in the
 * team's own policy. Every ID other CDK apps need is published as an SSM parameter under
 * `parameterPrefix` and as a stack output.
 *
 * Capability constructs keep working on their own; give them the platform's scope and resources:
 *
 * @example
 * const platform = new SecureMlPlatform(app, 'Platform', { platformName: 'hr-ml', env });
 * const retention = platform.addTeam('retention', { members: [{ userName: 'alice' }, { userName: 'bob' }] });
 * const features = new FeatureGroup(platform.dataStack, 'Features', { network: platform.network, ... });
 * features.grantReadRecords(retention);
 */
export class SecureMlPlatform extends Construct {
  /** The platform's name. */
  public readonly platformName: string;

  /** The prefix of the published SSM parameters (no trailing `/`). */
  public readonly parameterPrefix: string;

  /** The stack of the keys and the network. */
  public readonly networkStack: Stack;

  /** The stack of the data bucket; put feature groups and other data stores here. */
  public readonly dataStack: Stack;

  /** The platform keys (studio, data, logs; `keys.addKey` for more). */
  public readonly keys: PlatformKeys;

  /** The VPC-only network, usable by constructs in any stack of the app (see {@link SharedPlatformNetwork}). */
  public readonly network: SharedPlatformNetwork;

  /** The platform data bucket (SSE-KMS with the data key). */
  public readonly dataBucket: SecureBucket;

  private readonly props: SecureMlPlatformProps;
  private readonly stackNamePrefix: string;
  private readonly teams = new Map<string, PlatformTeam>();
  private readonly userNames = new Map<string, string>();
  private readonly parameters = new Map<string, string>();
  private studio?: Stack;
  private workloads?: Stack;

  constructor(scope: Construct, id: string, props: SecureMlPlatformProps) {
    validatePlatformProps(scope, id, props);
    super(scope, id);
    // CloudFormation exports between the platform's stacks: a stack cannot be deleted, nor an export
    // removed, while another stack uses it (the producer-protecting default, chosen explicitly)
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.props = props;
    this.platformName = props.platformName;
    this.parameterPrefix = props.parameterPrefix ?? `/sagemaker-platform/${props.platformName}`;
    this.stackNamePrefix = props.stackNamePrefix ?? id;
    Tags.of(this).add(PLATFORM_TAG_KEY, this.platformName);

    this.networkStack = this.createStack('Network', 'keys and VPC-only network');
    this.keys = new PlatformKeys(this.networkStack, 'Keys', {
      ...props.keys,
      aliasPrefix: props.keys?.aliasPrefix ?? `sagemaker-platform/${this.platformName}`,
    });
    const createsVpc = props.network?.vpc === undefined;
    const network = new PlatformNetwork(this.networkStack, 'Network', {
      ...props.network,
      flowLogsEncryptionKey: props.network?.flowLogsEncryptionKey ?? (createsVpc ? this.keys.logsKey : undefined),
    });
    this.network = new SharedPlatformNetwork(this.networkStack, 'SharedNetwork', { network });
    this.publishNetwork(network);

    this.dataStack = this.createStack('Data', 'data bucket and data stores');
    this.dataStack.addStackDependency(this.networkStack);
    const removalPolicy = props.dataRemovalPolicy ?? RemovalPolicy.RETAIN;
    this.dataBucket = new SecureBucket(this.dataStack, 'DataBucket', {
      bucketName: this.dataBucketLiteralName(this.dataStack),
      encryptionKey: this.keys.dataKey,
      removalPolicy,
    });
    this.publish(this.dataStack, 'data/bucket-name', this.dataBucket.bucketName, 'Name of the platform data bucket');
    this.publish(this.dataStack, 'data/bucket-arn', this.dataBucket.bucketArn, 'ARN of the platform data bucket');

    for (const team of props.teams ?? []) {
      const { teamName, ...options } = team;
      this.addTeam(teamName, options);
    }
    // members added with PlatformTeam.addMember directly bypass addTeam's and addMember's checks
    this.node.addValidation({ validate: () => this.duplicateMembers() });
  }

  /** The stack of the teams (one nested stack each), created with the first team or on first use. */
  public get studioStack(): Stack {
    if (!this.studio) {
      this.studio = this.createStack('Studio', 'a nested stack per team: Studio domain, members, shared space');
      this.studio.addStackDependency(this.networkStack);
      this.studio.addStackDependency(this.dataStack);
    }
    return this.studio;
  }

  /** The stack for pipelines, endpoints and training clusters, created on first use. */
  public get workloadsStack(): Stack {
    if (!this.workloads) {
      this.workloads = this.createStack('Workloads', 'pipelines, endpoints and training clusters');
      this.workloads.addStackDependency(this.networkStack);
      this.workloads.addStackDependency(this.dataStack);
    }
    return this.workloads;
  }

  /** The teams, in the order they were added. */
  public get teamList(): PlatformTeam[] {
    return [...this.teams.values()];
  }

  /** The team names, in the order they were added. */
  public get teamNames(): string[] {
    return [...this.teams.keys()];
  }

  /** The names of the published SSM parameters by key (for example `network/vpc-id`). */
  public get parameterNames(): { [key: string]: string } {
    return Object.fromEntries(this.parameters);
  }

  /** The team named `teamName`, if it was added. */
  public team(teamName: string): PlatformTeam | undefined {
    return this.teams.get(teamName);
  }

  /**
   * Adds a team in its own nested stack of the Studio stack: a Studio domain with the platform's
   * settings, the members, a shared space, the data prefix `teams/<teamName>/` (denied to every other
   * team by the bucket policy) and the budget tag. User names are unique across the platform.
   */
  public addTeam(teamName: string, options: PlatformTeamOptions = {}): PlatformTeam {
    const v = new PropsValidator('SecureMlPlatform', this.node.path);
    v.pattern('addTeam teamName', teamName, TEAM_NAME.pattern, TEAM_NAME.description, TEAM_NAME.maxLength);
    if (Token.isUnresolved(teamName)) v.error(`addTeam teamName must be a literal, got the token ${teamName}`);
    else if (this.teams.has(teamName)) v.error(`addTeam teamName must be unique, got '${teamName}' a second time`);
    this.checkUserNames(v, teamName, (options.members ?? []).map((m) => m.userName));
    v.throwIfInvalid();

    if (this.teams.size === 0) {
      // the list is complete only once every team is added: rendered at synth
      new ssm.StringListParameter(this.studioStack, 'StudioTeamsParameter', {
        parameterName: `${this.parameterPrefix}/studio/teams`,
        stringListValue: Lazy.list({ produce: () => this.teamNames }),
        description: `Teams of the ML platform ${this.platformName}`,
      });
      this.parameters.set('studio/teams', `${this.parameterPrefix}/studio/teams`);
    }
    const nested = new NestedStack(this.studioStack, `Team-${teamName}`, {
      description: `ML platform ${this.platformName}: team ${teamName} (Studio domain, members, shared space)`,
      // about 20 KB per member without indentation, 32 KB with it: the 1 MB limit allows more members minified
      suppressTemplateIndentation: true,
    });
    nested.node.addValidation({ validate: () => checkTeamStackSize(nested, teamName) });
    const bucket = this.dataBucketFor(nested);
    const team = new PlatformTeam(nested, 'Team', {
      ...options,
      members: undefined,
      teamName,
      domainName: options.domainName ?? `${this.platformName}-${teamName}`,
      network: this.network,
      storageKey: this.keys.studioKey,
      jobKey: this.keys.dataKey,
      dataBucket: bucket,
      customResourceLogsKey: this.keys.logsKey,
      studio: this.props.studio,
      budgetTagKey: this.props.budgetTagKey,
    });
    this.teams.set(teamName, team);
    Tags.of(nested).add(PlatformTeam.TEAM_TAG_KEY, teamName);
    Tags.of(nested).add(team.budgetTagKey, team.budgetCode);
    for (const member of options.members ?? []) {
      const { userName, ...memberOptions } = member;
      team.addMember(userName, memberOptions);
    }
    this.denyTeamPrefixToOthers(teamName);

    const key = (name: string) => `teams/${teamName}/${name}`;
    this.publish(nested, key('domain-id'), team.domain.domainId, `Studio domain ID of team ${teamName}`, true);
    this.publish(nested, key('domain-arn'), team.domain.domainArn, `Studio domain ARN of team ${teamName}`);
    this.publish(nested, key('security-group-id'), team.domain.securityGroup.securityGroupId, `Security group of the Studio apps of team ${teamName}`);
    this.publish(nested, key('job-security-group-id'), team.domain.jobSecurityGroup.securityGroupId,
      `Security group the job guardrails of team ${teamName} require`);
    this.publish(nested, key('shared-space-role-arn'), team.domain.defaultExecutionRole.roleArn, `Role of the shared spaces of team ${teamName}`);
    this.publish(nested, key('data-prefix'), `s3://${this.dataBucketLiteralName(nested)}/${team.dataPrefix}`, `Data prefix of team ${teamName}`);
    return team;
  }

  /**
   * The platform data bucket as seen from the stack of `scope`: referenced by its name, so the ARNs in
   * that stack's policies carry no cross-stack reference (the Data stack exports nothing for them, and a
   * rule finding names the same value before and after CDK resolves the app's references, which keeps
   * acknowledgments of object prefixes stable). Give it to capability constructs of other stacks.
   */
  public dataBucketFor(scope: IConstruct): s3.IBucket {
    const stack = Stack.of(scope);
    if (stack === this.dataStack) return this.dataBucket;
    const id = `PlatformDataBucket${this.node.addr}`;
    const existing = stack.node.tryFindChild(id) as s3.IBucket | undefined;
    return existing ?? s3.Bucket.fromBucketAttributes(stack, id, {
      bucketName: this.dataBucketLiteralName(stack),
      encryptionKey: this.keys.dataKey,
    });
  }

  /**
   * Adds a member to a team of the platform (user names are unique across the platform).
   */
  public addMember(teamName: string, userName: string, options: TeamMemberOptions = {}): UserProfile {
    const team = this.teams.get(teamName);
    const v = new PropsValidator('SecureMlPlatform', this.node.path);
    if (!team) v.error(`addMember teamName must be a team of the platform (${this.teamNames.join(', ') || 'none yet'}), got '${teamName}'`);
    else this.checkUserNames(v, teamName, [userName]);
    v.throwIfInvalid();
    return team!.addMember(userName, options);
  }

  /** Creates a top-level stack of the platform. */
  private createStack(part: string, what: string): Stack {
    return new Stack(this, part, {
      env: this.props.env,
      stackName: `${this.stackNamePrefix}-${part}`,
      description: `ML platform ${this.platformName}: ${what}`,
    });
  }

  /** The data bucket's name as written in `stack` (literal when the platform has an environment). */
  private dataBucketLiteralName(stack: Stack): string {
    return this.props.dataBucketName ?? `${this.platformName}-data-${stack.account}-${stack.region}`;
  }

  /**
   * The bucket policy: objects under a team's prefix are denied to roles tagged with another team (one
   * statement per team: S3 has no condition key for an object's key), and listing below `teams/` is
   * denied to a tagged role outside its own team's prefix (one statement, with a policy variable).
   * Untagged principals (platform pipelines, administrators) are left to their IAM policies.
   */
  private denyTeamPrefixToOthers(teamName: string): void {
    const tag = `aws:PrincipalTag/${PlatformTeam.TEAM_TAG_KEY}`;
    const tagged = { Null: { [tag]: 'false' } };
    if (this.teams.size === 1) {
      this.dataBucket.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'DenyListingOtherTeamsPrefixes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [this.dataBucket.bucketArn],
        conditions: {
          ...tagged,
          StringLike: { 's3:prefix': ['teams', 'teams/*'] },
          StringNotLike: { 's3:prefix': [`teams/\${${tag}}/*`, `teams/\${${tag}}`] },
        },
      }));
      this.dataStack.node.addValidation({ validate: () => checkBucketPolicySize(this.dataBucket) });
    }
    // Sids are unique for lowercase team names: a hyphen becomes 'H'
    this.dataBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: `DenyTeam${teamName.replace(/-/g, 'H')}ObjectsToOtherTeams`,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:AbortMultipartUpload', 's3:RestoreObject'],
      resources: [this.dataBucket.arnForObjects(`teams/${teamName}/*`)],
      conditions: { ...tagged, StringNotEquals: { [tag]: teamName } },
    }));
  }

  private duplicateMembers(): string[] {
    const seen = new Map<string, string>();
    const errors: string[] = [];
    for (const team of this.teams.values()) {
      for (const name of team.memberNames) {
        const other = seen.get(name.toLowerCase());
        if (other !== undefined && other !== team.teamName) {
          errors.push(`user name '${name}' of team '${team.teamName}' is also a member of team '${other}': user names must be unique across `
            + 'the platform (the owner tag and the users/<name>/ prefix carry them)');
        }
        seen.set(name.toLowerCase(), team.teamName);
      }
    }
    return errors;
  }

  private checkUserNames(v: PropsValidator, teamName: string, names: string[]): void {
    const local = new Map<string, string>();
    for (const name of names) {
      if (Token.isUnresolved(name)) continue;
      const owner = this.userNames.get(name.toLowerCase()) ?? local.get(name.toLowerCase());
      if (owner !== undefined) {
        v.error(`user name '${name}' must be unique across the platform (compared without case), already a member of team '${owner}'; `
          + `give the person a second name for team '${teamName}' (for example '${name}-${teamName}')`);
      }
      local.set(name.toLowerCase(), teamName);
    }
    if (!v.hasErrors) for (const [name, team] of local) this.userNames.set(name, team);
  }

  private publishNetwork(network: PlatformNetwork): void {
    const stack = this.networkStack;
    this.publish(stack, 'network/vpc-id', network.vpc.vpcId, 'VPC of the ML platform');
    this.publish(stack, 'network/vpc-cidr', network.vpc.vpcCidrBlock, 'IPv4 range of the platform VPC');
    this.publish(stack, 'network/subnet-ids', network.subnetIds, 'Isolated subnets of the platform workloads');
    this.publish(stack, 'network/endpoint-security-group-id', network.endpointSecurityGroup.securityGroupId,
      'Security group of the interface endpoints (admit your security group with an ingress rule on 443)');
    this.publish(stack, 'keys/studio-key-arn', this.keys.studioKey.keyArn, 'KMS key of Studio storage');
    this.publish(stack, 'keys/data-key-arn', this.keys.dataKey.keyArn, 'KMS key of data, artifacts, job volumes and outputs');
    this.publish(stack, 'keys/logs-key-arn', this.keys.logsKey.keyArn, 'KMS key of CloudWatch Logs log groups');
  }

  /**
   * An SSM parameter `<parameterPrefix>/<key>` in `scope`, and a stack output in the top-level stack of
   * `scope` (for values of a nested stack only when `output` is set: a stack has at most 200 outputs).
   */
  private publish(scope: IConstruct, key: string, value: string | string[], description: string, output?: boolean): void {
    const parameterName = `${this.parameterPrefix}/${key}`;
    const id = key.split(/[^a-zA-Z0-9]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
    if (Array.isArray(value)) {
      new ssm.StringListParameter(scope, `${id}Parameter`, { parameterName, stringListValue: value, description });
    } else {
      new ssm.StringParameter(scope, `${id}Parameter`, { parameterName, stringValue: value, description });
    }
    this.parameters.set(key, parameterName);
    const stack = Stack.of(scope);
    const top = stack.nestedStackParent ?? stack;
    if (top === stack || output) {
      new CfnOutput(top, id, { value: Array.isArray(value) ? value.join(',') : value, description });
    }
  }
}

/** A clear synth-time error, instead of a failed deployment, when a team outgrows its nested stack. */
function checkTeamStackSize(stack: NestedStack, teamName: string): string[] {
  const resources = stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
  if (resources <= MAX_TEMPLATE_RESOURCES) return [];
  return [`team '${teamName}' needs ${resources} CloudFormation resources in its nested stack, over the ${MAX_TEMPLATE_RESOURCES} a template `
    + 'may hold (each member adds about 11): split the team into two teams'];
}

/** S3 user guide, bucket policies: "Bucket policies are limited to 20 KB in size." */
function checkBucketPolicySize(bucket: s3.Bucket): string[] {
  const policy = bucket.policy;
  if (!policy) return [];
  const size = JSON.stringify(estimateIntrinsics(Stack.of(bucket).resolve(policy.document))).length;
  if (size <= BUCKET_POLICY_MAX_BYTES) return [];
  return [`the data bucket policy would have about ${size} bytes, over the ${BUCKET_POLICY_MAX_BYTES} S3 allows: `
    + 'it holds one statement per team; spread the teams over two platforms or merge teams'];
}

/** Every reference as the longest value it resolves to here (a bucket ARN: 76 characters); joins joined. */
function estimateIntrinsics(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(estimateIntrinsics);
  if (node === null || typeof node !== 'object') return node;
  const o = node as { [key: string]: unknown };
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => (typeof p === 'string' ? p : estimateIntrinsics(p))).join(sep);
  }
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return 'x'.repeat(76);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, estimateIntrinsics(v)]));
}

function validatePlatformProps(scope: Construct, id: string, props: SecureMlPlatformProps): void {
  const v = PropsValidator.forNew('SecureMlPlatform', scope, id);
  if (Token.isUnresolved(props.platformName)) v.error(`platformName must be a literal, got the token ${props.platformName}`);
  v.pattern('platformName', props.platformName, PLATFORM_NAME.pattern, PLATFORM_NAME.description, PLATFORM_NAME.maxLength);
  v.pattern('parameterPrefix', props.parameterPrefix, /^(\/[a-zA-Z0-9_.-]+)+$/, "an SSM path such as '/sagemaker-platform/hr-ml' (no trailing '/')", 900);
  v.pattern('stackNamePrefix', props.stackNamePrefix, /^[A-Za-z][A-Za-z0-9-]*$/, 'letters, digits and hyphens, starting with a letter', 100);
  v.throwIfInvalid();
}
