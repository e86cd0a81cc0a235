/**
 * The rebuild: every aggregate item, flow item and the counters recomputed from the data lake into a
 * table, each item written once.
 *
 * 1. Read the lake in stream order, every record once (lake-reader.ts).
 * 2. Run the processor's own record loop (processBatch) over it, shard by shard, with a store that sums
 *    in memory (src/store/summing-store.ts): the same decoding, the same first-record-wins ledger, the
 *    same targets and increments as live, so the rebuild and the live table cannot disagree. Ledger
 *    items (trip ledger, rejected trips, poison records) are written as the loop keeps them.
 * 3. Put each summed item once, whole, with its marks; then the counters and the format stamp, last, so
 *    a table with a stamp was rebuilt to the end.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import { kinesisRecordOfLake } from '../../lake/lake-stream-record';
import type { LakeRecord } from '../../lake/lake-schema';
import { processBatch, type BatchReport } from '../../process/process-batch';
import { BatchPutter, type PutTally } from '../../store/batch-put';
import { tableFormatKey } from '../../store/keys';
import { SummingStore, type MarksMode, type SummedItemKind } from '../../store/summing-store';
import { TABLE_FORMAT_VERSION } from '../../store/table-definition';
import { openLakeReader, RebuildError, type LakeReaderOptions } from './lake-reader';

/** Records per call of the record loop: any size gives the same table (the live one has other batch boundaries). */
const DEFAULT_BATCH_RECORDS = 5000;

export interface RebuildOptions {
  /** The lake's root folder (holds `records/`). */
  readonly lakeRoot: string;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Write the ledger (trip ledger, rejected trips, poison records): what a processor needs to go on from the table. */
  readonly ledger: boolean;
  /** Which stream the table will be fed by next (src/store/summing-store.ts). */
  readonly marks: MarksMode;
  readonly batchRecords?: number;
  /** BatchWriteItem calls in flight. */
  readonly concurrency?: number;
  readonly reader?: LakeReaderOptions;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly now?: () => number;
}

export interface RebuildProgress {
  readonly phase: 'reading' | 'writing';
  readonly files: number;
  readonly records: number;
  readonly recordsRead: number;
  readonly acceptedTrips: number;
  /** Summed items: known once the reading is done. */
  readonly items: number;
  readonly itemsWritten: number;
  readonly ledgerItemsWritten: number;
  readonly elapsedMs: number;
}

export interface RebuildSummary {
  readonly tableName: string;
  readonly files: number;
  readonly bytes: number;
  /** Distinct stream records in the lake. */
  readonly records: number;
  readonly shards: number;
  readonly acceptedTrips: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly poison: number;
  /** Items written, by kind (the counters item included). */
  readonly items: Record<SummedItemKind, number>;
  readonly ledger: PutTally;
  readonly aggregates: PutTally;
  readonly readMs: number;
  readonly elapsedMs: number;
}

/** The rebuild was stopped (Ctrl-C). */
export class RebuildAbortedError extends RebuildError {
  override name = 'RebuildAbortedError';
}

/** Rebuilds the table from the lake; the table must exist and be writable (target-table.ts). */
export async function rebuildTable(options: RebuildOptions): Promise<RebuildSummary> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const reader = await openLakeReader(options.lakeRoot, options.reader);
  const putterOptions = { concurrency: options.concurrency };
  const ledger = new BatchPutter(options.client, options.tableName, putterOptions);
  const aggregates = new BatchPutter(options.client, options.tableName, putterOptions);
  const ledgerItems: Record<string, unknown>[] = [];
  const store = new SummingStore({ marks: options.marks, onLedgerItem: options.ledger ? (item) => ledgerItems.push(item) : undefined });
  const totals = { records: 0, duplicates: 0, rejected: 0, poison: 0, accepted: 0 };
  const shards = new Set<string>();
  let items = 0;
  const progress = (phase: RebuildProgress['phase']) =>
    options.onProgress?.({
      phase,
      files: reader.files,
      records: reader.records,
      recordsRead: totals.records,
      acceptedTrips: totals.accepted,
      items,
      itemsWritten: aggregates.tally.items,
      ledgerItemsWritten: ledger.tally.items,
      elapsedMs: now() - startedAt,
    });
  const checkAborted = () => {
    if (options.signal?.aborted)
      throw new RebuildAbortedError('the rebuild was stopped; the table holds part of it: run it again with --force');
  };

  try {
    const batchRecords = options.batchRecords ?? DEFAULT_BATCH_RECORDS;
    let batch: KinesisStreamRecord[] = [];
    let batchShard: string | undefined;
    const runBatch = async () => {
      if (batch.length === 0) return;
      const { report } = await processBatch({ Records: batch }, store);
      tally(totals, report);
      batch = [];
      for (const item of ledgerItems.splice(0)) await ledger.add(item);
    };
    for await (const chunk of reader.chunks()) {
      checkAborted();
      for (const record of chunk) {
        if (record.shard_id !== batchShard || batch.length >= batchRecords) {
          await runBatch();
          batchShard = record.shard_id;
          shards.add(record.shard_id);
        }
        batch.push(kinesisRecordOfLake(record as LakeRecord));
      }
      progress('reading');
    }
    await runBatch();
    const readMs = now() - startedAt;

    const counts = store.itemCounts();
    items = counts['pickup aggregate'] + counts.flow + counts.counters;
    progress('writing');
    let written = 0;
    let counters: Record<string, unknown> | undefined;
    for (const { kind, item } of store.finalItems()) {
      // The counters go last, with the stamp: what the API shows first of a table.
      if (kind === 'counters') counters = item;
      else await aggregates.add(item);
      if (++written % 2000 === 0) {
        checkAborted();
        progress('writing');
      }
    }
    await ledger.flush();
    await aggregates.flush();
    if (counters) await aggregates.add(counters);
    await aggregates.add({ ...tableFormatKey(), version: TABLE_FORMAT_VERSION });
    await aggregates.flush();
    progress('writing');
    return {
      tableName: options.tableName,
      files: reader.files,
      bytes: reader.bytes,
      records: totals.records,
      shards: shards.size,
      acceptedTrips: totals.accepted,
      duplicates: totals.duplicates,
      rejected: totals.rejected,
      poison: totals.poison,
      items: counts,
      ledger: { ...ledger.tally },
      aggregates: { ...aggregates.tally },
      readMs,
      elapsedMs: now() - startedAt,
    };
  } finally {
    reader.close();
  }
}

function tally(totals: { records: number; duplicates: number; rejected: number; poison: number; accepted: number }, report: BatchReport) {
  totals.records += report.records;
  totals.accepted += report.accepted;
  totals.duplicates += report.duplicates;
  totals.rejected += report.rejected;
  totals.poison += report.poison;
}
