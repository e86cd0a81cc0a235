/**
 * Replays TLC trip files into a running taxi-pulse stack through the public `ingestTrips` mutation,
 * exactly as an app would: as fast as the stack accepts, or paced by pickup time. Replaying a file
 * twice adds nothing, because every row's tripId comes from the file's digest and row number.
 *
 * At full speed each file's trips go in pickup-time order unless `keepOrder` is set: the processor
 * aggregates a batch per (scope, hour or day) item, so trips in time order share their items and a
 * batch writes each item once, while trips in random order (TLC samples, backfills) touch an item each,
 * several times the writes, about 5x slower (issue 14). Files larger than memory allows are sorted in
 * runs on disk (external-sort.ts).
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { parseDateTime } from '../../domain/time';
import type { TripSubmission } from '../../domain/trip';
import { BoundedCalls } from './bounded-calls';
import { sortByKey } from './external-sort';
import { postIngestTrips } from '../api-client/ingest-client';
import { pacingOffsets, sendGroups } from './pacing';
import { ReplayTally, type ReplayProgress, type ReplaySummary } from './replay-tally';

export type { ReplayProgress, ReplaySummary } from './replay-tally';
import { openTlcFile, type TlcFile } from '../tlc/tlc-file';

export interface ReplayOptions {
  files: string[];
  endpoint: string /* e.g. http://localhost:4000/graphql */;
  speedup?: number;
  /** Send each file's trips as they are in the file, not in pickup order (without speedup). */
  keepOrder?: boolean;
  /** Trips of a file held in memory while sorting it (default 200,000); beyond, sorted runs spill to disk. */
  sortMemoryTrips?: number;
  /** Where sorted runs are spilled (default: the OS temp folder). */
  sortTempDir?: string;
  batchSize?: number /* default 500, max 500 */;
  concurrency?: number /* in-flight calls, default 4 */;
  headers?: Record<string, string> /* e.g. an API key later */;
  onProgress?: (p: ReplayProgress) => void;
  signal?: AbortSignal;
}

/** The base of the replay's own failures (file and call failures keep their own classes). */
export class ReplayError extends Error {
  override name = 'ReplayError';
}

/** Options out of range (batch size above the API's 500, a speedup of 0...): a caller's mistake. */
export class ReplayOptionsError extends ReplayError {
  override name = 'ReplayOptionsError';
}

/** The caller's signal stopped the replay; `summary` counts what was answered before it did. */
export class ReplayAbortedError extends ReplayError {
  override name = 'ReplayAbortedError';
  constructor(
    readonly summary: ReplaySummary,
    options?: { cause?: unknown },
  ) {
    super(`replay stopped after ${summary.sent} trips`, options);
  }
}

/** The API takes at most 500 trips a call (insights contract, "ingestTrips"). */
export const MAX_BATCH_SIZE = 500;
export const DEFAULT_CONCURRENCY = 4;
/** A paced replay wakes at most this often, sending what fell due together. */
export const PACING_TICK_MS = 100;
/** About 100 MB of trip submissions: a yellow-cab month (3 million trips) sorts in 15 runs. */
export const DEFAULT_SORT_MEMORY_TRIPS = 200_000;

interface ReplaySettings {
  batchSize: number;
  concurrency: number;
  speedup?: number;
  keepOrder: boolean;
  sortMemoryTrips: number;
}

function settingsOf(options: ReplayOptions): ReplaySettings {
  const batchSize = options.batchSize ?? MAX_BATCH_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (options.files.length === 0) throw new ReplayOptionsError('no files to replay');
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ReplayOptionsError(`batchSize must be an integer in 1..${MAX_BATCH_SIZE}, got ${batchSize}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ReplayOptionsError(`concurrency must be a positive integer, got ${concurrency}`);
  if (options.speedup !== undefined && !(Number.isFinite(options.speedup) && options.speedup > 0)) {
    throw new ReplayOptionsError(`speedup must be a positive number, got ${options.speedup}`);
  }
  const sortMemoryTrips = options.sortMemoryTrips ?? DEFAULT_SORT_MEMORY_TRIPS;
  if (!Number.isInteger(sortMemoryTrips) || sortMemoryTrips < 1) {
    throw new ReplayOptionsError(`sortMemoryTrips must be a positive integer, got ${sortMemoryTrips}`);
  }
  return { batchSize, concurrency, speedup: options.speedup, keepOrder: options.keepOrder ?? false, sortMemoryTrips };
}

/** What a run shares: the files, counts, calls in flight, and how to send one batch. */
class ReplayRun {
  readonly tally: ReplayTally;
  readonly calls: BoundedCalls;
  readonly totalRows: number;
  /** The caller's signal, or the first failed call: either stops sending and waiting. */
  readonly signal: AbortSignal;

  constructor(
    readonly files: readonly TlcFile[],
    readonly options: ReplayOptions,
    readonly settings: ReplaySettings,
  ) {
    this.tally = new ReplayTally(files.map((file) => file.path));
    this.calls = new BoundedCalls(settings.concurrency);
    this.totalRows = files.reduce((sum, file) => sum + file.rowCount, 0);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.calls.signal]) : this.calls.signal;
  }

  report(file: string): void {
    this.options.onProgress?.(this.tally.progress(file, this.totalRows));
  }

  /** Starts one call (waiting for a free slot); counts and reports its answer when it comes. */
  async send(file: string, trips: TripSubmission[]): Promise<void> {
    this.options.signal?.throwIfAborted();
    await this.calls.start(async () => {
      const answer = await postIngestTrips(trips, { endpoint: this.options.endpoint, headers: this.options.headers, signal: this.signal });
      this.tally.addAnswer(trips.length, answer);
      this.report(file);
    });
  }
}

/** A file's readable trips, in file order; unreadable rows are counted on the way. */
async function* tripsOf(run: ReplayRun, file: TlcFile): AsyncGenerator<TripSubmission> {
  for await (const row of file.rows()) {
    if (row.kind === 'unreadable') run.tally.addUnreadable(file.path, row);
    else yield row.trip;
  }
}

async function replayAsFastAsAccepted(run: ReplayRun): Promise<void> {
  for (const file of run.files) {
    run.report(file.path);
    const trips = run.settings.keepOrder
      ? tripsOf(run, file)
      : // The reader only yields pickups that parse, so the fallback never applies.
        sortByKey(tripsOf(run, file), (trip) => parseDateTime(trip.pickupAt) ?? 0, {
          maxInMemory: run.settings.sortMemoryTrips,
          tempDir: run.options.sortTempDir,
        });
    let batch: TripSubmission[] = [];
    for await (const trip of trips) {
      batch.push(trip);
      if (batch.length === run.settings.batchSize) {
        await run.send(file.path, batch);
        batch = [];
      }
    }
    if (batch.length > 0) await run.send(file.path, batch);
  }
  await run.calls.drain();
}

// A failed call wakes the wait too: then its failure, not the interrupted sleep, is what gets thrown.
async function sleepUnlessStopped(run: ReplayRun, waitMs: number): Promise<void> {
  try {
    await sleepFor(waitMs, undefined, { signal: run.signal });
  } catch (error) {
    await run.calls.drain();
    throw error;
  }
}

interface PacedTrip {
  file: string;
  trip: TripSubmission;
  pickupMs: number;
}

// Files are not in pickup order (the samples are random draws), and several files should interleave
// as one city: so every row is read first, then sent in pickup order.
async function replayPaced(run: ReplayRun, speedup: number): Promise<void> {
  const trips: PacedTrip[] = [];
  for (const file of run.files) {
    for await (const row of file.rows()) {
      if (row.kind === 'unreadable') run.tally.addUnreadable(file.path, row);
      // The reader only yields pickups that parse, so the fallback never applies.
      else trips.push({ file: file.path, trip: row.trip, pickupMs: parseDateTime(row.trip.pickupAt) ?? 0 });
    }
  }
  const offsets = pacingOffsets(
    trips.map((trip) => trip.pickupMs),
    speedup,
  );
  const order = trips.map((_, index) => index).sort((a, b) => offsets[a] - offsets[b] || a - b);
  const groups = sendGroups(
    order.map((index) => offsets[index]),
    PACING_TICK_MS,
    run.settings.batchSize,
  );
  run.report(run.files[0].path);
  const startedAt = Date.now();
  for (const group of groups) {
    const waitMs = startedAt + group.atMs - Date.now();
    if (waitMs > 0) await sleepUnlessStopped(run, waitMs);
    const batch = order.slice(group.start, group.end).map((index) => trips[index]);
    await run.send(
      batch[batch.length - 1].file,
      batch.map((entry) => entry.trip),
    );
  }
  await run.calls.drain();
}

/**
 * Replays the files into the stack at `endpoint` and returns the counts. Every file is opened (format,
 * digest, header checked) before the first call, so a bad file fails the replay before anything is sent.
 * Without `speedup`, batches of `batchSize` trips go out with at most `concurrency` calls in flight,
 * each file's trips in pickup order (file order with `keepOrder`); with it, trips are sent in pickup order at their pickup spacing divided by `speedup`. Unreadable rows
 * are counted and sampled, rejected trips counted by reason. Throws TlcFileError subclasses for bad
 * files, IngestCallError subclasses when the stack fails a call for good, ReplayOptionsError, and
 * ReplayAbortedError (with the partial summary) when `signal` aborts.
 */
export async function replayFiles(options: ReplayOptions): Promise<ReplaySummary> {
  const settings = settingsOf(options);
  const files: TlcFile[] = [];
  for (const path of options.files) files.push(await openTlcFile(path));
  const run = new ReplayRun(files, options, settings);
  try {
    if (settings.speedup === undefined) await replayAsFastAsAccepted(run);
    else await replayPaced(run, settings.speedup);
  } catch (error) {
    await run.calls.settle();
    if (options.signal?.aborted) throw new ReplayAbortedError(run.tally.summary(), { cause: error });
    throw error;
  }
  return run.tally.summary();
}
