/**
 * The stream a fault campaign run works on: real TLC trips as apps submit them through the ingest use
 * case (so valid trips and rejections are encoded exactly as the API encodes them), some resubmitted
 * with the same tripId (identical or altered, valid or not), all in a shuffled order (out of order,
 * weeks and years late), with poison records mixed in, split over shards by partition key like
 * Kinesis does, each record with its shard's increasing sequence number.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { createHash } from 'node:crypto';
import type { TripSubmission } from '../../../../src/domain/trip';
import { ingestTrips, MAX_TRIPS_PER_CALL } from '../../../../src/ingest/ingest-trips';
import type { StreamRecord } from '../../../../src/ingest/stream-record';
import { kinesisRecordFactory, sequenceNumber, streamRecordFactory } from '../../../support/kinesis-events';

export const ALTERATIONS = ['identical', 'fare', 'pickup-zone', 'weeks-earlier', 'unknown-zone', 'negative-fare'] as const;
export type Alteration = (typeof ALTERATIONS)[number];

export const POISON_KINDS = ['not-base64', 'not-utf8', 'not-json', 'nan', 'wrong-types', 'missing-field'] as const;
export type PoisonKind = (typeof POISON_KINDS)[number];

/** What a run submits, as indices into the sample and draws, so that fast-check can generate and shrink it. */
export interface StreamScenario {
  /** Valid trips of the sample, by index. */
  readonly trips: readonly number[];
  /** Per trip (same index as `trips`): resubmitted with this alteration, or not. */
  readonly resubmissions: ReadonlyArray<Alteration | undefined>;
  /** Invalid rows of the sample (rejected by the API), by index. */
  readonly invalid: readonly number[];
  readonly poison: ReadonlyArray<{ readonly kind: PoisonKind; readonly at: number }>;
  /** Sort keys giving the order of the submissions (originals, invalid rows, then resubmissions). */
  readonly order: readonly number[];
  readonly shardCount: 1 | 2;
}

/** A record on the stream and what it is, for the expected-outcome model. */
export type StreamEntry =
  | { readonly kind: 'record'; readonly record: KinesisStreamRecord; readonly content: StreamRecord }
  | { readonly kind: 'poison'; readonly record: KinesisStreamRecord; readonly poison: PoisonKind };

export interface ShardStream {
  readonly shardId: string;
  readonly entries: readonly StreamEntry[];
}

export const SHARD_IDS = ['shardId-000000000000', 'shardId-000000000001'] as const;
/** Records carry this submission time, so that two runs of a scenario produce the same bytes. */
const SUBMITTED_AT_MS = Date.UTC(2024, 4, 1);
const WEEK_MS = 7 * 24 * 3600_000;

/** The shards of a scenario, each in sequence-number order. */
export async function buildStream(
  sample: { valid: TripSubmission[]; invalid: TripSubmission[] },
  scenario: StreamScenario,
): Promise<ShardStream[]> {
  const submissions: TripSubmission[] = [
    ...scenario.trips.map((index) => sample.valid[index]),
    ...scenario.invalid.map((index) => sample.invalid[index]),
  ];
  scenario.trips.forEach((index, position) => {
    const alteration = scenario.resubmissions[position];
    if (alteration) submissions.push(altered(sample.valid[index], alteration));
  });
  const ordered = submissions
    .map((submission, index) => ({ submission, key: scenario.order[index] ?? index }))
    .sort((a, b) => a.key - b.key)
    .map(({ submission }) => submission);

  const records: StreamRecord[] = [];
  const publisher = { publish: async (published: readonly StreamRecord[]) => void records.push(...published) };
  for (let start = 0; start < ordered.length; start += MAX_TRIPS_PER_CALL) {
    await ingestTrips(ordered.slice(start, start + MAX_TRIPS_PER_CALL), publisher, () => SUBMITTED_AT_MS);
  }

  type Pending =
    { kind: 'record'; content: StreamRecord; partitionKey: string } | { kind: 'poison'; poison: PoisonKind; partitionKey: string };
  const pending: Pending[] = records.map((content) => ({
    kind: 'record',
    content,
    partitionKey: content.type === 'trip' ? content.trip.tripId : content.tripId,
  }));
  scenario.poison.forEach(({ kind, at }, index) => {
    pending.splice(at % (pending.length + 1), 0, { kind: 'poison', poison: kind, partitionKey: `poison-${index}-${at}` });
  });

  const shards = SHARD_IDS.slice(0, scenario.shardCount).map((shardId) => ({ shardId, entries: [] as StreamEntry[] }));
  const nextSequence = shards.map(() => 1);
  for (const item of pending) {
    const shard = shardOf(item.partitionKey, scenario.shardCount);
    const { shardId, entries } = shards[shard];
    // Gaps between sequence numbers, as on a real shard that other writers share.
    const sequence = sequenceNumber((nextSequence[shard] += 1 + (entries.length % 3)));
    if (item.kind === 'record') {
      entries.push({ kind: 'record', content: item.content, record: streamRecordFactory(item.content, sequence, shardId) });
    } else {
      entries.push({
        kind: 'poison',
        poison: item.poison,
        record: kinesisRecordFactory(poisonData(item.poison), sequence, shardId, item.partitionKey),
      });
    }
  }
  // Poison records are kept with their arrival time: fixed, so that two runs keep the same items.
  for (const { entries } of shards) {
    for (const entry of entries) entry.record.kinesis.approximateArrivalTimestamp = SUBMITTED_AT_MS / 1000;
  }
  return shards;
}

/** Kinesis maps the MD5 of the partition key onto the shards' hash key ranges (equal halves here). */
export function shardOf(partitionKey: string, shardCount: number): number {
  if (shardCount === 1) return 0;
  return createHash('md5').update(partitionKey).digest()[0] < 128 ? 0 : 1;
}

function altered(trip: TripSubmission, alteration: Alteration): TripSubmission {
  switch (alteration) {
    case 'identical':
      return { ...trip };
    case 'fare':
      return { ...trip, fareAmount: trip.fareAmount + 7.5, totalAmount: trip.totalAmount + 7.5 };
    case 'pickup-zone':
      return { ...trip, pickupZoneId: (trip.pickupZoneId % 263) + 1 };
    case 'weeks-earlier':
      return { ...trip, pickupAt: shifted(trip.pickupAt, -3 * WEEK_MS), dropoffAt: shifted(trip.dropoffAt, -3 * WEEK_MS) };
    case 'unknown-zone':
      return { ...trip, pickupZoneId: 999 };
    case 'negative-fare':
      return { ...trip, fareAmount: -trip.fareAmount - 1 };
  }
}

/** A local date-time moved by `ms` (read and written as UTC: only the wall-clock shift matters). */
function shifted(localDateTime: string, ms: number): string {
  const date = new Date(`${localDateTime.replace(' ', 'T').slice(0, 19)}Z`);
  return new Date(date.getTime() + ms).toISOString().slice(0, 19);
}

function base64(text: string | Buffer): string {
  return Buffer.from(text).toString('base64');
}

const SOME_TRIP = {
  tripId: 'poison-trip',
  pickupAtMs: Date.UTC(2023, 1, 1, 13),
  dropoffAtMs: Date.UTC(2023, 1, 1, 13, 20),
  pickupZoneId: 132,
  dropoffZoneId: 236,
  distanceHundredths: 1750,
  fareCents: 5200,
  tipCents: 1000,
  tollsCents: 0,
  totalCents: 7025,
};

function poisonData(kind: PoisonKind): string {
  switch (kind) {
    case 'not-base64':
      return '%%%not base64%%%';
    case 'not-utf8':
      return base64(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]));
    case 'not-json':
      return base64('{"v":1,"type":"trip",');
    case 'nan':
      // What a careless producer writes for NaN: not JSON at all.
      return base64(
        `{"v":1,"type":"trip","submittedAtMs":1,"trip":${JSON.stringify(SOME_TRIP).replace('"fareCents":5200', '"fareCents":NaN')}}`,
      );
    case 'wrong-types':
      return base64(JSON.stringify({ v: 1, type: 'trip', submittedAtMs: 1, trip: { ...SOME_TRIP, fareCents: '52.00' } }));
    case 'missing-field': {
      const { pickupAtMs: _missing, ...rest } = SOME_TRIP;
      return base64(JSON.stringify({ v: 1, type: 'trip', submittedAtMs: 1, trip: rest }));
    }
  }
}
