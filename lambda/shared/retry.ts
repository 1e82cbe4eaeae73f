/**
 * Retries with jittered exponential back-off, and error classification, for every custom-resource
 * handler.
 *
 * The SDK retries throttling on its own (3 attempts); handlers that issue many calls in a burst
 * (one DeleteApp per app, one DeregisterScalableTarget per variant) go through `withRetry` for a
 * longer back-off. Handlers with service-specific retryable errors pass their own classifier.
 */

/** Error names AWS services use for throttling. */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/** The name (code) of an AWS SDK error, or '' for anything else. */
export function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const value of [e.name, e.Code, e.code]) {
      if (typeof value === 'string' && value !== 'Error') return value;
    }
  }
  return '';
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for throttling errors (by name, or by the SDK's own classification). */
export function isThrottling(error: unknown): boolean {
  if (THROTTLING.has(errorName(error))) return true;
  const retryable = (error as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable;
  return retryable?.throttling === true;
}

/** How `withRetry` waits and how often it tries. */
export interface RetryOptions {
  /** Attempts in total, the first included. */
  readonly attempts: number;
  /** Delay before the first retry; doubles each time, with jitter. */
  readonly baseDelayMs: number;
  /** Upper bound of one delay. */
  readonly maxDelayMs: number;
  /** Waits; replaced in tests. */
  readonly sleep: (ms: number) => Promise<void>;
  /**
   * Draw each delay between half and all of its ceiling, so handlers throttled together spread out;
   * off, each delay is the ceiling itself. @default true
   */
  readonly jitter?: boolean;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Runs `call`, retrying it while `retryable` says the error is worth another attempt (by default:
 * throttling); any other error, or the last attempt's, is thrown at once. The delay ceiling doubles
 * with each attempt, up to `maxDelayMs`.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
  retryable: (error: unknown) => boolean = isThrottling,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error) || attempt >= options.attempts) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(options.jitter === false ? ceiling : Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
