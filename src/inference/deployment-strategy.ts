import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** The unit of a {@link CapacitySize}. */
export enum CapacitySizeType {
  /** A number of instances. */
  INSTANCE_COUNT = 'INSTANCE_COUNT',
  /** A percentage of the variant's instances. */
  CAPACITY_PERCENT = 'CAPACITY_PERCENT',
}

/**
 * How much of the new fleet takes traffic in one step of a blue/green deployment.
 */
export class CapacitySize {
  /** A number of instances (at least 1). */
  public static instances(count: number): CapacitySize {
    return new CapacitySize(CapacitySizeType.INSTANCE_COUNT, count);
  }

  /** A percentage of the variant's instance count (1 to 100). */
  public static percent(percentage: number): CapacitySize {
    return new CapacitySize(CapacitySizeType.CAPACITY_PERCENT, percentage);
  }

  private constructor(
    /** The unit. */
    public readonly type: CapacitySizeType,
    /** The number of instances or the percentage. */
    public readonly value: number,
  ) {}
}

/** The traffic routing of a blue/green deployment. */
export enum TrafficRoutingType {
  /** All traffic moves to the new fleet at once. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** A canary share first, the rest after the canary bakes. */
  CANARY = 'CANARY',
  /** Equal steps, each baking before the next. */
  LINEAR = 'LINEAR',
}

/** Options of {@link DeploymentStrategy.canary}. */
export interface CanaryDeploymentOptions {
  /**
   * The share of the new fleet that takes traffic first; at most 50% of the variant's instances.
   *
   * @default CapacitySize.percent(10)
   */
  readonly canarySize?: CapacitySize;

  /**
   * How long the canary bakes, with the rollback alarms watching, before all traffic moves.
   *
   * @default Duration.minutes(10)
   */
  readonly bakeTime?: Duration;

  /**
   * How long the old fleet stays after all traffic moved, so a late alarm can still roll back.
   *
   * @default Duration.minutes(5)
   */
  readonly terminationWait?: Duration;

  /**
   * The time limit of the whole deployment (10 minutes to 4 hours), longer than the bake time and
   * the termination wait together.
   *
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
}

/** Options of {@link DeploymentStrategy.linear}. */
export interface LinearDeploymentOptions {
  /**
   * The share of the new fleet that takes traffic in each step: 10% to 50% of the variant's instances.
   *
   * @default CapacitySize.percent(20)
   */
  readonly stepSize?: CapacitySize;

  /**
   * How long each step bakes before the next.
   *
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;

  /**
   * How long the old fleet stays after all traffic moved.
   *
   * @default Duration.minutes(5)
   */
  readonly terminationWait?: Duration;

  /**
   * The time limit of the whole deployment (10 minutes to 4 hours).
   *
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
}

/** Options of {@link DeploymentStrategy.allAtOnce}. */
export interface AllAtOnceDeploymentOptions {
  /**
   * How long the old fleet stays after traffic moved, with the rollback alarms watching.
   *
   * @default Duration.minutes(5)
   */
  readonly terminationWait?: Duration;

  /**
   * The time limit of the whole deployment (10 minutes to 4 hours).
   *
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
}

/**
 * How an endpoint update moves traffic to the new fleet: SageMaker's blue/green deployment with
 * canary, linear or all-at-once traffic shifting, rolled back automatically when a rollback alarm
 * goes off while the new fleet bakes (SageMaker "deployment guardrails").
 *
 * @example
 * DeploymentStrategy.canary({ canarySize: CapacitySize.instances(1), bakeTime: Duration.minutes(15) });
 */
export class DeploymentStrategy {
  /** A canary share of the traffic first, then the rest. */
  public static canary(options: CanaryDeploymentOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(TrafficRoutingType.CANARY, options.canarySize ?? CapacitySize.percent(10),
      options.bakeTime ?? Duration.minutes(10), options.terminationWait ?? Duration.minutes(5), options.maximumExecutionTimeout);
  }

  /** Equal steps of traffic. */
  public static linear(options: LinearDeploymentOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(TrafficRoutingType.LINEAR, options.stepSize ?? CapacitySize.percent(20),
      options.bakeTime ?? Duration.minutes(5), options.terminationWait ?? Duration.minutes(5), options.maximumExecutionTimeout);
  }

  /** All traffic at once, with a baking period before the old fleet goes. */
  public static allAtOnce(options: AllAtOnceDeploymentOptions = {}): DeploymentStrategy {
    return new DeploymentStrategy(TrafficRoutingType.ALL_AT_ONCE, undefined, undefined,
      options.terminationWait ?? Duration.minutes(5), options.maximumExecutionTimeout);
  }

  private constructor(
    /** The traffic routing. */
    public readonly type: TrafficRoutingType,
    /** The canary size or the linear step size. */
    public readonly stepSize: CapacitySize | undefined,
    /** The bake time of the canary or of each linear step. */
    public readonly bakeTime: Duration | undefined,
    /** How long the old fleet stays. */
    public readonly terminationWait: Duration,
    /** The time limit of the deployment. */
    public readonly maximumExecutionTimeout: Duration | undefined,
  ) {}
}

/**
 * The alarms that roll a deployment back and that stay on afterwards as the endpoint's default
 * alarms.
 */
export interface RollbackAlarmOptions {
  /**
   * The highest acceptable share of requests that get a 5XX answer from the model (Invocation5XXErrors,
   * Average over one minute, whose value per request is 0 or 1), from 0 to 1.
   *
   * @default 0.01
   */
  readonly maxServerErrorRate?: number;

  /**
   * The highest acceptable share of requests that get a 4XX answer (Invocation4XXErrors), from 0 to 1.
   *
   * @default 0.05
   */
  readonly maxClientErrorRate?: number;

  /**
   * The highest acceptable average model latency of the new fleet during a deployment (ModelLatency
   * with the EndpointConfigName dimension of the new configuration).
   *
   * @default Duration.seconds(1)
   */
  readonly maxModelLatency?: Duration;

  /**
   * How many consecutive one-minute periods must breach before an alarm goes off.
   *
   * @default 2
   */
  readonly evaluationPeriods?: number;

  /**
   * Further alarms that roll a deployment back (at most 10 alarms in total, with the three per
   * instance variant created here).
   *
   * @default - none
   */
  readonly additionalAlarms?: cloudwatch.IAlarm[];
}
