/**
 * A lake record back into the stream record it was made from (the inverse of toLakeEntry in
 * lake-record.ts), as the Kinesis event record the processor's record loop reads: `npm run rebuild`
 * runs the processor's own loop over the lake, so the lake and the live table cannot count differently.
 *
 * The bytes are not the producer's bytes (JSON key order, for one), but they decode to the same record:
 * a trip's fields, a rejection's reason and submission, a poison record's very bytes (kept in base64).
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { Trip } from '../domain/trip';
import type { RejectionReason } from '../domain/trip';
import { encodeStreamRecord, STREAM_RECORD_VERSION, type StreamRecord } from '../ingest/stream-record';
import type { LakeRecord } from './lake-schema';

/** Where the rebuilt events say they come from (no event source mapping sent them). */
export const LAKE_EVENT_SOURCE_ARN = 'taxi-pulse:data-lake';

/** A lake record whose columns cannot be a record the lake writer made (a foreign or damaged file). */
export class LakeRecordError extends Error {
  override name = 'LakeRecordError';
}

/** The stream record a trip or rejection row holds; undefined for a poison row (its bytes are kept as they were). */
export function streamRecordOfLake(record: LakeRecord): StreamRecord | undefined {
  if (record.raw_data !== null) return undefined;
  const submittedAtMs = required(record, 'submitted_at_ms');
  if (record.rejection_reason !== null) {
    return {
      v: STREAM_RECORD_VERSION,
      type: 'rejection',
      submittedAtMs,
      tripId: required(record, 'trip_id'),
      reason: record.rejection_reason as RejectionReason,
      field: record.rejection_field ?? '',
      message: record.rejection_message ?? '',
      submission: JSON.parse(record.submission ?? '{}') as Record<string, unknown>,
    };
  }
  const trip: Trip = {
    tripId: required(record, 'trip_id'),
    pickupAtMs: required(record, 'pickup_at_ms'),
    dropoffAtMs: required(record, 'dropoff_at_ms'),
    pickupZoneId: required(record, 'pickup_zone_id'),
    dropoffZoneId: required(record, 'dropoff_zone_id'),
    distanceHundredths: required(record, 'distance_hundredths'),
    fareCents: required(record, 'fare_cents'),
    tipCents: required(record, 'tip_cents'),
    tollsCents: required(record, 'tolls_cents'),
    totalCents: required(record, 'total_cents'),
  };
  // Optional fields exist only when the trip had them, as the API's validation leaves them.
  if (record.vendor_id !== null) trip.vendorId = record.vendor_id;
  if (record.passenger_count !== null) trip.passengerCount = record.passenger_count;
  if (record.rate_code_id !== null) trip.rateCodeId = record.rate_code_id;
  if (record.payment_type !== null) trip.paymentType = record.payment_type;
  return { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs, trip };
}

/**
 * The Kinesis event record of a lake record: its shard and sequence number (eventID
 * `<shardId>:<sequenceNumber>`), partition key, arrival time (epoch seconds) and data.
 */
export function kinesisRecordOfLake(record: LakeRecord): KinesisStreamRecord {
  const stream = streamRecordOfLake(record);
  const data = stream === undefined ? (record.raw_data as string) : Buffer.from(encodeStreamRecord(stream)).toString('base64');
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partition_key,
      sequenceNumber: record.sequence_number,
      data,
      approximateArrivalTimestamp: record.arrival_ms / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${record.shard_id}:${record.sequence_number}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: LAKE_EVENT_SOURCE_ARN,
    awsRegion: '',
    eventSourceARN: LAKE_EVENT_SOURCE_ARN,
  };
}

function required<K extends keyof LakeRecord>(record: LakeRecord, column: K): NonNullable<LakeRecord[K]> {
  const value = record[column];
  if (value === null || value === undefined) {
    throw new LakeRecordError(`lake record ${record.shard_id} / ${record.sequence_number} has no ${String(column)}`);
  }
  return value as NonNullable<LakeRecord[K]>;
}
