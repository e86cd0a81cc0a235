/**
 * One stream record -> one lake record and its partition. Pure: the Firehose transformation Lambda on
 * AWS (src/lake/firehose-transform.ts) and the local lake writer (src/local/lake/) both call it, so the
 * two lakes hold the same rows in the same folders.
 *
 * The record is decoded with the processor's own decoder (decodeStreamRecord): what is poison to the
 * processor is poison in the lake, and a trip holds exactly the fields the processor aggregated.
 */
import { bucketKey } from '../domain/time';
import { decodeStreamRecord, type StreamRecord } from '../ingest/stream-record';
import type { LakePartition, LakeRecord } from './lake-schema';

/** Where and when a record sits in the stream. */
export interface StreamPosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Approximate arrival time in the stream, epoch milliseconds. */
  readonly arrivalMs: number;
  readonly partitionKey: string;
}

export interface LakeEntry {
  readonly record: LakeRecord;
  readonly partition: LakePartition;
}

const EMPTY_PAYLOAD = {
  record_version: null,
  submitted_at_ms: null,
  trip_id: null,
  vendor_id: null,
  pickup_at_ms: null,
  dropoff_at_ms: null,
  pickup_zone_id: null,
  dropoff_zone_id: null,
  passenger_count: null,
  rate_code_id: null,
  payment_type: null,
  distance_hundredths: null,
  fare_cents: null,
  tip_cents: null,
  tolls_cents: null,
  total_cents: null,
  rejection_reason: null,
  rejection_field: null,
  rejection_message: null,
  submission: null,
  raw_data: null,
  poison_reason: null,
} as const satisfies Omit<LakeRecord, 'shard_id' | 'sequence_number' | 'arrival_ms' | 'partition_key'>;

/** The lake record of the stream record `data` read at `position`. Never throws for bad data: that is poison. */
export function toLakeEntry(position: StreamPosition, data: Uint8Array): LakeEntry {
  const base = {
    ...EMPTY_PAYLOAD,
    shard_id: position.shardId,
    sequence_number: position.sequenceNumber,
    arrival_ms: position.arrivalMs,
    partition_key: position.partitionKey,
  };
  const decoded = decodeStreamRecord(data);
  if (!decoded.ok) {
    return {
      record: { ...base, raw_data: Buffer.from(data).toString('base64'), poison_reason: decoded.reason },
      partition: { type: 'poison', pickupDate: localDateOr(position.arrivalMs, position.arrivalMs) },
    };
  }
  return fromStreamRecord(base, decoded.record, position.arrivalMs);
}

function fromStreamRecord(base: LakeRecord, record: StreamRecord, arrivalMs: number): LakeEntry {
  if (record.type === 'trip') {
    const { trip } = record;
    return {
      record: {
        ...base,
        record_version: record.v,
        submitted_at_ms: record.submittedAtMs,
        trip_id: trip.tripId,
        vendor_id: trip.vendorId ?? null,
        pickup_at_ms: trip.pickupAtMs,
        dropoff_at_ms: trip.dropoffAtMs,
        pickup_zone_id: trip.pickupZoneId,
        dropoff_zone_id: trip.dropoffZoneId,
        passenger_count: trip.passengerCount ?? null,
        rate_code_id: trip.rateCodeId ?? null,
        payment_type: trip.paymentType ?? null,
        distance_hundredths: trip.distanceHundredths,
        fare_cents: trip.fareCents,
        tip_cents: trip.tipCents,
        tolls_cents: trip.tollsCents,
        total_cents: trip.totalCents,
      },
      partition: { type: 'trip', pickupDate: localDateOr(trip.pickupAtMs, arrivalMs) },
    };
  }
  return {
    record: {
      ...base,
      record_version: record.v,
      submitted_at_ms: record.submittedAtMs,
      trip_id: record.tripId,
      rejection_reason: record.reason,
      rejection_field: record.field,
      rejection_message: record.message,
      submission: JSON.stringify(record.submission),
    },
    // A rejected submission may have no readable pickup time: it is filed by when it was submitted.
    partition: { type: 'rejection', pickupDate: localDateOr(record.submittedAtMs, arrivalMs) },
  };
}

/**
 * The New York local date of `epochMs`; of `fallbackMs` when that instant has no calendar date (a
 * decodable record may carry a pickup millions of years away, which Intl refuses).
 */
function localDateOr(epochMs: number, fallbackMs: number): string {
  try {
    return bucketKey(epochMs, 'DAY');
  } catch {
    return bucketKey(fallbackMs, 'DAY');
  }
}
