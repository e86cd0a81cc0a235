/**
 * DynamoDB adapter of the processor's store port: the trip ledger, kept rejections and poison
 * records (batched reads and writes), and exactly-once aggregate and counter updates.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  AggregateContributions,
  ApplyOutcome,
  Claim,
  CounterContribution,
  ProcessorStore,
  RecordRef,
} from '../process/processor-store';
import { counterAttribute } from './counters-item';
import { countersKey, itemKeyId, poisonRecordKey, rejectedTripKey, tripKey, tripTargetKey, type ItemKey } from './keys';
import { applyMarkedUpdate, type Contribution, type MarkedUpdate } from './marked-increments';
import { addTripIncrements } from './trip-increments';
import { isRetryableAwsError } from '../aws-retryable';
import { withRetries, type RetryOptions } from '../retry';

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** Item updates in flight at once within one batch. */
const UPDATE_CONCURRENCY = 32;
/** Poison payloads are kept up to this size (a Kinesis record can be 1 MB, an item only 400 KB). */
const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;

/** Attempts and backoff of the store's own retries; the failures retried are the store's to decide. */
export type StoreRetryPolicy = Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;

export interface DynamoProcessorStoreOptions {
  /** Backoff for unprocessed items and throttling beyond the SDK's own retries (tests shorten it). */
  readonly retry?: Partial<StoreRetryPolicy>;
}

const DEFAULT_RETRY: StoreRetryPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * What the store tries again: items DynamoDB left unprocessed, and AWS failures a later attempt may
 * not meet (throttling that outlasted the SDK's own attempts, server faults, lost connections). A
 * client fault (a ValidationException, a condition that failed) would only fail again.
 */
function isRetryableStoreError(error: unknown): boolean {
  return error instanceof UnprocessedItemsError || isRetryableAwsError(error);
}

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
    const found = new Map<string, RecordRef>();
    const chunks: string[][] = [];
    for (let start = 0; start < tripIds.length; start += BATCH_GET_LIMIT) chunks.push(tripIds.slice(start, start + BATCH_GET_LIMIT));
    await mapConcurrently(chunks, UPDATE_CONCURRENCY, async (chunk) => {
      let keys: Record<string, unknown>[] = chunk.map(keyOf) as unknown as Record<string, unknown>[];
      await withRetries(async () => {
        const response = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'tripId, shardId, sequenceNumber' },
            },
          }),
        );
        for (const item of response.Responses?.[this.tableName] ?? []) {
          found.set(String(item.tripId), { shardId: String(item.shardId), sequenceNumber: String(item.sequenceNumber) });
        }
        keys = (response.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) throw new UnprocessedItemsError(`${keys.length} keys unprocessed`);
      }, this.retryOptions());
    });
    return found;
  }
}

export class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
}

function keyOfClaim(claim: Claim): ItemKey {
  switch (claim.kind) {
    case 'trip':
      return tripKey(claim.trip.tripId);
    case 'rejection':
      return rejectedTripKey(claim.record.tripId);
    case 'poison':
      return poisonRecordKey(claim.ref.shardId, claim.ref.sequenceNumber);
  }
}

function itemOfClaim(claim: Claim): Record<string, unknown> {
  const base = { ...keyOfClaim(claim), shardId: claim.ref.shardId, sequenceNumber: claim.ref.sequenceNumber };
  switch (claim.kind) {
    case 'trip':
      return { ...base, tripId: claim.trip.tripId, trip: claim.trip, submittedAtMs: claim.submittedAtMs };
    case 'rejection': {
      const { tripId, reason, field, message, submission, submittedAtMs } = claim.record;
      return { ...base, tripId, reason, field, message, submission, submittedAtMs };
    }
    case 'poison':
      return {
        ...base,
        reason: claim.reason,
        partitionKey: claim.partitionKey,
        arrivalMs: claim.arrivalMs,
        data: claim.data.slice(0, MAX_KEPT_PAYLOAD_CHARS),
        dataTruncated: claim.data.length > MAX_KEPT_PAYLOAD_CHARS,
      };
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function mapConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
