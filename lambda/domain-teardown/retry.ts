/**
 * Retries of throttled AWS calls, and error classification, for the custom-resource handlers.
 *
 * The SDK retries throttling on its own (3 attempts); teardown issues many calls in a burst
 * (one DeleteApp per app), so calls go through `withRetry` for a longer, jittered back-off.
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
  if (error instanceof Error) return error.message;
  return String(error);
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
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs `call`, retrying it while AWS throttles it; any other error is thrown at once. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= options.attempts) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
