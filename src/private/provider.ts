/**
 * Custom-resource provider plumbing shared by every module.
 *
 * `PlatformProvider.getOrCreate(scope, props)` returns the ONE provider of a handler type in the stack
 * of `scope` (construct ID `SageMakerPlatform<Name>Provider` at the stack root), creating it on first
 * use. Each custom-resource instance is then created with `provider.createResource(...)`, which
 * attaches that instance's least-privilege statements as its own customer-managed policy and makes
 * the resource depend on it.
 *
 * Why one policy per instance (and not statements appended to a shared policy): when an instance is
 * removed from a stack, CloudFormation updates shared resources first and deletes removed ones in the
 * cleanup phase, so a shared policy would lose the instance's permissions before its Delete runs. A
 * per-instance policy is deleted after the resource that depends on it. IAM attaches at most 10 managed
 * policies to a role by default, so a provider serves at most {@link MAX_INSTANCE_POLICIES} instances
 * that add statements; handler types with many instances should scope their statements without the
 * instance (name patterns, tags) and add them once with `addToHandlerPolicy`.
 *
 * What it creates, and why each piece passes the four rule packs:
 * - one log group per provider (shared by the handler and framework functions and the waiter state
 *   machine), KMS-encrypted with the given logs key, explicit retention, retained on delete;
 * - without a logs key: one customer-managed key per stack (`SageMakerPlatformCustomResourceLogsKey`),
 *   rotated, retained, usable only by CloudWatch Logs in this account and Region;
 * - IAM roles whose permissions are customer-managed policies (the HIPAA/NIST/PCI packs reject inline
 *   policies, AwsSolutions rejects AWS managed ones): the logs statement is written here instead of
 *   AWSLambdaBasicExecutionRole; the framework's own waiter role is converted the same way;
 * - reserved concurrency on every function, the latest Node.js runtime, JSON logs;
 * - with isComplete: the Step Functions waiter logs ALL events (without execution data, which would
 *   include the presigned response URL) and has X-Ray tracing.
 *
 * The functions run outside the VPC and without a DLQ; see the acknowledgments
 * CUSTOM_RESOURCE_OUTSIDE_VPC and CUSTOM_RESOURCE_NO_DLQ for the reasons.
 *
 * @example
 * const provider = PlatformProvider.getOrCreate(this, {
 *   name: 'FeatureMetadata',
 *   onEventHandler: (s, id, o) => new FeatureMetadataFunction(s, id, o),
 *   logKey: props.logKey,
 * });
 * const resource = provider.createResource(this, 'Metadata', {
 *   properties: { FeatureGroupName: group.ref },
 *   statements: [new iam.PolicyStatement({ actions: ['sagemaker:UpdateFeatureMetadata'], resources: [group.attrFeatureGroupArn] })],
 * });
 * resource.getAttString('SomeAttribute');
 */
import { CfnResource, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, AcknowledgmentName } from './acknowledgments';
import { wildcardFindings } from './nag-detail';
import { PropsValidator } from './validation';

/** Creates a handler function: one of the generated constructs in src/private/handlers. */
export type HandlerFactory = (scope: Construct, id: string, options: lambda.FunctionOptions) => lambda.Function;

/** Managed policies IAM attaches to one role by default ("Managed policies per role" quota), minus the base policy. */
export const MAX_INSTANCE_POLICIES = 9;

/** Construct ID of the per-stack logs key created when a provider gets none. */
export const DEFAULT_LOGS_KEY_ID = 'SageMakerPlatformCustomResourceLogsKey';

/** How one handler type's provider is built. The first caller in a stack decides. */
export interface PlatformProviderProps {
  /**
   * PascalCase name of the handler type, for example `DomainTeardown`. The provider's construct ID is
   * `SageMakerPlatform<name>Provider` and its resource type `Custom::SageMakerPlatform<name>`.
   */
  readonly name: string;

  /** Creates the onEvent function, for example `(s, id, o) => new DomainTeardownOnEventFunction(s, id, o)`. */
  readonly onEventHandler: HandlerFactory;

  /**
   * Creates the isComplete function; the provider then polls it through a Step Functions waiter.
   *
   * @default - synchronous: onEvent finishes the work in one invocation
   */
  readonly isCompleteHandler?: HandlerFactory;

  /**
   * Time between isComplete calls.
   *
   * @default Duration.seconds(30) with an isComplete handler
   */
  readonly queryInterval?: Duration;

  /**
   * Total time an operation may take before it fails; at most 55 minutes, because CloudFormation waits
   * one hour for a custom resource's response.
   *
   * @default Duration.minutes(30) with an isComplete handler
   */
  readonly totalTimeout?: Duration;

  /**
   * Timeout of each handler invocation.
   *
   * @default Duration.minutes(5)
   */
  readonly handlerTimeout?: Duration;

  /**
   * Memory of the handler functions, in MiB.
   *
   * @default 256
   */
  readonly memorySize?: number;

  /**
   * The key that encrypts the provider's log group. Its key policy must let CloudWatch Logs use it
   * (this provider adds that statement to keys it can modify).
   *
   * @default - the stack's `SageMakerPlatformCustomResourceLogsKey`, created on first use
   */
  readonly logKey?: kms.IKey;

  /**
   * Reserved concurrency of each function.
   *
   * @default 5
   */
  readonly reservedConcurrency?: number;

  /**
   * How long the provider's logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** One custom-resource instance served by a {@link PlatformProvider}. */
export interface PlatformResourceOptions {
  /** Properties passed to the handler (values are strings, numbers, booleans, lists or maps of them). */
  readonly properties?: { [key: string]: unknown };

  /**
   * Least-privilege statements the handlers need for this instance only: attached to the handler role
   * as this instance's own customer-managed policy, which the resource depends on.
   *
   * @default - none
   */
  readonly statements?: iam.PolicyStatement[];

  /**
   * The registry entry that acknowledges AwsSolutions-IAM5 for the wildcard resources of `statements`
   * (each one separately, in cdk-nag's `Resource::<resolved ARN>` form). Its reason must say why each
   * wildcard cannot be narrowed.
   *
   * @default - no acknowledgment: wildcards in `statements` are findings
   */
  readonly wildcardAcknowledgment?: AcknowledgmentName;
}

/**
 * A role whose statements go to one customer-managed policy attached to it, never to an inline policy.
 */
class ManagedPolicyRole extends iam.Role {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, description: string) {
    super(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description, roles: [this] });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(withoutVersionWildcards(statement));
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/**
 * `grantInvoke` also grants `<function-arn>:*` (every version and alias). The provider framework invokes
 * the unqualified ARN only, so invoke statements drop that wildcard.
 */
function withoutVersionWildcards(statement: iam.PolicyStatement): iam.PolicyStatement {
  const invokeOnly = statement.actions.length > 0 && statement.actions.every((a) => a === 'lambda:InvokeFunction');
  const resources = statement.resources;
  if (!invokeOnly || !resources.some((r) => r.endsWith(':*'))) return statement;
  const json = statement.toStatementJson();
  return new iam.PolicyStatement({
    sid: statement.sid,
    effect: statement.effect,
    actions: statement.actions,
    resources: resources.filter((r) => !r.endsWith(':*')),
    conditions: json.Condition,
  });
}

/**
 * The one custom-resource provider of a handler type in a stack.
 */
export class PlatformProvider extends Construct {
  /** The provider of `props.name` in the stack of `scope`, created on first use. */
  public static getOrCreate(scope: IConstruct, props: PlatformProviderProps): PlatformProvider {
    const stack = Stack.of(scope);
    const id = `SageMakerPlatform${props.name}Provider`;
    const existing = stack.node.tryFindChild(id);
    if (existing) {
      if (!(existing instanceof PlatformProvider)) {
        throw new Error(`Construct ID '${id}' at the root of stack '${stack.stackName}' is reserved for the ${props.name} custom-resource provider`);
      }
      if (props.logKey && props.logKey !== existing.logKey) {
        throw new Error(`The ${props.name} custom-resource provider of stack '${stack.stackName}' already encrypts its logs with `
          + `'${existing.logKey.node.path}'; got a different logKey '${props.logKey.node.path}' from '${scope.node.path}'. `
          + 'Pass the same logs key to every platform construct of a stack.');
      }
      return existing;
    }
    return new PlatformProvider(stack, id, props);
  }

  /** The stack's default logs key for providers that get none, created on first use. */
  private static defaultLogKey(stack: Stack): kms.IKey {
    const existing = stack.node.tryFindChild(DEFAULT_LOGS_KEY_ID);
    if (existing) return existing as kms.IKey;
    return new kms.Key(stack, DEFAULT_LOGS_KEY_ID, {
      description: `Encrypts the custom-resource logs of cdk-sagemaker-platform in ${stack.stackName}`,
      enableKeyRotation: true,
      // logs outlive the stack (RETAIN), so the key that decrypts them must too
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The PascalCase handler-type name. */
  public readonly name: string;

  /** The service token of the custom resources. */
  public readonly serviceToken: string;

  /** The aws-cdk-lib provider framework. */
  public readonly provider: cr.Provider;

  /** The onEvent handler. */
  public readonly onEventFunction: lambda.Function;

  /** The isComplete handler, when the provider polls. */
  public readonly isCompleteFunction?: lambda.Function;

  /** The role of the onEvent and isComplete handlers: per-instance policies are attached to it. */
  public readonly handlerRole: iam.IRole;

  /** The customer-managed policy of `handlerRole` that `addToHandlerPolicy` adds to (construct ID 'Policy'). */
  public readonly handlerPolicy: iam.ManagedPolicy;

  /** The log group of every function and the waiter state machine. */
  public readonly logGroup: logs.ILogGroup;

  /** The key of the log group. */
  public readonly logKey: kms.IKey;

  private readonly handlerRoleImpl: ManagedPolicyRole;
  private instancePolicies = 0;

  private constructor(scope: Stack, id: string, props: PlatformProviderProps) {
    validateProviderProps(scope, id, props);
    super(scope, id);
    this.name = props.name;
    const concurrency = props.reservedConcurrency ?? 5;
    const stack = Stack.of(this);

    this.logKey = props.logKey ?? PlatformProvider.defaultLogKey(stack);
    allowCloudWatchLogs(this.logKey);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: this.logKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      // deployment audit trail: kept after the stack is deleted, expires with its retention
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup = logGroup;

    const role = new ManagedPolicyRole(this, 'HandlerRole', `Handlers of the ${props.name} custom resources`);
    allowLogWrites(role, logGroup);
    this.handlerRoleImpl = role;
    this.handlerRole = role;
    this.handlerPolicy = role.policy;

    const functionOptions: lambda.FunctionOptions = {
      role,
      timeout: props.handlerTimeout ?? Duration.minutes(5),
      memorySize: props.memorySize ?? 256,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      reservedConcurrentExecutions: concurrency,
    };
    this.onEventFunction = props.onEventHandler(this, 'OnEventHandler', {
      ...functionOptions,
      description: `${props.name} custom resource: onEvent`,
    });
    this.isCompleteFunction = props.isCompleteHandler?.(this, 'IsCompleteHandler', {
      ...functionOptions,
      description: `${props.name} custom resource: isComplete`,
    });

    const frameworkOnEventRole = new ManagedPolicyRole(this, 'FrameworkOnEventRole', `Provider framework onEvent of the ${props.name} custom resources`);
    allowLogWrites(frameworkOnEventRole, logGroup);
    let frameworkCompleteRole: ManagedPolicyRole | undefined;
    if (this.isCompleteFunction) {
      frameworkCompleteRole = new ManagedPolicyRole(this, 'FrameworkCompleteRole',
        `Provider framework isComplete and onTimeout of the ${props.name} custom resources`);
      allowLogWrites(frameworkCompleteRole, logGroup);
    }

    const polling = this.isCompleteFunction !== undefined;
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      queryInterval: polling ? props.queryInterval ?? Duration.seconds(30) : undefined,
      totalTimeout: polling ? props.totalTimeout ?? Duration.minutes(30) : undefined,
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkCompleteRole,
      logGroup,
      frameworkLambdaLoggingLevel: lambda.ApplicationLogLevel.INFO,
      waiterStateMachineLogOptions: polling ? { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false } : undefined,
      disableWaiterStateMachineLogging: polling ? false : undefined,
    });
    this.serviceToken = this.provider.serviceToken;

    for (const fn of [this.onEventFunction, this.isCompleteFunction]) {
      if (fn) acknowledgeFunction(fn);
    }
    for (const child of this.provider.node.children) {
      if (child instanceof lambda.Function) {
        (child.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = concurrency;
        acknowledgeFunction(child);
      }
    }
    if (polling) hardenWaiter(this.provider);
  }

  /**
   * Adds a statement for every instance to the handler role (use for statements that name no instance).
   * With `wildcardAcknowledgment`, the statement's wildcard findings are acknowledged on the policy with
   * that registry entry (see `PlatformResourceOptions.wildcardAcknowledgment`).
   */
  public addToHandlerPolicy(statement: iam.PolicyStatement, wildcardAcknowledgment?: AcknowledgmentName): void {
    this.handlerRoleImpl.addToPrincipalPolicy(statement);
    if (wildcardAcknowledgment) {
      const details = wildcardFindings(this, [statement]);
      if (details.length > 0) acknowledge(this.handlerPolicy, wildcardAcknowledgment, details);
    }
  }

  /**
   * Creates one custom resource of this type at `scope/id`, with its instance policy at `scope/id/Policy`.
   */
  public createResource(scope: Construct, id: string, options: PlatformResourceOptions = {}): CustomResource {
    const resource = new CustomResource(scope, id, {
      serviceToken: this.serviceToken,
      resourceType: `Custom::SageMakerPlatform${this.name}`,
      properties: options.properties,
    });
    const statements = options.statements ?? [];
    if (statements.length > 0) {
      this.instancePolicies += 1;
      if (this.instancePolicies > MAX_INSTANCE_POLICIES) {
        throw new Error(`The ${this.name} custom-resource provider of stack '${Stack.of(this).stackName}' would get more than `
          + `${MAX_INSTANCE_POLICIES} instance policies ('${resource.node.path}' is instance ${this.instancePolicies}); IAM attaches at `
          + 'most 10 managed policies to a role by default. Scope the statements without the instance and use addToHandlerPolicy.');
      }
      const policy = new iam.ManagedPolicy(resource, 'Policy', {
        description: `${this.name} custom resource ${resource.node.path}`.slice(0, 1000),
        statements,
        roles: [this.handlerRoleImpl],
      });
      // created before and deleted after the resource, so every handler call has its permissions
      (resource.node.defaultChild as CfnResource).node.addDependency(policy);
      if (options.wildcardAcknowledgment) {
        const details = wildcardFindings(this, statements);
        if (details.length > 0) acknowledge(policy, options.wildcardAcknowledgment, details);
      }
    }
    return resource;
  }
}

function validateProviderProps(scope: Stack, id: string, props: PlatformProviderProps): void {
  const v = PropsValidator.forNew('PlatformProvider', scope, id);
  v.pattern('name', props.name, /^[A-Z][A-Za-z0-9]*$/, 'PascalCase letters and digits', 30);
  v.range('reservedConcurrency', props.reservedConcurrency, 1, 1000);
  const polling = props.isCompleteHandler !== undefined;
  v.check(polling || (props.queryInterval === undefined && props.totalTimeout === undefined),
    'queryInterval and totalTimeout need an isCompleteHandler');
  const interval = (props.queryInterval ?? Duration.seconds(30)).toSeconds();
  const total = (props.totalTimeout ?? Duration.minutes(30)).toSeconds();
  if (polling) {
    // CloudFormation waits one hour for a custom resource's response
    v.range('totalTimeout (seconds)', total, 1, 55 * 60);
    v.check(interval > 0 && total % interval === 0,
      `totalTimeout must be a multiple of queryInterval, got ${total} and ${interval} seconds`);
  }
  v.throwIfInvalid();
}

/** Lets a function role write to the provider log group (instead of AWSLambdaBasicExecutionRole). */
function allowLogWrites(role: iam.IRole, logGroup: logs.ILogGroup): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    // the log group's ARN attribute ends with ':*', which covers exactly its log streams
    resources: [logGroup.logGroupArn],
  }));
}

/** Lets CloudWatch Logs of this account and Region use the key; imported keys are left as they are (their policy is their owner's). */
function allowCloudWatchLogs(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
    },
  }));
}

function acknowledgeFunction(fn: lambda.Function): void {
  acknowledge(fn, 'CUSTOM_RESOURCE_OUTSIDE_VPC');
  acknowledge(fn, 'CUSTOM_RESOURCE_NO_DLQ');
}

/**
 * The framework's waiter creates its own role with an inline default policy. Replace that policy with a
 * customer-managed one written here: invoke exactly the two framework functions the definition calls
 * (unqualified, so no `:*` version wildcard), the log-delivery actions the Step Functions developer guide
 * lists for logging, and X-Ray, which this turns on.
 */
function hardenWaiter(provider: cr.Provider): void {
  const waiter = provider.node.tryFindChild('waiter-state-machine');
  const role = waiter?.node.tryFindChild('Role') as iam.Role | undefined;
  const stateMachine = waiter?.node.tryFindChild('Resource') as sfn.CfnStateMachine | undefined;
  const isComplete = provider.node.tryFindChild('framework-isComplete') as lambda.Function | undefined;
  const onTimeout = provider.node.tryFindChild('framework-onTimeout') as lambda.Function | undefined;
  if (!waiter || !role || !stateMachine || !isComplete || !onTimeout || !role.node.tryRemoveChild('DefaultPolicy')) {
    throw new Error('aws-cdk-lib changed the provider framework\'s waiter state machine; src/private/provider.ts needs an update');
  }
  stateMachine.tracingConfiguration = { enabled: true };
  const policy = new iam.ManagedPolicy(role, 'Policy', {
    description: `Provider framework waiter state machine ${waiter.node.path}`.slice(0, 1000),
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'InvokeFrameworkFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: [isComplete.functionArn, onTimeout.functionArn],
      }),
      new iam.PolicyStatement({
        sid: 'LogDelivery',
        actions: WAITER_LOG_DELIVERY_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'XRayTracing',
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        resources: ['*'],
      }),
    ],
  });
  stateMachine.node.addDependency(policy);
  acknowledge(policy, 'CUSTOM_RESOURCE_WAITER_SERVICE_WIDE', ['Resource::*']);
}

/** What Step Functions needs to deliver logs to CloudWatch Logs (developer guide, "IAM policies for logging"). */
export const WAITER_LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
