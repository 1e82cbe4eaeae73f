import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Invocation metrics (per endpoint variant, inference component or endpoint). */
export const INVOCATION_NAMESPACE = 'AWS/SageMaker';
/** Instance utilization metrics of endpoint variants. */
export const ENDPOINT_INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';
/** Utilization metrics of inference components. */
export const INFERENCE_COMPONENT_NAMESPACE = '/aws/sagemaker/InferenceComponents';

/** A SageMaker metric with the given dimensions; `options` override the defaults. */
export function sageMakerMetric(
  namespace: string,
  metricName: string,
  dimensionsMap: { [name: string]: string },
  defaults: { statistic: string; period?: Duration },
  options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap,
    statistic: defaults.statistic,
    period: defaults.period ?? Duration.minutes(1),
    ...options,
  });
}

/**
 * The service-linked role of Application Auto Scaling for SageMaker. The ScalableTarget reference says to
 * name it by its full ARN so that it is created when missing; it also keeps aws-cdk-lib's ScalableTarget
 * from creating an unused role of its own.
 */
export function serviceLinkedRole(scope: Construct): iam.IRole {
  const stack = Stack.of(scope);
  return iam.Role.fromRoleArn(scope, 'ServiceLinkedRole',
    `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/`
    + 'AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint', { mutable: false });
}
