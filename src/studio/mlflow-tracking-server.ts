import { ArnFormat, Aws, IResource, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { InterfaceEndpointService } from '../network/endpoint-service';
import { IPlatformNetwork } from '../network/platform-network';
import { acknowledge, AcknowledgmentName } from '../private/acknowledgments';
import {
  MLFLOW_ARTIFACT_STORE_URI_MAX, MLFLOW_ENDPOINT, MLFLOW_MAINTENANCE_WINDOW, MLFLOW_TRACKING_SERVER_NAME, MLFLOW_TRACKING_SERVER_SIZES,
  MLFLOW_VERSION,
} from '../private/mlflow-rules';
import { PropsValidator } from '../private/validation';
import { wildcardFindings } from '../private/wildcard-findings';

/**
 * The size of an MLflow tracking server. The developer guide recommends Small for teams of up to 25
 * users, Medium up to 50 and Large up to 100.
 */
export class MlflowTrackingServerSize {
  /** Teams of up to 25 users. */
  public static readonly SMALL = new MlflowTrackingServerSize('Small');
  /** Teams of up to 50 users. */
  public static readonly MEDIUM = new MlflowTrackingServerSize('Medium');
  /** Teams of up to 100 users. */
  public static readonly LARGE = new MlflowTrackingServerSize('Large');

  /** A size by name; anything but Small, Medium and Large is a synth error. */
  public static of(value: string): MlflowTrackingServerSize {
    return new MlflowTrackingServerSize(value);
  }

  /** @param value the `TrackingServerSize` value */
  private constructor(public readonly value: string) {}
}

/** A day of the week, as the maintenance window names it. */
export enum MaintenanceDay {
  /** Monday. */
  MONDAY = 'Mon',
  /** Tuesday. */
  TUESDAY = 'Tue',
  /** Wednesday. */
  WEDNESDAY = 'Wed',
  /** Thursday. */
  THURSDAY = 'Thu',
  /** Friday. */
  FRIDAY = 'Fri',
  /** Saturday. */
  SATURDAY = 'Sat',
  /** Sunday. */
  SUNDAY = 'Sun',
}

/** When the weekly maintenance of a tracking server starts, in UTC. */
export interface MlflowMaintenanceWindow {
  /** The day. */
  readonly day: MaintenanceDay;

  /** The hour, 0-23 (UTC). */
  readonly hourUtc: number;

  /**
   * The minute, 0-59.
   *
   * @default 0
   */
  readonly minute?: number;
}

/**
 * A SageMaker managed MLflow tracking server.
 */
export interface IMlflowTrackingServer extends IResource {
  /**
   * The tracking server name.
   * @attribute
   */
  readonly trackingServerName: string;

  /**
   * The tracking server ARN. It is also the MLflow tracking URI with the `sagemaker-mlflow` plugin
   * (`mlflow.set_tracking_uri(arn)`, or the `MLFLOW_TRACKING_URI` environment variable).
   * @attribute
   */
  readonly trackingServerArn: string;

  /**
   * Lets `grantee` use this tracking server only: every MLflow REST action (`sagemaker-mlflow:*`) on it,
   * opening its UI (`CreatePresignedMlflowTrackingServerUrl`) and describing it. For an IAM role or
   * group the statements go to a customer-managed policy attached to it.
   */
  grantAccess(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of an {@link MlflowTrackingServer}.
 */
export interface MlflowTrackingServerProps {
  /**
   * The platform bucket of the artifact store. It must be encrypted with a customer-managed KMS key (a
   * `SecureBucket`), or give `artifactKey`.
   */
  readonly artifactBucket: s3.IBucket;

  /**
   * The key that encrypts the artifact store.
   *
   * @default - the bucket's encryption key
   */
  readonly artifactKey?: kms.IKey;

  /**
   * The key prefix of the artifact store in the bucket, ending with `/`.
   *
   * @default - `mlflow/<trackingServerName>/`
   */
  readonly artifactPrefix?: string;

  /**
   * The tracking server name: 1-256 letters, digits and hyphens. Changing it replaces the server.
   *
   * @default - a name derived from the stack name and construct path
   */
  readonly trackingServerName?: string;

  /**
   * The size.
   *
   * @default MlflowTrackingServerSize.SMALL
   */
  readonly size?: MlflowTrackingServerSize;

  /**
   * The MLflow version, for example `2.16.2`.
   *
   * @default - the latest version the service offers
   */
  readonly mlflowVersion?: string;

  /**
   * When weekly maintenance starts.
   *
   * @default - Sunday 03:00 UTC
   */
  readonly maintenanceWindow?: MlflowMaintenanceWindow;

  /**
   * Register every model logged to MLflow's model registry in the SageMaker model registry too. The
   * role then may create model package groups and versions (left PendingManualApproval) in the account.
   *
   * @default false
   */
  readonly automaticModelRegistration?: boolean;

  /**
   * The role the tracking server assumes to reach the artifact store.
   *
   * @default - a role that SageMaker assumes in this account, with read and write below the artifact
   * prefix and the artifact key through S3 only
   */
  readonly role?: iam.IRole;

  /**
   * The platform network: the MLflow interface endpoint (`aws.sagemaker.<region>.experiments`) and the
   * SageMaker API endpoint (presigned URLs) are declared on it, so that notebooks and jobs in the
   * VPC-only network reach the server.
   *
   * @default - no endpoints are declared
   */
  readonly network?: IPlatformNetwork;

  /**
   * What happens to the tracking server (and the experiments, runs and metrics it stores) when it
   * leaves the stack. `RemovalPolicy.DESTROY` is the explicit opt-in to delete them; the artifacts in the
   * bucket stay either way.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of an existing tracking server.
 */
export interface MlflowTrackingServerAttributes {
  /** The tracking server name. */
  readonly trackingServerName: string;
}

/**
 * Grants of created and imported tracking servers.
 */
export abstract class MlflowTrackingServerBase extends Resource implements IMlflowTrackingServer {
  public abstract readonly trackingServerName: string;
  public abstract readonly trackingServerArn: string;

  public grantAccess(grantee: iam.IGrantable): iam.Grant {
    const use = { actions: ['sagemaker-mlflow:*'], resourceArns: [this.trackingServerArn] };
    const open = {
      actions: ['sagemaker:CreatePresignedMlflowTrackingServerUrl', 'sagemaker:DescribeMlflowTrackingServer'],
      resourceArns: [this.trackingServerArn],
    };
    const target = policyTargetOf(grantee);
    if (!target) {
      return iam.Grant.addToPrincipal({ grantee, ...use }).combine(iam.Grant.addToPrincipal({ grantee, ...open }));
    }
    // a customer-managed policy per role or group: the compliance packs reject inline policies
    const id = `Access-${Names.nodeUniqueId(target.construct.node)}`;
    const existing = this.node.tryFindChild(id) as iam.ManagedPolicy | undefined;
    const policy = existing ?? new iam.ManagedPolicy(this, id, { description: `Use of the MLflow tracking server ${this.node.path} only` });
    const wrapped: iam.IGrantable = { grantPrincipal: new ManagedPolicyPrincipal(policy, grantee.grantPrincipal) };
    const grant = iam.Grant.addToPrincipal({ grantee: wrapped, ...use }).combine(iam.Grant.addToPrincipal({ grantee: wrapped, ...open }));
    if (!existing) {
      target.attach(policy);
      acknowledgeWildcards(policy, 'MLFLOW_TRACKING_SERVER_ACCESS');
    }
    return grant;
  }

  /**
   * The environment variables that point the MLflow client of a job or app at this server (with the
   * `mlflow` and `sagemaker-mlflow` packages installed): `MLFLOW_TRACKING_URI` set to the server's ARN.
   * For pipeline steps: `environment: { MLFLOW_TRACKING_URI: PipelineValue.fromString(server.trackingServerArn) }`.
   */
  public get environment(): { [name: string]: string } {
    return { MLFLOW_TRACKING_URI: this.trackingServerArn };
  }
}

/**
 * A SageMaker managed MLflow tracking server (`AWS::SageMaker::MlflowTrackingServer`) for experiment
 * tracking: the artifact store is a prefix of a KMS-encrypted platform bucket, the server's role reaches
 * only that prefix and its key (through S3), automatic model registration is off unless opted in,
 * maintenance runs in a set weekly window, and access is granted per user or team with `grantAccess`
 * (this server only). The server is retained by default: it holds the experiments' history.
 *
 * @example
 * const mlflow = new MlflowTrackingServer(this, 'Experiments', { artifactBucket: data, network });
 * mlflow.grantAccess(alice.role);
 */
export class MlflowTrackingServer extends MlflowTrackingServerBase {
  /** The interface endpoint of the MLflow tracking servers (`aws.sagemaker.<region>.experiments`). */
  public static readonly ENDPOINT_SERVICE = InterfaceEndpointService.of(MLFLOW_ENDPOINT.name, MLFLOW_ENDPOINT.prefix);

  /** An existing tracking server, by name. */
  public static fromTrackingServerName(scope: Construct, id: string, trackingServerName: string): IMlflowTrackingServer {
    return MlflowTrackingServer.fromTrackingServerAttributes(scope, id, { trackingServerName });
  }

  /** An existing tracking server, by ARN. */
  public static fromTrackingServerArn(scope: Construct, id: string, trackingServerArn: string): IMlflowTrackingServer {
    const name = Stack.of(scope).splitArn(trackingServerArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Import extends MlflowTrackingServerBase {
      public readonly trackingServerName = name;
      public readonly trackingServerArn = trackingServerArn;
    }
    return new Import(scope, id, { environmentFromArn: trackingServerArn });
  }

  /** An existing tracking server, by attributes. */
  public static fromTrackingServerAttributes(scope: Construct, id: string, attrs: MlflowTrackingServerAttributes): IMlflowTrackingServer {
    class Import extends MlflowTrackingServerBase {
      public readonly trackingServerName = attrs.trackingServerName;
      public readonly trackingServerArn = trackingServerArnOf(scope, attrs.trackingServerName);
    }
    return new Import(scope, id);
  }

  public readonly trackingServerName: string;
  public readonly trackingServerArn: string;

  /** The role the server assumes. */
  public readonly role: iam.IRole;

  /** The artifact store location (`s3://<bucket>/<prefix>`). */
  public readonly artifactStoreUri: string;

  /** The artifact bucket. */
  public readonly artifactBucket: s3.IBucket;

  /** The artifact key prefix, ending with `/`. */
  public readonly artifactPrefix: string;

  /** The artifact key. */
  public readonly artifactKey: kms.IKey;

  /** The customer-managed policy of the server's role. */
  public readonly rolePolicy: iam.ManagedPolicy;

  private readonly resource: sagemaker.CfnMlflowTrackingServer;

  constructor(scope: Construct, id: string, props: MlflowTrackingServerProps) {
    validateMlflowProps(scope, id, props);
    super(scope, id, { physicalName: props.trackingServerName });
    const stack = Stack.of(this);

    const name = props.trackingServerName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });
    this.trackingServerName = name;
    this.trackingServerArn = trackingServerArnOf(this, name);
    this.artifactBucket = props.artifactBucket;
    this.artifactKey = (props.artifactKey ?? props.artifactBucket.encryptionKey)!;
    this.artifactPrefix = props.artifactPrefix ?? `mlflow/${name}/`;
    // MLflow appends /<experiment>/<run>/artifacts to the root: no trailing slash
    this.artifactStoreUri = `s3://${this.artifactBucket.bucketName}/${this.artifactPrefix.replace(/\/+$/, '')}`;

    this.role = props.role ?? new iam.Role(this, 'Role', {
      description: `Role of the SageMaker MLflow tracking server ${name}: its artifact store only`,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.rolePolicy = new iam.ManagedPolicy(this, 'RolePolicy', {
      description: `SageMaker MLflow tracking server ${name}: artifact store ${this.artifactPrefix} and its key, through S3`,
      roles: [this.role],
      statements: [
        ...this.artifactStatements(),
        ...(props.automaticModelRegistration ? registrationStatements() : []),
      ],
    });
    acknowledgeWildcards(this.rolePolicy, props.automaticModelRegistration ? 'MLFLOW_AUTOMATIC_MODEL_REGISTRATION' : 'MLFLOW_ARTIFACT_OBJECTS');

    if (props.network) props.network.addInterfaceEndpoints(MlflowTrackingServer.ENDPOINT_SERVICE, InterfaceEndpointService.SAGEMAKER_API);

    const window = props.maintenanceWindow ?? { day: MaintenanceDay.SUNDAY, hourUtc: 3 };
    const resource = new sagemaker.CfnMlflowTrackingServer(this, 'Resource', {
      trackingServerName: name,
      artifactStoreUri: this.artifactStoreUri,
      roleArn: this.role.roleArn,
      trackingServerSize: (props.size ?? MlflowTrackingServerSize.SMALL).value,
      mlflowVersion: props.mlflowVersion,
      automaticModelRegistration: props.automaticModelRegistration ?? false,
      weeklyMaintenanceWindowStart: `${window.day}:${pad(window.hourUtc)}:${pad(window.minute ?? 0)}`,
    });
    // the server checks its artifact store when it starts
    resource.node.addDependency(this.rolePolicy);
    resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.resource = resource;
  }

  /** The L1 tracking server. */
  public get cfnTrackingServer(): sagemaker.CfnMlflowTrackingServer {
    return this.resource;
  }

  private artifactStatements(): iam.PolicyStatement[] {
    const prefix = this.artifactPrefix;
    return [
      new iam.PolicyStatement({
        sid: 'ArtifactObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [this.artifactBucket.arnForObjects(`${prefix}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'ArtifactListing',
        actions: ['s3:ListBucket'],
        resources: [this.artifactBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'ArtifactBucketLocation',
        actions: ['s3:GetBucketLocation'],
        resources: [this.artifactBucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ArtifactKeyThroughS3',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [this.artifactKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    ];
  }
}

/** The ARN of a tracking server of the stack's account and Region. */
function trackingServerArnOf(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'mlflow-tracking-server', resourceName: name });
}

/** What automatic model registration does with the server's role: groups and versions, never approval. */
function registrationStatements(): iam.PolicyStatement[] {
  const arns = [sageMakerArn('model-package-group/*'), sageMakerArn('model-package/*')];
  return [
    new iam.PolicyStatement({
      sid: 'AutomaticModelRegistration',
      actions: [
        'sagemaker:CreateModelPackageGroup', 'sagemaker:DescribeModelPackageGroup', 'sagemaker:CreateModelPackage',
        'sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage',
      ],
      resources: arns,
      // registered versions wait for the registry's approvers
      conditions: { StringEqualsIfExists: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
    }),
    new iam.PolicyStatement({
      sid: 'TagRegisteredModelsOnCreate',
      actions: ['sagemaker:AddTags'],
      resources: arns,
      conditions: { StringEquals: { 'sagemaker:TaggingAction': ['CreateModelPackageGroup', 'CreateModelPackage'] } },
    }),
  ];
}

function sageMakerArn(resource: string): string {
  return `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

/** A principal whose grants go to a customer-managed policy (attached to the role or group it stands for). */
class ManagedPolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly principalAccount?: string;

  constructor(private readonly policy: iam.ManagedPolicy, private readonly inner: iam.IPrincipal) {
    this.assumeRoleAction = inner.assumeRoleAction;
    this.principalAccount = inner.principalAccount;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.inner.policyFragment;
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** Who a grant's policy can be attached to: a role or a group. */
function policyTargetOf(grantee: iam.IGrantable): { construct: Construct; attach(policy: iam.ManagedPolicy): void } | undefined {
  const principal = grantee.grantPrincipal as unknown as { roleName?: string; groupName?: string; userName?: string } & Construct;
  if (principal.roleName !== undefined && principal.node) {
    return { construct: principal, attach: (p) => p.attachToRole(principal as unknown as iam.IRole) };
  }
  if (principal.groupName !== undefined && principal.node) {
    return { construct: principal, attach: (p) => p.attachToGroup(principal as unknown as iam.IGroup) };
  }
  return undefined;
}

function acknowledgeWildcards(policy: iam.ManagedPolicy, name: AcknowledgmentName): void {
  const details = wildcardFindings(policy);
  if (details.length > 0) acknowledge(policy, name, details);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validateMlflowProps(scope: Construct, id: string, props: MlflowTrackingServerProps): void {
  const v = PropsValidator.forNew('MlflowTrackingServer', scope, id);
  v.pattern('trackingServerName', props.trackingServerName, MLFLOW_TRACKING_SERVER_NAME.pattern,
    MLFLOW_TRACKING_SERVER_NAME.description, MLFLOW_TRACKING_SERVER_NAME.maxLength);
  if (props.size) {
    v.oneOf('size', props.size.value, MLFLOW_TRACKING_SERVER_SIZES);
  }
  v.pattern('mlflowVersion', props.mlflowVersion, MLFLOW_VERSION.pattern, MLFLOW_VERSION.description, MLFLOW_VERSION.maxLength);
  if (props.maintenanceWindow) {
    const w = props.maintenanceWindow;
    v.oneOf('maintenanceWindow.day', w.day, Object.values(MaintenanceDay) as string[]);
    v.range('maintenanceWindow.hourUtc', w.hourUtc, 0, 23);
    v.range('maintenanceWindow.minute', w.minute, 0, 59);
    if (!v.hasErrors && !Token.isUnresolved(w.hourUtc) && !Token.isUnresolved(w.minute ?? 0)) {
      const text = `${w.day}:${pad(w.hourUtc)}:${pad(w.minute ?? 0)}`;
      v.check(MLFLOW_MAINTENANCE_WINDOW.test(text), `maintenanceWindow must be a day, hour and minute, got '${text}'`);
    }
  }
  if (!props.artifactKey && !props.artifactBucket.encryptionKey) {
    v.error(`artifactBucket (${props.artifactBucket.node.path}) has no customer-managed KMS key: pass a SecureBucket, or the key `
      + 'that encrypts the bucket as artifactKey');
  }
  if (props.artifactPrefix !== undefined && !Token.isUnresolved(props.artifactPrefix)) {
    v.check(/^[^/*?\s][^*?\s]*\/$/.test(props.artifactPrefix),
      `artifactPrefix must be a key prefix ending with '/', without wildcards, spaces or a leading '/', got '${props.artifactPrefix}'`);
    v.check(`s3://${'x'.repeat(63)}/${props.artifactPrefix}`.length <= MLFLOW_ARTIFACT_STORE_URI_MAX,
      `artifactPrefix must keep the artifact store URI within ${MLFLOW_ARTIFACT_STORE_URI_MAX} characters, got a prefix of ${props.artifactPrefix.length}`);
  }
  v.throwIfInvalid();
}
