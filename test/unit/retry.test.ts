import { ConditionalCheckFailedException, InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { isRetryableAwsError } from '../../src/aws-retryable';
import { abortableSleep, backoffCeilingMs, jitteredBackoffMs, withRetries, type RetryOptions } from '../../src/retry';

describe('backoffCeilingMs', () => {
  it('doubles from the base delay and stops at the cap', () => {
    // Act
    const delays = [1, 2, 3, 4, 5, 6].map((retry) => backoffCeilingMs(retry, { baseDelayMs: 100, maxDelayMs: 1000 }));

    // Assess
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('jitteredBackoffMs', () => {
  const policy = { baseDelayMs: 250, maxDelayMs: 8_000 };

  it('doubles the ceiling with every retry up to the maximum', () => {
    // Act
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((retry) => jitteredBackoffMs(retry, policy, () => 0.999_999));

    // Assess
    expect(ceilings).toEqual([249, 499, 999, 1_999, 3_999, 7_999, 7_999, 7_999]);
  });

  it('draws the pause uniformly below the ceiling (full jitter)', () => {
    // Act
    const pauses = [0, 0.25, 0.5].map((draw) => jitteredBackoffMs(3, policy, () => draw));

    // Assess
    expect(pauses).toEqual([0, 250, 500]);
  });
});

describe('abortableSleep', () => {
  it('returns as soon as the signal aborts', async () => {
    // Prepare
    const controller = new AbortController();
    const started = Date.now();

    // Act
    const sleeping = abortableSleep(10_000, controller.signal);
    controller.abort();
    await sleeping;

    // Assess
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('withRetries', () => {
  class Passing extends Error {}
  const options: RetryOptions = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2, isRetryable: (error) => error instanceof Passing };

  /** Work that fails with `failures` in turn, then answers with its attempt number. */
  function failingWith(...failures: Error[]) {
    const attempts: number[] = [];
    const work = async (attempt: number) => {
      attempts.push(attempt);
      if (attempts.length <= failures.length) throw failures[attempts.length - 1];
      return attempt;
    };
    return { work, attempts };
  }

  it('tries a retryable failure again until the work succeeds', async () => {
    // Prepare
    const { work, attempts } = failingWith(new Passing(), new Passing());

    // Act
    const answer = await withRetries(work, options);

    // Assess
    expect(answer).toBe(3);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('throws a failure that is not retryable at once', async () => {
    // Prepare
    const lasting = new Error('would fail again');
    const { work, attempts } = failingWith(lasting);

    // Act / Assess
    await expect(withRetries(work, options)).rejects.toBe(lasting);
    expect(attempts).toEqual([1]);
  });

  it('throws the last failure once the attempts are used up', async () => {
    // Prepare
    const failures = [new Passing('1'), new Passing('2'), new Passing('3'), new Passing('4'), new Passing('5')];
    const { work, attempts } = failingWith(...failures);

    // Act / Assess
    await expect(withRetries(work, options)).rejects.toBe(failures[3]);
    expect(attempts).toEqual([1, 2, 3, 4]);
  });

  it('waits as long as the failure asks instead of the backoff', async () => {
    // Prepare
    const { work } = failingWith(new Passing());
    const started = Date.now();

    // Act
    await withRetries(work, { ...options, requestedDelayMs: () => 60 });

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('stops waiting and throws the signal reason when the caller aborts', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('stopped by the caller');
    const { work, attempts } = failingWith(new Passing(), new Passing());
    setTimeout(() => controller.abort(reason), 20);

    // Act / Assess
    await expect(
      withRetries(work, { ...options, baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 1, signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(attempts).toEqual([1]);
  });
});

describe('isRetryableAwsError', () => {
  const metadata = { $metadata: {} };

  it.each([
    ['throttling', new ProvisionedThroughputExceededException({ message: 'slow down', ...metadata })],
    ['a throttling error named only by its code', Object.assign(new Error('injected'), { name: 'ThrottlingException' })],
    ['a server fault', new InternalServerError({ message: 'oops', ...metadata })],
    ['HTTP 503', Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })],
    ['a marked retryable error', Object.assign(new Error('try again'), { name: 'Odd', $retryable: {} })],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a request timeout', Object.assign(new Error('no answer'), { name: 'TimeoutError' })],
    [
      'throttling wrapped in an error of ours',
      new Error('could not checkpoint', { cause: new ProvisionedThroughputExceededException({ message: 'x', ...metadata }) }),
    ],
  ])('retries %s', (_what, error) => {
    expect(isRetryableAwsError(error)).toBe(true);
  });

  it.each([
    [
      'a ValidationException',
      Object.assign(new Error('bad expression'), { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    ],
    ['a failed condition', new ConditionalCheckFailedException({ message: 'condition', ...metadata })],
    ['a programming error', new TypeError('x is undefined')],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ECONNRESET' })],
    ['something that is not an error', 'text'],
  ])('does not retry %s', (_what, error) => {
    expect(isRetryableAwsError(error)).toBe(false);
  });
});
