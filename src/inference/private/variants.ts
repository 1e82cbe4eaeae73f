import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Hosting } from './hosting';
import { INVOCATION_NAMESPACE } from './metrics';
import { noGuardrailsRule } from '../../private/inference-rules';
import { localStorageRule } from '../../private/instance-storage-rules';
import { PropsValidator } from '../../private/validation';
import { CapacitySizeType, DeploymentStrategy, RollbackAlarmOptions, TrafficRoutingType } from '../deployment-strategy';
import { DataCaptureOptions, InstanceVariantProps, RoutingStrategy } from '../endpoint-options';

/** SageMaker's variant name pattern. */
export const VARIANT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** SageMaker's endpoint name pattern. */
export const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** An instance variant after validation. */
export interface ResolvedInstanceVariant {
  readonly variantName: string;
  readonly instanceType: string;
  readonly initialInstanceCount: number;
  readonly props: InstanceVariantProps;
}

/** Checks the instance variants of an endpoint and fills in their defaults. */
export function resolveInstanceVariants(
  v: PropsValidator, variants: InstanceVariantProps[], defaultCount: number, minimumCount: number, minimumReason: string,
): ResolvedInstanceVariant[] {
  const names = new Set<string>();
  return variants.map((variant, index) => {
    const where = `instanceVariants[${index}]`;
    const variantName = variant.variantName ?? (variants.length === 1 ? 'AllTraffic' : '');
    if (variant.variantName === undefined && variants.length > 1) {
      v.error(`${where}.variantName is required when the endpoint has ${variants.length} variants, got none`);
    } else {
      v.pattern(`${where}.variantName`, variantName, VARIANT_NAME, 'letters and digits with single hyphens between them', 63);
    }
    if (names.has(variantName)) v.error(`${where}.variantName must be unique, got '${variantName}' twice`);
    names.add(variantName);

    const instanceType = variant.instanceType.toString();
    if (Token.isUnresolved(instanceType)) {
      v.error(`${where}.instanceType must be a literal: the KMS, autoscaling and deployment rules depend on it, got a token`);
    } else if (!/^ml\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceType)) {
      v.error(`${where}.instanceType must be an ML instance type such as ml.m5.xlarge, got '${instanceType}'`);
    }

    const count = variant.initialInstanceCount ?? defaultCount;
    v.range(`${where}.initialInstanceCount`, variant.initialInstanceCount, 1, 10_000);
    if (!Token.isUnresolved(count) && count < minimumCount) {
      v.error(`${where}.initialInstanceCount must be at least ${minimumCount} (${minimumReason}), got ${count}`);
    }
    v.range(`${where}.initialVariantWeight`, variant.initialVariantWeight, 0, 1_000_000, false);
    if (variant.volumeSize) {
      const gib = variant.volumeSize.toGibibytes();
      v.range(`${where}.volumeSize (GiB)`, gib, 1, 512);
      const local = localStorageRule(instanceType);
      if (local) {
        v.error(`${where}.volumeSize must not be set for ${instanceType}: its storage is the local NVMe instance store `
          + `(${local.family} instances have local storage), got ${gib} GiB`);
      }
    }
    v.range(`${where}.modelDataDownloadTimeout (seconds)`, variant.modelDataDownloadTimeout?.toSeconds(), 60, 3600);
    v.range(`${where}.containerStartupHealthCheckTimeout (seconds)`, variant.containerStartupHealthCheckTimeout?.toSeconds(), 60, 3600);
    return { variantName, instanceType, initialInstanceCount: count, props: variant };
  });
}

/** The instance variants' production variant properties, creating one model per variant. */
export function instanceVariantProperties(
  scope: Construct, hosting: Hosting, variants: ResolvedInstanceVariant[],
): sagemaker.CfnEndpointConfig.ProductionVariantProperty[] {
  return variants.map((variant) => {
    const variantScope = new Construct(scope, `Variant${variant.variantName}`);
    const model = hosting.createModel(variantScope, variant.props.model);
    return {
      variantName: variant.variantName,
      modelName: model.attrModelName,
      instanceType: variant.instanceType,
      initialInstanceCount: variant.initialInstanceCount,
      initialVariantWeight: variant.props.initialVariantWeight ?? 1,
      volumeSizeInGb: variant.props.volumeSize?.toGibibytes(),
      modelDataDownloadTimeoutInSeconds: variant.props.modelDataDownloadTimeout?.toSeconds(),
      containerStartupHealthCheckTimeoutInSeconds: variant.props.containerStartupHealthCheckTimeout?.toSeconds(),
      routingConfig: { routingStrategy: variant.props.routingStrategy ?? RoutingStrategy.LEAST_OUTSTANDING_REQUESTS },
    };
  });
}

/** The first instance type with local NVMe storage, when there is one (then no KMS volume key). */
export function firstLocalStorageType(instanceTypes: string[]): string | undefined {
  return instanceTypes.find((t) => !Token.isUnresolved(t) && localStorageRule(t) !== undefined);
}

/** Checks a deployment strategy against the variants it deploys. */
export function validateDeployment(v: PropsValidator, strategy: DeploymentStrategy, variants: ResolvedInstanceVariant[]): void {
  const step = strategy.stepSize;
  const shifting = strategy.type !== TrafficRoutingType.ALL_AT_ONCE;
  if (shifting) {
    for (const variant of variants) {
      const excluded = noGuardrailsRule(variant.instanceType);
      if (excluded) {
        v.error(`deployment ${strategy.type} is not available for variant '${variant.variantName}' on ${variant.instanceType}: `
          + `SageMaker would fall back to all-at-once without baking (${excluded.source}); use DeploymentStrategy.allAtOnce()`);
      }
    }
  }
  if (step && !Token.isUnresolved(step.value)) {
    const canary = strategy.type === TrafficRoutingType.CANARY;
    const label = canary ? 'canarySize' : 'stepSize';
    if (step.type === CapacitySizeType.CAPACITY_PERCENT) {
      const [low, high] = canary ? [1, 50] : [10, 50];
      v.range(`deployment ${label} (percent)`, step.value, low, high, false);
    } else {
      v.range(`deployment ${label} (instances)`, step.value, 1, 10_000);
      for (const variant of variants) {
        const count = variant.initialInstanceCount;
        if (Token.isUnresolved(count)) continue;
        if (step.value > count / 2) {
          v.error(`deployment ${label} must be at most 50% of variant '${variant.variantName}''s ${count} instances, got ${step.value} instances`);
        }
        if (!canary && step.value < count / 10) {
          v.error(`deployment ${label} must be at least 10% of variant '${variant.variantName}''s ${count} instances, got ${step.value}`);
        }
      }
    }
  }
  const bake = strategy.bakeTime?.toSeconds();
  const wait = strategy.terminationWait.toSeconds();
  v.range('deployment bakeTime (seconds)', bake, 0, 3600);
  v.range('deployment terminationWait (seconds)', wait, 0, 3600);
  const timeout = strategy.maximumExecutionTimeout?.toSeconds();
  v.range('deployment maximumExecutionTimeout (seconds)', timeout, 600, 14_400);
  if (timeout !== undefined && !Token.isUnresolved(timeout) && timeout <= (bake ?? 0) + wait) {
    v.error('deployment maximumExecutionTimeout must be longer than the bake time and the termination wait together '
      + `(${(bake ?? 0) + wait} seconds), got ${timeout} seconds`);
  }
}

/** The endpoint's DeploymentConfig: blue/green with the traffic routing and the rollback alarms. */
export function deploymentConfig(strategy: DeploymentStrategy, alarms: cloudwatch.IAlarm[]): sagemaker.CfnEndpoint.DeploymentConfigProperty {
  const step = strategy.stepSize ? { type: strategy.stepSize.type, value: strategy.stepSize.value } : undefined;
  return {
    blueGreenUpdatePolicy: {
      trafficRoutingConfiguration: {
        type: strategy.type,
        canarySize: strategy.type === TrafficRoutingType.CANARY ? step : undefined,
        linearStepSize: strategy.type === TrafficRoutingType.LINEAR ? step : undefined,
        waitIntervalInSeconds: strategy.bakeTime?.toSeconds(),
      },
      terminationWaitInSeconds: strategy.terminationWait.toSeconds(),
      maximumExecutionTimeoutInSeconds: strategy.maximumExecutionTimeout?.toSeconds(),
    },
    autoRollbackConfiguration: alarms.length > 0 ? { alarms: alarms.map((a) => ({ alarmName: a.alarmName })) } : undefined,
  };
}

/** Checks the rollback alarm options. */
export function validateRollbackAlarms(v: PropsValidator, options: RollbackAlarmOptions, variantCount: number): void {
  v.range('rollbackAlarms.maxServerErrorRate', options.maxServerErrorRate, 0, 1, false);
  v.range('rollbackAlarms.maxClientErrorRate', options.maxClientErrorRate, 0, 1, false);
  v.range('rollbackAlarms.maxModelLatency (milliseconds)', options.maxModelLatency?.toMilliseconds(), 1, 3_600_000);
  v.range('rollbackAlarms.evaluationPeriods', options.evaluationPeriods, 1, 60);
  const total = variantCount * 3 + (options.additionalAlarms?.length ?? 0);
  if (total > 10) {
    v.error(`an endpoint deployment takes at most 10 rollback alarms; ${variantCount} variant(s) make ${variantCount * 3} and `
      + `rollbackAlarms.additionalAlarms adds ${options.additionalAlarms?.length ?? 0} (${total} in total)`);
  }
}

/**
 * Three alarms per instance variant, all notifying `topic`: 5XX and 4XX error rates over the whole
 * endpoint (old and new fleet), and the model latency of the new fleet only (the EndpointConfigName
 * dimension names the configuration being deployed), as in SageMaker's "Auto-Rollback Configuration
 * and Monitoring" examples. They roll deployments back and stay on as the endpoint's alarms.
 */
export function createRollbackAlarms(
  scope: Construct,
  endpointName: string,
  config: sagemaker.CfnEndpointConfig,
  variants: string[],
  options: RollbackAlarmOptions,
  topic: sns.ITopic,
): cloudwatch.Alarm[] {
  const periods = options.evaluationPeriods ?? 2;
  const alarms: cloudwatch.Alarm[] = [];
  for (const variantName of variants) {
    const dims = { EndpointName: endpointName, VariantName: variantName };
    const metric = (metricName: string, extra: { [key: string]: string } = {}) => new cloudwatch.Metric({
      namespace: INVOCATION_NAMESPACE, metricName, dimensionsMap: { ...dims, ...extra }, statistic: 'Average', period: Duration.minutes(1),
    });
    const serverErrorRate = options.maxServerErrorRate ?? 0.01;
    const clientErrorRate = options.maxClientErrorRate ?? 0.05;
    const latency = options.maxModelLatency ?? Duration.seconds(1);
    alarms.push(new cloudwatch.Alarm(scope, `${variantName}ServerErrorsAlarm`, {
      alarmDescription: `${endpointName}/${variantName}: more than ${serverErrorRate * 100}% of requests got a 5XX from the model`,
      metric: metric('Invocation5XXErrors'),
      threshold: serverErrorRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: periods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    alarms.push(new cloudwatch.Alarm(scope, `${variantName}ClientErrorsAlarm`, {
      alarmDescription: `${endpointName}/${variantName}: more than ${clientErrorRate * 100}% of requests got a 4XX`,
      metric: metric('Invocation4XXErrors'),
      threshold: clientErrorRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: periods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    alarms.push(new cloudwatch.Alarm(scope, `${variantName}NewFleetModelLatencyAlarm`, {
      alarmDescription: `${endpointName}/${variantName}: the fleet of the newest endpoint configuration answers slower than `
        + `${latency.toMilliseconds()} ms on average`,
      // ModelLatency is in microseconds
      metric: metric('ModelLatency', { EndpointConfigName: config.attrEndpointConfigName }),
      threshold: latency.toMilliseconds() * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: periods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
  for (const alarm of alarms) alarm.addAlarmAction(new cwActions.SnsAction(topic));
  return alarms;
}

/** Checks the data capture options. */
export function validateDataCapture(v: PropsValidator, options: DataCaptureOptions): void {
  v.range('dataCapture.samplingPercentage', options.samplingPercentage, 1, 100);
  v.pattern('dataCapture.prefix', options.prefix, /^[a-zA-Z0-9!_.*'()\/-]*[a-zA-Z0-9!_.*'()-]$/, 'an S3 key prefix without a trailing slash', 512);
  if (options.captureInput === false && options.captureOutput === false) {
    v.error('dataCapture must capture the input, the output or both, got captureInput: false and captureOutput: false');
  }
}

/** The endpoint configuration's DataCaptureConfig, granting the role writes under the prefix. */
export function dataCaptureConfig(hosting: Hosting, options: DataCaptureOptions): sagemaker.CfnEndpointConfig.DataCaptureConfigProperty {
  const prefix = options.prefix ?? 'data-capture';
  hosting.grantObjectWrites(options.bucket, prefix);
  const key = options.bucket.encryptionKey ?? hosting.encryptionKey;
  hosting.grantKey(key);
  const modes: sagemaker.CfnEndpointConfig.CaptureOptionProperty[] = [];
  if (options.captureInput !== false) modes.push({ captureMode: 'Input' });
  if (options.captureOutput !== false) modes.push({ captureMode: 'Output' });
  const headers = options.csvContentTypes || options.jsonContentTypes
    ? { csvContentTypes: options.csvContentTypes, jsonContentTypes: options.jsonContentTypes }
    : undefined;
  return {
    enableCapture: true,
    initialSamplingPercentage: options.samplingPercentage ?? 20,
    destinationS3Uri: options.bucket.s3UrlForObject(prefix),
    kmsKeyId: key.keyArn,
    captureOptions: modes,
    captureContentTypeHeader: headers,
  };
}
