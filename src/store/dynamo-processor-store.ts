/**
 * DynamoDB adapter of the processor's store port: the trip ledger, kept rejections and poison
 * records (batched reads and writes), and exactly-once aggregate and counter updates.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AggregateContributions,
  ApplyOutcome,
  Claim,
  CounterContribution,
  ProcessorStore,
  RecordRef,
} from '../process/processor-store';
import { counterAttribute } from './counters-item';
import { itemOfClaim, keyOfClaim } from './ledger-items';
import { countersKey, itemKeyId, rejectedTripKey, tripKey, tripTargetKey, type ItemKey } from './keys';
import { applyMarkedUpdate, type Contribution, type MarkedUpdate } from './marked-increments';
import { addTripIncrements } from './trip-increments';
import { withRetries, type RetryOptions } from '../retry';
import { batchGetItems, isRetryableStoreError, mapConcurrently, UnprocessedItemsError } from './batch-get';

const BATCH_WRITE_LIMIT = 25;
/** Item updates in flight at once within one batch. */
const UPDATE_CONCURRENCY = 32;

/** Attempts and backoff of the store's own retries; the failures retried are the store's to decide. */
export type StoreRetryPolicy = Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;

export interface DynamoProcessorStoreOptions {
  /** Backoff for unprocessed items and throttling beyond the SDK's own retries (tests shorten it). */
  readonly retry?: Partial<StoreRetryPolicy>;
}

const DEFAULT_RETRY: StoreRetryPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 2000 };

export class DynamoProcessorStore implements ProcessorStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoProcessorStoreOptions = {},
  ) {}

  findTrips(tripIds: readonly string[]): Promise<Map<string, RecordRef>> {
    return this.findFirstRecords(tripIds, tripKey);
  }

  findRejections(tripIds: readonly string[]): Promise<Map<string, RecordRef>> {
    return this.findFirstRecords(tripIds, rejectedTripKey);
  }

  async keep(claims: readonly Claim[]): Promise<{ failed: Set<number>; writeUnits: number }> {
    const failed = new Set<number>();
    let writeUnits = 0;
    const chunks: number[][] = [];
    for (let start = 0; start < claims.length; start += BATCH_WRITE_LIMIT) {
      chunks.push(Array.from({ length: Math.min(BATCH_WRITE_LIMIT, claims.length - start) }, (_, offset) => start + offset));
    }
    await mapConcurrently(chunks, UPDATE_CONCURRENCY, async (indices) => {
      let pending = indices;
      try {
        await withRetries(async () => {
          const response = await this.client.send(
            new BatchWriteCommand({
              RequestItems: { [this.tableName]: pending.map((index) => ({ PutRequest: { Item: itemOfClaim(claims[index]) } })) },
              ReturnConsumedCapacity: 'TOTAL',
            }),
          );
          writeUnits += (response.ConsumedCapacity ?? []).reduce((sum, used) => sum + (used.CapacityUnits ?? 0), 0);
          const unprocessed = response.UnprocessedItems?.[this.tableName] ?? [];
          if (unprocessed.length === 0) return;
          const unprocessedKeys = new Set(unprocessed.map((request) => itemKeyId(request.PutRequest?.Item as ItemKey)));
          pending = pending.filter((index) => unprocessedKeys.has(itemKeyId(keyOfClaim(claims[index]))));
          throw new UnprocessedItemsError(`${pending.length} items unprocessed`);
        }, this.retryOptions());
      } catch {
        // Whatever is still pending could not be kept now: the loop stops before the first of them.
        for (const index of pending) failed.add(index);
      }
    });
    return { failed, writeUnits };
  }

  async apply(
    shardId: string,
    aggregates: readonly AggregateContributions[],
    counters: readonly CounterContribution[],
  ): Promise<ApplyOutcome> {
    const updates: MarkedUpdate[] = aggregates.map(({ target, contributions }) => ({
      key: tripTargetKey(target),
      shardId,
      // Each trip adds its own part: a flow bucket holds one trip's pickup, another's drop-off.
      contributions: contributions.map(({ sequenceNumber, trip, target: own }): Contribution => ({
        sequenceNumber,
        addIncrements: (add) => addTripIncrements(trip, own, add),
      })),
    }));
    if (counters.length > 0) {
      updates.push({
        key: countersKey(),
        shardId,
        contributions: counters.map(({ sequenceNumber, counter }) => ({
          sequenceNumber,
          addIncrements: (add) => add(counterAttribute(counter), 1),
        })),
      });
    }
    let writeUnits = 0;
    let itemsWritten = 0;
    let firstFailed: bigint | undefined;
    await mapConcurrently(updates, UPDATE_CONCURRENCY, async (update) => {
      try {
        const outcome = await withRetries(() => applyMarkedUpdate(this.client, this.tableName, update), this.retryOptions());
        writeUnits += outcome.writeUnits;
        itemsWritten++;
      } catch {
        // Contributions of this item from its first record on are retried with the batch.
        const first = BigInt(update.contributions[0].sequenceNumber);
        if (firstFailed === undefined || first < firstFailed) firstFailed = first;
      }
    });
    return { firstFailedSequenceNumber: firstFailed?.toString(), writeUnits, itemsWritten };
  }

  private retryOptions(): RetryOptions {
    return { ...DEFAULT_RETRY, ...this.options.retry, isRetryable: isRetryableStoreError };
  }

  private async findFirstRecords(tripIds: readonly string[], keyOf: (tripId: string) => ItemKey): Promise<Map<string, RecordRef>> {
    const items = await batchGetItems(this.client, this.tableName, tripIds.map(keyOf), {
      consistentRead: true,
      projectionExpression: 'tripId, shardId, sequenceNumber',
      concurrency: UPDATE_CONCURRENCY,
      retry: this.retryOptions(),
    });
    const found = new Map<string, RecordRef>();
    for (const item of items)
      found.set(String(item.tripId), { shardId: String(item.shardId), sequenceNumber: String(item.sequenceNumber) });
    return found;
  }
}
