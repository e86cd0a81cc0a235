/**
 * Writing whole items, each once: BatchWriteItem calls of up to 25 puts, several in flight, with the
 * items DynamoDB leaves unprocessed sent again with backoff. `npm run rebuild` writes its final items
 * through it; a put costs ceil(item size / 1 KB) write units however many trips the item sums.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withRetries, type RetryOptions } from '../retry';
import { isRetryableStoreError, UnprocessedItemsError } from './batch-get';

/** DynamoDB's limit of requests per BatchWriteItem call. */
export const BATCH_WRITE_LIMIT = 25;

export interface BatchPutterOptions {
  /** BatchWriteItem calls in flight at once. */
  readonly concurrency?: number;
  readonly retry?: Partial<Omit<RetryOptions, 'isRetryable'>>;
}

const DEFAULT_RETRY = { attempts: 8, baseDelayMs: 50, maxDelayMs: 5000 };

/** What a putter has written so far. */
export interface PutTally {
  items: number;
  writeUnits: number;
  calls: number;
}

/**
 * Puts items as they are added, 25 per call, with at most `concurrency` calls in flight: `add` waits
 * while that many are, so a producer faster than the table is held back instead of filling memory.
 * `flush` writes what is left and waits for every call; the first failure (after the retries) is thrown
 * by `add` or `flush`.
 */
export class BatchPutter {
  readonly tally: PutTally = { items: 0, writeUnits: 0, calls: 0 };
  private pending: Record<string, unknown>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  private readonly concurrency: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: BatchPutterOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
  }

  async add(item: Record<string, unknown>): Promise<void> {
    this.pending.push(item);
    if (this.pending.length >= BATCH_WRITE_LIMIT) await this.send();
  }

  async flush(): Promise<PutTally> {
    if (this.pending.length > 0) await this.send();
    await Promise.all(this.inFlight);
    this.throwIfFailed();
    return this.tally;
  }

  private async send(): Promise<void> {
    this.throwIfFailed();
    while (this.inFlight.size >= this.concurrency) {
      await Promise.race(this.inFlight);
      this.throwIfFailed();
    }
    const items = this.pending;
    this.pending = [];
    const call = this.write(items)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.inFlight.delete(call));
    this.inFlight.add(call);
  }

  private async write(items: Record<string, unknown>[]): Promise<void> {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    await withRetries(
      async () => {
        const response = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        this.tally.calls++;
        this.tally.writeUnits += (response.ConsumedCapacity ?? []).reduce((sum, used) => sum + (used.CapacityUnits ?? 0), 0);
        const unprocessed = (response.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        this.tally.items += requests.length - unprocessed.length;
        requests = unprocessed;
        if (requests.length > 0) throw new UnprocessedItemsError(`${requests.length} items unprocessed`);
      },
      { ...DEFAULT_RETRY, ...this.options.retry, isRetryable: isRetryableStoreError },
    );
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
