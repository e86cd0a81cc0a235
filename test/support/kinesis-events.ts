/**
 * Factories for Kinesis event source records, in the exact shape Lambda delivers.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { encodeStreamRecord, STREAM_RECORD_VERSION, type StreamRecord } from '../../src/ingest/stream-record';
import type { Trip } from '../../src/domain/trip';

export function kinesisRecordFactory(
  data: string,
  sequenceNumber: string,
  shardId = 'shardId-000000000000',
  partitionKey = 'pk',
): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data,
      approximateArrivalTimestamp: Date.now() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/processor',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/taxi-pulse-trips',
  };
}

/** A record carrying a stream record (base64 of its JSON). */
export function streamRecordFactory(record: StreamRecord, sequenceNumber: string, shardId?: string): KinesisStreamRecord {
  const partitionKey = record.type === 'trip' ? record.trip.tripId : record.tripId;
  return kinesisRecordFactory(Buffer.from(encodeStreamRecord(record)).toString('base64'), sequenceNumber, shardId, partitionKey);
}

export function tripRecord(trip: Trip): StreamRecord {
  return { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: Date.now(), trip };
}

export function eventOf(records: KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: records };
}

/** Sequence numbers like Kinesis's: long decimal strings, increasing with n. */
export function sequenceNumber(n: number): string {
  return `4960000000000000000000000000000000000000${String(n).padStart(16, '0')}`;
}
