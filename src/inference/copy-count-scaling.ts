import { CfnResource, Duration, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { INVOCATION_NAMESPACE, serviceLinkedRole } from './private/metrics';
import { addScaleOutFromZero, trackingDefaults, validateBounds } from './private/scaling';
import { ScalingCooldownOptions } from './variant-scaling';
import { PropsValidator } from '../private/validation';

/** Options of `InferenceComponent.autoScaleCopyCount`. */
export interface EnableCopyScalingProps {
  /** The fewest copies; 0 lets the component, and with managed instance scaling the endpoint, scale to zero. */
  readonly minCapacity: number;

  /** The most copies, at least `minCapacity` and at least 1. */
  readonly maxCapacity: number;
}

/** Options of `CopyCountScaling.scaleOnConcurrentRequests`. */
export interface CopyConcurrentRequestsScalingProps extends ScalingCooldownOptions {
  /** The concurrent requests per copy to keep (high-resolution ConcurrentRequestsPerCopy). */
  readonly targetConcurrentRequestsPerCopy: number;
}

/** Options of `CopyCountScaling.scaleOnInvocations`. */
export interface CopyInvocationsScalingProps extends ScalingCooldownOptions {
  /** The highest request rate one copy sustains within your latency objective, from a load test. */
  readonly maxRequestsPerSecondPerCopy: number;

  /**
   * The share of that rate to aim for, above 0 and at most 1.
   *
   * @default 0.5
   */
  readonly safetyFactor?: number;
}

/** @internal */
export interface CopyTargetOptions {
  readonly inferenceComponentName: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly component: CfnResource;
}

/**
 * Auto scaling of an inference component's copy count, on Application Auto Scaling. With a minimum
 * of 0, a step policy on the NoCapacityInvocationFailures alarm adds the first copy when a request
 * arrives that no copy can serve (SageMaker developer guide, "Scale an endpoint to zero instances");
 * the endpoint's managed instance scaling then starts an instance for it.
 * Get one with `InferenceComponent.autoScaleCopyCount`.
 *
 * @example
 * const scaling = component.autoScaleCopyCount({ minCapacity: 0, maxCapacity: 4 });
 * scaling.scaleOnConcurrentRequests('Concurrency', { targetConcurrentRequestsPerCopy: 4 });
 */
export class CopyCountScaling extends Construct {
  /** @internal */
  public static _create(scope: Construct, id: string, options: CopyTargetOptions): CopyCountScaling {
    return new CopyCountScaling(scope, id, options);
  }

  /** The scalable target. */
  public readonly scalableTarget: appscaling.ScalableTarget;
  /** The fewest copies. */
  public readonly minCapacity: number;
  /** The most copies. */
  public readonly maxCapacity: number;
  /** The alarm that adds the first copy, when `minCapacity` is 0. */
  public readonly scaleOutFromZeroAlarm?: cloudwatch.Alarm;

  private constructor(scope: Construct, id: string, options: CopyTargetOptions) {
    const v = PropsValidator.forNew('CopyCountScaling', scope, id);
    validateBounds(v, options.minCapacity, options.maxCapacity);
    v.throwIfInvalid();
    super(scope, id);
    this.minCapacity = options.minCapacity;
    this.maxCapacity = options.maxCapacity;
    this.scalableTarget = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `inference-component/${options.inferenceComponentName}`,
      scalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
      minCapacity: options.minCapacity,
      maxCapacity: options.maxCapacity,
      role: serviceLinkedRole(this),
    });
    (this.scalableTarget.node.defaultChild as CfnResource).node.addDependency(options.component);

    if (!Token.isUnresolved(options.minCapacity) && options.minCapacity === 0) {
      this.scaleOutFromZeroAlarm = addScaleOutFromZero(this.scalableTarget, {
        alarmId: 'NoCapacityInvocationFailuresAlarm',
        alarmDescription: `A request reached ${options.inferenceComponentName} while it had no copy: add one`,
        metric: new cloudwatch.Metric({
          namespace: INVOCATION_NAMESPACE,
          metricName: 'NoCapacityInvocationFailures',
          dimensionsMap: { InferenceComponentName: options.inferenceComponentName },
          statistic: 'Maximum',
          period: Duration.seconds(30),
        }),
        metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
        cooldown: Duration.minutes(1),
        evaluationPeriods: 1,
      });
    }
  }

  /**
   * Tracks concurrent requests per copy with the high-resolution metric
   * (SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution).
   */
  public scaleOnConcurrentRequests(id: string, props: CopyConcurrentRequestsScalingProps): appscaling.TargetTrackingScalingPolicy {
    const v = new PropsValidator('CopyCountScaling.scaleOnConcurrentRequests', `${this.node.path}/${id}`);
    v.range('targetConcurrentRequestsPerCopy', props.targetConcurrentRequestsPerCopy, 0.1, 100_000, false);
    v.throwIfInvalid();
    return this.scalableTarget.scaleToTrackMetric(id, {
      targetValue: props.targetConcurrentRequestsPerCopy,
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_INFERENCE_COMPONENT_CONCURRENT_REQUESTS_PER_COPY_HIGH_RESOLUTION,
      ...trackingDefaults(props),
    });
  }

  /**
   * Tracks invocations per copy (SageMakerInferenceComponentInvocationsPerCopy, per minute), with the
   * target `maxRequestsPerSecondPerCopy * safetyFactor * 60`.
   */
  public scaleOnInvocations(id: string, props: CopyInvocationsScalingProps): appscaling.TargetTrackingScalingPolicy {
    const v = new PropsValidator('CopyCountScaling.scaleOnInvocations', `${this.node.path}/${id}`);
    v.range('maxRequestsPerSecondPerCopy', props.maxRequestsPerSecondPerCopy, 0.001, 1_000_000, false);
    const safety = props.safetyFactor ?? 0.5;
    if (!Token.isUnresolved(safety) && (!(safety > 0) || safety > 1)) v.error(`safetyFactor must be above 0 and at most 1, got ${safety}`);
    v.throwIfInvalid();
    return this.scalableTarget.scaleToTrackMetric(id, {
      targetValue: Math.max(1, Math.round(props.maxRequestsPerSecondPerCopy * safety * 60)),
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_INFERENCE_COMPONENT_INVOCATIONS_PER_COPY,
      ...trackingDefaults(props),
    });
  }

  /** Changes the copy-count bounds on a schedule (for example 0 copies at night). */
  public scaleOnSchedule(id: string, schedule: appscaling.ScalingSchedule): void {
    const v = new PropsValidator('CopyCountScaling.scaleOnSchedule', `${this.node.path}/${id}`);
    if (schedule.minCapacity === undefined && schedule.maxCapacity === undefined) v.error('a scheduled action needs minCapacity or maxCapacity, got neither');
    v.range('schedule minCapacity', schedule.minCapacity, 0, 10_000);
    v.range('schedule maxCapacity', schedule.maxCapacity, 0, 10_000);
    if (schedule.minCapacity !== undefined && schedule.maxCapacity !== undefined && schedule.maxCapacity < schedule.minCapacity) {
      v.error(`scheduled maxCapacity must be at least its minCapacity (${schedule.minCapacity}), got ${schedule.maxCapacity}`);
    }
    v.throwIfInvalid();
    this.scalableTarget.scaleOnSchedule(id, schedule);
  }
}
