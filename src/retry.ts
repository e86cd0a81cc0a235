/**
 * The project's one retry helper: bounded attempts, exponential backoff with full jitter, a pause a
 * failure may ask for (HTTP Retry-After), waits that an AbortSignal cuts short, and only the failures
 * the caller classifies as retryable are tried again (an AWS SDK error: isRetryableAwsError). Used by
 * the processor's store (unprocessed items, throttling), the trip publisher (records Kinesis did not
 * take), the replay's HTTP client, and the local poller's waits.
 */

/** How the pause between attempts grows. */
export interface BackoffPolicy {
  /** The ceiling of the first pause. */
  readonly baseDelayMs: number;
  /** No pause is longer. */
  readonly maxDelayMs: number;
}

/** The ceiling of the pause before retry number `retry` (1 for the first retry): `base * 2^(retry-1)`, capped. */
export function backoffCeilingMs(retry: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
}

/**
 * The pause before retry number `retry`: "full jitter", a uniform draw in [0, backoffCeilingMs), so
 * that several clients hitting a struggling service do not retry in lock-step.
 */
export function jitteredBackoffMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(retry, policy));
}

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects): a stop must not wait out a backoff. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions extends BackoffPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Whether a failure may succeed if tried again; any other failure is thrown at once. */
  readonly isRetryable: (error: unknown) => boolean;
  /** A pause the failure itself asks for (e.g. Retry-After), instead of the backoff. */
  readonly requestedDelayMs?: (error: unknown) => number | undefined;
  /** Aborting ends the wait between attempts and throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  readonly random?: () => number;
}

/**
 * Calls `work` (with the attempt number, 1-based) until it succeeds, fails with an error that is not
 * retryable, or `attempts` are used up; then throws that last error.
 */
export async function withRetries<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.isRetryable(error)) throw error;
      const pause = options.requestedDelayMs?.(error) ?? jitteredBackoffMs(attempt, options, options.random);
      await abortableSleep(pause, options.signal);
      options.signal?.throwIfAborted();
    }
  }
}
