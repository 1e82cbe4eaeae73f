import { Duration, Token } from 'aws-cdk-lib';

/**
 * An error a retry policy retries on.
 */
export class RetryExceptionType {
  /** A service fault of the pipeline step (any step type). */
  public static readonly STEP_SERVICE_FAULT = new RetryExceptionType('Step.SERVICE_FAULT');
  /** Throttling of the pipeline step (any step type). */
  public static readonly STEP_THROTTLING = new RetryExceptionType('Step.THROTTLING');
  /** An internal error of the SageMaker job. */
  public static readonly JOB_INTERNAL_ERROR = new RetryExceptionType('SageMaker.JOB_INTERNAL_ERROR');
  /** Not enough capacity for the job's instances. */
  public static readonly CAPACITY_ERROR = new RetryExceptionType('SageMaker.CAPACITY_ERROR');
  /** A SageMaker resource limit was reached. */
  public static readonly RESOURCE_LIMIT = new RetryExceptionType('SageMaker.RESOURCE_LIMIT');

  /** An exception type not listed here, by its name in the definition. */
  public static of(value: string): RetryExceptionType {
    return new RetryExceptionType(value);
  }

  private constructor(
    /** The exception type as it appears in the definition. */
    public readonly value: string,
  ) {}
}

/** Properties of a {@link RetryPolicy}. */
export interface RetryPolicyProps {
  /** The errors to retry on. */
  readonly exceptionTypes: RetryExceptionType[];

  /**
   * Time before the first retry.
   *
   * @default Duration.seconds(1)
   */
  readonly interval?: Duration;

  /**
   * The factor the interval grows by with each retry.
   *
   * @default 2
   */
  readonly backoffRate?: number;

  /**
   * The number of retries (1-20). Give exactly one of `maxAttempts` and `expireAfter`.
   *
   * @default - none; `expireAfter` limits the retries
   */
  readonly maxAttempts?: number;

  /**
   * How long retries may go on (at most 14,400 minutes). Give exactly one of `maxAttempts` and `expireAfter`.
   *
   * @default - none; `maxAttempts` limits the retries
   */
  readonly expireAfter?: Duration;
}

/**
 * A retry policy of a step.
 *
 * @example
 * new RetryPolicy({ exceptionTypes: [RetryExceptionType.CAPACITY_ERROR], maxAttempts: 3, interval: Duration.minutes(5) });
 */
export class RetryPolicy {
  /** The properties the policy was created with. */
  public readonly props: RetryPolicyProps;

  constructor(props: RetryPolicyProps) {
    this.props = props;
  }

  /** The policy as it appears in the definition. @internal */
  public _toJson(): any {
    const p = this.props;
    const json: any = {
      // the service takes a list of exception types (the published schema's single string is a known gap)
      ExceptionType: p.exceptionTypes.map((e) => e.value),
      IntervalSeconds: (p.interval ?? Duration.seconds(1)).toSeconds(),
      BackoffRate: p.backoffRate ?? 2,
    };
    if (p.maxAttempts !== undefined) json.MaxAttempts = p.maxAttempts;
    if (p.expireAfter !== undefined) json.ExpireAfterMin = p.expireAfter.toMinutes();
    return json;
  }

  /** Problems with the policy. @internal */
  public _problems(): string[] {
    const p = this.props;
    const problems: string[] = [];
    if (p.exceptionTypes.length === 0) problems.push('retry policy: exceptionTypes must not be empty');
    if ((p.maxAttempts === undefined) === (p.expireAfter === undefined)) {
      problems.push('retry policy: give exactly one of maxAttempts and expireAfter');
    }
    const attempts = p.maxAttempts;
    if (attempts !== undefined && !Token.isUnresolved(attempts) && (!Number.isInteger(attempts) || attempts < 1 || attempts > 20)) {
      problems.push(`retry policy: maxAttempts must be an integer between 1 and 20, got ${p.maxAttempts}`);
    }
    if (p.expireAfter !== undefined && !p.expireAfter.isUnresolved()) {
      const minutes = p.expireAfter.toMinutes({ integral: false });
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 14400) {
        problems.push(`retry policy: expireAfter must be a whole number of minutes between 1 and 14400, got ${p.expireAfter.toHumanString()}`);
      }
    }
    if (p.interval !== undefined && !p.interval.isUnresolved() && !Number.isInteger(p.interval.toSeconds({ integral: false }))) {
      problems.push(`retry policy: interval must be a whole number of seconds, got ${p.interval.toHumanString()}`);
    }
    if (p.backoffRate !== undefined && !Token.isUnresolved(p.backoffRate) && !(p.backoffRate >= 0)) {
      problems.push(`retry policy: backoffRate must not be negative, got ${p.backoffRate}`);
    }
    return problems;
  }
}
