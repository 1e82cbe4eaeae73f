import * as crypto from 'crypto';
import { ArnFormat, Aws, CfnResource, CustomResource, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { IStudioDomain, StudioDomain } from './studio-domain';
import { UserProfile } from './user-profile';
import { InterfaceEndpointService } from '../network/endpoint-service';
import { IPlatformNetwork, PlatformNetwork } from '../network/platform-network';
import { acknowledge } from '../private/acknowledgments';
import {
  CANVAS_FORECAST_ACTIONS, CANVAS_READY_TO_USE_ACTIONS, CANVAS_RESOURCE_NAME_PREFIX, CANVAS_WORKSPACE_PATH_MAX, canvasEndpointServices,
} from '../private/canvas-rules';
import { CanvasSettingsFunction } from '../private/handlers/canvas-settings-function';
import { estimatePolicySize, MANAGED_POLICY_MAX_CHARS } from '../private/policy-size';
import { HOURS_PER_MONTH, INTERFACE_ENDPOINT_AZ_HOUR } from '../private/price-table';
import { PlatformProvider } from '../private/provider';
import { PropsValidator } from '../private/validation';
import { wildcardFindings } from '../private/wildcard-findings';
import { JobGuardrails } from '../security/job-guardrails';

/**
 * An optional capability of SageMaker Canvas. Each one adds the permissions, settings and VPC endpoints
 * it needs; nothing is granted or created for a capability that is not enabled.
 */
export enum CanvasFeature {
  /**
   * Time-series forecasting: `TimeSeriesForecastingSettings` enabled with a Forecast role scoped to the
   * workspace, the Amazon Forecast actions on Canvas resources, and the `forecast` and `forecastquery`
   * endpoints.
   */
  TIME_SERIES_FORECASTING = 'TIME_SERIES_FORECASTING',
  /**
   * Registering model versions in the platform's model registry (`modelRegistry`), with the approval
   * status left at PendingManualApproval: `ModelRegisterSettings` enabled.
   */
  MODEL_REGISTRATION = 'MODEL_REGISTRATION',
  /** Batch predictions: transform jobs named `canvas*`, within the domain's job guardrails. */
  BATCH_PREDICTIONS = 'BATCH_PREDICTIONS',
  /**
   * The ready-to-use models (sentiment, entities, language and PII detection, object and text detection
   * in images, document, expense and ID analysis): Amazon Comprehend, Rekognition and Textract, and
   * their endpoints.
   */
  READY_TO_USE_MODELS = 'READY_TO_USE_MODELS',
  /**
   * Chatting with the Amazon Bedrock foundation models listed in `foundationModels` (invoke only; no
   * fine-tuning), and the `bedrock-runtime` and `bedrock` endpoints.
   */
  GENERATIVE_AI = 'GENERATIVE_AI',
}

/**
 * Where a {@link Canvas} writes its settings.
 */
export enum CanvasScope {
  /** The domain's default user settings: every user of the domain gets this workspace and these features. */
  DOMAIN = 'DOMAIN',
  /** The settings of each listed user profile only (a team's workspace); they take precedence over the domain's. */
  USER_PROFILES = 'USER_PROFILES',
}

/**
 * What a {@link Canvas} accepts besides its domain and users.
 */
export interface CanvasOptions {
  /**
   * The platform bucket of the Canvas workspace (datasets, models, predictions). It must be encrypted
   * with a customer-managed KMS key (a `SecureBucket`), or give `workspaceKey`.
   */
  readonly workspaceBucket: s3.IBucket;

  /**
   * The key that encrypts the workspace (`WorkspaceSettings.S3KmsKeyId`).
   *
   * @default - the bucket's encryption key
   */
  readonly workspaceKey?: kms.IKey;

  /**
   * The key prefix of the workspace in the bucket, ending with `/`. Its users may read and write only
   * below it, so two teams' prefixes must not overlap.
   *
   * @default - `canvas/<construct ID in lower case>/`
   */
  readonly workspacePrefix?: string;

  /**
   * The optional capabilities to enable.
   *
   * @default - none: building models (standard and quick builds, including time-series models built
   * with AutoML) and in-app predictions only
   */
  readonly features?: CanvasFeature[];

  /**
   * The model registry (a model package group) Canvas users register model versions in. Required with,
   * and only with, `CanvasFeature.MODEL_REGISTRATION`. Pass a `ModelPackageGroup`'s L1
   * (`group.node.defaultChild`) or any `sagemaker.IModelPackageGroupRef`; use a lower-case group name
   * (SageMaker writes model package ARNs in lower case).
   *
   * @default - no model registration
   */
  readonly modelRegistry?: sagemaker.IModelPackageGroupRef;

  /**
   * The Amazon Bedrock foundation model IDs Canvas users may chat with (for example
   * `anthropic.claude-3-haiku-20240307-v1:0`). Required with, and only with, `CanvasFeature.GENERATIVE_AI`.
   *
   * @default - no foundation models
   */
  readonly foundationModels?: string[];

  /**
   * Key of the log group of the Canvas settings custom resource, such as `PlatformKeys.logsKey`.
   *
   * @default - the stack's shared custom-resource logs key
   */
  readonly customResourceLogsKey?: kms.IKey;
}

/**
 * Properties of a {@link Canvas}.
 */
export interface CanvasProps extends CanvasOptions {
  /**
   * The Studio domain. It must be a `StudioDomain` of this app (VpcOnly), whose network can create the
   * interface endpoints Canvas needs.
   */
  readonly domain: IStudioDomain;

  /**
   * The user profiles that may use Canvas. With them, the settings go to these profiles only
   * (`CanvasScope.USER_PROFILES`: a team's workspace). Without them, the settings become the domain's
   * default (`CanvasScope.DOMAIN`) and every user profile added to the domain so far gets the
   * permissions; add later users with `addUserProfile`.
   *
   * @default - the domain's default settings, for the users of `StudioDomain.userProfileList`
   */
  readonly userProfiles?: UserProfile[];
}

/** Which Canvas construct holds the settings of a domain and of each of its users. */
interface DomainCanvasRegistry {
  domainWide?: Canvas;
  readonly users: Map<string, Canvas>;
  readonly prefixes: Array<{ bucket: s3.IBucket; prefix: string; path: string }>;
}
const REGISTRIES = new WeakMap<IStudioDomain, DomainCanvasRegistry>();

function registryOf(domain: IStudioDomain): DomainCanvasRegistry {
  let registry = REGISTRIES.get(domain);
  if (!registry) {
    registry = { users: new Map(), prefixes: [] };
    REGISTRIES.set(domain, registry);
  }
  return registry;
}

/**
 * Amazon SageMaker Canvas for the users of a VPC-only Studio domain, opt-in per domain or per user.
 *
 * - Settings: the workspace in a KMS-encrypted platform bucket (`WorkspaceSettings`), time-series
 *   forecasting and model registration on only when enabled, direct deployment of endpoints, Kendra and
 *   EMR Serverless off. CloudFormation's domain and user-profile resources have no Canvas settings, so
 *   a custom resource applies them with `UpdateDomain` or `UpdateUserProfile` (and turns the features
 *   off again when it is removed; the workspace data stays).
 * - Permissions: each Canvas user gets a customer-managed policy on their execution role: the Canvas
 *   app in their own profile, the workspace prefix and its key (through S3 only), builds, models and
 *   in-app prediction endpoints named `canvas*` (jobs within the domain's job guardrails, which still
 *   deny non-compliant requests), and the enabled features only.
 * - Network: the interface endpoints Canvas calls, registered on the domain's network for the enabled
 *   features only, so that nothing falls back to the service's internet-connected VPC
 *   (`requiredEndpoints`, `addedEndpoints`, `estimatedMonthlyEndpointCost`).
 *
 * @example
 * const canvas = new Canvas(this, 'FraudCanvas', {
 *   domain,
 *   userProfiles: [alice],
 *   workspaceBucket: data,
 *   features: [CanvasFeature.MODEL_REGISTRATION, CanvasFeature.BATCH_PREDICTIONS],
 *   modelRegistry: models.node.defaultChild as sagemaker.CfnModelPackageGroup,
 * });
 */
export class Canvas extends Construct {
  /**
   * The interface endpoint services Canvas calls with these features enabled (core services first).
   */
  public static endpointsFor(features: CanvasFeature[] = []): InterfaceEndpointService[] {
    return canvasEndpointServices(features).map((name) => InterfaceEndpointService.of(name));
  }

  /** The domain. */
  public readonly domain: IStudioDomain;

  /** Where the settings are written. */
  public readonly settingsScope: CanvasScope;

  /** The enabled features. */
  public readonly features: CanvasFeature[];

  /** The workspace bucket. */
  public readonly workspaceBucket: s3.IBucket;

  /** The workspace key prefix, ending with `/`. */
  public readonly workspacePrefix: string;

  /** The workspace key. */
  public readonly workspaceKey: kms.IKey;

  /** The workspace location (`WorkspaceSettings.S3ArtifactPath`). */
  public readonly workspaceUri: string;

  /** The role Canvas passes to Amazon Forecast, with `CanvasFeature.TIME_SERIES_FORECASTING`. */
  public readonly forecastRole?: iam.IRole;

  /** The custom resource that applies the settings. */
  public readonly settings: CustomResource;

  /**
   * The policies every user of this Canvas gets: the workspace, builds and predictions (`CorePolicy`),
   * and the enabled features (`FeaturesPolicy`). Each user also gets a policy for their own Canvas app.
   */
  public readonly policies: iam.ManagedPolicy[];

  /** Every interface endpoint service Canvas calls with the enabled features. */
  public readonly requiredEndpoints: InterfaceEndpointService[];

  /**
   * The interface endpoints this Canvas added to the network (those no other construct had declared
   * before). With a network other than `PlatformNetwork`, every required endpoint.
   */
  public readonly addedEndpoints: InterfaceEndpointService[];

  /**
   * Estimated monthly cost in USD of `addedEndpoints`: each interface endpoint is billed per AZ-hour
   * ($0.01 in us-east-1, AWS PrivateLink pricing, January 2025), in every AZ the network places endpoints
   * in, 730 hours a month. Data processing ($0.01 per GB) is usage and not counted.
   */
  public readonly estimatedMonthlyEndpointCost: number;

  private readonly studioDomain: StudioDomain;
  private readonly modelRegistry?: sagemaker.IModelPackageGroupRef;
  private readonly foundationModels: string[];
  private readonly users: UserProfile[] = [];
  private readonly userPolicies = new Map<UserProfile, iam.ManagedPolicy>();
  private readonly targetProfileArns: iam.PolicyStatement;
  private readonly teamPolicies: iam.ManagedPolicy[];

  constructor(scope: Construct, id: string, props: CanvasProps) {
    super(scope, id);
    const features = [...new Set(props.features ?? [])];
    const prefix = props.workspacePrefix ?? `canvas/${id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'workspace'}/`;
    const studioDomain = validateCanvasProps(this, props, features, prefix);
    this.studioDomain = studioDomain;
    this.domain = props.domain;
    this.features = features;
    this.settingsScope = props.userProfiles ? CanvasScope.USER_PROFILES : CanvasScope.DOMAIN;
    this.workspaceBucket = props.workspaceBucket;
    this.workspacePrefix = prefix;
    this.workspaceKey = (props.workspaceKey ?? props.workspaceBucket.encryptionKey)!;
    this.workspaceUri = `s3://${this.workspaceBucket.bucketName}/${prefix}`;
    this.modelRegistry = props.modelRegistry;
    this.foundationModels = [...(props.foundationModels ?? [])];

    // the network: every endpoint Canvas calls, or a clear error instead of a silent fallback to the internet
    const network = studioDomain.network;
    this.requiredEndpoints = Canvas.endpointsFor(features);
    this.addedEndpoints = registerEndpoints(this, network, this.requiredEndpoints);
    this.estimatedMonthlyEndpointCost = monthlyEndpointCost(network, this.addedEndpoints.length);
    this.node.addValidation({ validate: () => this.checkDomainStillVpcOnly() });

    if (features.includes(CanvasFeature.TIME_SERIES_FORECASTING)) this.forecastRole = this.createForecastRole();

    const provider = PlatformProvider.getOrCreate(this, {
      name: 'CanvasSettings',
      onEventHandler: (s, i, o) => new CanvasSettingsFunction(s, i, o),
      logKey: props.customResourceLogsKey,
    });
    const stack = Stack.of(this);
    const handlerStatements = [
      new iam.PolicyStatement({
        sid: 'CanvasSettingsOfTheDomain',
        actions: this.settingsScope === CanvasScope.DOMAIN ? ['sagemaker:DescribeDomain', 'sagemaker:UpdateDomain'] : ['sagemaker:DescribeDomain'],
        resources: [studioDomain.domainArn],
      }),
    ];
    this.targetProfileArns = new iam.PolicyStatement({
      sid: 'CanvasSettingsOfTheUserProfiles',
      actions: ['sagemaker:DescribeUserProfile', 'sagemaker:UpdateUserProfile'],
    });
    if (this.settingsScope === CanvasScope.USER_PROFILES) handlerStatements.push(this.targetProfileArns);
    if (this.forecastRole) {
      // SageMaker checks that the caller of UpdateDomain/UpdateUserProfile may pass the Forecast role
      handlerStatements.push(new iam.PolicyStatement({
        sid: 'PassTheForecastRoleToSageMaker',
        actions: ['iam:PassRole'],
        resources: [this.forecastRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }));
    }
    this.settings = provider.createResource(this, 'Settings', {
      properties: {
        DomainId: studioDomain.domainId,
        UserProfileNames: Lazy.list({ produce: () => this.targetUserNames() }, { omitEmpty: false }),
        CanvasAppSettings: this.renderSettings(),
        // re-applies the settings after any change CloudFormation makes to the domain or the profiles
        Revision: Lazy.string({ produce: () => this.targetsRevision(stack) }),
      },
      statements: handlerStatements,
    });

    this.teamPolicies = this.createTeamPolicies();
    this.policies = [...this.teamPolicies];

    // domain-wide: every user of the domain so far, except those who already have a team workspace
    const registry = registryOf(this.domain);
    const users = props.userProfiles ?? studioDomain.userProfileList.filter((u) => !registry.users.has(userKey(u)));
    for (const user of users) this.addUserProfile(user);
  }

  /**
   * Lets one more user profile of the domain use Canvas: the Canvas policy on their execution role and,
   * with `CanvasScope.USER_PROFILES`, the settings on their profile. A user belongs to one Canvas.
   */
  public addUserProfile(profile: UserProfile): void {
    const v = new PropsValidator('Canvas', this.node.path);
    const registry = registryOf(this.domain);
    if (profile.domain !== this.domain && profile.domain.domainId !== this.domain.domainId) {
      v.error(`addUserProfile: user profile '${profile.userProfileName}' belongs to another domain (${profile.domain.node.path}), not ${this.domain.node.path}`);
    }
    const key = userKey(profile);
    const owner = registry.users.get(key);
    if (owner === this) return;
    if (owner) {
      v.error(`addUserProfile: user profile '${profile.userProfileName}' already uses Canvas through ${owner.node.path}; a user has one Canvas workspace`);
    }
    v.throwIfInvalid();
    registry.users.set(key, this);
    this.users.push(profile);

    const policy = new iam.ManagedPolicy(this, `User-${Token.isUnresolved(profile.userProfileName) ? profile.node.addr : profile.userProfileName}`, {
      description: `SageMaker Canvas app of Studio user profile ${profile.userProfileName}`,
      roles: [profile.role],
      statements: this.appStatements(profile),
    });
    acknowledgeWildcards(policy);
    for (const team of this.teamPolicies) team.attachToRole(profile.role);
    this.userPolicies.set(profile, policy);

    if (this.settingsScope === CanvasScope.USER_PROFILES) {
      this.targetProfileArns.addResources(profile.userProfileArn);
      // the profile must exist (InService) before its settings are updated
      this.settings.node.addDependency(profile.cfnUserProfile);
    }
  }

  /** The user profiles that use this Canvas. */
  public get userProfiles(): UserProfile[] {
    return [...this.users];
  }

  /** The policy of a user profile's own Canvas app, for a user of this Canvas. */
  public appPolicyOf(profile: UserProfile): iam.ManagedPolicy | undefined {
    return this.userPolicies.get(profile);
  }

  private targetUserNames(): string[] {
    return this.settingsScope === CanvasScope.USER_PROFILES ? this.users.map((u) => u.userProfileName) : [];
  }

  /** The CanvasAppSettings of the API, with every feature this library does not enable turned off. */
  private renderSettings(): { [key: string]: unknown } {
    const enabled = (feature: CanvasFeature) => (this.features.includes(feature) ? 'ENABLED' : 'DISABLED');
    const timeSeries: { [key: string]: string } = { Status: enabled(CanvasFeature.TIME_SERIES_FORECASTING) };
    if (this.forecastRole) timeSeries.AmazonForecastRoleArn = this.forecastRole.roleArn;
    return {
      WorkspaceSettings: { S3ArtifactPath: this.workspaceUri, S3KmsKeyId: this.workspaceKey.keyArn },
      TimeSeriesForecastingSettings: timeSeries,
      ModelRegisterSettings: { Status: enabled(CanvasFeature.MODEL_REGISTRATION) },
      // endpoints deployed from Canvas would bypass the platform's endpoint guardrails (ModelEndpoint)
      DirectDeploySettings: { Status: 'DISABLED' },
      KendraSettings: { Status: 'DISABLED' },
      EmrServerlessSettings: { Status: 'DISABLED' },
    };
  }

  /** A hash of the domain's and the target profiles' CloudFormation properties. */
  private targetsRevision(stack: Stack): string {
    const targets: CfnResource[] = [this.studioDomain._cfnDomain];
    if (this.settingsScope === CanvasScope.USER_PROFILES) targets.push(...this.users.map((u) => u.cfnUserProfile));
    const rendered = targets.map((t) => stack.resolve((t as unknown as { _toCloudFormation(): object })._toCloudFormation()));
    return crypto.createHash('sha256').update(JSON.stringify(rendered)).digest('hex').slice(0, 16);
  }

  private checkDomainStillVpcOnly(): string[] {
    const cfn = this.studioDomain._cfnDomain;
    const rendered = Stack.of(cfn).resolve((cfn as unknown as { _toCloudFormation(): object })._toCloudFormation()) as {
      Resources: { [id: string]: { Properties?: { AppNetworkAccessType?: unknown } } };
    };
    const access = Object.values(rendered.Resources)[0]?.Properties?.AppNetworkAccessType;
    if (access === 'VpcOnly') return [];
    return [`Canvas '${this.node.path}' needs a VpcOnly domain, but ${this.studioDomain.node.path} has AppNetworkAccessType `
      + `${JSON.stringify(access)} (an override?): Canvas would then reach AWS through the service's internet-connected VPC`];
  }

  private createForecastRole(): iam.IRole {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'ForecastRole', {
      description: `Role SageMaker Canvas passes to Amazon Forecast for ${this.node.path}: workspace ${this.workspacePrefix} only`,
      // the confused-deputy guard of the Forecast developer guide
      assumedBy: new iam.ServicePrincipal('forecast.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    const policy = new iam.ManagedPolicy(this, 'ForecastPolicy', {
      description: `Amazon Forecast for SageMaker Canvas ${this.node.path}: the workspace ${this.workspacePrefix} and its key, through S3`,
      roles: [role],
      statements: this.workspaceStatements(),
    });
    const details = wildcardFindings(policy);
    if (details.length > 0) acknowledge(policy, 'CANVAS_WORKSPACE_OBJECTS', details);
    return role;
  }

  /** Read and write below the workspace prefix, its key through S3 only. */
  private workspaceStatements(): iam.PolicyStatement[] {
    const region = Stack.of(this).region;
    return [
      new iam.PolicyStatement({
        sid: 'CanvasWorkspaceObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [this.workspaceBucket.arnForObjects(`${this.workspacePrefix}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'CanvasWorkspaceListing',
        actions: ['s3:ListBucket'],
        resources: [this.workspaceBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [this.workspacePrefix, `${this.workspacePrefix}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'CanvasWorkspaceBucket',
        actions: ['s3:GetBucketLocation', 's3:GetBucketCors'],
        resources: [this.workspaceBucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'CanvasWorkspaceKeyThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.workspaceKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      }),
    ];
  }

  /**
   * The team's policies: the core (workspace, builds, in-app predictions) and, when any feature is on,
   * the features. Derived from AmazonSageMakerCanvasFullAccess and AmazonSageMakerCanvasAIServicesAccess
   * (developer guide, "AWS managed policies for Amazon SageMaker Canvas"), scoped to this account and
   * Region, the team's workspace, the platform registry and Canvas-named resources.
   */
  private createTeamPolicies(): iam.ManagedPolicy[] {
    const groups: Array<[string, string, iam.PolicyStatement[]]> = [
      ['CorePolicy', `SageMaker Canvas ${this.node.path}: workspace ${this.workspacePrefix}, builds and predictions named canvas*`, this.coreStatements()],
      ['FeaturesPolicy', `SageMaker Canvas ${this.node.path}: ${this.features.join(', ').toLowerCase().replace(/_/g, ' ')}`, this.featureStatements()],
    ];
    const policies: iam.ManagedPolicy[] = [];
    for (const [id, description, statements] of groups) {
      if (statements.length === 0) continue;
      const policy = new iam.ManagedPolicy(this, id, { description, statements });
      acknowledgeWildcards(policy);
      const size = estimatePolicySize(policy);
      if (size > MANAGED_POLICY_MAX_CHARS) {
        throw new Error(`Canvas '${this.node.path}': the ${id} would have about ${size} characters, over the ${MANAGED_POLICY_MAX_CHARS} `
          + 'IAM allows for a managed policy; list fewer foundationModels or shorten the domain\'s job instance-type allowlist');
      }
      policies.push(policy);
    }
    return policies;
  }

  /** The user's own Canvas app: in their profile, or in a private space they own. */
  private appStatements(profile: UserProfile): iam.PolicyStatement[] {
    const domainId = this.studioDomain.domainId;
    // SageMaker writes app ARNs in lower case
    const user = Token.isUnresolved(profile.userProfileName) ? profile.userProfileName : profile.userProfileName.toLowerCase();
    return [
      new iam.PolicyStatement({
        sid: 'OwnCanvasApp',
        actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp'],
        resources: [sageMakerArn(`app/${domainId}/${user}/canvas/*`)],
      }),
      new iam.PolicyStatement({
        sid: 'CanvasAppInOwnPrivateSpace',
        actions: ['sagemaker:CreateApp', 'sagemaker:DeleteApp'],
        resources: [sageMakerArn(`app/${domainId}/*/canvas/*`)],
        conditions: {
          ArnEquals: { 'sagemaker:OwnerUserProfileArn': profile.userProfileArn },
          StringEquals: { 'sagemaker:SpaceSharingType': 'Private' },
        },
      }),
    ];
  }

  private coreStatements(): iam.PolicyStatement[] {
    const guardrails = new JobGuardrails(this.studioDomain.jobGuardrails);
    return [
      new iam.PolicyStatement({
        sid: 'CanvasListingsAndEndpointDiscovery',
        // List actions and the EC2 Describe calls have no resource-level permissions; Canvas looks for the
        // VPC endpoints with DescribeVpcEndpointServices and runs standard builds in the VPC when it finds them
        actions: [
          'sagemaker:ListTags', 'sagemaker:ListModelPackageGroups', 'sagemaker:ListModelPackages', 'sagemaker:ListEndpoints',
          'ec2:DescribeVpcEndpointServices', 'ec2:DescribeVpcEndpoints',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'CanvasBuilds',
        // the domain's job guardrails still deny builds outside the platform subnets, security groups and keys
        actions: ['sagemaker:CreateAutoMLJob', 'sagemaker:CreateAutoMLJobV2'],
        resources: [canvasNamed('automl-job')],
      }),
      new iam.PolicyStatement({
        sid: 'CanvasJobsAndModels',
        actions: [
          'sagemaker:DescribeAutoMLJob', 'sagemaker:DescribeAutoMLJobV2', 'sagemaker:StopAutoMLJob',
          'sagemaker:DescribeTrainingJob', 'sagemaker:DescribeProcessingJob',
          'sagemaker:CreateModel', 'sagemaker:DescribeModel', 'sagemaker:DeleteModel',
        ],
        resources: [canvasNamed('automl-job'), canvasNamed('training-job'), canvasNamed('processing-job'), canvasNamed('model')],
      }),
      new iam.PolicyStatement({
        sid: 'CanvasPredictionEndpointConfigs',
        actions: ['sagemaker:CreateEndpointConfig'],
        resources: [canvasNamed('endpoint-config')],
        conditions: { 'ForAllValues:StringLike': { 'sagemaker:InstanceTypes': guardrails.instanceTypes } },
      }),
      new iam.PolicyStatement({
        sid: 'CanvasPredictionEndpoints',
        actions: [
          'sagemaker:CreateEndpoint', 'sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DeleteEndpoint',
          'sagemaker:DeleteEndpointConfig', 'sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync',
          'sagemaker:UpdateEndpointWeightsAndCapacities',
        ],
        resources: [canvasNamed('endpoint'), canvasNamed('endpoint-config')],
      }),
      ...this.workspaceStatements(),
      this.taggingStatement(),
    ];
  }

  /** Creation may tag the new Canvas resources (the owner-tag denies of the user policy still apply). */
  private taggingStatement(): iam.PolicyStatement {
    const actions = ['CreateAutoMLJob', 'CreateAutoMLJobV2', 'CreateModel', 'CreateEndpointConfig', 'CreateEndpoint'];
    const resources = [canvasNamed('automl-job'), canvasNamed('model'), canvasNamed('endpoint-config'), canvasNamed('endpoint')];
    if (this.features.includes(CanvasFeature.BATCH_PREDICTIONS)) {
      actions.push('CreateTransformJob');
      resources.push(canvasNamed('transform-job'));
    }
    if (this.features.includes(CanvasFeature.MODEL_REGISTRATION) && this.modelRegistry) {
      actions.push('CreateModelPackage');
      resources.push(modelPackageArnPattern(this, this.modelRegistry.modelPackageGroupRef.modelPackageGroupArn));
    }
    return new iam.PolicyStatement({
      sid: 'TagCanvasResourcesOnCreate',
      actions: ['sagemaker:AddTags'],
      resources,
      conditions: { StringEquals: { 'sagemaker:TaggingAction': actions } },
    });
  }

  private featureStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const statements: iam.PolicyStatement[] = [];
    if (this.features.includes(CanvasFeature.BATCH_PREDICTIONS)) {
      statements.push(new iam.PolicyStatement({
        sid: 'CanvasBatchPredictions',
        // transform jobs still meet the domain's job-guardrail denies (KMS keys, instance types)
        actions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob'],
        resources: [canvasNamed('transform-job')],
      }));
    }
    if (this.features.includes(CanvasFeature.MODEL_REGISTRATION) && this.modelRegistry) {
      const groupArn = this.modelRegistry.modelPackageGroupRef.modelPackageGroupArn;
      const versions = modelPackageArnPattern(this, groupArn);
      statements.push(
        new iam.PolicyStatement({
          sid: 'RegisterInThePlatformRegistry',
          actions: ['sagemaker:CreateModelPackage'],
          resources: [versions],
          // approval stays with the registry's approvers
          conditions: { StringEqualsIfExists: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
        }),
        new iam.PolicyStatement({
          sid: 'ReadThePlatformRegistry',
          actions: ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage'],
          resources: [groupArn, versions],
        }),
      );
    }
    if (this.forecastRole) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'CanvasTimeSeriesForecasting',
          actions: CANVAS_FORECAST_ACTIONS,
          resources: [`arn:${Aws.PARTITION}:forecast:${stack.region}:${stack.account}:*Canvas*`],
        }),
        new iam.PolicyStatement({
          sid: 'PassTheForecastRoleToForecast',
          actions: ['iam:PassRole'],
          resources: [this.forecastRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'forecast.amazonaws.com' } },
        }),
      );
    }
    if (this.features.includes(CanvasFeature.READY_TO_USE_MODELS)) {
      statements.push(new iam.PolicyStatement({
        sid: 'CanvasReadyToUseModels',
        actions: CANVAS_READY_TO_USE_ACTIONS,
        resources: ['*'],
      }));
    }
    if (this.features.includes(CanvasFeature.GENERATIVE_AI)) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ChatWithListedFoundationModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: this.foundationModels.map((m) => `arn:${Aws.PARTITION}:bedrock:${stack.region}::foundation-model/${m}`),
        }),
        new iam.PolicyStatement({
          sid: 'ListFoundationModels',
          actions: ['bedrock:ListFoundationModels'],
          resources: ['*'],
        }),
      );
    }
    return statements;
  }
}

/** Acknowledges AwsSolutions-IAM5 for exactly the wildcards the policy's allow statements name. */
function acknowledgeWildcards(policy: iam.ManagedPolicy): void {
  const details = wildcardFindings(policy);
  if (details.length > 0) acknowledge(policy, 'CANVAS_USER_RESOURCE_NAMES', details);
}

/** `canvas*` resources of a SageMaker resource type in this account and Region. */
function canvasNamed(type: string): string {
  return sageMakerArn(`${type}/${CANVAS_RESOURCE_NAME_PREFIX}*`);
}

/** A user profile's key in the registry: its name (SageMaker compares names without case). */
function userKey(profile: UserProfile): string {
  return Token.isUnresolved(profile.userProfileName) ? profile.node.path : profile.userProfileName.toLowerCase();
}

/** An ARN of a SageMaker resource in the deploying account and Region. */
function sageMakerArn(resource: string): string {
  return `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

/** `.../model-package/<group name in lower case>/*` of a model package group ARN. */
function modelPackageArnPattern(scope: Construct, groupArn: string): string {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(groupArn)) {
    const name = stack.splitArn(groupArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    return sageMakerArn(`model-package/${name.toLowerCase()}/*`);
  }
  return sageMakerArn(`model-package/${Fn.select(1, Fn.split('/', groupArn))}/*`);
}

/** Declares the endpoints on the network; returns those it did not have before. */
function registerEndpoints(canvas: Canvas, network: IPlatformNetwork, services: InterfaceEndpointService[]): InterfaceEndpointService[] {
  const before = network instanceof PlatformNetwork ? new Set(network.interfaceEndpointServices.map((s) => s.key)) : undefined;
  const v = new PropsValidator('Canvas', canvas.node.path);
  try {
    network.addInterfaceEndpoints(...services);
  } catch (e) {
    v.error(`the domain's network (${network.node.path}) cannot create the interface endpoints Canvas needs `
      + `(${services.map((s) => s.name).join(', ')}): ${(e as Error).message}. Without them Canvas runs standard builds in the `
      + 'service\'s internet-connected VPC and cannot reach the AWS services it calls');
  }
  if (network instanceof PlatformNetwork && !v.hasErrors) {
    const missing = services.filter((s) => network.interfaceEndpointFor(s) === undefined);
    if (missing.length > 0) {
      v.error(`the domain's network (${network.node.path}) did not create the interface endpoints ${missing.map((s) => s.name).join(', ')} Canvas needs`);
    }
  }
  v.throwIfInvalid();
  return before ? services.filter((s) => !before.has(s.key)) : [...services];
}

/** USD per month of `count` interface endpoints in the AZs the network places its endpoints in. */
function monthlyEndpointCost(network: IPlatformNetwork, count: number): number {
  const azs = network instanceof PlatformNetwork ? network.endpointSubnets.length : network.subnets.length;
  return Math.round(count * azs * INTERFACE_ENDPOINT_AZ_HOUR.usd * HOURS_PER_MONTH * 100) / 100;
}

const PREFIX = /^[^/*?\s][^*?\s]*\/$/;
const BEDROCK_MODEL_ID = /^[a-zA-Z0-9.:-]{1,140}$/;

function validateCanvasProps(scope: Construct, props: CanvasProps, features: CanvasFeature[], prefix: string): StudioDomain {
  const v = new PropsValidator('Canvas', scope.node.path);
  const domain = props.domain;
  let studioDomain: StudioDomain | undefined;
  if (!(domain instanceof StudioDomain)) {
    v.error('domain must be a StudioDomain created in this app, so that Canvas can check that it is VpcOnly and reach its network; '
      + `got ${domain.node.path}, an imported domain`);
  } else {
    studioDomain = domain;
    const access = domain._cfnDomain.appNetworkAccessType;
    if (!Token.isUnresolved(access) && access !== 'VpcOnly') {
      v.error(`domain ${domain.node.path} must be VpcOnly (AppNetworkAccessType), got '${access}': Canvas would reach AWS through `
        + 'the service\'s internet-connected VPC');
    }
  }

  const key = props.workspaceKey ?? props.workspaceBucket.encryptionKey;
  if (!key) {
    v.error(`workspaceBucket (${props.workspaceBucket.node.path}) has no customer-managed KMS key: pass a SecureBucket, or the key `
      + 'that encrypts the bucket as workspaceKey');
  }
  if (!Token.isUnresolved(prefix)) {
    v.check(PREFIX.test(prefix), `workspacePrefix must be a key prefix ending with '/', without wildcards, spaces or a leading '/', got '${prefix}'`);
    v.check(`s3://${'x'.repeat(63)}/${prefix}`.length <= CANVAS_WORKSPACE_PATH_MAX,
      `workspacePrefix must keep the workspace path within ${CANVAS_WORKSPACE_PATH_MAX} characters, got a prefix of ${prefix.length}`);
  }

  const registry = registryOf(domain);
  if (!props.userProfiles && registry.domainWide) {
    v.error(`the domain ${domain.node.path} already has domain-wide Canvas settings from ${registry.domainWide.node.path}; `
      + 'give userProfiles for a team workspace');
  }
  if (props.userProfiles && props.userProfiles.length === 0) {
    v.error('userProfiles must list at least one user profile when given, got []; omit it for the domain\'s default settings');
  }
  if (!Token.isUnresolved(prefix)) {
    for (const other of registry.prefixes) {
      if (other.bucket === props.workspaceBucket && (other.prefix.startsWith(prefix) || prefix.startsWith(other.prefix))) {
        v.error(`workspacePrefix '${prefix}' overlaps the workspace '${other.prefix}' of ${other.path} in the same bucket; `
          + 'each Canvas needs its own prefix so that its users cannot reach the other\'s data');
      }
    }
  }

  const known = Object.values(CanvasFeature) as string[];
  for (const f of features) {
    if (!known.includes(f)) v.error(`features must be CanvasFeature values, got '${f}'`);
  }
  const registration = features.includes(CanvasFeature.MODEL_REGISTRATION);
  if (registration && !props.modelRegistry) {
    v.error('features include MODEL_REGISTRATION, which needs modelRegistry (the model package group to register in)');
  }
  if (!registration && props.modelRegistry) {
    v.error('modelRegistry is given but features do not include CanvasFeature.MODEL_REGISTRATION');
  }
  const genAi = features.includes(CanvasFeature.GENERATIVE_AI);
  if (genAi && (props.foundationModels ?? []).length === 0) {
    v.error('features include GENERATIVE_AI, which needs foundationModels (the Bedrock model IDs users may chat with)');
  }
  if (!genAi && props.foundationModels !== undefined) {
    v.error('foundationModels is given but features do not include CanvasFeature.GENERATIVE_AI');
  }
  (props.foundationModels ?? []).forEach((m, i) => v.pattern(`foundationModels[${i}]`, m, BEDROCK_MODEL_ID,
    'a Bedrock model ID such as anthropic.claude-3-haiku-20240307-v1:0', 140));
  v.throwIfInvalid();

  if (props.userProfiles) {
    for (const p of props.userProfiles) {
      const owner = registry.users.get(userKey(p));
      if (owner) v.error(`user profile '${p.userProfileName}' already uses Canvas through ${owner.node.path}; a user has one Canvas workspace`);
    }
  } else {
    registry.domainWide = scope as Canvas;
  }
  v.throwIfInvalid();
  registry.prefixes.push({ bucket: props.workspaceBucket, prefix, path: scope.node.path });
  return studioDomain!;
}
