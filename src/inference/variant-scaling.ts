import { CfnDeletionPolicy, CfnResource, Duration, Tags, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ENDPOINT_INSTANCE_NAMESPACE, INVOCATION_NAMESPACE, serviceLinkedRole } from './private/metrics';
import { addScaleOutFromZero, trackingDefaults, validateBounds } from './private/scaling';
import { ENDPOINT_TAG_KEY } from './private/scaling-guard';
import { burstableRule, isGpuInstanceType } from '../private/inference-rules';
import { PropsValidator } from '../private/validation';

/** Options of `autoScaleInstanceCount`. */
export interface EnableInstanceScalingProps {
  /**
   * The variant to scale.
   *
   * @default - the endpoint's only instance variant
   */
  readonly variantName?: string;

  /**
   * The fewest instances. Real-time variants need at least 1 (at least 2 on production endpoints, one
   * per Availability Zone); asynchronous variants may scale to 0.
   */
  readonly minCapacity: number;

  /** The most instances, at least `minCapacity`. */
  readonly maxCapacity: number;
}

/** Cooldowns of a target-tracking policy. */
export interface ScalingCooldownOptions {
  /**
   * How long after a scale-in activity before another may start.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long after a scale-out activity before another may start.
   *
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Let the policy only add capacity (for example when a schedule removes it).
   *
   * @default false
   */
  readonly disableScaleIn?: boolean;
}

/** Options of `scaleOnInvocations`. */
export interface InvocationsScalingProps extends ScalingCooldownOptions {
  /**
   * The highest request rate one instance sustains within your latency objective, measured with a
   * load test (for example with SageMaker Inference Recommender).
   */
  readonly maxRequestsPerSecondPerInstance: number;

  /**
   * The share of that rate to aim for, above 0 and at most 1: headroom for traffic that arrives
   * while new instances start.
   *
   * @default 0.5
   */
  readonly safetyFactor?: number;
}

/** Options of `scaleOnGpuUtilization`. */
export interface GpuUtilizationScalingProps extends ScalingCooldownOptions {
  /**
   * The average GPU utilization to keep, in percent of all GPUs of an instance
   * (GPUUtilizationNormalized, 1 to 100).
   *
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

/** Options of `scaleOnConcurrentRequests`. */
export interface ConcurrentRequestsScalingProps extends ScalingCooldownOptions {
  /**
   * The number of concurrent requests per model (per instance) to keep, from the high-resolution
   * ConcurrentRequestsPerModel metric (published every 10 seconds).
   */
  readonly targetConcurrentRequestsPerModel: number;
}

/** Options of `scaleOnBacklog`. */
export interface BacklogScalingProps extends ScalingCooldownOptions {
  /**
   * The number of queued requests per instance to keep (ApproximateBacklogSizePerInstance).
   *
   * @default 5
   */
  readonly targetBacklogPerInstance?: number;
}

/** @internal */
export interface VariantTargetOptions {
  readonly endpointName: string;
  readonly variantName: string;
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly endpoint: CfnResource;
}

/**
 * The scalable target of an endpoint variant. Its construct ID, and so the logical IDs of the target
 * and of every policy under it, include the instance type: when the type changes, the scaling guard
 * deregisters the variant before the endpoint update and CloudFormation registers it again with
 * these new resources after it (see the scaling guard). The old target is kept by its
 * `RetainExceptOnCreate` deletion policy: deleting it would deregister the new registration, which
 * has the same resource ID. A target created by a failed operation is still deleted on rollback.
 */
function variantTarget(scope: Construct, options: VariantTargetOptions): appscaling.ScalableTarget {
  const target = new appscaling.ScalableTarget(scope, `Target-${options.instanceType}`, {
    serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
    resourceId: `endpoint/${options.endpointName}/variant/${options.variantName}`,
    scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    minCapacity: options.minCapacity,
    maxCapacity: options.maxCapacity,
    role: serviceLinkedRole(scope),
  });
  const cfn = target.node.defaultChild as appscaling.CfnScalableTarget;
  cfn.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
  // a replacement has a new resource ID (renamed endpoint or variant): deleting the old one is right
  cfn.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.DELETE;
  // the resource ID names the endpoint by its literal name: register only once it exists
  cfn.node.addDependency(options.endpoint);
  Tags.of(cfn).add(ENDPOINT_TAG_KEY, options.endpointName);
  return target;
}

function validateCapacity(v: PropsValidator, options: VariantTargetOptions, minimum: number, minimumReason: string): void {
  validateBounds(v, options.minCapacity, options.maxCapacity, { minimum, reason: minimumReason });
  const burstable = burstableRule(options.instanceType);
  if (burstable) {
    v.error(`variant '${options.variantName}' runs on ${options.instanceType}, a burstable instance type that cannot be `
      + `registered for auto scaling (${burstable.source})`);
  }
}

function validateSchedule(
  v: PropsValidator, schedule: appscaling.ScalingSchedule, minimum: number, minimumReason: string, maxCapacity: number,
): void {
  if (schedule.minCapacity === undefined && schedule.maxCapacity === undefined) {
    v.error('a scheduled action needs minCapacity or maxCapacity, got neither');
  }
  if (schedule.minCapacity !== undefined && !Token.isUnresolved(schedule.minCapacity) && schedule.minCapacity < minimum) {
    v.error(`scheduled minCapacity must be at least ${minimum} (${minimumReason}), got ${schedule.minCapacity}`);
  }
  if (schedule.maxCapacity !== undefined && !Token.isUnresolved(schedule.maxCapacity) && schedule.maxCapacity < Math.max(minimum, 1)) {
    v.error(`scheduled maxCapacity must be at least ${Math.max(minimum, 1)}, got ${schedule.maxCapacity}`);
  }
  if (schedule.minCapacity !== undefined && schedule.maxCapacity !== undefined && schedule.maxCapacity < schedule.minCapacity) {
    v.error(`scheduled maxCapacity must be at least its minCapacity (${schedule.minCapacity}), got ${schedule.maxCapacity}`);
  }
  if (schedule.minCapacity !== undefined && !Token.isUnresolved(maxCapacity) && schedule.minCapacity > maxCapacity) {
    // Application Auto Scaling accepts it and raises the target's maximum: say so at synth instead
    v.error(`scheduled minCapacity (${schedule.minCapacity}) is above the target's maxCapacity (${maxCapacity})`);
  }
}

/**
 * Auto scaling of a real-time endpoint variant's instance count, on Application Auto Scaling.
 * Get one with `ModelEndpoint.autoScaleInstanceCount`, then add policies with its methods.
 *
 * @example
 * const scaling = endpoint.autoScaleInstanceCount({ minCapacity: 2, maxCapacity: 8 });
 * scaling.scaleOnInvocations('Rps', { maxRequestsPerSecondPerInstance: 40 });
 */
export class VariantInstanceScaling extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, options: VariantTargetOptions, minimum: number, minimumReason: string): VariantInstanceScaling {
    return new VariantInstanceScaling(scope, id, options, minimum, minimumReason);
  }

  /** The scalable target (its construct ID includes the instance type; see the scaling guard). */
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The variant this scales. */
  public readonly variantName: string;
  /** The instance type of the variant. */
  public readonly instanceType: string;
  /** The fewest instances. */
  public readonly minCapacity: number;
  /** The most instances. */
  public readonly maxCapacity: number;

  private readonly endpointName: string;
  private readonly minimum: number;
  private readonly minimumReason: string;

  private constructor(scope: Construct, id: string, options: VariantTargetOptions, minimum: number, minimumReason: string) {
    const v = PropsValidator.forNew('VariantInstanceScaling', scope, id);
    validateCapacity(v, options, minimum, minimumReason);
    v.throwIfInvalid();
    super(scope, id);
    this.variantName = options.variantName;
    this.instanceType = options.instanceType;
    this.minCapacity = options.minCapacity;
    this.maxCapacity = options.maxCapacity;
    this.endpointName = options.endpointName;
    this.minimum = minimum;
    this.minimumReason = minimumReason;
    this.scalableTarget = variantTarget(this, options);
  }

  /**
   * Tracks invocations per instance (SageMakerVariantInvocationsPerInstance, per minute), with the
   * target SageMaker's guidance gives: the highest sustainable requests per second of one instance,
   * times a safety factor, times 60.
   *
   * @returns the policy; its target value is `maxRequestsPerSecondPerInstance * safetyFactor * 60`
   */
  public scaleOnInvocations(id: string, props: InvocationsScalingProps): appscaling.TargetTrackingScalingPolicy {
    const v = new PropsValidator('VariantInstanceScaling.scaleOnInvocations', `${this.node.path}/${id}`);
    v.range('maxRequestsPerSecondPerInstance', props.maxRequestsPerSecondPerInstance, 0.001, 1_000_000, false);
    const safety = props.safetyFactor ?? 0.5;
    if (!Token.isUnresolved(safety) && (!(safety > 0) || safety > 1)) {
      v.error(`safetyFactor must be above 0 and at most 1, got ${safety}`);
    }
    v.throwIfInvalid();
    const targetValue = Math.max(1, Math.round(props.maxRequestsPerSecondPerInstance * safety * 60));
    return this.scalableTarget.scaleToTrackMetric(id, {
      targetValue,
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      ...trackingDefaults(props),
    });
  }

  /**
   * Tracks the average GPU utilization of the variant's instances, normalized over their GPUs
   * (GPUUtilizationNormalized in /aws/sagemaker/Endpoints). Only for GPU instance types.
   */
  public scaleOnGpuUtilization(id: string, props: GpuUtilizationScalingProps = {}): appscaling.TargetTrackingScalingPolicy {
    const v = new PropsValidator('VariantInstanceScaling.scaleOnGpuUtilization', `${this.node.path}/${id}`);
    v.range('targetUtilizationPercent', props.targetUtilizationPercent, 1, 100, false);
    if (!isGpuInstanceType(this.instanceType)) {
      v.error(`variant '${this.variantName}' runs on ${this.instanceType}, which has no GPU: GPU utilization metrics are published `
        + 'only by GPU instance types (ml.g*, ml.p*)');
    }
    v.throwIfInvalid();
    return this.scalableTarget.scaleToTrackMetric(id, {
      targetValue: props.targetUtilizationPercent ?? 70,
      customMetric: new cloudwatch.Metric({
        namespace: ENDPOINT_INSTANCE_NAMESPACE,
        metricName: 'GPUUtilizationNormalized',
        dimensionsMap: { EndpointName: this.endpointName, VariantName: this.variantName },
        statistic: 'Average',
        period: Duration.minutes(1),
      }),
      ...trackingDefaults(props),
    });
  }

  /**
   * Tracks concurrent requests per model with the high-resolution metric
   * (SageMakerVariantConcurrentRequestsPerModelHighResolution), which reacts within seconds.
   */
  public scaleOnConcurrentRequests(id: string, props: ConcurrentRequestsScalingProps): appscaling.TargetTrackingScalingPolicy {
    const v = new PropsValidator('VariantInstanceScaling.scaleOnConcurrentRequests', `${this.node.path}/${id}`);
    v.range('targetConcurrentRequestsPerModel', props.targetConcurrentRequestsPerModel, 0.1, 100_000, false);
    v.throwIfInvalid();
    return this.scalableTarget.scaleToTrackMetric(id, {
      targetValue: props.targetConcurrentRequestsPerModel,
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_CONCURRENT_REQUESTS_PER_MODEL_HIGH_RESOLUTION,
      ...trackingDefaults(props),
    });
  }

  /** Changes the capacity bounds on a schedule (for example more instances in business hours). */
  public scaleOnSchedule(id: string, schedule: appscaling.ScalingSchedule): void {
    const v = new PropsValidator('VariantInstanceScaling.scaleOnSchedule', `${this.node.path}/${id}`);
    validateSchedule(v, schedule, this.minimum, this.minimumReason, this.maxCapacity);
    v.throwIfInvalid();
    this.scalableTarget.scaleOnSchedule(id, schedule);
  }
}

/**
 * Auto scaling of an asynchronous endpoint variant, which may scale to zero instances: it tracks
 * the backlog per instance, and when the minimum is 0 a step policy on the HasBacklogWithoutCapacity
 * alarm starts the first instance (a per-instance metric cannot scale out from zero instances).
 * Get one with `AsyncModelEndpoint.autoScaleInstanceCount`.
 *
 * @example
 * const scaling = endpoint.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 4 });
 * scaling.scaleOnBacklog('Backlog', { targetBacklogPerInstance: 5 });
 */
export class AsyncVariantScaling extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, options: VariantTargetOptions): AsyncVariantScaling {
    return new AsyncVariantScaling(scope, id, options);
  }

  /** The scalable target (its construct ID includes the instance type; see the scaling guard). */
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The variant this scales. */
  public readonly variantName: string;
  /** The instance type of the variant. */
  public readonly instanceType: string;
  /** The fewest instances. */
  public readonly minCapacity: number;
  /** The most instances. */
  public readonly maxCapacity: number;
  /** The alarm that wakes the endpoint from zero instances, when `minCapacity` is 0. */
  public readonly scaleOutFromZeroAlarm?: cloudwatch.Alarm;

  private readonly endpointName: string;

  private constructor(scope: Construct, id: string, options: VariantTargetOptions) {
    const v = PropsValidator.forNew('AsyncVariantScaling', scope, id);
    validateCapacity(v, options, 0, 'asynchronous endpoints queue requests while they have no instance');
    v.throwIfInvalid();
    super(scope, id);
    this.variantName = options.variantName;
    this.instanceType = options.instanceType;
    this.minCapacity = options.minCapacity;
    this.maxCapacity = options.maxCapacity;
    this.endpointName = options.endpointName;
    this.scalableTarget = variantTarget(this, options);

    if (!Token.isUnresolved(options.minCapacity) && options.minCapacity === 0) {
      // SageMaker developer guide, "Autoscale an asynchronous endpoint": scale out from zero on the
      // HasBacklogWithoutCapacity metric, one instance at a time
      this.scaleOutFromZeroAlarm = addScaleOutFromZero(this.scalableTarget, {
        alarmId: 'HasBacklogWithoutCapacityAlarm',
        alarmDescription: `Requests are queued for ${options.endpointName} and it has no instance: start one`,
        metric: new cloudwatch.Metric({
          namespace: INVOCATION_NAMESPACE,
          metricName: 'HasBacklogWithoutCapacity',
          dimensionsMap: { EndpointName: options.endpointName },
          statistic: 'Average',
          period: Duration.minutes(1),
        }),
        metricAggregationType: appscaling.MetricAggregationType.AVERAGE,
        cooldown: Duration.minutes(5),
        evaluationPeriods: 2,
      });
    }
  }

  /**
   * Tracks the backlog per instance (ApproximateBacklogSizePerInstance, Average), the metric
   * SageMaker recommends for asynchronous endpoints.
   */
  public scaleOnBacklog(id: string, props: BacklogScalingProps = {}): appscaling.TargetTrackingScalingPolicy {
    const v = new PropsValidator('AsyncVariantScaling.scaleOnBacklog', `${this.node.path}/${id}`);
    v.range('targetBacklogPerInstance', props.targetBacklogPerInstance, 0.1, 100_000, false);
    v.throwIfInvalid();
    return this.scalableTarget.scaleToTrackMetric(id, {
      targetValue: props.targetBacklogPerInstance ?? 5,
      customMetric: new cloudwatch.Metric({
        namespace: INVOCATION_NAMESPACE,
        metricName: 'ApproximateBacklogSizePerInstance',
        dimensionsMap: { EndpointName: this.endpointName },
        statistic: 'Average',
        period: Duration.minutes(1),
      }),
      scaleInCooldown: props.scaleInCooldown ?? Duration.minutes(10),
      scaleOutCooldown: props.scaleOutCooldown ?? Duration.minutes(5),
      disableScaleIn: props.disableScaleIn,
    });
  }

  /** Changes the capacity bounds on a schedule. */
  public scaleOnSchedule(id: string, schedule: appscaling.ScalingSchedule): void {
    const v = new PropsValidator('AsyncVariantScaling.scaleOnSchedule', `${this.node.path}/${id}`);
    validateSchedule(v, schedule, 0, 'asynchronous endpoints may scale to zero', this.maxCapacity);
    v.throwIfInvalid();
    this.scalableTarget.scaleOnSchedule(id, schedule);
  }
}
