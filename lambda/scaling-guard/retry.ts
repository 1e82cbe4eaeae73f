/**
 * Retries of Application Auto Scaling calls that the service asks to repeat.
 *
 * The SDK retries throttling a few times on its own; a deployment that changes several endpoints at
 * once deregisters many targets in a burst, and a scaling activity in progress answers
 * ConcurrentUpdateException, so calls go through `withRetry` for a longer, jittered back-off.
 */

/** Error names that mean "try again later". */
const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  // Application Auto Scaling: another update of the same target is in progress
  'ConcurrentUpdateException',
  'InternalServiceException',
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

/** True for errors worth retrying (by name, or by the SDK's own throttling classification). */
export function isRetryable(error: unknown): boolean {
  if (RETRYABLE.has(errorName(error))) return true;
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
  attempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Runs `call`, retrying it while the service asks for a retry; any other error is thrown at once. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.attempts) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(Math.round(ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
