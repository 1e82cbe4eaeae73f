import { errorMessage, errorName, isThrottling, RetryOptions, withRetry } from '../../lambda/shared/retry';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** A call that fails `failures` times with `error`, then returns 'ok'. */
function flaky(failures: number, error: () => unknown) {
  let calls = 0;
  const call = async () => {
    calls++;
    if (calls <= failures) throw error();
    return 'ok';
  };
  return { call, calls: () => calls };
}

describe('shared retry', () => {
  const sleeps: number[] = [];
  const options = (extra: Partial<RetryOptions> = {}): RetryOptions =>
    ({ attempts: 5, baseDelayMs: 100, maxDelayMs: 300, sleep: async (ms) => { sleeps.push(ms); }, ...extra });
  beforeEach(() => { sleeps.length = 0; });

  test('retries throttling with delays between half and all of a doubling ceiling', async () => {
    const { call, calls } = flaky(3, throttled);
    await expect(withRetry(call, options())).resolves.toBe('ok');
    expect(calls()).toBe(4);
    [100, 200, 300].forEach((ceiling, i) => {
      expect(sleeps[i]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(sleeps[i]).toBeLessThanOrEqual(ceiling);
    });
  });

  test('without jitter each delay is the ceiling', async () => {
    await withRetry(flaky(3, throttled).call, options({ jitter: false }));
    expect(sleeps).toEqual([100, 200, 300]);
  });

  test('gives up after the attempts with the last error, and never retries other errors', async () => {
    const always = flaky(10, throttled);
    await expect(withRetry(always.call, options())).rejects.toThrow('Rate exceeded');
    expect(always.calls()).toBe(5);
    const invalid = flaky(10, () => Object.assign(new Error('bad'), { name: 'ValidationException' }));
    await expect(withRetry(invalid.call, options())).rejects.toThrow('bad');
    expect(invalid.calls()).toBe(1);
  });

  test('a handler passes its own classifier', async () => {
    const busy = flaky(2, () => Object.assign(new Error('busy'), { name: 'ResourceInUse' }));
    await expect(withRetry(busy.call, options(), (e) => errorName(e) === 'ResourceInUse')).resolves.toBe('ok');
    expect(busy.calls()).toBe(3);
  });

  test('classifies errors by name, code or the SDK flag', () => {
    expect(isThrottling({ Code: 'SlowDown' })).toBe(true);
    expect(isThrottling(Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' }))).toBe(true);
    expect(isThrottling(Object.assign(new Error('x'), { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(new Error('x'))).toBe(false);
    expect(errorName(new Error('x'))).toBe('');
    expect(errorMessage('plain')).toBe('plain');
  });
});
