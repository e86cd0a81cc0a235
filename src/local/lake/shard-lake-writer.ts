/**
 * One shard's lake writer: the local stand-in for Firehose reading a Kinesis shard into S3. It reads
 * the shard in order from its own position (independent of the processor's), turns each record into
 * its lake record (the same toLakeEntry as the Firehose transformation), buffers them, and flushes by
 * size or by age, as Firehose buffers, one Parquet file per partition. How files are named and
 * written so that a SIGKILL at any instant neither loses nor duplicates a record: lake-files.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExpiredIteratorException, GetRecordsCommand, type _Record as KinesisRecord, type KinesisClient } from '@aws-sdk/client-kinesis';
import { toLakeEntry, type LakeEntry } from '../../lake/lake-record';
import { partitionPath, type LakeRecord } from '../../lake/lake-schema';
import { shardIteratorAfter } from '../event-source-mapping/shard-iterator';
import type { Logger } from '../logger';
import { lakeFileName, TEMP_SUFFIX } from './lake-files';
import { encodeLakeParquet } from './lake-parquet';
import { abortableSleep, backoffCeilingMs } from '../../retry';

/** How the local lake buffers, like Firehose's buffering hints (size or interval, whichever first). */
export interface LakeWriterSettings {
  /** Flush once the buffered stream records add up to this many bytes. */
  readonly bufferBytes: number;
  /** Flush once the oldest buffered record has waited this long. */
  readonly bufferIntervalMs: number;
  /** Wait at least this long between GetRecords calls that did not fill a page. */
  readonly pollIntervalMs: number;
  /** Records per GetRecords call (Kinesis allows up to 10,000). */
  readonly getRecordsLimit: number;
  /** Backoff after a failed read or write, doubling up to retryMaxDelayMs. */
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

export interface ShardLakeWriterDeps {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** The lake's root directory (`<dataDir>/lake`). */
  readonly root: string;
  readonly settings: LakeWriterSettings;
  readonly logger: Logger;
  /** Test hook: called before each file of a flush is renamed into place (a throw fails the flush). */
  readonly beforeRename?: (path: string, part: number, parts: number) => void;
}

/** What the writer has done, for status displays and tests. */
export interface ShardLakeStatus {
  readonly shardId: string;
  /** Last sequence number held by the lake's files. */
  readonly position?: string;
  readonly bufferedRecords: number;
  readonly recordsWritten: number;
  readonly filesWritten: number;
  readonly flushes: number;
  readonly ended: boolean;
  readonly lastError?: string;
}

interface Buffered {
  readonly sequenceNumber: string;
  readonly entry: LakeEntry;
}

/** Per record on top of its data: the position columns and Parquet overhead, roughly. */
const RECORD_OVERHEAD_BYTES = 200;

export class ShardLakeWriter {
  private iterator: string | null | undefined;
  private buffer: Buffered[] = [];
  private bufferedBytes = 0;
  private oldestBufferedAt = 0;
  private failures = 0;
  private ended = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private drains: Array<{ since: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private counters = { recordsWritten: 0, filesWritten: 0, flushes: 0, lastError: undefined as string | undefined };

  constructor(
    readonly shardId: string,
    private readonly deps: ShardLakeWriterDeps,
    /** Last sequence number already in the lake (from recoverLake), or undefined to read from the start. */
    private position: string | undefined,
  ) {}

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.stopped = true;
      this.counters.lastError = `writer crashed: ${messageOf(error)}`;
      this.deps.logger.error(`lake ${this.shardId}: the writer crashed and stopped`, error);
      this.rejectDrains(new Error(this.counters.lastError));
    });
  }

  status(): ShardLakeStatus {
    return {
      shardId: this.shardId,
      position: this.position,
      bufferedRecords: this.buffer.length,
      recordsWritten: this.counters.recordsWritten,
      filesWritten: this.counters.filesWritten,
      flushes: this.counters.flushes,
      ended: this.ended,
      lastError: this.counters.lastError,
    };
  }

  /**
   * Resolves once every record the shard held when called is in the lake's files: the writer reads to
   * the shard's tip and flushes whatever it buffered, without waiting for the buffering limits.
   */
  drain(): Promise<void> {
    if (this.ended) return Promise.resolve();
    if (this.stopped) return Promise.reject(new Error(`lake writer of ${this.shardId} is stopped`));
    return new Promise((resolve, reject) => this.drains.push({ since: performance.now(), resolve, reject }));
  }

  /** Stops reading and writes what is buffered (a clean stop loses nothing, and re-reads nothing). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running;
    if (this.buffer.length > 0) {
      try {
        await this.flush();
      } catch (error) {
        // The records are still in the stream: the next start reads them again after the position.
        this.deps.logger.warn(`lake ${this.shardId}: could not write ${this.buffer.length} buffered records on stop`, error);
      }
    }
    this.rejectDrains(new Error(`lake writer of ${this.shardId} stopped`));
  }

  private async run(): Promise<void> {
    const { settings } = this.deps;
    while (!this.stopped) {
      let fetched = { records: 0, caughtUp: false, startedAt: performance.now() };
      if (this.bufferedBytes < settings.bufferBytes && this.iterator !== null) fetched = await this.fetch();
      if (this.stopped) return;
      const draining = fetched.caughtUp && this.drains.some((drain) => drain.since < fetched.startedAt);
      const shardDone = this.iterator === null;
      if (this.buffer.length > 0 && (draining || shardDone || this.isFlushDue())) {
        if (!(await this.tryFlush())) continue;
      }
      if (draining) this.resolveDrains(fetched.startedAt);
      if (shardDone && this.buffer.length === 0) {
        this.ended = true;
        this.resolveDrains(Number.POSITIVE_INFINITY);
        this.deps.logger.info(`lake ${this.shardId}: closed shard fully written`);
        return;
      }
      if (fetched.records < settings.getRecordsLimit) await this.sleep(this.idleWaitMs());
    }
  }

  private isFlushDue(): boolean {
    const { bufferBytes, bufferIntervalMs } = this.deps.settings;
    return this.bufferedBytes >= bufferBytes || performance.now() - this.oldestBufferedAt >= bufferIntervalMs;
  }

  /** Until the next poll, or sooner when the buffer's age limit comes first. */
  private idleWaitMs(): number {
    const { pollIntervalMs, bufferIntervalMs } = this.deps.settings;
    if (this.buffer.length === 0) return pollIntervalMs;
    return Math.max(0, Math.min(pollIntervalMs, this.oldestBufferedAt + bufferIntervalMs - performance.now()));
  }

  private async fetch(): Promise<{ records: number; caughtUp: boolean; startedAt: number }> {
    const startedAt = performance.now();
    try {
      this.iterator ??= await this.newIterator();
      if (this.iterator === null || this.iterator === undefined) return { records: 0, caughtUp: true, startedAt };
      const output = await this.deps.kinesis.send(
        new GetRecordsCommand({ ShardIterator: this.iterator, Limit: this.deps.settings.getRecordsLimit }),
      );
      const records = output.Records ?? [];
      for (const record of records) this.add(record);
      this.iterator = output.NextShardIterator ?? null;
      this.failures = 0;
      return { records: records.length, caughtUp: records.length === 0 && (output.MillisBehindLatest ?? 0) === 0, startedAt };
    } catch (error) {
      if (error instanceof ExpiredIteratorException || (error as { name?: string }).name === 'ExpiredIteratorException') {
        this.iterator = undefined;
      } else {
        await this.backOff(`GetRecords failed: ${messageOf(error)}`, error);
      }
      return { records: 0, caughtUp: false, startedAt };
    }
  }

  /** After the last record read (buffered or written), or from the shard's start. */
  private async newIterator(): Promise<string | undefined> {
    return shardIteratorAfter(this.deps.kinesis, this.deps.streamName, this.shardId, this.buffer.at(-1)?.sequenceNumber ?? this.position);
  }

  private add(record: KinesisRecord): void {
    const sequenceNumber = record.SequenceNumber ?? '';
    const data = record.Data ?? new Uint8Array();
    const entry = toLakeEntry(
      {
        shardId: this.shardId,
        sequenceNumber,
        arrivalMs: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
        partitionKey: record.PartitionKey ?? '',
      },
      data,
    );
    if (this.buffer.length === 0) this.oldestBufferedAt = performance.now();
    this.buffer.push({ sequenceNumber, entry });
    this.bufferedBytes += data.byteLength + RECORD_OVERHEAD_BYTES;
  }

  /** Flushes; on failure logs, backs off and keeps the buffer for the next try. */
  private async tryFlush(): Promise<boolean> {
    try {
      await this.flush();
      this.failures = 0;
      return true;
    } catch (error) {
      await this.backOff(`writing the lake failed: ${messageOf(error)}`, error);
      return false;
    }
  }

  /**
   * Writes the buffer: one file per partition, parts 1..n of this flush, each written whole under a
   * temporary name and renamed. Retrying a failed flush rewrites the same names (the buffer, hence the
   * sequence range, is unchanged), so a part renamed before the failure is simply replaced.
   */
  private async flush(): Promise<void> {
    const batch = this.buffer;
    const firstSequenceNumber = batch[0].sequenceNumber;
    const lastSequenceNumber = batch[batch.length - 1].sequenceNumber;
    const byPartition = new Map<string, LakeRecord[]>();
    for (const { entry } of batch) {
      const dir = partitionPath(entry.partition);
      let records = byPartition.get(dir);
      if (!records) byPartition.set(dir, (records = []));
      records.push(entry.record);
    }
    const dirs = [...byPartition.keys()].sort();
    for (const [index, dir] of dirs.entries()) {
      const name = lakeFileName({ shardId: this.shardId, firstSequenceNumber, lastSequenceNumber, part: index + 1, parts: dirs.length });
      const path = join(this.deps.root, dir, name);
      await writeFileAtomically(path, encodeLakeParquet(byPartition.get(dir)!), () =>
        this.deps.beforeRename?.(path, index + 1, dirs.length),
      );
    }
    this.position = lastSequenceNumber;
    this.buffer = [];
    this.bufferedBytes = 0;
    this.counters.recordsWritten += batch.length;
    this.counters.filesWritten += dirs.length;
    this.counters.flushes += 1;
  }

  private async backOff(reason: string, error: unknown): Promise<void> {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.deps.settings;
    this.failures += 1;
    this.counters.lastError = reason;
    this.deps.logger.warn(`lake ${this.shardId}: ${reason} (attempt ${this.failures})`, error);
    await this.sleep(backoffCeilingMs(this.failures, { baseDelayMs: retryBaseDelayMs, maxDelayMs: retryMaxDelayMs }));
  }

  private sleep(ms: number): Promise<void> {
    return abortableSleep(ms, this.abort.signal);
  }

  private resolveDrains(fetchStartedAt: number): void {
    const done = this.drains.filter((drain) => drain.since < fetchStartedAt);
    this.drains = this.drains.filter((drain) => drain.since >= fetchStartedAt);
    for (const drain of done) drain.resolve();
  }

  private rejectDrains(error: Error): void {
    const pending = this.drains;
    this.drains = [];
    for (const drain of pending) drain.reject(error);
  }
}

/**
 * Writes `bytes` to `path` so that `path` only ever holds a whole file: a temporary file in the same
 * folder, synced to disk, then renamed over `path` (atomic on one file system).
 */
async function writeFileAtomically(path: string, bytes: Uint8Array, beforeRename: () => void): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID().slice(0, 8)}${TEMP_SUFFIX}`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  try {
    beforeRename();
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
