/**
 * BatchGetItem over any number of keys: split into DynamoDB's calls of at most 100 keys (in parallel),
 * with the keys DynamoDB leaves unprocessed asked for again, with backoff, until none is left or the
 * attempts run out. Used where a read needs many single items that are not one key range: the trip
 * ledger (processor) and the flow hours of demandPressure (API).
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isRetryableAwsError } from '../aws-retryable';
import { withRetries, type RetryOptions } from '../retry';
import { itemKeyId, type ItemKey } from './keys';

/** DynamoDB's limit of keys per BatchGetItem call. */
export const BATCH_GET_LIMIT = 100;

/** Keys DynamoDB did not read this time (capacity): asked for again. */
export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
}

/**
 * What a store tries again: items DynamoDB left unprocessed, and AWS failures a later attempt may not
 * meet (throttling that outlasted the SDK's own attempts, server faults, lost connections). A client
 * fault (a ValidationException, a condition that failed) would only fail again.
 */
export function isRetryableStoreError(error: unknown): boolean {
  return error instanceof UnprocessedItemsError || isRetryableAwsError(error);
}

export interface BatchGetOptions {
  readonly consistentRead?: boolean;
  readonly projectionExpression?: string;
  /** Calls in flight at once. */
  readonly concurrency: number;
  readonly retry: Omit<RetryOptions, 'isRetryable'>;
}

/**
 * The items that exist among `keys`, in no particular order, each once: a key asked for twice is asked
 * for once (DynamoDB refuses a call that names a key twice).
 */
export async function batchGetItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly ItemKey[],
  options: BatchGetOptions,
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const distinct = [...new Map(keys.map((key) => [itemKeyId(key), key])).values()];
  const chunks: ItemKey[][] = [];
  for (let start = 0; start < distinct.length; start += BATCH_GET_LIMIT) chunks.push(distinct.slice(start, start + BATCH_GET_LIMIT));
  await mapConcurrently(chunks, options.concurrency, async (chunk) => {
    let pending: Record<string, unknown>[] = chunk.map((key) => ({ ...key }));
    await withRetries(
      async () => {
        const response = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ConsistentRead: options.consistentRead,
                ProjectionExpression: options.projectionExpression,
              },
            },
          }),
        );
        found.push(...(response.Responses?.[tableName] ?? []));
        pending = (response.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (pending.length > 0) throw new UnprocessedItemsError(`${pending.length} keys unprocessed`);
      },
      { ...options.retry, isRetryable: isRetryableStoreError },
    );
  });
  return found;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
