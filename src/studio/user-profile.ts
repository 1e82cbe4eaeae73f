import { IResource, Names, RemovalPolicy, Resource, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { ISpace, Space, SpaceOptions } from './space';
import type { IStudioDomain } from './studio-domain';
import { acknowledge, AcknowledgmentName } from '../private/acknowledgments';
import { validateInstanceTypes, validateJobGuardrails } from '../private/job-guardrails-validation';
import { policyWildcardFindings } from '../private/nag-detail';
import { estimatePolicySize, MANAGED_POLICY_MAX_CHARS } from '../private/policy-size';
import { STUDIO_NAME } from '../private/studio-rules';
import { PropsValidator } from '../private/validation';
import { JobGuardrails } from '../security/job-guardrails';
import { SageMakerPolicies } from '../security/sagemaker-policies';

/**
 * A Studio user profile.
 */
export interface IUserProfile extends IResource {
  /**
   * The user profile name, unique in its domain.
   * @attribute
   */
  readonly userProfileName: string;

  /**
   * The user profile ARN.
   * @attribute
   */
  readonly userProfileArn: string;

  /** The domain the profile belongs to. */
  readonly domain: IStudioDomain;
}

/**
 * What a user profile accepts besides its domain and name (what `StudioDomain.addUserProfile` takes).
 */
export interface UserProfileOptions {
  /**
   * Create a private space owned by the user (their JupyterLab workspace and its EBS volume).
   *
   * @default true
   */
  readonly privateSpace?: boolean;

  /**
   * The name of the private space: 1-63 letters, digits and hyphens.
   *
   * @default - `<userProfileName>-private`
   */
  readonly privateSpaceName?: string;

  /**
   * Settings of the private space (EBS volume size, instance type, application, removal policy).
   *
   * @default - the domain's defaults
   */
  readonly privateSpaceOptions?: SpaceOptions;

  /**
   * Instance types the user may run Studio apps and spaces on (`sagemaker:InstanceTypes` on
   * `CreateApp`, `CreateSpace` and `UpdateSpace`), exact (`ml.t3.medium`) or with a wildcard (`ml.m5.*`).
   *
   * @default - the domain's `appInstanceTypes`; no instance-type condition when it has none
   */
  readonly instanceTypes?: string[];

  /**
   * The e-mail address of the person, written to the `sagemaker-platform:owner-email` tag.
   *
   * @default - no e-mail tag
   */
  readonly ownerEmail?: string;

  /**
   * Further tags of the profile and everything created for it. Keys starting with `aws:` and the owner
   * tags are reserved.
   *
   * @default - only the owner tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Shared spaces of the same domain in which the user may start and stop apps.
   *
   * @default - none
   */
  readonly allowedSharedSpaces?: ISpace[];

  /**
   * The IAM role or group of the person behind the profile (IAM authentication). It receives the
   * access policy: open Studio (`CreatePresignedDomainUrl`) as this profile only. IAM users are refused:
   * pass a group they belong to.
   *
   * @default - none; attach `accessPolicy` yourself (for example to an IAM Identity Center permission set)
   */
  readonly humanPrincipal?: iam.IPrincipal;

  /**
   * Allow opening Studio (`CreatePresignedDomainUrl`) only through this interface endpoint of the
   * SageMaker API (`aws:SourceVpce`), for people who reach the VPC (VPN, Direct Connect).
   *
   * @default - from any network path
   */
  readonly presignedUrlEndpoint?: ec2.IVpcEndpoint;

  /**
   * Platform buckets the user may read and write, under `dataPrefix` only.
   *
   * @default - none
   */
  readonly dataBuckets?: s3.IBucket[];

  /**
   * The key prefix of the user's objects in `dataBuckets`, ending with `/`.
   *
   * @default - `users/<userProfileName>/`
   */
  readonly dataPrefix?: string;
}

/**
 * Properties of a {@link UserProfile}.
 */
export interface UserProfileProps extends UserProfileOptions {
  /** The domain the profile belongs to. */
  readonly domain: IStudioDomain;

  /** The user profile name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit. */
  readonly userProfileName: string;
}

/**
 * Attributes of an existing user profile.
 */
export interface UserProfileAttributes {
  /** The domain the profile belongs to. */
  readonly domain: IStudioDomain;

  /** The user profile name. */
  readonly userProfileName: string;
}

/**
 * Shared behaviour of created and imported user profiles.
 */
export abstract class UserProfileBase extends Resource implements IUserProfile {
  public abstract readonly userProfileName: string;
  public abstract readonly userProfileArn: string;
  public abstract readonly domain: IStudioDomain;

  /** The endpoint `CreatePresignedDomainUrl` must come through, if any. */
  protected presignedUrlEndpoint?: ec2.IVpcEndpoint;

  private createdAccessPolicy?: iam.ManagedPolicy;

  /**
   * The customer-managed policy for the person behind this profile (IAM authentication): open Studio
   * only as this profile, optionally only through the SageMaker API endpoint, and the read-only calls
   * the console needs. Attach it to an IAM principal or to an IAM Identity Center permission set.
   * Created on first use.
   */
  public get accessPolicy(): iam.ManagedPolicy {
    if (!this.createdAccessPolicy) {
      const policy = new iam.ManagedPolicy(this, 'AccessPolicy', {
        description: `Opens SageMaker Studio as user profile ${this.node.path} only`,
        statements: SageMakerPolicies.humanAccess({
          domainArn: this.domain.domainArn,
          userProfileArn: this.userProfileArn,
          sageMakerApiEndpoint: this.presignedUrlEndpoint,
        }),
      });
      acknowledgeWildcards(policy, 'STUDIO_HUMAN_ACCESS_LISTING');
      this.createdAccessPolicy = policy;
    }
    return this.createdAccessPolicy;
  }

  /**
   * Lets an IAM role or group open Studio as this profile, by attaching `accessPolicy` to it. IAM users
   * are refused: give them the permission through a group (compliance packs flag policies on users).
   */
  public grantPresignedUrl(principal: iam.IPrincipal): void {
    const identity = principal as unknown as { roleName?: string; userName?: string; groupName?: string };
    if (identity.roleName !== undefined) {
      this.accessPolicy.attachToRole(principal as unknown as iam.IRole);
    } else if (identity.userName !== undefined) {
      // HIPAA, NIST 800-53 and PCI DSS (IAMUserNoPolicies) want users to get permissions through groups
      throw new Error(`UserProfile '${this.node.path}': grantPresignedUrl does not attach policies to IAM user ${principal.toString()}; `
        + 'pass an IAM group the user belongs to, or a role the person assumes');
    } else if (identity.groupName !== undefined) {
      this.accessPolicy.attachToGroup(principal as unknown as iam.IGroup);
    } else {
      throw new Error(`UserProfile '${this.node.path}': grantPresignedUrl needs an IAM role or group, got ${principal.toString()}; `
        + 'attach accessPolicy yourself for other principals (for example an IAM Identity Center permission set)');
    }
  }
}

/** Tag keys the profile writes on everything it creates. */
const OWNER_EMAIL_TAG_KEY = 'sagemaker-platform:owner-email';

/**
 * A Studio user profile that is isolated from every other user of the domain:
 *
 * - its own execution role, with a policy that lets it work only in its own private spaces and apps
 *   (and the shared spaces it is allowed), create jobs only within the domain's job guardrails and
 *   tagged as its own, manage only its own jobs, pass only itself and only to SageMaker, and reach only
 *   its prefix of the platform buckets; explicit denies keep it out of other domains, other users'
 *   spaces, apps and tags, and domain or profile administration;
 * - its own security group: Jupyter-to-kernel ports (8192-65535) only within itself, NFS to the
 *   domain's home EFS, HTTPS to the VPC endpoints;
 * - owner tags (`sagemaker-platform:owner`) on the profile and everything created for it;
 * - optionally a private space, and an access policy for the person behind the profile.
 *
 * @example
 * const alice = new UserProfile(this, 'Alice', { domain, userProfileName: 'alice', humanPrincipal: aliceRole });
 */
export class UserProfile extends UserProfileBase {
  /** Imports an existing user profile. */
  public static fromUserProfileAttributes(scope: Construct, id: string, attrs: UserProfileAttributes): IUserProfile {
    class Import extends UserProfileBase {
      public readonly userProfileName = attrs.userProfileName;
      public readonly domain = attrs.domain;
      public readonly userProfileArn = Stack.of(scope).formatArn({
        service: 'sagemaker',
        resource: 'user-profile',
        resourceName: `${attrs.domain.domainId}/${attrs.userProfileName}`,
      });
    }
    return new Import(scope, id);
  }

  public readonly userProfileName: string;
  public readonly userProfileArn: string;
  public readonly domain: IStudioDomain;

  /** The user's own execution role: every app and job of the user runs as it. */
  public readonly role: iam.IRole;

  /** The user's own security group, attached to the user's apps with the domain's. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /**
   * The user-specific Studio policy of the execution role: spaces, apps, tags, `iam:PassRole`, data,
   * and describing, stopping and tagging (on creation) the user's own jobs.
   */
  public readonly executionPolicy: iam.ManagedPolicy;

  /** The user-specific job policy of the execution role: create the user's own jobs within the domain's job guardrails. */
  public readonly jobsPolicy: iam.ManagedPolicy;

  /** The user's private space, unless `privateSpace: false`. */
  public readonly privateSpace?: Space;

  /** The key prefix of the user's objects in the platform buckets. */
  public readonly dataPrefix: string;

  private readonly resource: sagemaker.CfnUserProfile;

  constructor(scope: Construct, id: string, props: UserProfileProps) {
    const nfsPeer = validateUserProfileProps(scope, id, props);
    super(scope, id, { physicalName: props.userProfileName });
    this.domain = props.domain;
    this.userProfileName = props.userProfileName;
    this.presignedUrlEndpoint = props.presignedUrlEndpoint;
    this.dataPrefix = props.dataPrefix ?? `users/${props.userProfileName}/`;
    const stack = Stack.of(this);

    Tags.of(this).add(SageMakerPolicies.OWNER_TAG_KEY, this.userProfileName);
    if (props.ownerEmail) Tags.of(this).add(OWNER_EMAIL_TAG_KEY, props.ownerEmail);
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);

    // the developer guide asks for a distinct security group per user profile that admits only itself:
    // a domain-wide self-referencing group would connect every user's apps
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.domain.network.vpc,
      description: `Studio apps of user profile ${this.userProfileName}: Jupyter-to-kernel ports within itself, NFS to the home EFS`,
      allowAllOutbound: false,
    });
    sg.addIngressRule(sg, ec2.Port.tcpRange(8192, 65535), 'JupyterLab server to kernel gateway, within the user\'s own apps');
    sg.addEgressRule(sg, ec2.Port.tcpRange(8192, 65535), 'JupyterLab server to kernel gateway, within the user\'s own apps');
    sg.addEgressRule(nfsPeer, ec2.Port.tcp(2049), 'NFS to the home EFS of the domain (mount targets in the domain subnets)');
    this.domain.network.allowEndpointAccessFrom(sg);
    this.securityGroup = sg;

    const role = new iam.Role(this, 'ExecutionRole', {
      description: `Execution role of SageMaker Studio user profile ${this.userProfileName}`,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    // ExecutionRoleIdentityConfig USER_PROFILE_NAME: SageMaker sets the profile name as source identity
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({
      actions: ['sts:SetSourceIdentity'],
      principals: [new iam.ServicePrincipal('sagemaker.amazonaws.com')],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    this.role = role;

    const resource = new sagemaker.CfnUserProfile(this, 'Resource', {
      domainId: this.domain.domainId,
      userProfileName: this.userProfileName,
      userSettings: {
        executionRole: role.roleArn,
        securityGroups: [sg.securityGroupId],
      },
    });
    resource.applyRemovalPolicy(domainRemovalPolicy(this.domain));
    this.resource = resource;
    this.userProfileArn = resource.attrUserProfileArn;

    const guardrails = new JobGuardrails(this.domain.jobGuardrails);
    for (const shared of sharedPolicies(this, this.domain, guardrails)) shared.attachToRole(role);
    [this.executionPolicy, this.jobsPolicy] = this.createExecutionPolicies(props, guardrails);

    if (props.privateSpace ?? true) {
      const space = new Space(this, 'PrivateSpace', {
        ...props.privateSpaceOptions,
        domain: this.domain,
        spaceName: props.privateSpaceName ?? `${this.userProfileName}-private`,
        ownerUserProfileName: this.userProfileName,
      });
      // the owner must exist before CloudFormation creates the space
      space.node.addDependency(resource);
      this.privateSpace = space;
    }

    if (props.humanPrincipal) this.grantPresignedUrl(props.humanPrincipal);
  }

  /** The L1 user profile. */
  public get cfnUserProfile(): sagemaker.CfnUserProfile {
    return this.resource;
  }

  private createExecutionPolicies(props: UserProfileProps, guardrails: JobGuardrails): [iam.ManagedPolicy, iam.ManagedPolicy] {
    const owner = { [SageMakerPolicies.OWNER_TAG_KEY]: this.userProfileName };
    // two policies: one managed policy holds at most 6,144 characters. Job creation has a policy of its
    // own: it grows by two statements when the allowlist names instance types with local NVMe storage
    const studio = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: `Studio user profile ${this.userProfileName}: own spaces, apps and data only`,
      roles: [this.role],
      statements: [
        ...SageMakerPolicies.userExecution({
          domainId: this.domain.domainId,
          userProfileArn: this.userProfileArn,
          owner: this.userProfileName,
          allowedSharedSpaces: (props.allowedSharedSpaces ?? []).map((s) => s.spaceName),
          instanceTypes: props.instanceTypes ?? this.domain.appInstanceTypes,
        }),
        SageMakerPolicies.passRole([this.role]),
        ...dataStatements(props.dataBuckets ?? [], this.dataPrefix),
        guardrails.allowJobManagement({ tags: owner }),
        guardrails.allowTaggingOnCreate({ tags: owner }),
      ],
    });
    acknowledgeWildcards(studio, 'STUDIO_USER_RESOURCE_NAMES');
    const jobs = new iam.ManagedPolicy(this, 'JobsPolicy', {
      description: `Studio user profile ${this.userProfileName}: own jobs, within the domain's job guardrails`,
      roles: [this.role],
      statements: guardrails.allowJobCreation({ tags: owner }),
    });
    acknowledgeWildcards(jobs, 'STUDIO_USER_RESOURCE_NAMES');
    checkPolicySizes(this, [studio, jobs]);
    return [studio, jobs];
  }
}

/** S3 under the user's prefix only, and the buckets' keys only through S3. */
function dataStatements(buckets: s3.IBucket[], prefix: string): iam.PolicyStatement[] {
  if (buckets.length === 0) return [];
  const statements = [
    new iam.PolicyStatement({
      sid: 'OwnDataObjects',
      effect: iam.Effect.ALLOW,
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      resources: buckets.map((b) => b.arnForObjects(`${prefix}*`)),
    }),
    new iam.PolicyStatement({
      sid: 'ListOwnDataPrefix',
      effect: iam.Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: buckets.map((b) => b.bucketArn),
      conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
    }),
  ];
  const keys = [...new Set(buckets.filter((b) => b.encryptionKey).map((b) => b.encryptionKey!.keyArn))];
  if (keys.length > 0) {
    statements.push(new iam.PolicyStatement({
      sid: 'DataKeysThroughS3',
      effect: iam.Effect.ALLOW,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: keys,
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(buckets[0]).region}.amazonaws.com` } },
    }));
  }
  return statements;
}

/**
 * The policies every user role of a domain shares, once per stack: the guardrails (explicit denies of
 * non-compliant jobs, of other domains' resources and of Studio administration) and the run-time
 * permissions of Studio and jobs. Sharing them keeps each user's own policy small.
 */
function sharedPolicies(scope: IConstruct, domain: IStudioDomain, guardrails: JobGuardrails): iam.ManagedPolicy[] {
  const stack = Stack.of(scope);
  const id = `StudioUserPolicies${Names.nodeUniqueId(domain.node)}`;
  const existing = stack.node.tryFindChild(id);
  if (existing) {
    return ['JobGuardrails', 'DomainIsolation', 'Runtime'].map((child) => existing.node.findChild(child) as iam.ManagedPolicy);
  }
  const container = new Construct(stack, id);
  const jobGuardrails = new iam.ManagedPolicy(container, 'JobGuardrails', {
    description: `Job guardrails of every Studio user of ${domain.node.path}: no job outside the platform subnets, keys and instance types`,
    statements: guardrails.denyNonCompliantJobs(),
  });
  const isolation = new iam.ManagedPolicy(container, 'DomainIsolation', {
    description: `Domain isolation of every Studio user of ${domain.node.path}: this domain only, no administration`,
    statements: [
      ...SageMakerPolicies.domainResourceIsolation(domain.domainArn, domain.domainId),
      SageMakerPolicies.denyStudioAdministration(),
    ],
  });
  const runtime = new iam.ManagedPolicy(container, 'Runtime', {
    description: `What every Studio user of ${domain.node.path} and their jobs need at run time`,
    statements: [
      ...SageMakerPolicies.studioDomainAccess({ domainArn: domain.domainArn, domainId: domain.domainId }),
      guardrails.allowJobListing(),
      ...SageMakerPolicies.jobExecution({
        guardrails: domain.jobGuardrails,
        vpc: domain.network.vpc,
        additionalKeys: [domain.storageKey],
      }),
    ],
  });
  acknowledgeWildcards(runtime, 'STUDIO_USER_RUNTIME_WILDCARDS');
  const policies = [jobGuardrails, isolation, runtime];
  checkPolicySizes(scope, policies);
  return policies;
}

/** Fails at synth, instead of at deployment, when a policy would exceed the managed-policy size quota. */
function checkPolicySizes(scope: IConstruct, policies: iam.ManagedPolicy[]): void {
  for (const policy of policies) {
    const size = estimatePolicySize(policy);
    if (size > MANAGED_POLICY_MAX_CHARS) {
      throw new Error(`UserProfile '${scope.node.path}': the managed policy ${policy.node.path} would have about ${size} characters, `
        + `over the ${MANAGED_POLICY_MAX_CHARS} IAM allows; shorten the instance-type allowlists (use patterns such as 'ml.m5.*') `
        + 'or the lists of subnets, security groups, shared spaces and buckets');
    }
  }
}

/** Acknowledges AwsSolutions-IAM5 for exactly the wildcards the policy's allow statements name. */
function acknowledgeWildcards(policy: iam.ManagedPolicy, name: AcknowledgmentName): void {
  const details = policyWildcardFindings(policy);
  if (details.length > 0) acknowledge(policy, name, details);
}

function domainRemovalPolicy(domain: IStudioDomain): RemovalPolicy {
  const policy = (domain as { removalPolicy?: RemovalPolicy }).removalPolicy;
  return policy ?? RemovalPolicy.RETAIN;
}

const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates the props and returns the peer of the NFS rule (the VPC's CIDR block). */
function validateUserProfileProps(scope: Construct, id: string, props: UserProfileProps): ec2.IPeer {
  const v = PropsValidator.forNew('UserProfile', scope, id);
  v.pattern('userProfileName', props.userProfileName, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);
  validateJobGuardrails(v, 'domain.jobGuardrails', props.domain.jobGuardrails);
  validateInstanceTypes(v, 'instanceTypes', props.instanceTypes);

  if (props.privateSpace === false && (props.privateSpaceName !== undefined || props.privateSpaceOptions !== undefined)) {
    v.error('privateSpaceName and privateSpaceOptions apply only to a private space; remove them or drop privateSpace: false');
  }
  if ((props.privateSpace ?? true) && props.privateSpaceName === undefined && !Token.isUnresolved(props.userProfileName)
    && `${props.userProfileName}-private`.length > STUDIO_NAME.maxLength) {
    v.error(`privateSpaceName is required when userProfileName is longer than ${STUDIO_NAME.maxLength - '-private'.length} characters `
      + `(the default '<name>-private' would exceed ${STUDIO_NAME.maxLength}), got a name of ${props.userProfileName.length} characters`);
  }
  v.pattern('privateSpaceName', props.privateSpaceName, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);

  v.pattern('ownerEmail', props.ownerEmail, EMAIL, 'an e-mail address such as alice@example.com', 256);
  for (const [key, value] of Object.entries(props.tags ?? {})) {
    if (Token.isUnresolved(key)) continue;
    v.pattern(`tags key '${key}'`, key, TAG_KEY, "1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'", 128);
    if (key === SageMakerPolicies.OWNER_TAG_KEY || key === OWNER_EMAIL_TAG_KEY) {
      v.error(`tags must not set the reserved key '${key}' (the profile writes it), got '${value}'`);
    }
    v.pattern(`tags['${key}']`, value, TAG_VALUE, 'at most 256 letters, digits, spaces and _.:/=+-@', 256);
  }

  if (props.dataPrefix !== undefined && !Token.isUnresolved(props.dataPrefix)) {
    v.check(/^[^*?\s][^*?]*\/$/.test(props.dataPrefix) && !props.dataPrefix.startsWith('/'),
      `dataPrefix must be a key prefix ending with '/' without wildcards or a leading '/', got '${props.dataPrefix}'`);
  }
  (props.allowedSharedSpaces ?? []).forEach((space, i) => {
    if (space.domain !== props.domain && space.domain.domainId !== props.domain.domainId) {
      v.error(`allowedSharedSpaces[${i}] ('${space.spaceName}') belongs to another domain (${space.domain.node.path}), not ${props.domain.node.path}`);
    }
    const owner = (space as { ownerUserProfileName?: string }).ownerUserProfileName;
    if (owner !== undefined) {
      v.error(`allowedSharedSpaces[${i}] ('${space.spaceName}') is the private space of '${owner}', not a shared space`);
    }
  });

  let nfsPeer: ec2.IPeer = ec2.Peer.anyIpv4();
  try {
    nfsPeer = ec2.Peer.ipv4(props.domain.network.vpc.vpcCidrBlock);
  } catch {
    v.error(`domain.network.vpc (${props.domain.network.vpc.vpcId}) has no CIDR block, which the NFS rule to the home EFS needs: `
      + 'import the VPC with vpcCidrBlock');
  }
  v.throwIfInvalid();
  return nfsPeer;
}
