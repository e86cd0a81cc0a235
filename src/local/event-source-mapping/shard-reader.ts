/**
 * One shard's reader in the local event source mapping: reads the shard in order from its checkpoint,
 * invokes the processor handler one batch at a time and plays Lambda's failure handling (batch item
 * failures, retries with backoff, bisection, on-failure destination). Only one batch of a shard is ever
 * in flight: per-shard order is what the processor's exactly-once marks rely on.
 */
import { ExpiredIteratorException, GetRecordsCommand, type _Record as KinesisRecord, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { messageOf } from '../../error-message';
import { abortableSleep, backoffCeilingMs } from '../../retry';
import { interpretBatchResponse, type BatchOutcome } from './batch-response';
import type { Checkpoint, CheckpointStore } from './checkpoint-store';
import { invokeHandler, type LambdaHandler } from '../lambda-runtime/invoke';
import { streamArn, toKinesisStreamEvent } from './kinesis-event';
import { createLambdaContext } from '../lambda-runtime/lambda-context';
import { shardIteratorAfter } from './shard-iterator';
import type { Logger } from '../logger';
import type { OnFailureDestination, OnFailureRecord } from './on-failure';

/** The processor as the poller sees it: the deployed Lambda handler. */
export type KinesisHandler = LambdaHandler<KinesisStreamEvent, KinesisStreamBatchResponse | void>;

export type ShardState = 'WAITING_FOR_PARENTS' | 'READING' | 'RETRYING' | 'ENDED' | 'STOPPED';

/**
 * The local poller's reading of one shard (the event source mapping's side): its state, checkpoint and
 * retries, for the first-run progress display, the benchmarks and tests. `pipelineStatus` does not read
 * it: it answers with the processor's own ShardProcessingStatus, stored in the table, the same on AWS.
 */
export interface ShardReaderStatus {
  readonly shardId: string;
  readonly parentShardIds: readonly string[];
  readonly state: ShardState;
  /** Last sequence number checkpointed (processed, or given up on). */
  readonly lastProcessedSequenceNumber?: string;
  /** As reported by the latest GetRecords call. */
  readonly millisBehindLatest?: number;
  /** ISO time the latest batch finished. */
  readonly lastBatchAt?: string;
  /** Records whose batch succeeded, since this poller started. */
  readonly recordsProcessed: number;
  readonly batchesProcessed: number;
  /** Invocations that failed in whole or in part. */
  readonly failures: number;
  /** Records given up on and reported to the on-failure destination. */
  readonly recordsSentToOnFailure: number;
  /** Records read but not yet done with. */
  readonly pendingRecords: number;
  readonly lastError?: string;
}

/** The event source mapping's settings (PROCESSOR_BATCHING by default) plus local timings. */
export interface ShardReaderSettings {
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly maxRetryAttempts: number;
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly functionName: string;
  readonly functionTimeoutMs: number;
}

export interface ShardReaderDeps {
  readonly kinesis: KinesisClient;
  readonly checkpoints: CheckpointStore;
  readonly handler: KinesisHandler;
  readonly onFailure: OnFailureDestination;
  readonly logger: Logger;
  readonly region: string;
  readonly streamName: string;
  readonly settings: ShardReaderSettings;
  /** Called once when the shard is closed and every record of it is done. */
  readonly onEnded: (shardId: string) => void;
}

interface ShardCounters {
  recordsProcessed: number;
  batchesProcessed: number;
  failures: number;
  recordsSentToOnFailure: number;
  millisBehindLatest?: number;
  lastBatchAt?: string;
  lastError?: string;
}

/** The iterator is unknown (get one from the position) or the shard has been read to its end. */
const NO_ITERATOR = undefined;
const SHARD_END = null;

export class ShardReader {
  private iterator: string | typeof NO_ITERATOR | typeof SHARD_END = NO_ITERATOR;
  /** Records read and not yet done with, in shard order. */
  private readonly buffer: KinesisRecord[] = [];
  /** Sizes of the batches still owed after bisections, taken from the head of the buffer. */
  private readonly bisected: number[] = [];
  /** Failed invocations since the shard last made progress. */
  private attempts = 0;
  private invokeCount = 0;
  private fetchErrors = 0;
  private checkpointed: string | undefined;
  private lastGetRecordsAt = Number.NEGATIVE_INFINITY;
  private caughtUpAt = Number.NEGATIVE_INFINITY;
  private inFlight = false;
  private ended = false;
  private stopped = false;
  private readonly counters: ShardCounters = {
    recordsProcessed: 0,
    batchesProcessed: 0,
    failures: 0,
    recordsSentToOnFailure: 0,
  };
  private readonly abort = new AbortController();
  private running: Promise<void> = Promise.resolve();

  constructor(
    readonly shardId: string,
    readonly parentShardIds: readonly string[],
    private readonly deps: ShardReaderDeps,
    checkpoint: Checkpoint | undefined,
  ) {
    this.checkpointed = checkpoint?.sequenceNumber;
    this.counters.millisBehindLatest = checkpoint?.millisBehindLatest;
  }

  /** Starts reading in the background. */
  start(): void {
    this.running = this.run().catch((error) => {
      // A bug here must not take the other shards down, nor pass unnoticed.
      this.stopped = true;
      this.counters.lastError = `reader crashed: ${messageOf(error)}`;
      this.deps.logger.error(`${this.shardId}: the shard reader crashed and stopped`, error);
    });
  }

  /** For a shard whose checkpoint says it was drained in an earlier run: report it, read nothing. */
  markEnded(): void {
    this.ended = true;
  }

  /** Lets the in-flight batch finish, starts no new one, and resolves when the reader has stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running;
  }

  status(): ShardReaderStatus {
    const retrying = this.attempts > 0 || this.bisected.length > 0;
    return {
      shardId: this.shardId,
      parentShardIds: this.parentShardIds,
      state: this.ended ? 'ENDED' : this.stopped ? 'STOPPED' : retrying ? 'RETRYING' : 'READING',
      lastProcessedSequenceNumber: this.checkpointed,
      ...this.counters,
      pendingRecords: this.buffer.length,
    };
  }

  /**
   * True when the shard is done for good, or nothing is pending and a GetRecords call started after
   * `since` (a performance.now() time) found nothing new: every record written before `since` is done.
   */
  isIdleSince(since: number): boolean {
    if (this.ended) return true;
    return !this.inFlight && this.buffer.length === 0 && this.caughtUpAt > since;
  }

  private async run(): Promise<void> {
    const { batchSize } = this.deps.settings;
    while (!this.stopped) {
      if (this.iterator === SHARD_END && this.buffer.length === 0) {
        await this.finishShard();
        return;
      }
      const retrying = this.attempts > 0 || this.bisected.length > 0;
      if (!retrying && this.buffer.length < batchSize && this.iterator !== SHARD_END) {
        await this.waitForPollSlot();
        if (this.stopped) return;
        await this.fetch();
      }
      if (this.stopped) return;
      if (this.buffer.length > 0) await this.deliverNext();
    }
  }

  /** GetRecords no faster than pollIntervalMs per shard (Kinesis allows 5 calls/s per shard). */
  private async waitForPollSlot(): Promise<void> {
    const wait = this.lastGetRecordsAt + this.deps.settings.pollIntervalMs - performance.now();
    await abortableSleep(wait, this.abort.signal);
  }

  private async fetch(): Promise<void> {
    const { kinesis, logger, settings } = this.deps;
    try {
      this.iterator ??= await this.newIterator();
      const startedAt = performance.now();
      this.lastGetRecordsAt = startedAt;
      const output = await kinesis.send(
        new GetRecordsCommand({
          ShardIterator: this.iterator as string,
          Limit: Math.max(1, settings.batchSize - this.buffer.length),
        }),
      );
      const records = output.Records ?? [];
      this.buffer.push(...records);
      this.iterator = output.NextShardIterator ?? SHARD_END;
      this.counters.millisBehindLatest = output.MillisBehindLatest;
      this.fetchErrors = 0;
      const caughtUp = records.length === 0 && (output.MillisBehindLatest ?? 0) === 0;
      this.caughtUpAt = caughtUp ? startedAt : Number.NEGATIVE_INFINITY;
    } catch (error) {
      if (isExpiredIterator(error)) {
        // Iterators live 5 minutes (e.g. across a long retry backoff): start again where we are.
        logger.info(`${this.shardId}: shard iterator expired, getting a new one`);
        this.iterator = NO_ITERATOR;
        return;
      }
      this.fetchErrors += 1;
      this.counters.lastError = `GetRecords failed: ${messageOf(error)}`;
      logger.warn(`${this.shardId}: GetRecords failed (attempt ${this.fetchErrors})`, error);
      await abortableSleep(this.backoffMs(this.fetchErrors), this.abort.signal);
    }
  }

  /**
   * An iterator just after the last record already read (the buffer's tail), or after the
   * checkpoint, or at the trim horizon for a shard never checkpointed.
   */
  private async newIterator(): Promise<string | undefined> {
    return shardIteratorAfter(
      this.deps.kinesis,
      this.deps.streamName,
      this.shardId,
      this.buffer.at(-1)?.SequenceNumber ?? this.checkpointed,
    );
  }

  private async deliverNext(): Promise<void> {
    const size = Math.min(this.bisected[0] ?? this.deps.settings.batchSize, this.buffer.length);
    const batch = this.buffer.slice(0, size);
    const outcome = await this.invoke(batch);
    if (outcome.kind === 'success') {
      await this.complete(size);
      this.counters.recordsProcessed += size;
      this.counters.batchesProcessed += 1;
      this.attempts = 0;
      this.bisected.shift();
      return;
    }
    this.counters.failures += 1;
    if (outcome.kind === 'partial') {
      const done = outcome.failedIndex;
      if (done > 0) {
        // Records before the lowest reported failure are done: checkpoint them, retry from the failure.
        await this.complete(done);
        this.counters.recordsProcessed += done;
        this.attempts = 0;
        if (this.bisected.length > 0) this.bisected[0] = size - done;
      }
      this.counters.lastError = `record ${batch[done].SequenceNumber} reported as failed`;
      await this.retryOrGiveUp(batch.slice(done), this.counters.lastError);
      return;
    }
    this.counters.lastError = outcome.reason;
    if (this.deps.settings.bisectBatchOnFunctionError && size > 1) {
      // Split in two and deliver the halves one after the other; a split is not a retry.
      const halves = [Math.ceil(size / 2), Math.floor(size / 2)];
      if (this.bisected.length > 0) this.bisected.splice(0, 1, ...halves);
      else this.bisected.push(...halves);
      return;
    }
    await this.retryOrGiveUp(batch, outcome.reason);
  }

  private async retryOrGiveUp(batch: KinesisRecord[], reason: string): Promise<void> {
    const { settings } = this.deps;
    this.attempts += 1;
    const oldestArrival = batch[0].ApproximateArrivalTimestamp?.getTime() ?? Date.now();
    if (Date.now() - oldestArrival > settings.maxRecordAgeSeconds * 1000) {
      await this.giveUp(batch, 'RecordAgeExceeded', reason);
    } else if (this.attempts > settings.maxRetryAttempts) {
      await this.giveUp(batch, 'RetryAttemptsExhausted', reason);
    } else {
      const delay = this.backoffMs(this.attempts);
      this.deps.logger.warn(
        `${this.shardId}: batch of ${batch.length} failed (${reason}); retry ${this.attempts}/${settings.maxRetryAttempts} in ${delay} ms`,
      );
      await abortableSleep(delay, this.abort.signal);
    }
  }

  /** Reports the batch to the on-failure destination and moves past it, as Lambda does. */
  private async giveUp(batch: KinesisRecord[], condition: OnFailureRecord['requestContext']['condition'], reason: string): Promise<void> {
    const { settings, region, streamName } = this.deps;
    const first = batch[0];
    const last = batch[batch.length - 1];
    const record: OnFailureRecord = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      reason,
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${region}:000000000000:function:${settings.functionName}`,
        condition,
        approximateInvokeCount: this.invokeCount,
      },
      KinesisBatchInfo: {
        shardId: this.shardId,
        startSequenceNumber: first.SequenceNumber ?? '',
        endSequenceNumber: last.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: (first.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        approximateArrivalOfLastRecord: (last.ApproximateArrivalTimestamp ?? new Date()).toISOString(),
        batchSize: batch.length,
        streamArn: streamArn(region, streamName),
      },
    };
    this.deps.logger.error(
      `${this.shardId}: giving up on ${batch.length} record(s) ${record.KinesisBatchInfo.startSequenceNumber}..${record.KinesisBatchInfo.endSequenceNumber} (${condition}: ${reason})`,
    );
    try {
      await this.deps.onFailure(record);
    } catch (error) {
      this.deps.logger.error(`${this.shardId}: the on-failure destination failed`, error);
    }
    await this.complete(batch.length);
    this.counters.recordsSentToOnFailure += batch.length;
    this.attempts = 0;
    this.bisected.shift();
  }

  private async invoke(batch: KinesisRecord[]): Promise<BatchOutcome> {
    const { handler, settings, region, streamName, logger } = this.deps;
    const event = toKinesisStreamEvent(batch, {
      region,
      streamName,
      shardId: this.shardId,
      invokeIdentityArn: `arn:aws:iam::000000000000:role/${settings.functionName}-role`,
    });
    const context = createLambdaContext({ functionName: settings.functionName, region, timeoutMs: settings.functionTimeoutMs });
    this.inFlight = true;
    this.invokeCount += 1;
    try {
      const response = await invokeHandler(handler, event, context);
      return interpretBatchResponse(
        response,
        batch.map((record) => record.SequenceNumber ?? ''),
      );
    } catch (error) {
      logger.warn(`${this.shardId}: handler failed on a batch of ${batch.length}`, error);
      return { kind: 'failure', reason: `handler error: ${messageOf(error)}` };
    } finally {
      this.inFlight = false;
    }
  }

  /** Checkpoints the first `count` buffered records and drops them from the buffer. */
  private async complete(count: number): Promise<void> {
    const last = this.buffer[count - 1];
    await this.saveCheckpoint({ sequenceNumber: last.SequenceNumber, shardEnded: false });
    this.buffer.splice(0, count);
    this.checkpointed = last.SequenceNumber;
    this.invokeCount = 0;
    this.counters.lastBatchAt = new Date().toISOString();
  }

  private async finishShard(): Promise<void> {
    await this.saveCheckpoint({ sequenceNumber: this.checkpointed, shardEnded: true });
    if (this.stopped) return;
    this.ended = true;
    this.deps.logger.info(`${this.shardId}: closed shard fully processed`);
    this.deps.onEnded(this.shardId);
  }

  /** The pause before retry number `retry` of a failed call, as the event source mapping backs off (no jitter). */
  private backoffMs(retry: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.deps.settings;
    return backoffCeilingMs(retry, { baseDelayMs: retryBaseDelayMs, maxDelayMs: retryMaxDelayMs });
  }

  /**
   * Writes the checkpoint, retrying until it holds: a batch that succeeded must not be delivered
   * again just because one checkpoint write failed. A stop abandons the write (the batch is then
   * delivered again after a restart: at least once).
   */
  private async saveCheckpoint(position: { sequenceNumber?: string; shardEnded: boolean }): Promise<void> {
    const { checkpoints, logger } = this.deps;
    for (let attempt = 1; ; attempt++) {
      try {
        await checkpoints.save({ shardId: this.shardId, ...position, millisBehindLatest: this.counters.millisBehindLatest });
        return;
      } catch (error) {
        this.counters.lastError = messageOf(error);
        logger.warn(`${this.shardId}: checkpoint failed (attempt ${attempt})`, error);
        if (this.stopped) return;
        await abortableSleep(this.backoffMs(attempt), this.abort.signal);
      }
    }
  }
}

function isExpiredIterator(error: unknown): boolean {
  return error instanceof ExpiredIteratorException || (error as { name?: unknown } | null)?.name === 'ExpiredIteratorException';
}
