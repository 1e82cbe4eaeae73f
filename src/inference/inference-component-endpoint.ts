import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Duration, RemovalPolicy, Size, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RoutingStrategy } from './endpoint-options';
import { ModelEndpointBase } from './model-endpoint';
import { encryptedTopic, generatedName, Hosting } from './private/hosting';
import { ENDPOINT_NAME, VARIANT_NAME } from './private/variants';
import { InterfaceEndpointService } from '../network/endpoint-service';
import { IPlatformNetwork } from '../network/platform-network';
import { acknowledge } from '../private/acknowledgments';
import { localStorageRule } from '../private/instance-storage-rules';
import { PropsValidator } from '../private/validation';

/** Properties of an {@link InferenceComponentEndpoint}. */
export interface InferenceComponentEndpointProps {
  /** The platform network: the instances run in its isolated subnets, with network isolation. */
  readonly network: IPlatformNetwork;

  /** The platform key (storage volume unless the instance type has local NVMe storage, alarms topic, logs). */
  readonly encryptionKey: kms.IKey;

  /** The instance type every instance of the endpoint has; a literal. */
  readonly instanceType: sagemakerAlpha.InstanceType;

  /**
   * The fewest instances managed instance scaling keeps; 0 lets the endpoint scale to zero once its
   * inference components have no copies.
   */
  readonly minInstanceCount: number;

  /** The most instances managed instance scaling starts. */
  readonly maxInstanceCount: number;

  /**
   * The instances at creation.
   *
   * @default - `minInstanceCount`, at least 1
   */
  readonly initialInstanceCount?: number;

  /**
   * The endpoint's name.
   *
   * @default - a name derived from the construct path
   */
  readonly endpointName?: string;

  /**
   * The name of the endpoint's one production variant.
   *
   * @default 'AllTraffic'
   */
  readonly variantName?: string;

  /**
   * How requests are routed to the copies.
   *
   * @default RoutingStrategy.LEAST_OUTSTANDING_REQUESTS
   */
  readonly routingStrategy?: RoutingStrategy;

  /**
   * The ML storage volume of each instance (1 to 512 GiB); not for instance types with local NVMe storage.
   *
   * @default - SageMaker's default
   */
  readonly volumeSize?: Size;

  /**
   * How long SageMaker may take to download model artifacts to an instance (60 to 3600 seconds).
   *
   * @default - SageMaker's default
   */
  readonly modelDataDownloadTimeout?: Duration;

  /**
   * The topic the components' alarms notify.
   *
   * @default - a KMS-encrypted topic (with `notificationsKey`) that accepts TLS only
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The key of the alarm topic created here.
   *
   * @default - `encryptionKey`
   */
  readonly notificationsKey?: kms.IKey;

  /**
   * Create a CloudWatch dashboard; each inference component adds its widgets.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The key of the log groups.
   *
   * @default - `encryptionKey`
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * How long the logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the log groups when they leave the stack (they have fixed names).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A SageMaker endpoint that hosts inference components: one production variant with managed
 * instance scaling (which can go down to zero instances), in the platform VPC with network
 * isolation, on a least-privilege execution role. Add models with {@link InferenceComponent}.
 *
 * @example
 * const endpoint = new InferenceComponentEndpoint(this, 'Gpu', {
 *   network, encryptionKey: keys.data, instanceType: InstanceType.G5_2XLARGE, minInstanceCount: 0, maxInstanceCount: 2,
 * });
 * const llm = new InferenceComponent(this, 'Llm', { endpoint, model, computeResources: { acceleratorCount: 1, minMemory: Size.gibibytes(16) } });
 * llm.autoScaleCopyCount({ minCapacity: 0, maxCapacity: 2 }).scaleOnConcurrentRequests('Concurrency', { targetConcurrentRequestsPerCopy: 4 });
 */
export class InferenceComponentEndpoint extends ModelEndpointBase {
  public readonly endpointName: string;
  public readonly endpointArn: string;
  /** The name of the production variant the components run on. */
  public readonly variantName: string;
  /** The instance type. */
  public readonly instanceType: string;
  /** The execution role of the endpoint and its components' models. */
  public readonly role: iam.IRole;
  /** The security group of the instances. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The log group of the endpoint's logs. */
  public readonly logGroup: logs.ILogGroup;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The topic the components' alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** The dashboard, unless turned off. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The platform network. */
  public readonly network: IPlatformNetwork;
  /** The platform key. */
  public readonly encryptionKey: kms.IKey;

  protected readonly defaultVariantName: string;
  /** @internal */
  public readonly _hosting: Hosting;
  /** @internal */
  public readonly _resource: sagemaker.CfnEndpoint;
  /** @internal */
  public readonly _logOptions: { readonly key: kms.IKey; readonly retention?: logs.RetentionDays; readonly removalPolicy?: RemovalPolicy };

  constructor(scope: Construct, id: string, props: InferenceComponentEndpointProps) {
    const v = PropsValidator.forNew('InferenceComponentEndpoint', scope, id);
    v.pattern('endpointName', props.endpointName, ENDPOINT_NAME, 'letters and digits with single hyphens between them', 63);
    v.pattern('variantName', props.variantName, VARIANT_NAME, 'letters and digits with single hyphens between them', 63);
    const instanceType = props.instanceType.toString();
    if (Token.isUnresolved(instanceType)) v.error('instanceType must be a literal: the KMS rule depends on it, got a token');
    v.range('minInstanceCount', props.minInstanceCount, 0, 10_000);
    v.range('maxInstanceCount', props.maxInstanceCount, 1, 10_000);
    const literalCounts = !Token.isUnresolved(props.minInstanceCount) && !Token.isUnresolved(props.maxInstanceCount);
    if (literalCounts && props.maxInstanceCount < props.minInstanceCount) {
      v.error(`maxInstanceCount must be at least minInstanceCount (${props.minInstanceCount}), got ${props.maxInstanceCount}`);
    }
    const initial = props.initialInstanceCount ?? Math.max(1, props.minInstanceCount);
    v.range('initialInstanceCount', props.initialInstanceCount, 1, 10_000);
    if (!Token.isUnresolved(initial) && !Token.isUnresolved(props.maxInstanceCount) && initial > props.maxInstanceCount) {
      v.error(`initialInstanceCount must be at most maxInstanceCount (${props.maxInstanceCount}), got ${initial}`);
    }
    const local = localStorageRule(instanceType);
    if (props.volumeSize) {
      v.range('volumeSize (GiB)', props.volumeSize.toGibibytes(), 1, 512);
      if (local) v.error(`volumeSize must not be set for ${instanceType}: its storage is the local NVMe instance store, got ${props.volumeSize.toGibibytes()} GiB`);
    }
    v.range('modelDataDownloadTimeout (seconds)', props.modelDataDownloadTimeout?.toSeconds(), 60, 3600);
    v.throwIfInvalid();

    super(scope, id);
    this.network = props.network;
    this.encryptionKey = props.encryptionKey;
    this.instanceType = instanceType;
    this.variantName = props.variantName ?? 'AllTraffic';
    this.defaultVariantName = this.variantName;
    this.endpointName = props.endpointName ?? generatedName(this).toLowerCase();

    const hosting = new Hosting(this, {
      network: props.network,
      encryptionKey: props.encryptionKey,
      logsEncryptionKey: props.logsEncryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      logGroupName: `/aws/sagemaker/Endpoints/${this.endpointName}`,
      purpose: 'inference component endpoint',
      inVpc: true,
    });
    this._hosting = hosting;
    this._logOptions = { key: props.logsEncryptionKey ?? props.encryptionKey, retention: props.logRetention, removalPolicy: props.removalPolicy };
    this.role = hosting.role;
    this.securityGroup = hosting.securityGroup!;
    this.logGroup = hosting.logGroup;
    props.network.addInterfaceEndpoints(
      InterfaceEndpointService.SAGEMAKER_RUNTIME, InterfaceEndpointService.ECR_API, InterfaceEndpointService.ECR_DKR);

    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'Config', {
      // inference components run with the endpoint's role, network and isolation
      executionRoleArn: hosting.role.roleArn,
      vpcConfig: { subnets: props.network.subnetIds, securityGroupIds: [this.securityGroup.securityGroupId] },
      enableNetworkIsolation: true,
      kmsKeyId: local ? undefined : props.encryptionKey.keyArn,
      productionVariants: [{
        variantName: this.variantName,
        instanceType,
        initialInstanceCount: initial,
        managedInstanceScaling: {
          status: 'ENABLED',
          minInstanceCount: props.minInstanceCount,
          maxInstanceCount: props.maxInstanceCount,
        },
        routingConfig: { routingStrategy: props.routingStrategy ?? RoutingStrategy.LEAST_OUTSTANDING_REQUESTS },
        volumeSizeInGb: props.volumeSize?.toGibibytes(),
        modelDataDownloadTimeoutInSeconds: props.modelDataDownloadTimeout?.toSeconds(),
      }],
    });
    // SageMaker checks the role's permissions when it creates the endpoint
    this.endpointConfig.node.addDependency(hosting.role.policy);
    if (local) acknowledge(this.endpointConfig, 'INFERENCE_LOCAL_NVME_VOLUME');

    this.alarmTopic = props.alarmTopic ?? encryptedTopic(this, 'AlarmTopic', props.notificationsKey ?? props.encryptionKey, `Alarms of SageMaker endpoint ${this.endpointName}`);

    this._resource = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
    });
    this.endpointArn = this._resource.ref;

    if (props.dashboard ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard');
      this.dashboard.addWidgets(new cloudwatch.GraphWidget({
        title: `${this.variantName}: instance utilization (%)`,
        left: [this.metricCpuUtilizationNormalized(), this.metricMemoryUtilization(), this.metricDiskUtilization()],
      }));
    }
  }
}
