import { Duration, IResource, RemovalPolicy, Resource, Size, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { CopyCountScaling, EnableCopyScalingProps } from './copy-count-scaling';
import { InferenceComponentEndpoint } from './inference-component-endpoint';
import { ModelSource } from './model-source';
import { generatedName } from './private/hosting';
import { INFERENCE_COMPONENT_NAMESPACE, INVOCATION_NAMESPACE, sageMakerMetric } from './private/metrics';
import { ENDPOINT_NAME } from './private/variants';
import { PropsValidator } from '../private/validation';

/** The compute one copy of an inference component reserves on an instance. */
export interface ComputeResourceRequirements {
  /** The memory a copy needs at least. */
  readonly minMemory: Size;

  /**
   * The memory a copy may use at most.
   *
   * @default - no limit beyond the instance
   */
  readonly maxMemory?: Size;

  /**
   * The GPUs (or Inferentia/Trainium accelerators) a copy needs.
   *
   * @default - none
   */
  readonly acceleratorCount?: number;

  /**
   * The CPU cores a copy needs (a multiple of 0.25).
   *
   * @default - none reserved
   */
  readonly cpuCores?: number;
}

/** An inference component. */
export interface IInferenceComponent extends IResource {
  /**
   * The name of the inference component.
   *
   * @attribute
   */
  readonly inferenceComponentName: string;

  /**
   * The ARN of the inference component.
   *
   * @attribute
   */
  readonly inferenceComponentArn: string;
}

/** Properties of an {@link InferenceComponent}. */
export interface InferenceComponentProps {
  /** The endpoint that hosts the component. */
  readonly endpoint: InferenceComponentEndpoint;

  /** Where the component's model comes from; its model runs with the endpoint's role, network and isolation. */
  readonly model: ModelSource;

  /** What one copy reserves on an instance. */
  readonly computeResources: ComputeResourceRequirements;

  /**
   * The copies at creation. With autoscaling, Application Auto Scaling changes the count afterwards;
   * a deployment that changes the component's specification sets it back to this value.
   *
   * @default 1
   */
  readonly initialCopyCount?: number;

  /**
   * The component's name.
   *
   * @default - a name derived from the construct path
   */
  readonly inferenceComponentName?: string;

  /**
   * How long the container may take to pass its first health check (60 to 3600 seconds).
   *
   * @default - SageMaker's default
   */
  readonly containerStartupHealthCheckTimeout?: Duration;

  /**
   * How long SageMaker may take to download the model artifacts (60 to 3600 seconds).
   *
   * @default - SageMaker's default
   */
  readonly modelDataDownloadTimeout?: Duration;

  /**
   * The highest acceptable share of requests that get a 5XX from the model (0 to 1), for the
   * component's alarm.
   *
   * @default 0.01
   */
  readonly maxServerErrorRate?: number;
}

/**
 * A model hosted on an {@link InferenceComponentEndpoint}, with a copy count that
 * `autoScaleCopyCount` can scale, down to zero copies. Its model runs in the platform VPC with
 * network isolation on the endpoint's role; its logs go to a KMS-encrypted log group created ahead
 * of SageMaker; an alarm on its 5XX error rate notifies the endpoint's alarm topic.
 */
export class InferenceComponent extends Resource implements IInferenceComponent {
  public readonly inferenceComponentName: string;
  public readonly inferenceComponentArn: string;
  /** The endpoint that hosts the component. */
  public readonly endpoint: InferenceComponentEndpoint;
  /** The component's model. */
  public readonly model: sagemaker.CfnModel;
  /** The alarm on the component's 5XX error rate. */
  public readonly serverErrorsAlarm: cloudwatch.Alarm;

  private readonly resource: sagemaker.CfnInferenceComponent;
  private scaling?: CopyCountScaling;

  constructor(scope: Construct, id: string, props: InferenceComponentProps) {
    const v = PropsValidator.forNew('InferenceComponent', scope, id);
    v.pattern('inferenceComponentName', props.inferenceComponentName, ENDPOINT_NAME, 'letters and digits with single hyphens between them', 63);
    const compute = props.computeResources;
    v.range('computeResources.minMemory (MiB)', compute.minMemory.toMebibytes(), 128, 10_000_000);
    v.range('computeResources.maxMemory (MiB)', compute.maxMemory?.toMebibytes(), 128, 10_000_000);
    if (compute.maxMemory && compute.maxMemory.toMebibytes() < compute.minMemory.toMebibytes()) {
      v.error(`computeResources.maxMemory must be at least minMemory (${compute.minMemory.toMebibytes()} MiB), got ${compute.maxMemory.toMebibytes()} MiB`);
    }
    v.range('computeResources.acceleratorCount', compute.acceleratorCount, 1, 64);
    if (compute.cpuCores !== undefined && !Token.isUnresolved(compute.cpuCores) && (compute.cpuCores < 0.25 || (compute.cpuCores * 4) % 1 !== 0)) {
      v.error(`computeResources.cpuCores must be a multiple of 0.25, at least 0.25, got ${compute.cpuCores}`);
    }
    v.range('initialCopyCount', props.initialCopyCount, 1, 10_000);
    v.range('containerStartupHealthCheckTimeout (seconds)', props.containerStartupHealthCheckTimeout?.toSeconds(), 60, 3600);
    v.range('modelDataDownloadTimeout (seconds)', props.modelDataDownloadTimeout?.toSeconds(), 60, 3600);
    v.range('maxServerErrorRate', props.maxServerErrorRate, 0, 1, false);
    v.throwIfInvalid();
    super(scope, id);

    this.endpoint = props.endpoint;
    this.inferenceComponentName = props.inferenceComponentName ?? generatedName(this).toLowerCase();
    const hosting = props.endpoint._hosting;

    // SageMaker writes the component's logs here; created first so it is encrypted and expires
    const logOptions = props.endpoint._logOptions;
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/sagemaker/InferenceComponents/${this.inferenceComponentName}`,
      encryptionKey: logOptions.key,
      retention: logOptions.retention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: logOptions.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    hosting.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    }));

    this.model = hosting.createModel(this, props.model);
    const startup = props.containerStartupHealthCheckTimeout || props.modelDataDownloadTimeout ? {
      containerStartupHealthCheckTimeoutInSeconds: props.containerStartupHealthCheckTimeout?.toSeconds(),
      modelDataDownloadTimeoutInSeconds: props.modelDataDownloadTimeout?.toSeconds(),
    } : undefined;
    this.resource = new sagemaker.CfnInferenceComponent(this, 'Resource', {
      inferenceComponentName: this.inferenceComponentName,
      endpointName: props.endpoint.endpointName,
      variantName: props.endpoint.variantName,
      specification: {
        modelName: this.model.attrModelName,
        computeResourceRequirements: {
          minMemoryRequiredInMb: compute.minMemory.toMebibytes(),
          maxMemoryRequiredInMb: compute.maxMemory?.toMebibytes(),
          numberOfAcceleratorDevicesRequired: compute.acceleratorCount,
          numberOfCpuCoresRequired: compute.cpuCores,
        },
        startupParameters: startup,
      },
      runtimeConfig: { copyCount: props.initialCopyCount ?? 1 },
    });
    // the endpoint is named by its literal name: create the component once it is in service
    this.resource.node.addDependency(props.endpoint._resource);
    this.resource.node.addDependency(logGroup);
    this.inferenceComponentArn = this.resource.ref;

    const rate = props.maxServerErrorRate ?? 0.01;
    this.serverErrorsAlarm = new cloudwatch.Alarm(this, 'ServerErrorsAlarm', {
      alarmDescription: `${this.inferenceComponentName}: more than ${rate * 100}% of requests got a 5XX from the model`,
      metric: this.metricInvocation5XXErrors({ statistic: 'Average' }),
      threshold: rate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.serverErrorsAlarm.addAlarmAction(new cwActions.SnsAction(props.endpoint.alarmTopic));
    // updates of the component roll out one copy at a time and roll back when the 5XX alarm fires
    // (the name is a literal, so the alarm and the component do not reference each other)
    this.resource.deploymentConfig = {
      rollingUpdatePolicy: {
        maximumBatchSize: { type: 'COPY_COUNT', value: 1 },
        waitIntervalInSeconds: 120,
        rollbackMaximumBatchSize: { type: 'COPY_COUNT', value: 1 },
      },
      autoRollbackConfiguration: { alarms: [{ alarmName: this.serverErrorsAlarm.alarmName }] },
    };

    props.endpoint.dashboard?.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${this.inferenceComponentName}: invocations and errors`,
        left: [this.metricInvocations()],
        right: [this.metricInvocation4XXErrors(), this.metricInvocation5XXErrors(), this.metricNoCapacityInvocationFailures()],
      }),
      new cloudwatch.GraphWidget({
        title: `${this.inferenceComponentName}: latency (µs) and concurrency`,
        left: [this.metricModelLatency()],
        right: [this.metricConcurrentRequestsPerCopy()],
      }),
      new cloudwatch.GraphWidget({
        title: `${this.inferenceComponentName}: utilization (%)`,
        left: [this.metricCpuUtilizationNormalized(), this.metricMemoryUtilizationNormalized(),
          ...(compute.acceleratorCount ? [this.metricGpuUtilizationNormalized(), this.metricGpuMemoryUtilizationNormalized()] : [])],
      }),
    );
  }

  /**
   * Auto scaling of the copy count. A minimum of 0 adds the step policy on the
   * NoCapacityInvocationFailures alarm that adds the first copy again.
   */
  public autoScaleCopyCount(props: EnableCopyScalingProps): CopyCountScaling {
    if (this.scaling) {
      throw new Error(`InferenceComponent '${this.node.path}': autoScaleCopyCount was already called`);
    }
    this.scaling = CopyCountScaling._create(this, 'AutoScaling', {
      inferenceComponentName: this.inferenceComponentName,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      component: this.resource,
    });
    return this.scaling;
  }

  /** A metric of the component in the AWS/SageMaker namespace. */
  public metric(metricName: string, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric(metricName, 'Sum', options);
  }

  /** Invocations: requests sent to the component (Sum). */
  public metricInvocations(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('Invocations', 'Sum', options);
  }

  /** InvocationsPerCopy: requests per copy, the metric invocation-based copy scaling tracks (Sum). */
  public metricInvocationsPerCopy(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('InvocationsPerCopy', 'Sum', options);
  }

  /** ModelLatency: time the model takes to answer, in microseconds (Average). */
  public metricModelLatency(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('ModelLatency', 'Average', options);
  }

  /** Invocation4XXErrors: requests answered with a 4XX (Sum). */
  public metricInvocation4XXErrors(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('Invocation4XXErrors', 'Sum', options);
  }

  /** Invocation5XXErrors: requests answered with a 5XX (Sum). */
  public metricInvocation5XXErrors(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('Invocation5XXErrors', 'Sum', options);
  }

  /** ConcurrentRequestsPerCopy: concurrent requests per copy, a high-resolution metric (Maximum). */
  public metricConcurrentRequestsPerCopy(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('ConcurrentRequestsPerCopy', 'Maximum', options);
  }

  /** NoCapacityInvocationFailures: requests that failed because the component had no copy (Sum). */
  public metricNoCapacityInvocationFailures(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.invocationMetric('NoCapacityInvocationFailures', 'Sum', options);
  }

  /** CPUUtilizationNormalized of the component's copies, 0 to 100% (Average). */
  public metricCpuUtilizationNormalized(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.utilizationMetric('CPUUtilizationNormalized', options);
  }

  /** MemoryUtilizationNormalized of the component's copies, 0 to 100% (Average). */
  public metricMemoryUtilizationNormalized(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.utilizationMetric('MemoryUtilizationNormalized', options);
  }

  /** GPUUtilizationNormalized of the component's copies, 0 to 100% (Average). */
  public metricGpuUtilizationNormalized(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.utilizationMetric('GPUUtilizationNormalized', options);
  }

  /** GPUMemoryUtilizationNormalized of the component's copies, 0 to 100% (Average). */
  public metricGpuMemoryUtilizationNormalized(options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.utilizationMetric('GPUMemoryUtilizationNormalized', options);
  }

  private invocationMetric(metricName: string, statistic: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sageMakerMetric(INVOCATION_NAMESPACE, metricName, { InferenceComponentName: this.inferenceComponentName }, { statistic }, options);
  }

  private utilizationMetric(metricName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sageMakerMetric(INFERENCE_COMPONENT_NAMESPACE, metricName, { InferenceComponentName: this.inferenceComponentName }, { statistic: 'Average' }, options);
  }
}
