import { Arn, ArnFormat, IResource, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DataQualityMonitor, DataQualityMonitorOptions } from './data-quality-monitor';
import { DeploymentStrategy, RollbackAlarmOptions } from './deployment-strategy';
import { DataCaptureOptions, InstanceVariantProps, ServerlessVariantProps } from './endpoint-options';
import { buildHostedEndpoint } from './private/endpoint-builder';
import { generatedName } from './private/hosting';
import { ENDPOINT_INSTANCE_NAMESPACE, INVOCATION_NAMESPACE, sageMakerMetric } from './private/metrics';
import { GuardedVariant } from './private/scaling-guard';
import {
  ENDPOINT_NAME, resolveInstanceVariants, ResolvedInstanceVariant, validateDataCapture, validateDeployment, validateRollbackAlarms, VARIANT_NAME,
} from './private/variants';
import { EnableInstanceScalingProps, VariantInstanceScaling } from './variant-scaling';
import { IPlatformNetwork } from '../network/platform-network';
import { isGpuInstanceType } from '../private/inference-rules';
import { PropsValidator } from '../private/validation';

/** Options of the metric methods of an endpoint variant. */
export interface VariantMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant.
   *
   * @default - the endpoint's first variant ('AllTraffic' for imported endpoints)
   */
  readonly variantName?: string;
}

/**
 * A SageMaker endpoint.
 */
export interface IModelEndpoint extends IResource {
  /**
   * The name of the endpoint.
   *
   * @attribute
   */
  readonly endpointName: string;

  /**
   * The ARN of the endpoint.
   *
   * @attribute
   */
  readonly endpointArn: string;

  /** Lets `grantee` invoke the endpoint (`sagemaker:InvokeEndpoint` and `sagemaker:InvokeEndpointAsync`), on this endpoint only. */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;

  /** A metric of the endpoint's variant in the AWS/SageMaker namespace. */
  metric(metricName: string, options?: VariantMetricOptions): cloudwatch.Metric;

  /** Invocations: requests sent to the variant (Sum). */
  metricInvocations(options?: VariantMetricOptions): cloudwatch.Metric;

  /** ModelLatency: time the model takes to answer, in microseconds (Average). */
  metricModelLatency(options?: VariantMetricOptions): cloudwatch.Metric;

  /** Invocation4XXErrors: requests the model answered with a 4XX (Sum). */
  metricInvocation4XXErrors(options?: VariantMetricOptions): cloudwatch.Metric;

  /** Invocation5XXErrors: requests the model answered with a 5XX (Sum). */
  metricInvocation5XXErrors(options?: VariantMetricOptions): cloudwatch.Metric;
}

/** Attributes of an existing endpoint. */
export interface ModelEndpointAttributes {
  /**
   * The endpoint's name.
   *
   * @default - derived from `endpointArn`
   */
  readonly endpointName?: string;

  /**
   * The endpoint's ARN.
   *
   * @default - built from `endpointName` in the stack's account and Region
   */
  readonly endpointArn?: string;

  /**
   * The variant the metric methods use by default.
   *
   * @default 'AllTraffic'
   */
  readonly defaultVariantName?: string;
}

/** Properties every endpoint of the module shares. */
export interface EndpointCommonProps {
  /** The platform network: the models run in its isolated subnets, and it gets the sagemaker.runtime endpoint. */
  readonly network: IPlatformNetwork;

  /**
   * The platform key: the ML storage volumes (except local NVMe instance stores), captured data,
   * asynchronous outputs, notifications, alarms topic and logs are encrypted with it.
   */
  readonly encryptionKey: kms.IKey;

  /**
   * The endpoint's name (clients call it by name; changing it replaces the endpoint).
   *
   * @default - a name derived from the construct path
   */
  readonly endpointName?: string;

  /**
   * How updates move traffic to the new fleet (instance variants only).
   *
   * @default DeploymentStrategy.canary() (10% of the fleet first, a 10-minute bake with the rollback alarms)
   */
  readonly deployment?: DeploymentStrategy;

  /**
   * Thresholds of the alarms that roll deployments back and stay on as the endpoint's alarms.
   *
   * @default - 1% 5XX errors, 5% 4XX errors, 1 second average model latency of the new fleet, 2 periods of 1 minute
   */
  readonly rollbackAlarms?: RollbackAlarmOptions;

  /**
   * Capture requests and responses for Model Monitor.
   *
   * @default - no data capture
   */
  readonly dataCapture?: DataCaptureOptions;

  /**
   * The topic the endpoint's alarms notify.
   *
   * @default - a KMS-encrypted topic (with `notificationsKey`) that accepts TLS only
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The key of the SNS topics created here (alarms, asynchronous notifications). Its policy must
   * let principals of the account use it through SNS (for example a `PlatformKeys` key with
   * `KeyUsageService.SNS`): the execution role publishes the asynchronous notifications.
   *
   * @default - `encryptionKey`
   */
  readonly notificationsKey?: kms.IKey;

  /**
   * Create a CloudWatch dashboard of the endpoint.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The key of the log groups (the containers' log group and the scaling guard's provider).
   *
   * @default - `encryptionKey` for the containers' logs; the stack's custom-resource logs key for the provider
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * How long the containers' logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the containers' log group when it leaves the stack. It has a fixed name
   * (`/aws/sagemaker/Endpoints/<endpoint>`): a retained group must be deleted before an endpoint of
   * the same name is created again.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of a {@link ModelEndpoint}. */
export interface ModelEndpointProps extends EndpointCommonProps {
  /**
   * Production variants on provisioned instances, in the platform VPC.
   *
   * @default - none; then `serverlessVariant` is required
   */
  readonly instanceVariants?: InstanceVariantProps[];

  /**
   * One production variant on SageMaker Serverless Inference. Serverless Inference does not support
   * VPC configuration or network isolation, so it needs `allowServerlessOutsideVpc`.
   *
   * @default - none; then `instanceVariants` is required
   */
  readonly serverlessVariant?: ServerlessVariantProps;

  /**
   * The platform's explicit permission to run a serverless variant outside the VPC, without network
   * isolation or data capture.
   *
   * @default false
   */
  readonly allowServerlessOutsideVpc?: boolean;

  /**
   * A production endpoint: every instance variant runs at least two instances (SageMaker spreads
   * them over the Availability Zones of the subnets), also when autoscaled and on schedules.
   *
   * @default true
   */
  readonly production?: boolean;
}

/**
 * The metrics and grants every endpoint has.
 */
export abstract class ModelEndpointBase extends Resource implements IModelEndpoint {
  public abstract readonly endpointName: string;
  public abstract readonly endpointArn: string;

  /** The variant the metric methods use by default. */
  protected abstract readonly defaultVariantName: string;

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'],
      resourceArns: [this.endpointArn],
    });
  }

  public metric(metricName: string, options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, metricName, 'Sum', options);
  }

  public metricInvocations(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'Invocations', 'Sum', options);
  }

  /** InvocationsPerInstance: requests per instance, the metric invocation-based scaling tracks (Sum). */
  public metricInvocationsPerInstance(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'InvocationsPerInstance', 'Sum', options);
  }

  public metricModelLatency(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'ModelLatency', 'Average', options);
  }

  /** OverheadLatency: time SageMaker adds to the model latency, in microseconds (Average). */
  public metricOverheadLatency(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'OverheadLatency', 'Average', options);
  }

  public metricInvocation4XXErrors(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'Invocation4XXErrors', 'Sum', options);
  }

  public metricInvocation5XXErrors(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'Invocation5XXErrors', 'Sum', options);
  }

  /** InvocationModelErrors: requests that got an error from the model container (Sum). */
  public metricInvocationModelErrors(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'InvocationModelErrors', 'Sum', options);
  }

  /** ConcurrentRequestsPerModel: concurrent requests per model, a high-resolution metric (Maximum). */
  public metricConcurrentRequestsPerModel(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(INVOCATION_NAMESPACE, 'ConcurrentRequestsPerModel', 'Maximum', options);
  }

  /** CPUUtilization: the sum of the utilization of each CPU core, in percent (Average). */
  public metricCpuUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'CPUUtilization', 'Average', options);
  }

  /** CPUUtilizationNormalized: CPU utilization over all cores, 0 to 100% (Average). */
  public metricCpuUtilizationNormalized(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'CPUUtilizationNormalized', 'Average', options);
  }

  /** MemoryUtilization: memory used by the containers, in percent (Average). */
  public metricMemoryUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'MemoryUtilization', 'Average', options);
  }

  /** DiskUtilization: disk space used by the containers, in percent (Average). */
  public metricDiskUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'DiskUtilization', 'Average', options);
  }

  /** GPUUtilization: the sum of the utilization of each GPU, in percent (Average). */
  public metricGpuUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'GPUUtilization', 'Average', options);
  }

  /** GPUUtilizationNormalized: GPU utilization over all GPUs, 0 to 100%, the metric GPU-based scaling tracks (Average). */
  public metricGpuUtilizationNormalized(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'GPUUtilizationNormalized', 'Average', options);
  }

  /** GPUMemoryUtilization: the sum of the GPU memory used on each GPU, in percent (Average). */
  public metricGpuMemoryUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric(ENDPOINT_INSTANCE_NAMESPACE, 'GPUMemoryUtilization', 'Average', options);
  }

  /** ApproximateBacklogSize: requests queued on an asynchronous endpoint (Average). */
  public metricApproximateBacklogSize(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.endpointMetric('ApproximateBacklogSize', 'Average', options);
  }

  /** ApproximateBacklogSizePerInstance: queued requests per instance, the metric backlog scaling tracks (Average). */
  public metricApproximateBacklogSizePerInstance(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.endpointMetric('ApproximateBacklogSizePerInstance', 'Average', options);
  }

  /** ApproximateAgeOfOldestRequest: age of the oldest queued request, in seconds (Maximum). */
  public metricApproximateAgeOfOldestRequest(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.endpointMetric('ApproximateAgeOfOldestRequest', 'Maximum', options);
  }

  /** HasBacklogWithoutCapacity: 1 while requests are queued and the endpoint has no instance (Average). */
  public metricHasBacklogWithoutCapacity(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.endpointMetric('HasBacklogWithoutCapacity', 'Average', options);
  }

  /** A metric with the EndpointName and VariantName dimensions. */
  private variantMetric(namespace: string, metricName: string, defaultStatistic: string, options: VariantMetricOptions): cloudwatch.Metric {
    const { variantName, ...metricOptions } = options;
    return sageMakerMetric(namespace, metricName, {
      EndpointName: this.endpointName,
      VariantName: variantName ?? this.defaultVariantName,
    }, { statistic: defaultStatistic }, metricOptions);
  }

  /** A metric with the EndpointName dimension only (asynchronous inference). */
  private endpointMetric(metricName: string, defaultStatistic: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sageMakerMetric(INVOCATION_NAMESPACE, metricName, { EndpointName: this.endpointName }, { statistic: defaultStatistic }, options);
  }

  /** The endpoint's dashboard: traffic, errors and latency per variant, and instance utilization. */
  protected createDashboard(variants: string[], gpuVariants: string[], extra: cloudwatch.IWidget[] = []): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard');
    for (const variantName of variants) {
      const v = { variantName };
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: `${variantName}: invocations and errors`, left: [this.metricInvocations(v)], right: [this.metricInvocation4XXErrors(v), this.metricInvocation5XXErrors(v)] }),
        new cloudwatch.GraphWidget({ title: `${variantName}: latency (µs)`, left: [this.metricModelLatency(v), this.metricOverheadLatency(v)] }),
        new cloudwatch.GraphWidget({
          title: `${variantName}: utilization (%)`,
          left: [this.metricCpuUtilizationNormalized(v), this.metricMemoryUtilization(v), this.metricDiskUtilization(v),
            ...(gpuVariants.includes(variantName) ? [this.metricGpuUtilizationNormalized(v), this.metricGpuMemoryUtilization(v)] : [])],
        }),
      );
    }
    if (extra.length > 0) dashboard.addWidgets(...extra);
    return dashboard;
  }
}

/** An endpoint imported by name or ARN. */
class ImportedEndpoint extends ModelEndpointBase {
  public readonly endpointName: string;
  public readonly endpointArn: string;
  protected readonly defaultVariantName: string;

  constructor(scope: Construct, id: string, attrs: ModelEndpointAttributes) {
    super(scope, id);
    const stack = Stack.of(this);
    if (attrs.endpointArn) {
      this.endpointArn = attrs.endpointArn;
      this.endpointName = attrs.endpointName ?? Arn.split(attrs.endpointArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    } else if (attrs.endpointName) {
      this.endpointName = attrs.endpointName;
      // SageMaker writes endpoint ARNs in lower case
      const arnName = Token.isUnresolved(attrs.endpointName) ? attrs.endpointName : attrs.endpointName.toLowerCase();
      this.endpointArn = stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: arnName });
    } else {
      throw new Error(`ModelEndpoint.fromEndpointAttributes '${this.node.path}': give endpointName or endpointArn, got neither`);
    }
    this.defaultVariantName = attrs.defaultVariantName ?? 'AllTraffic';
  }
}

/**
 * A real-time SageMaker endpoint for the ML platform: models in the platform VPC with network
 * isolation and a least-privilege execution role; a KMS-encrypted storage volume (except on local
 * NVMe instance stores, where SageMaker rejects a key); optional data capture with KMS; blue/green
 * deployments with canary or linear traffic shifting and automatic rollback on 5XX, 4XX and
 * new-fleet latency alarms; `RetainAllVariantProperties`, so updates keep autoscaled instance
 * counts; and a scaling guard that lets instance-type changes of autoscaled variants deploy.
 *
 * @example
 * const endpoint = new ModelEndpoint(this, 'Churn', {
 *   network, encryptionKey: keys.data,
 *   instanceVariants: [{ model: ModelSource.fromModelPackage(pkg, { artifactsBucket }), instanceType: InstanceType.M5_XLARGE }],
 *   dataCapture: { bucket: captureBucket, samplingPercentage: 20 },
 * });
 * endpoint.autoScaleInstanceCount({ minCapacity: 2, maxCapacity: 6 })
 *   .scaleOnInvocations('Rps', { maxRequestsPerSecondPerInstance: 50 });
 * endpoint.grantInvoke(appRole);
 */
export class ModelEndpoint extends ModelEndpointBase {
  /** An existing endpoint, by name. */
  public static fromEndpointName(scope: Construct, id: string, endpointName: string): IModelEndpoint {
    return new ImportedEndpoint(scope, id, { endpointName });
  }

  /** An existing endpoint, by ARN. */
  public static fromEndpointArn(scope: Construct, id: string, endpointArn: string): IModelEndpoint {
    return new ImportedEndpoint(scope, id, { endpointArn });
  }

  /** An existing endpoint, by its attributes. */
  public static fromEndpointAttributes(scope: Construct, id: string, attrs: ModelEndpointAttributes): IModelEndpoint {
    return new ImportedEndpoint(scope, id, attrs);
  }

  public readonly endpointName: string;
  public readonly endpointArn: string;
  /** The execution role of the endpoint's models. */
  public readonly role: iam.IRole;
  /** The security group of the endpoint's models (instance variants). */
  public readonly securityGroup?: ec2.ISecurityGroup;
  /** The log group of the containers' logs. */
  public readonly logGroup: logs.ILogGroup;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The topic the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** The alarms that roll deployments back and watch the endpoint. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** The dashboard, unless turned off. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The names of the production variants. */
  public readonly variantNames: string[];
  /** True for a production endpoint (at least two instances per variant). */
  public readonly production: boolean;

  protected readonly defaultVariantName: string;
  private readonly resource: sagemaker.CfnEndpoint;
  private readonly instanceVariants: ResolvedInstanceVariant[];
  private readonly scalings = new Map<string, VariantInstanceScaling>();
  private readonly props: ModelEndpointProps;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    const production = props.production ?? true;
    const v = PropsValidator.forNew('ModelEndpoint', scope, id);
    v.pattern('endpointName', props.endpointName, ENDPOINT_NAME, 'letters and digits with single hyphens between them', 63);
    const instance = props.instanceVariants ?? [];
    const serverless = props.serverlessVariant;
    if (instance.length === 0 && !serverless) v.error('give instanceVariants or serverlessVariant, got neither');
    if (instance.length > 0 && serverless) v.error('give instanceVariants or serverlessVariant, not both (an endpoint cannot mix them)');
    if (instance.length > 10) v.error(`an endpoint takes at most 10 production variants, got ${instance.length}`);
    const resolved = resolveInstanceVariants(v, instance, production ? 2 : 1, production ? 2 : 1,
      'production endpoints run at least two instances, spread over Availability Zones; set production: false for development');
    if (serverless) validateServerless(v, props);
    if (props.dataCapture) validateDataCapture(v, props.dataCapture);
    const deployment = serverless ? undefined : props.deployment ?? DeploymentStrategy.canary();
    if (serverless && props.deployment) v.error('deployment applies to instance variants; a serverless endpoint deploys all at once');
    if (deployment) validateDeployment(v, deployment, resolved);
    validateRollbackAlarms(v, props.rollbackAlarms ?? {}, resolved.length);
    validateNetwork(v, props.network, production && !serverless);
    v.throwIfInvalid();

    super(scope, id);
    this.props = props;
    this.production = production;
    this.instanceVariants = resolved;
    this.endpointName = props.endpointName ?? generatedName(this).toLowerCase();

    const built = buildHostedEndpoint(this, {
      props,
      endpointName: this.endpointName,
      instanceVariants: resolved,
      serverless,
      deployment,
      guardedVariants: () => this.guardedVariants(),
    });
    this.role = built.hosting.role;
    this.securityGroup = built.hosting.securityGroup;
    this.logGroup = built.hosting.logGroup;
    this.endpointConfig = built.config;
    this.alarmTopic = built.alarmTopic;
    this.alarms = built.alarms;
    this.variantNames = built.variantNames;
    this.defaultVariantName = built.variantNames[0];
    this.resource = built.resource;
    this.endpointArn = built.resource.ref;

    if (props.dashboard ?? true) {
      this.dashboard = this.createDashboard(this.variantNames, resolved.filter((r) => isGpuInstanceType(r.instanceType)).map((r) => r.variantName));
    }
  }

  /**
   * Auto scaling of an instance variant's instance count, on Application Auto Scaling. Add policies
   * with the returned object's `scaleOn*` methods. Changing the variant's instance type later
   * deploys cleanly: the scaling guard deregisters the variant first, and the scalable target and
   * policies (whose logical IDs include the instance type) register it again after the update.
   */
  public autoScaleInstanceCount(props: EnableInstanceScalingProps): VariantInstanceScaling {
    const variant = this.findInstanceVariant('autoScaleInstanceCount', props.variantName);
    const id = `${variant.variantName}AutoScaling`;
    if (this.scalings.has(variant.variantName)) {
      throw new Error(`ModelEndpoint '${this.node.path}': autoScaleInstanceCount was already called for variant '${variant.variantName}'`);
    }
    const scaling = VariantInstanceScaling._create(this, id, {
      endpointName: this.endpointName,
      variantName: variant.variantName,
      instanceType: variant.instanceType,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      endpoint: this.resource,
    }, this.production ? 2 : 1, this.production
      ? 'production endpoints keep at least two instances, one per Availability Zone'
      : 'a real-time variant needs an instance to answer requests');
    this.scalings.set(variant.variantName, scaling);
    return scaling;
  }

  /**
   * Adds a Model Monitor data-quality schedule for this endpoint; it needs `dataCapture`.
   */
  public addDataQualityMonitor(id: string, options: DataQualityMonitorOptions): DataQualityMonitor {
    const capture = this.props.dataCapture;
    if (!capture) {
      throw new Error(`ModelEndpoint '${this.node.path}': addDataQualityMonitor needs dataCapture, which this endpoint does not have`);
    }
    return new DataQualityMonitor(this, id, {
      ...options,
      endpoint: this,
      network: this.props.network,
      encryptionKey: this.props.encryptionKey,
      captureBucket: capture.bucket,
      capturePrefix: capture.prefix ?? 'data-capture',
    });
  }

  private findInstanceVariant(method: string, variantName: string | undefined): ResolvedInstanceVariant {
    if (this.instanceVariants.length === 0) {
      throw new Error(`ModelEndpoint '${this.node.path}': ${method} needs an instance variant; serverless variants scale on their own`);
    }
    if (variantName === undefined) {
      if (this.instanceVariants.length > 1) {
        throw new Error(`ModelEndpoint '${this.node.path}': ${method} needs variantName, the endpoint has ${this.instanceVariants.length} variants `
          + `(${this.instanceVariants.map((r) => r.variantName).join(', ')})`);
      }
      return this.instanceVariants[0];
    }
    const found = this.instanceVariants.find((r) => r.variantName === variantName);
    if (!found) {
      throw new Error(`ModelEndpoint '${this.node.path}': ${method} got variantName '${variantName}', which is not one of `
        + `${this.instanceVariants.map((r) => r.variantName).join(', ')}`);
    }
    return found;
  }

  private guardedVariants(): GuardedVariant[] {
    return [...this.scalings.values()].map((s) => ({ variantName: s.variantName, instanceType: s.instanceType }));
  }
}

function validateServerless(v: PropsValidator, props: ModelEndpointProps): void {
  const serverless = props.serverlessVariant!;
  if (props.allowServerlessOutsideVpc !== true) {
    v.error('serverlessVariant runs outside the platform VPC, without network isolation: SageMaker Serverless Inference does '
      + 'not support VPC configuration. Set allowServerlessOutsideVpc: true if the platform permits that, or use instanceVariants');
  }
  v.pattern('serverlessVariant.variantName', serverless.variantName, VARIANT_NAME, 'letters and digits with single hyphens between them', 63);
  const mib = serverless.memorySize.toMebibytes();
  if (!Token.isUnresolved(mib) && (mib < 1024 || mib > 6144 || mib % 1024 !== 0)) {
    v.error(`serverlessVariant.memorySize must be 1, 2, 3, 4, 5 or 6 GiB, got ${mib} MiB`);
  }
  v.range('serverlessVariant.maxConcurrency', serverless.maxConcurrency, 1, 200);
  v.range('serverlessVariant.provisionedConcurrency', serverless.provisionedConcurrency, 1, serverless.maxConcurrency);
  if (props.dataCapture) v.error('dataCapture is not supported by SageMaker Serverless Inference; remove it or use instanceVariants');
}

/** A production endpoint needs subnets in two Availability Zones (checked when the AZs are known). */
function validateNetwork(v: PropsValidator, network: IPlatformNetwork, production: boolean): void {
  if (!production) return;
  const azs = network.subnets.map((s) => s.availabilityZone).filter((az) => az && !Token.isUnresolved(az));
  if (azs.length === network.subnets.length && new Set(azs).size < 2) {
    v.error(`production endpoints need subnets in at least two Availability Zones, got ${[...new Set(azs)].join(', ') || 'none'}`);
  }
}
