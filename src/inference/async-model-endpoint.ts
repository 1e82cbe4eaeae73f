import { CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DeploymentStrategy } from './deployment-strategy';
import { InstanceVariantProps } from './endpoint-options';
import { EndpointCommonProps, ModelEndpointBase } from './model-endpoint';
import { buildHostedEndpoint } from './private/endpoint-builder';
import { encryptedTopic, generatedName } from './private/hosting';
import { GuardedVariant } from './private/scaling-guard';
import {
  ENDPOINT_NAME, resolveInstanceVariants, ResolvedInstanceVariant, validateDataCapture, validateDeployment, validateRollbackAlarms,
} from './private/variants';
import { AsyncVariantScaling, EnableInstanceScalingProps } from './variant-scaling';
import { acknowledge } from '../private/acknowledgments';
import { nagResourceDetail } from '../private/nag-detail';
import { PropsValidator } from '../private/validation';

/** Where an asynchronous endpoint reads requests and writes results. */
export interface AsyncOutputOptions {
  /** The platform bucket of the requests, results and failures (SSE-KMS, for example a `SecureBucket`). */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix callers upload requests under (`InvokeEndpointAsync` names the object); the
   * endpoint may read only these objects.
   *
   * @default 'async-inference/input'
   */
  readonly inputPrefix?: string;

  /**
   * The key prefix of the results.
   *
   * @default 'async-inference/output'
   */
  readonly outputPrefix?: string;

  /**
   * The key prefix of the failures.
   *
   * @default 'async-inference/failure'
   */
  readonly failurePrefix?: string;
}

/** Properties of an {@link AsyncModelEndpoint}. */
export interface AsyncModelEndpointProps extends EndpointCommonProps {
  /** The production variants, on provisioned instances in the platform VPC. */
  readonly instanceVariants: InstanceVariantProps[];

  /** Where requests are read and results and failures are written (encrypted with `encryptionKey`). */
  readonly asyncOutput: AsyncOutputOptions;

  /**
   * The most requests SageMaker sends to one instance at a time (1 to 1000).
   *
   * @default - SageMaker chooses
   */
  readonly maxConcurrentInvocationsPerInstance?: number;

  /**
   * The topic notified when a request succeeds.
   *
   * @default - a KMS-encrypted topic (with `notificationsKey`) that accepts TLS only
   */
  readonly successTopic?: sns.ITopic;

  /**
   * The topic notified when a request fails.
   *
   * @default - a KMS-encrypted topic (with `notificationsKey`) that accepts TLS only
   */
  readonly errorTopic?: sns.ITopic;

  /**
   * Include inference responses of up to 128 KB in the success notifications. Keep it off when
   * subscribers should not see results (they are in the output bucket either way).
   *
   * @default false
   */
  readonly includeResponseInSuccessNotification?: boolean;
}

/**
 * An asynchronous SageMaker endpoint: requests queue in S3 and are processed on instances in the
 * platform VPC with network isolation; results and failures go to a platform bucket with the
 * platform key, and KMS-encrypted SNS topics are notified of both. It can scale to zero instances
 * (`autoScaleInstanceCount({ minCapacity: 0, ... })`): backlog-per-instance target tracking, and a
 * step policy on the HasBacklogWithoutCapacity alarm that starts the first instance.
 *
 * Requests wait in the queue while the endpoint has no instance, so asynchronous endpoints have
 * no two-instance production minimum.
 *
 * @example
 * const endpoint = new AsyncModelEndpoint(this, 'Batchy', {
 *   network, encryptionKey: keys.data,
 *   instanceVariants: [{ model, instanceType: InstanceType.G5_XLARGE }],
 *   asyncOutput: { bucket: results },
 * });
 * endpoint.autoScaleInstanceCount({ minCapacity: 0, maxCapacity: 4 }).scaleOnBacklog('Backlog');
 */
export class AsyncModelEndpoint extends ModelEndpointBase {
  public readonly endpointName: string;
  public readonly endpointArn: string;
  /** The execution role of the endpoint's models. */
  public readonly role: iam.IRole;
  /** The security group of the endpoint's models. */
  public readonly securityGroup?: ec2.ISecurityGroup;
  /** The log group of the containers' logs. */
  public readonly logGroup: logs.ILogGroup;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The topic notified of successful requests. */
  public readonly successTopic: sns.ITopic;
  /** The topic notified of failed requests. */
  public readonly errorTopic: sns.ITopic;
  /** The topic the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** The alarms that roll deployments back and watch the endpoint. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** The dashboard, unless turned off. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The names of the production variants. */
  public readonly variantNames: string[];
  /** The S3 URI prefix callers upload requests under. */
  public readonly inputLocation: string;

  protected readonly defaultVariantName: string;
  private readonly resource: sagemaker.CfnEndpoint;
  private readonly instanceVariants: ResolvedInstanceVariant[];
  private readonly scalings = new Map<string, AsyncVariantScaling>();
  private readonly inputBucket: s3.IBucket;
  private readonly inputPrefix: string;

  constructor(scope: Construct, id: string, props: AsyncModelEndpointProps) {
    const v = PropsValidator.forNew('AsyncModelEndpoint', scope, id);
    v.pattern('endpointName', props.endpointName, ENDPOINT_NAME, 'letters and digits with single hyphens between them', 63);
    if (props.instanceVariants.length === 0) v.error('instanceVariants must have at least one variant, got none');
    const resolved = resolveInstanceVariants(v, props.instanceVariants, 1, 1, 'SageMaker starts an endpoint with at least one instance');
    if (props.dataCapture) validateDataCapture(v, props.dataCapture);
    const deployment = props.deployment ?? DeploymentStrategy.canary();
    validateDeployment(v, deployment, resolved);
    validateRollbackAlarms(v, props.rollbackAlarms ?? {}, resolved.length);
    v.range('maxConcurrentInvocationsPerInstance', props.maxConcurrentInvocationsPerInstance, 1, 1000);
    const prefix = /^[a-zA-Z0-9!_.*'()\/-]*[a-zA-Z0-9!_.*'()-]$/;
    const prefixDescription = 'an S3 key prefix without a trailing slash';
    v.pattern('asyncOutput.inputPrefix', props.asyncOutput.inputPrefix, prefix, prefixDescription, 512);
    v.pattern('asyncOutput.outputPrefix', props.asyncOutput.outputPrefix, prefix, prefixDescription, 512);
    v.pattern('asyncOutput.failurePrefix', props.asyncOutput.failurePrefix, prefix, prefixDescription, 512);
    v.throwIfInvalid();

    super(scope, id);
    this.instanceVariants = resolved;
    this.endpointName = props.endpointName ?? generatedName(this).toLowerCase();

    const output = props.asyncOutput;
    this.inputBucket = output.bucket;
    this.inputPrefix = output.inputPrefix ?? 'async-inference/input';
    const outputPrefix = output.outputPrefix ?? 'async-inference/output';
    const failurePrefix = output.failurePrefix ?? 'async-inference/failure';
    this.inputLocation = output.bucket.s3UrlForObject(this.inputPrefix);
    this.successTopic = props.successTopic ?? encryptedTopic(this, 'SuccessTopic', props.notificationsKey ?? props.encryptionKey, `Results of SageMaker endpoint ${this.endpointName}`);
    this.errorTopic = props.errorTopic ?? encryptedTopic(this, 'ErrorTopic', props.notificationsKey ?? props.encryptionKey, `Failures of SageMaker endpoint ${this.endpointName}`);

    const built = buildHostedEndpoint(this, {
      props,
      endpointName: this.endpointName,
      instanceVariants: resolved,
      deployment,
      guardedVariants: () => this.guardedVariants(),
      asyncInference: (hosting) => {
        hosting.grantObjectReads(output.bucket, this.inputPrefix);
        hosting.grantObjectWrites(output.bucket, outputPrefix);
        hosting.grantObjectWrites(output.bucket, failurePrefix);
        // SageMaker publishes the notifications with the execution role
        hosting.role.addToPrincipalPolicy(new iam.PolicyStatement({
          actions: ['sns:Publish'],
          resources: [this.successTopic.topicArn, this.errorTopic.topicArn],
        }));
        for (const topic of [this.successTopic, this.errorTopic]) {
          if (topic.masterKey) hosting.grantKey(topic.masterKey);
        }
        return {
          clientConfig: props.maxConcurrentInvocationsPerInstance !== undefined
            ? { maxConcurrentInvocationsPerInstance: props.maxConcurrentInvocationsPerInstance }
            : undefined,
          outputConfig: {
            kmsKeyId: (output.bucket.encryptionKey ?? props.encryptionKey).keyArn,
            s3OutputPath: output.bucket.s3UrlForObject(outputPrefix),
            s3FailurePath: output.bucket.s3UrlForObject(failurePrefix),
            notificationConfig: {
              successTopic: this.successTopic.topicArn,
              errorTopic: this.errorTopic.topicArn,
              includeInferenceResponseIn: props.includeResponseInSuccessNotification ? ['SUCCESS_NOTIFICATION_TOPIC'] : undefined,
            },
          },
        };
      },
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
      this.dashboard = this.createDashboard(this.variantNames, [], [
        new cloudwatch.GraphWidget({
          title: 'Queue',
          left: [this.metricApproximateBacklogSize(), this.metricApproximateBacklogSizePerInstance()],
          right: [this.metricApproximateAgeOfOldestRequest()],
        }),
        new cloudwatch.GraphWidget({ title: 'Waiting without capacity', left: [this.metricHasBacklogWithoutCapacity()] }),
      ]);
    }
  }

  /**
   * Auto scaling of a variant's instance count; the minimum may be 0. Add the backlog policy with
   * `scaleOnBacklog`. With a minimum of 0, a step policy on the HasBacklogWithoutCapacity alarm
   * starts the first instance when requests arrive.
   */
  public autoScaleInstanceCount(props: EnableInstanceScalingProps): AsyncVariantScaling {
    let variant: ResolvedInstanceVariant | undefined;
    if (props.variantName === undefined) {
      if (this.instanceVariants.length > 1) {
        throw new Error(`AsyncModelEndpoint '${this.node.path}': autoScaleInstanceCount needs variantName, the endpoint has `
          + `${this.instanceVariants.length} variants (${this.instanceVariants.map((r) => r.variantName).join(', ')})`);
      }
      variant = this.instanceVariants[0];
    } else {
      variant = this.instanceVariants.find((r) => r.variantName === props.variantName);
      if (!variant) {
        throw new Error(`AsyncModelEndpoint '${this.node.path}': autoScaleInstanceCount got variantName '${props.variantName}', `
          + `which is not one of ${this.instanceVariants.map((r) => r.variantName).join(', ')}`);
      }
    }
    if (this.scalings.has(variant.variantName)) {
      throw new Error(`AsyncModelEndpoint '${this.node.path}': autoScaleInstanceCount was already called for variant '${variant.variantName}'`);
    }
    const scaling = AsyncVariantScaling._create(this, `${variant.variantName}AutoScaling`, {
      endpointName: this.endpointName,
      variantName: variant.variantName,
      instanceType: variant.instanceType,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
      endpoint: this.resource,
    });
    this.scalings.set(variant.variantName, scaling);
    return scaling;
  }

  /**
   * Lets `grantee` invoke the endpoint and upload requests under the input prefix (`s3:PutObject`,
   * with the bucket's key), the two things an asynchronous caller does. The object-prefix wildcard
   * is acknowledged (ASYNC_INFERENCE_REQUEST_UPLOADS) on the policy the statement goes to.
   */
  public grantInvokeAsync(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grantInvoke(grantee);
    const requests = this.inputBucket.arnForObjects(`${this.inputPrefix}/*`);
    const added = grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [requests] }));
    // the caller names each request object: acknowledge exactly this prefix on the policy it went to
    const policy = added.policyDependable;
    if (added.statementAdded && policy && Construct.isConstruct(policy) && policy.node.defaultChild instanceof CfnResource) {
      acknowledge(policy.node.defaultChild, 'ASYNC_INFERENCE_REQUEST_UPLOADS', [nagResourceDetail(policy, requests)]);
    }
    const key = this.inputBucket.encryptionKey;
    if (key) iam.Grant.addToPrincipal({ grantee, actions: ['kms:GenerateDataKey'], resourceArns: [key.keyArn] });
    return grant;
  }

  private guardedVariants(): GuardedVariant[] {
    return [...this.scalings.values()].map((s) => ({ variantName: s.variantName, instanceType: s.instanceType }));
  }
}
