import * as sagemakerAlpha from '@aws-cdk/aws-sagemaker-alpha';
import { Duration, Size } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelSource } from './model-source';

/** How an endpoint routes requests to the instances of a variant. */
export enum RoutingStrategy {
  /** To the instance with the fewest outstanding requests (best for uneven request costs). */
  LEAST_OUTSTANDING_REQUESTS = 'LEAST_OUTSTANDING_REQUESTS',
  /** To a random instance. */
  RANDOM = 'RANDOM',
}

/** A production variant on provisioned instances. */
export interface InstanceVariantProps {
  /** Where the variant's model comes from. */
  readonly model: ModelSource;

  /**
   * The instance type (`InstanceType` of @aws-cdk/aws-sagemaker-alpha, or `InstanceType.of('ml.g6e.xlarge')`).
   * A literal value: the KMS, autoscaling and deployment rules depend on it.
   */
  readonly instanceType: sagemakerAlpha.InstanceType;

  /**
   * The variant's name. Keep it stable: blue/green deployments require the same variant names in the
   * old and new configuration, and the CloudWatch metrics are per variant name.
   *
   * @default 'AllTraffic' (required when the endpoint has several variants)
   */
  readonly variantName?: string;

  /**
   * The number of instances at creation. With autoscaling, later deployments keep the current count.
   *
   * @default 2 for production endpoints, 1 otherwise
   */
  readonly initialInstanceCount?: number;

  /**
   * The variant's share of the traffic, relative to the other variants' weights.
   *
   * @default 1
   */
  readonly initialVariantWeight?: number;

  /**
   * The size of the ML storage volume of each instance (1 to 512 GiB); not for instance types with
   * local NVMe storage, whose volume is the instance store.
   *
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSize?: Size;

  /**
   * How long SageMaker may take to download the model artifacts to an instance (60 to 3600 seconds).
   *
   * @default - SageMaker's default
   */
  readonly modelDataDownloadTimeout?: Duration;

  /**
   * How long the container may take to pass its first health check (60 to 3600 seconds).
   *
   * @default - SageMaker's default
   */
  readonly containerStartupHealthCheckTimeout?: Duration;

  /**
   * How requests are routed to the variant's instances.
   *
   * @default RoutingStrategy.LEAST_OUTSTANDING_REQUESTS
   */
  readonly routingStrategy?: RoutingStrategy;
}

/** A production variant on SageMaker Serverless Inference (outside the VPC). */
export interface ServerlessVariantProps {
  /** Where the variant's model comes from. */
  readonly model: ModelSource;

  /**
   * The variant's name.
   *
   * @default 'AllTraffic'
   */
  readonly variantName?: string;

  /** The memory of the serverless endpoint: 1 to 6 GiB, in whole GiB. */
  readonly memorySize: Size;

  /** The maximum number of concurrent invocations (1 to 200). */
  readonly maxConcurrency: number;

  /**
   * Provisioned concurrency (1 to `maxConcurrency`), which keeps that many workers warm.
   *
   * @default - none (cold starts)
   */
  readonly provisionedConcurrency?: number;
}

/** What the endpoint captures for Model Monitor. */
export interface DataCaptureOptions {
  /**
   * The bucket that receives the captured data (a platform bucket with SSE-KMS, for example a
   * `SecureBucket`). Objects are written with the endpoint's KMS key.
   */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix of the captured data (SageMaker appends `<endpoint>/<variant>/<date>/...`).
   *
   * @default 'data-capture'
   */
  readonly prefix?: string;

  /**
   * The share of requests captured, in percent (1 to 100).
   *
   * @default 20
   */
  readonly samplingPercentage?: number;

  /**
   * Capture the requests.
   *
   * @default true
   */
  readonly captureInput?: boolean;

  /**
   * Capture the responses.
   *
   * @default true
   */
  readonly captureOutput?: boolean;

  /**
   * Content types captured as CSV.
   *
   * @default - SageMaker's default (text/csv)
   */
  readonly csvContentTypes?: string[];

  /**
   * Content types captured as JSON.
   *
   * @default - SageMaker's default (application/json)
   */
  readonly jsonContentTypes?: string[];
}
