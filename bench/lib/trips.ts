/**
 * Real TLC trips for the benchmarks: read with the project's own file reader (the rows `npm run replay`
 * sends), validated with the project's own rules, and, where a benchmark needs more trips or other
 * dates than the files hold, resampled: the same real trips with new ids and shifted dates.
 */
import { join } from 'node:path';
import { openTlcFile } from '../../src/cli/tlc/tlc-file';
import { formatNewYork, parseDateTime } from '../../src/domain/time';
import { validateTrip, type Trip, type TripSubmission } from '../../src/domain/trip';
import { encodeStreamRecord, STREAM_RECORD_VERSION, type StreamRecord } from '../../src/ingest/stream-record';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const DATA_DIR = join(PROJECT_ROOT, 'data', 'nyc-tlc');
/** The month `npm start` loads: green taxis, February 2023, 64,809 rows, exactly four weeks. */
export const FEB_2023 = join(DATA_DIR, 'green_tripdata_2023-02.parquet');
export const OCT_2020 = join(DATA_DIR, 'green_tripdata_2020-10.csv.gz');

const DAY_MS = 24 * 60 * 60 * 1000;
export const FOUR_WEEKS_MS = 28 * DAY_MS;

const cache = new Map<string, TripSubmission[]>();

/** Every readable row of a TLC file, as submissions in file order (valid or not). */
export async function readSubmissions(path: string = FEB_2023): Promise<TripSubmission[]> {
  const cached = cache.get(path);
  if (cached) return cached;
  const file = await openTlcFile(path);
  const submissions: TripSubmission[] = [];
  for await (const row of file.rows()) if (row.kind === 'trip') submissions.push(row.trip);
  cache.set(path, submissions);
  return submissions;
}

/** The valid trips of a file (what the pipeline counts), in file order. */
export async function readValidTrips(path: string = FEB_2023): Promise<Trip[]> {
  const trips: Trip[] = [];
  for (const submission of await readSubmissions(path)) {
    const validation = validateTrip(submission);
    if (validation.ok) trips.push(validation.trip);
  }
  return trips;
}

/** Valid submissions only (so that throughput figures count trips, not rejections). */
export async function readValidSubmissions(path: string = FEB_2023): Promise<TripSubmission[]> {
  return (await readSubmissions(path)).filter((submission) => validateTrip(submission).ok);
}

/** A submission moved in time by `shiftMs` (instants, so the text carries New York's offset) with a new id. */
export function shiftSubmission(submission: TripSubmission, shiftMs: number, tripId: string): TripSubmission {
  const pickupMs = parseDateTime(submission.pickupAt);
  const dropoffMs = parseDateTime(submission.dropoffAt);
  if (pickupMs === undefined || dropoffMs === undefined) return { ...submission, tripId };
  return { ...submission, tripId, pickupAt: formatNewYork(pickupMs + shiftMs), dropoffAt: formatNewYork(dropoffMs + shiftMs) };
}

/** A trip moved in time by `shiftMs` with a new id. */
export function shiftTrip(trip: Trip, shiftMs: number, tripId: string): Trip {
  return { ...trip, tripId, pickupAtMs: trip.pickupAtMs + shiftMs, dropoffAtMs: trip.dropoffAtMs + shiftMs };
}

/**
 * `count` trips resampled from `base`: copy k of the file is shifted by k * 4 weeks (February 2023 is
 * exactly four weeks, so weekdays and hours of day stay real) and gets ids `<id>~r<k>`. Copy 0 is the
 * file itself.
 */
export function* resampleSubmissions(base: readonly TripSubmission[], count: number, firstCopy = 0): Generator<TripSubmission> {
  let produced = 0;
  for (let copy = firstCopy; produced < count; copy++) {
    for (const submission of base) {
      if (produced >= count) return;
      yield copy === 0 ? submission : shiftSubmission(submission, copy * FOUR_WEEKS_MS, `${submission.tripId}~r${copy}`);
      produced++;
    }
  }
}

/** The stream record `ingestTrips` writes for a valid trip. */
export function tripStreamRecord(trip: Trip, submittedAtMs = Date.now()): StreamRecord {
  return { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs, trip };
}

/** PutRecords entries for trips, exactly as the publisher builds them (data = JSON, key = tripId). */
export function putEntries(trips: readonly Trip[], submittedAtMs = Date.now()): Array<{ Data: Uint8Array; PartitionKey: string }> {
  return trips.map((trip) => ({ Data: encodeStreamRecord(tripStreamRecord(trip, submittedAtMs)), PartitionKey: trip.tripId }));
}

/** Trips sorted by pickup time (a live stream's order), stable. */
export function byPickup<T extends { pickupAtMs: number }>(trips: readonly T[]): T[] {
  return trips
    .map((trip, index) => ({ trip, index }))
    .sort((a, b) => a.trip.pickupAtMs - b.trip.pickupAtMs || a.index - b.index)
    .map(({ trip }) => trip);
}
