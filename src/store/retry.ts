/**
 * Bounded retries with exponential backoff and full jitter, for the failures the SDK does not retry
 * itself (UnprocessedItems / UnprocessedKeys) and for throttling that outlasts the SDK's own attempts.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Calls `work` until it succeeds or `attempts` are used up; conditional-check failures are not retried. */
export async function withRetries<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 6, baseDelayMs = 25, maxDelayMs = 2000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || attempt >= attempts) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
