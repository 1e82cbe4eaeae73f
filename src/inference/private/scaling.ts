import { Duration, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PropsValidator } from '../../private/validation';
import type { ScalingCooldownOptions } from '../variant-scaling';

/** The cooldowns of a target-tracking policy: scale in slowly (5 minutes), out quickly (1 minute). */
export function trackingDefaults(props: ScalingCooldownOptions) {
  return {
    scaleInCooldown: props.scaleInCooldown ?? Duration.minutes(5),
    scaleOutCooldown: props.scaleOutCooldown ?? Duration.minutes(1),
    disableScaleIn: props.disableScaleIn,
  };
}

/**
 * The bounds of a scalable target: 0 to 10,000 and 1 to 10,000, the minimum not below `floor` (with
 * its reason) and the maximum not below the minimum.
 */
export function validateBounds(
  v: PropsValidator, minCapacity: number, maxCapacity: number, floor?: { readonly minimum: number; readonly reason: string },
): void {
  v.range('minCapacity', minCapacity, 0, 10_000);
  v.range('maxCapacity', maxCapacity, 1, 10_000);
  if (floor && !Token.isUnresolved(minCapacity) && minCapacity < floor.minimum) {
    v.error(`minCapacity must be at least ${floor.minimum} (${floor.reason}), got ${minCapacity}`);
  }
  if (!Token.isUnresolved(minCapacity) && !Token.isUnresolved(maxCapacity) && maxCapacity < minCapacity) {
    v.error(`maxCapacity must be at least minCapacity (${minCapacity}), got ${maxCapacity}`);
  }
}

/** How a target that may scale to zero wakes up. */
export interface ScaleOutFromZeroOptions {
  /** The construct ID of the alarm (under the scalable target). */
  readonly alarmId: string;
  readonly alarmDescription: string;
  /** A metric that is at least 1 while requests wait for capacity. */
  readonly metric: cloudwatch.Metric;
  readonly metricAggregationType: appscaling.MetricAggregationType;
  readonly cooldown: Duration;
  /** Periods (all breaching) before the alarm starts the first unit. */
  readonly evaluationPeriods: number;
}

/**
 * A step policy that adds one unit (an instance, a copy) when the metric says requests wait for
 * capacity: a per-unit target-tracking metric cannot scale out from zero.
 */
export function addScaleOutFromZero(target: appscaling.ScalableTarget, options: ScaleOutFromZeroOptions): cloudwatch.Alarm {
  const action = new appscaling.StepScalingAction(target, 'ScaleOutFromZero', {
    scalingTarget: target,
    adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
    metricAggregationType: options.metricAggregationType,
    cooldown: options.cooldown,
  });
  action.addAdjustment({ adjustment: 1, lowerBound: 0 });
  const alarm = new cloudwatch.Alarm(target, options.alarmId, {
    alarmDescription: options.alarmDescription,
    metric: options.metric,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: options.evaluationPeriods,
    datapointsToAlarm: options.evaluationPeriods,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
  });
  alarm.addAlarmAction(new cwActions.ApplicationScalingAction(action));
  return alarm;
}
