import { Duration, IResource, Lazy, Names, RemovalPolicy, Resource, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IDependable } from 'constructs';
import { InterfaceEndpointService, IPlatformNetwork } from '../network';
import { DomainTeardown } from './domain-teardown';
import { IStudioLifecycleConfig, StudioAppType, StudioLifecycleConfig } from './lifecycle-config';
import { SageMakerProjects } from './projects';
import { Space, SpaceOptions } from './space';
import { UserProfile, UserProfileOptions } from './user-profile';
import { validateInstanceTypes } from '../private/job-guardrails-validation';
import { EBS_VOLUME_GIB, IDLE_TIMEOUT_MINUTES, MIN_DOMAIN_SUBNETS, STUDIO_NAME } from '../private/studio-rules';
import { PropsValidator } from '../private/validation';
import { JobGuardrailsOptions } from '../security/job-guardrails';
import { SageMakerPolicies } from '../security/sagemaker-policies';

/**
 * How people sign in to the domain.
 */
export enum StudioAuthMode {
  /** IAM: a user gets a presigned URL for their own profile (`CreatePresignedDomainUrl`). */
  IAM = 'IAM',
  /** IAM Identity Center (the CloudFormation value `SSO`). */
  IAM_IDENTITY_CENTER = 'SSO',
}

/**
 * A SageMaker Studio domain.
 */
export interface IStudioDomain extends IResource {
  /**
   * The domain ID (`d-...`).
   * @attribute
   */
  readonly domainId: string;

  /**
   * The domain ARN.
   * @attribute
   */
  readonly domainArn: string;

  /** The domain name. */
  readonly domainName: string;

  /** The network the domain's apps run in. */
  readonly network: IPlatformNetwork;

  /** KMS key of the home EFS and the apps' EBS volumes. */
  readonly storageKey: kms.IKey;

  /**
   * ID of the home EFS file system that SageMaker creates.
   * @attribute
   */
  readonly homeEfsFileSystemId: string;

  /** Job guardrails every user role gets (subnets, security groups, keys, instance allowlist). */
  readonly jobGuardrails: JobGuardrailsOptions;

  /**
   * The domain's security group: attached to every app of the domain (SageMaker aggregates it with a
   * user's own groups). It reaches only the VPC endpoints; it admits nothing.
   */
  readonly securityGroup: ec2.ISecurityGroup;

  /**
   * Instance types Studio apps may run on (cost control), enforced in the user roles with
   * `sagemaker:InstanceTypes` on `CreateApp`.
   *
   * @default - no allowlist beyond the service's own
   */
  readonly appInstanceTypes?: string[];
}

/**
 * Notebook sharing: where shared notebook snapshots (with their cell output) are stored.
 */
export interface NotebookSharingOptions {
  /** The bucket for shared notebook snapshots. */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix of the snapshots.
   *
   * @default 'shared-notebooks/'
   */
  readonly prefix?: string;

  /** The KMS key that encrypts the snapshots. */
  readonly encryptionKey: kms.IKey;
}

/**
 * Properties of a {@link StudioDomain}.
 */
export interface StudioDomainProps {
  /** The VPC-only network the apps run in (at least two subnets). */
  readonly network: IPlatformNetwork;

  /** Customer-managed key of the home EFS and the apps' EBS volumes (`PlatformKeys.studioKey`). */
  readonly storageKey: kms.IKey;

  /**
   * The domain name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit.
   * Changing it replaces the domain (see `removalPolicy`).
   *
   * @default - a name derived from the stack name and construct path, with a hash
   */
  readonly domainName?: string;

  /**
   * How people sign in.
   *
   * @default StudioAuthMode.IAM
   */
  readonly authMode?: StudioAuthMode;

  /**
   * Shut down idle JupyterLab and Code Editor apps.
   *
   * @default true
   */
  readonly idleShutdown?: boolean;

  /**
   * How long an app may be idle before it is shut down (60 minutes to 365 days, whole minutes).
   *
   * @default Duration.minutes(60)
   */
  readonly idleTimeout?: Duration;

  /**
   * The longest idle timeout a user may choose for their own apps (60 minutes to 365 days, at least `idleTimeout`).
   *
   * @default - `idleTimeout`: users cannot lengthen it
   */
  readonly maxIdleTimeout?: Duration;

  /**
   * Default EBS volume size of a space (5-16384 GiB, whole GiB).
   *
   * @default Size.gibibytes(5)
   */
  readonly defaultEbsVolumeSize?: Size;

  /**
   * Largest EBS volume size a user may choose for a space (5-16384 GiB, whole GiB, at least `defaultEbsVolumeSize`).
   *
   * @default Size.gibibytes(100)
   */
  readonly maximumEbsVolumeSize?: Size;

  /**
   * Let users share notebooks with their cell output, stored encrypted in this location.
   *
   * @default - sharing notebooks with their output is disabled
   */
  readonly notebookSharing?: NotebookSharingOptions;

  /**
   * Instance types Studio apps may run on (cost control). Exposed as `appInstanceTypes` and enforced
   * in the user roles (`sagemaker:InstanceTypes` on `CreateApp`); the domain has no field that
   * restricts them (its `HiddenInstanceTypes` only hides types in the UI).
   *
   * @default - any instance type the service offers
   */
  readonly appInstanceTypes?: string[];

  /**
   * Key of the storage volumes and S3 outputs of the jobs, models and endpoints started from Studio
   * (`PlatformKeys.dataKey`): the job guardrails require it and the SDK defaults use it. It must be
   * usable through S3, SageMaker and EBS, which the Studio storage key usually is not.
   */
  readonly jobKey: kms.IKey;

  /**
   * Instance types that training, processing, tuning, transform and AutoML jobs started from Studio
   * may use (exact, or with a wildcard such as `ml.m5.*`).
   *
   * @default - JobGuardrails.DEFAULT_INSTANCE_TYPES (general purpose, compute and memory optimized CPU families)
   */
  readonly jobInstanceTypes?: string[];

  /**
   * Attach a default lifecycle configuration to JupyterLab and Code Editor that writes the SageMaker
   * Python SDK defaults (subnets, security groups, KMS keys, inter-container traffic encryption) so
   * jobs started from notebooks comply with the job guardrails without extra arguments.
   *
   * @default true
   */
  readonly sdkDefaults?: boolean;

  /**
   * Also create the `aws.sagemaker.<region>.studio` interface endpoint, so that browsers inside the
   * network (VPN, Direct Connect) open Studio without the internet. Apps do not need it.
   *
   * @default false
   */
  readonly studioUiEndpoint?: boolean;

  /**
   * What happens to the domain, its user profiles and spaces (whose EBS volumes hold the users'
   * work) when they leave the stack or are replaced. `RemovalPolicy.DESTROY` is the explicit opt-in
   * to delete them: a teardown custom resource then deletes the apps and the spaces first, as the
   * service requires, and afterwards the NFS security groups SageMaker created. The home EFS is kept
   * in both cases unless `deleteHomeFileSystemOnDelete` is also set.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * DATA LOSS opt-in: when the domain is deleted (only with `removalPolicy: RemovalPolicy.DESTROY`),
   * also delete the home EFS file system that SageMaker created, with every user's home directory.
   *
   * @default false - the home EFS file system is kept
   */
  readonly deleteHomeFileSystemOnDelete?: boolean;

  /**
   * Key of the log groups of the domain's custom resources (teardown, Projects), such as `PlatformKeys.logsKey`.
   *
   * @default - the stack's shared custom-resource logs key
   */
  readonly customResourceLogsKey?: kms.IKey;

  /**
   * Enable SageMaker Projects (the Service Catalog portfolio of SageMaker templates) for the
   * account and associate the execution roles of the domain with it.
   *
   * @default false
   */
  readonly enableProjects?: boolean;
}

/**
 * Attributes of an existing domain.
 */
export interface StudioDomainAttributes {
  /** The domain ID (`d-...`). */
  readonly domainId: string;

  /** The domain name. */
  readonly domainName: string;

  /** The network the domain's apps run in. */
  readonly network: IPlatformNetwork;

  /** KMS key of the home EFS and the apps' EBS volumes. */
  readonly storageKey: kms.IKey;

  /** ID of the home EFS file system. */
  readonly homeEfsFileSystemId: string;

  /** The domain's security group. */
  readonly securityGroup: ec2.ISecurityGroup;

  /** Job guardrails of the domain's user roles. */
  readonly jobGuardrails: JobGuardrailsOptions;

  /**
   * Instance types Studio apps may run on.
   *
   * @default - no allowlist
   */
  readonly appInstanceTypes?: string[];
}

/**
 * The AWS services a VpcOnly domain's apps call: the developer guide requires the SageMaker API and
 * runtime endpoints in VPC-only mode; STS (the SDK's credential calls), CloudWatch Logs (app and job
 * logs) and ECR (the Studio and job images) are what the apps and the jobs they start call next.
 */
const STUDIO_ENDPOINTS = [
  InterfaceEndpointService.SAGEMAKER_API,
  InterfaceEndpointService.SAGEMAKER_RUNTIME,
  InterfaceEndpointService.STS,
  InterfaceEndpointService.LOGS,
  InterfaceEndpointService.ECR_API,
  InterfaceEndpointService.ECR_DKR,
];

const EBS_DEFAULT_GIB = 5;
const EBS_MAX_DEFAULT_GIB = 100;
const IDLE_DEFAULT_MINUTES = 60;

/**
 * Shared behaviour of created and imported domains.
 */
export abstract class StudioDomainBase extends Resource implements IStudioDomain {
  public abstract readonly domainId: string;
  public abstract readonly domainArn: string;
  public abstract readonly domainName: string;
  public abstract readonly network: IPlatformNetwork;
  public abstract readonly storageKey: kms.IKey;
  public abstract readonly homeEfsFileSystemId: string;
  public abstract readonly securityGroup: ec2.ISecurityGroup;
  public abstract readonly jobGuardrails: JobGuardrailsOptions;
  public abstract readonly appInstanceTypes?: string[];

  /** Lets the grantee read the domain's settings (`DescribeDomain`). */
  public grantDescribe(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:DescribeDomain'], resourceArns: [this.domainArn] });
  }
}

/**
 * A VPC-only SageMaker Studio domain: apps run only in the platform's isolated subnets and reach
 * AWS through VPC endpoints; the home EFS and the EBS volumes are encrypted with the platform's key;
 * work runs as each user's own role with the user profile name as source identity
 * (`ExecutionRoleIdentityConfig: USER_PROFILE_NAME`); Docker access is off; idle apps shut down;
 * sharing notebooks with their output is off unless given an encrypted location; tags propagate to
 * the resources Studio creates. The domain, profiles and spaces are retained by default.
 *
 * @example
 * const domain = new StudioDomain(this, 'Studio', { network, storageKey: keys.studioKey, jobKey: keys.dataKey });
 * domain.addUserProfile('alice');
 * domain.addSharedSpace('team-fraud');
 */
export class StudioDomain extends StudioDomainBase {
  /** Imports an existing domain. */
  public static fromDomainAttributes(scope: Construct, id: string, attrs: StudioDomainAttributes): IStudioDomain {
    class Import extends StudioDomainBase {
      public readonly domainId = attrs.domainId;
      public readonly domainName = attrs.domainName;
      public readonly domainArn = Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'domain', resourceName: attrs.domainId });
      public readonly network = attrs.network;
      public readonly storageKey = attrs.storageKey;
      public readonly homeEfsFileSystemId = attrs.homeEfsFileSystemId;
      public readonly securityGroup = attrs.securityGroup;
      public readonly jobGuardrails = attrs.jobGuardrails;
      public readonly appInstanceTypes = attrs.appInstanceTypes;
    }
    return new Import(scope, id);
  }

  public readonly domainId: string;
  public readonly domainArn: string;
  public readonly domainName: string;
  public readonly network: IPlatformNetwork;
  public readonly storageKey: kms.IKey;
  public readonly homeEfsFileSystemId: string;
  public readonly securityGroup: ec2.ISecurityGroup;
  public readonly jobGuardrails: JobGuardrailsOptions;
  public readonly appInstanceTypes?: string[];

  /** The Studio URL of the domain. */
  public readonly url: string;

  /**
   * The execution role the service requires as the domain default, also the role of shared spaces.
   * It grants nothing: every user profile has its own role; grant a team's data to it for shared spaces.
   */
  public readonly defaultExecutionRole: iam.IRole;

  /** The domain resource-isolation policy (explicit denies) attached to `defaultExecutionRole`. */
  public readonly defaultExecutionGuardrails: iam.ManagedPolicy;

  /** Security group of the jobs, models and endpoints started from Studio (the job guardrails require it). */
  public readonly jobSecurityGroup: ec2.ISecurityGroup;

  /** The removal policy of the domain, its user profiles and spaces. */
  public readonly removalPolicy: RemovalPolicy;

  /** The SDK defaults lifecycle configurations (JupyterLab, Code Editor), unless `sdkDefaults: false`. */
  public readonly sdkDefaultsLifecycleConfigs: IStudioLifecycleConfig[];

  /** The teardown custom resources, when `removalPolicy` is `RemovalPolicy.DESTROY`. */
  public readonly teardown?: DomainTeardown;

  /** The SageMaker Projects enabler, when `enableProjects` is set. */
  public readonly projects?: SageMakerProjects;

  private readonly resource: sagemaker.CfnDomain;
  private readonly userProfiles = new Map<string, UserProfile>();
  private readonly lifecycleConfigs: { [appType: string]: { arns: string[]; default?: string } } = {};

  constructor(scope: Construct, id: string, props: StudioDomainProps) {
    validateStudioDomainProps(scope, id, props);
    super(scope, id, { physicalName: props.domainName });

    this.network = props.network;
    this.storageKey = props.storageKey;
    this.appInstanceTypes = props.appInstanceTypes ? [...props.appInstanceTypes] : undefined;
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.network.addInterfaceEndpoints(...STUDIO_ENDPOINTS);
    if (props.studioUiEndpoint) this.network.addInterfaceEndpoints(InterfaceEndpointService.SAGEMAKER_STUDIO);

    // attached to every app of the domain (SageMaker aggregates it with the user's own groups), so it
    // must never admit traffic: a rule here would connect the apps of different users
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.network.vpc,
      description: 'Studio domain apps: reach the VPC endpoints only, admit nothing',
      allowAllOutbound: false,
    });
    this.network.allowEndpointAccessFrom(sg);
    allowS3Gateway(sg);
    this.securityGroup = sg;

    const jobSg = new ec2.SecurityGroup(this, 'JobSecurityGroup', {
      vpc: this.network.vpc,
      description: 'Jobs started from Studio: distributed-training traffic among themselves, the VPC endpoints',
      allowAllOutbound: false,
    });
    // distributed training and processing nodes talk to each other (inter-container traffic is encrypted)
    jobSg.addIngressRule(jobSg, ec2.Port.allTcp(), 'Nodes of the same distributed job');
    jobSg.addEgressRule(jobSg, ec2.Port.allTcp(), 'Nodes of the same distributed job');
    this.network.allowEndpointAccessFrom(jobSg);
    allowS3Gateway(jobSg);
    this.jobSecurityGroup = jobSg;
    this.jobGuardrails = {
      subnets: this.network.subnets,
      securityGroups: [jobSg],
      volumeKey: props.jobKey,
      outputKey: props.jobKey,
      instanceTypes: props.jobInstanceTypes ? [...props.jobInstanceTypes] : undefined,
    };

    this.defaultExecutionRole = new iam.Role(this, 'DefaultExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Default execution role of the Studio domain and role of its shared spaces; grants nothing by itself',
    });

    this.sdkDefaultsLifecycleConfigs = [];
    if (props.sdkDefaults ?? true) {
      for (const appType of [StudioAppType.JUPYTER_LAB, StudioAppType.CODE_EDITOR]) {
        const lcc = StudioLifecycleConfig.sdkDefaults(this, `SdkDefaults${appType}`, { appType, guardrails: this.jobGuardrails });
        this.addLifecycleConfig(lcc, { isDefault: true });
        this.sdkDefaultsLifecycleConfigs.push(lcc);
      }
    }

    const domainName = props.domainName ?? defaultDomainName(this);
    const idle = lifecycleManagement(props);
    const storage = storageSettings(props);
    const resource = new sagemaker.CfnDomain(this, 'Resource', {
      domainName,
      authMode: props.authMode ?? StudioAuthMode.IAM,
      appNetworkAccessType: 'VpcOnly',
      vpcId: this.network.vpc.vpcId,
      subnetIds: this.network.subnetIds,
      kmsKeyId: this.storageKey.keyArn,
      tagPropagation: 'ENABLED',
      domainSettings: {
        executionRoleIdentityConfig: 'USER_PROFILE_NAME',
        dockerSettings: { enableDockerAccess: 'DISABLED' },
        securityGroupIds: [sg.securityGroupId],
      },
      defaultUserSettings: {
        executionRole: this.defaultExecutionRole.roleArn,
        securityGroups: [sg.securityGroupId],
        sharingSettings: sharingSettings(props.notebookSharing),
        spaceStorageSettings: storage,
        jupyterLabAppSettings: {
          appLifecycleManagement: idle,
          lifecycleConfigArns: this.lazyLifecycleArns(StudioAppType.JUPYTER_LAB),
          defaultResourceSpec: this.lazyResourceSpec(StudioAppType.JUPYTER_LAB),
        },
        codeEditorAppSettings: {
          appLifecycleManagement: idle,
          lifecycleConfigArns: this.lazyLifecycleArns(StudioAppType.CODE_EDITOR),
          defaultResourceSpec: this.lazyResourceSpec(StudioAppType.CODE_EDITOR),
        },
      },
      defaultSpaceSettings: {
        executionRole: this.defaultExecutionRole.roleArn,
        securityGroups: [sg.securityGroupId],
        spaceStorageSettings: storage,
        jupyterLabAppSettings: {
          appLifecycleManagement: idle,
          lifecycleConfigArns: this.lazyLifecycleArns(StudioAppType.JUPYTER_LAB),
          defaultResourceSpec: this.lazyResourceSpec(StudioAppType.JUPYTER_LAB),
        },
      },
    });
    resource.applyRemovalPolicy(this.removalPolicy);
    this.resource = resource;

    this.domainId = resource.attrDomainId;
    this.domainArn = resource.attrDomainArn;

    // the developer guide's domain resource isolation, on every role of the domain; with the deny of
    // Studio administration it holds whatever a team later grants to the role
    if (this.removalPolicy === RemovalPolicy.DESTROY) {
      // apps and unmanaged spaces go before the domain, profiles and spaces; NFS groups (and, on
      // opt-in, the home EFS) after it
      this.teardown = new DomainTeardown(this, 'Teardown', {
        domain: resource,
        homeFileSystemRemovalPolicy: props.deleteHomeFileSystemOnDelete ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
        logKey: props.customResourceLogsKey,
      });
    }
    if (props.enableProjects) {
      this.projects = new SageMakerProjects(this, 'Projects', {
        network: this.network,
        logKey: props.customResourceLogsKey,
        executionRoles: [this.defaultExecutionRole],
      });
    }

    this.defaultExecutionGuardrails = new iam.ManagedPolicy(this, 'DefaultExecutionGuardrails', {
      description: `Guardrails of the default execution role of ${this.node.path}: this domain only, no Studio administration`,
      roles: [this.defaultExecutionRole],
      statements: [
        ...SageMakerPolicies.domainResourceIsolation(this.domainArn, this.domainId),
        SageMakerPolicies.denyStudioAdministration(),
      ],
    });
    this.domainName = domainName;
    this.homeEfsFileSystemId = resource.attrHomeEfsFileSystemId;
    this.url = resource.attrUrl;
  }

  /**
   * Makes a lifecycle configuration available to the domain's apps of its type; with `isDefault`
   * it also runs by default when an app starts (the domain's `DefaultResourceSpec.LifecycleConfigArn`).
   * One default per app type: a later default replaces an earlier one.
   */
  public addLifecycleConfig(config: IStudioLifecycleConfig, options: AddLifecycleConfigOptions = {}): void {
    const entry = this.lifecycleConfigs[config.appType] ?? (this.lifecycleConfigs[config.appType] = { arns: [] });
    if (!entry.arns.includes(config.lifecycleConfigArn)) entry.arns.push(config.lifecycleConfigArn);
    if (options.isDefault) entry.default = config.lifecycleConfigArn;
  }

  /**
   * Adds a user profile: its own execution role and security group, owner tags, and (by default) a
   * private space. The name must match SageMaker's pattern and be unique in the domain.
   */
  public addUserProfile(name: string, options: UserProfileOptions = {}): UserProfile {
    const v = new PropsValidator('StudioDomain', this.node.path);
    v.pattern('addUserProfile name', name, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);
    if (Token.isUnresolved(name)) {
      v.error('addUserProfile name must be a literal, it names the construct (UserProfile-<name>); '
        + `for a deploy-time name create new UserProfile(...) with its own construct ID, got the token ${name}`);
    } else {
      const clash = [...this.userProfiles.keys()].find((existing) => existing.toLowerCase() === name.toLowerCase());
      if (clash !== undefined) {
        v.error(`addUserProfile name must be unique in the domain (compared without case), got '${name}', already added as '${clash}'`);
      }
    }
    v.throwIfInvalid();
    const profile = new UserProfile(this, `UserProfile-${name}`, { ...options, domain: this, userProfileName: name });
    this.userProfiles.set(name, profile);
    this._registerDomainChild(profile.cfnUserProfile);
    this.projects?.addExecutionRole(profile.role);
    return profile;
  }

  /** The user profiles added with `addUserProfile`, in order. */
  public get userProfileList(): UserProfile[] {
    return [...this.userProfiles.values()];
  }

  /** Adds a shared space for a team: every user of the domain can open it; it runs as `defaultExecutionRole`. */
  public addSharedSpace(name: string, options: SpaceOptions = {}): Space {
    return new Space(this, `SharedSpace-${name}`, { ...options, domain: this, spaceName: name });
  }

  /**
   * Registers a user profile or space of this domain: with `RemovalPolicy.DESTROY`, the teardown then
   * runs before CloudFormation deletes it. Spaces register themselves.
   *
   * @internal
   */
  public _registerDomainChild(child: IDependable): void {
    this.teardown?.runBeforeDeletionOf(child);
  }

  /** @internal the L1 resource, for sibling constructs of the studio module */
  public get _cfnDomain(): sagemaker.CfnDomain {
    return this.resource;
  }

  private lazyLifecycleArns(appType: StudioAppType): string[] {
    return Lazy.list({ produce: () => this.lifecycleConfigs[appType]?.arns }, { omitEmpty: true });
  }

  private lazyResourceSpec(appType: StudioAppType): sagemaker.CfnDomain.ResourceSpecProperty {
    return Lazy.any({
      produce: () => {
        const lcc = this.lifecycleConfigs[appType]?.default;
        const instanceType = this.appInstanceTypes?.[0];
        if (!lcc && !instanceType) return undefined;
        return { lifecycleConfigArn: lcc, instanceType };
      },
    }) as sagemaker.CfnDomain.ResourceSpecProperty;
  }
}

/**
 * Options of {@link StudioDomain.addLifecycleConfig}.
 */
export interface AddLifecycleConfigOptions {
  /**
   * Run the configuration by default when an app of its type starts.
   *
   * @default false - users can choose it when they start an app
   */
  readonly isDefault?: boolean;
}

/**
 * HTTPS to the S3 gateway endpoint. Its managed prefix list has no ID CloudFormation can read without
 * a lookup, so the rule names any IPv4 address: in the VPC-only network (no internet or NAT gateway)
 * port 443 leads only to the S3 gateway endpoint, whose policy keeps requests to the account's
 * buckets, and to VPC addresses whose own security groups decide what they admit.
 */
function allowS3Gateway(sg: ec2.SecurityGroup): void {
  sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Amazon S3 through the gateway endpoint (no internet route exists)');
}

/**
 * A default name, unique in the account and Region for each construct path (stack name, path, hash):
 * letters, digits and hyphens only, as SageMaker requires.
 */
function defaultDomainName(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: STUDIO_NAME.maxLength, separator: '-' });
}

function lifecycleManagement(props: StudioDomainProps): sagemaker.CfnDomain.AppLifecycleManagementProperty {
  if (props.idleShutdown === false) return { idleSettings: { lifecycleManagement: 'DISABLED' } };
  const timeout = props.idleTimeout?.toMinutes() ?? IDLE_DEFAULT_MINUTES;
  const max = props.maxIdleTimeout?.toMinutes() ?? timeout;
  return {
    idleSettings: {
      lifecycleManagement: 'ENABLED',
      idleTimeoutInMinutes: timeout,
      minIdleTimeoutInMinutes: IDLE_TIMEOUT_MINUTES.min,
      maxIdleTimeoutInMinutes: max,
    },
  };
}

function storageSettings(props: StudioDomainProps): sagemaker.CfnDomain.DefaultSpaceStorageSettingsProperty {
  return {
    defaultEbsStorageSettings: {
      defaultEbsVolumeSizeInGb: props.defaultEbsVolumeSize?.toGibibytes() ?? EBS_DEFAULT_GIB,
      maximumEbsVolumeSizeInGb: props.maximumEbsVolumeSize?.toGibibytes() ?? EBS_MAX_DEFAULT_GIB,
    },
  };
}

function sharingSettings(sharing?: NotebookSharingOptions): sagemaker.CfnDomain.SharingSettingsProperty {
  if (!sharing) return { notebookOutputOption: 'Disabled' };
  return {
    notebookOutputOption: 'Allowed',
    s3OutputPath: sharing.bucket.s3UrlForObject(sharing.prefix ?? 'shared-notebooks/'),
    s3KmsKeyId: sharing.encryptionKey.keyArn,
  };
}

function validateStudioDomainProps(scope: Construct, id: string, props: StudioDomainProps): void {
  const v = PropsValidator.forNew('StudioDomain', scope, id);
  v.pattern('domainName', props.domainName, STUDIO_NAME.pattern, STUDIO_NAME.description, STUDIO_NAME.maxLength);

  const subnets = props.network.subnetIds;
  if (!Token.isUnresolved(subnets) && subnets.length < MIN_DOMAIN_SUBNETS) {
    v.error(`network.subnetIds must list at least two subnets in different Availability Zones, got ${subnets.length} ([${subnets.join(', ')}])`);
  }

  const idle = minutes(props.idleTimeout);
  const maxIdle = minutes(props.maxIdleTimeout);
  v.range('idleTimeout (minutes)', idle, IDLE_TIMEOUT_MINUTES.min, IDLE_TIMEOUT_MINUTES.max);
  v.range('maxIdleTimeout (minutes)', maxIdle, IDLE_TIMEOUT_MINUTES.min, IDLE_TIMEOUT_MINUTES.max);
  if (maxIdle !== undefined && maxIdle < (idle ?? IDLE_DEFAULT_MINUTES)) {
    v.error(`maxIdleTimeout must be at least idleTimeout (${idle ?? IDLE_DEFAULT_MINUTES} minutes), got ${maxIdle} minutes`);
  }
  if (props.idleShutdown === false && (idle !== undefined || maxIdle !== undefined)) {
    v.error('idleTimeout and maxIdleTimeout have no effect with idleShutdown: false; remove them or turn idle shutdown on');
  }

  const ebs = gibibytes(props.defaultEbsVolumeSize);
  const maxEbs = gibibytes(props.maximumEbsVolumeSize);
  v.range('defaultEbsVolumeSize (GiB)', ebs, EBS_VOLUME_GIB.min, EBS_VOLUME_GIB.max);
  v.range('maximumEbsVolumeSize (GiB)', maxEbs, EBS_VOLUME_GIB.min, EBS_VOLUME_GIB.max);
  if ((maxEbs ?? EBS_MAX_DEFAULT_GIB) < (ebs ?? EBS_DEFAULT_GIB)) {
    v.error(`maximumEbsVolumeSize must be at least defaultEbsVolumeSize (${ebs ?? EBS_DEFAULT_GIB} GiB), got ${maxEbs ?? EBS_MAX_DEFAULT_GIB} GiB`);
  }

  if (props.appInstanceTypes !== undefined) {
    v.check(props.appInstanceTypes.length > 0, 'appInstanceTypes must list at least one instance type when given, got []');
    props.appInstanceTypes.forEach((type, i) => {
      v.pattern(`appInstanceTypes[${i}]`, type, /^ml\.[a-z0-9-]+\.[a-z0-9]+$/, "an ML instance type such as 'ml.t3.medium'", 64);
    });
  }
  validateInstanceTypes(v, 'jobInstanceTypes', props.jobInstanceTypes);
  if (props.notebookSharing?.prefix !== undefined) {
    v.pattern('notebookSharing.prefix', props.notebookSharing.prefix, /^[^\s]{1,1000}$/, 'a key prefix without spaces');
  }
  if (props.deleteHomeFileSystemOnDelete && (props.removalPolicy ?? RemovalPolicy.RETAIN) !== RemovalPolicy.DESTROY) {
    v.error('deleteHomeFileSystemOnDelete: true needs removalPolicy: RemovalPolicy.DESTROY (a retained domain keeps its file system), '
      + `got removalPolicy ${props.removalPolicy ?? 'RETAIN (default)'}`);
  }
  v.throwIfInvalid();
}

/** Minutes of a duration, fractional when it is not whole, undefined for none or a token. */
function minutes(d?: Duration): number | undefined {
  if (d === undefined || d.isUnresolved()) return undefined;
  return d.toMinutes({ integral: false });
}

/** GiB of a size, fractional when it is not whole, undefined for none or a token. */
function gibibytes(size?: Size): number | undefined {
  if (size === undefined || size.isUnresolved()) return undefined;
  return size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
}
