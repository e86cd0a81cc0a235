import { decodeBase64StreamRecord, encodeStreamRecord, STREAM_RECORD_VERSION, type StreamRecord } from '../../../src/ingest/stream-record';
import { toLakeEntry, type StreamPosition } from '../../../src/lake/lake-record';
import { kinesisRecordOfLake, LakeRecordError, streamRecordOfLake } from '../../../src/lake/lake-stream-record';
import { recordRefOf } from '../../../src/process/process-batch';
import { validTrip } from '../../support/trip-factory';

const POSITION: StreamPosition = {
  shardId: 'shardId-000000000003',
  sequenceNumber: '49640000000000000000000000000000000000000000000000000042',
  arrivalMs: 1_700_000_123_456,
  partitionKey: 'trip-x',
};

const lakeRowOf = (bytes: Uint8Array) => toLakeEntry(POSITION, bytes).record;

describe('streamRecordOfLake and kinesisRecordOfLake: a lake row back into the stream record it was made from', () => {
  it('gives back a trip with every field, optional ones only when the trip had them', () => {
    // Prepare: one trip with every optional field, one without any
    const full: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'trip',
      submittedAtMs: 1_700_000_000_000,
      trip: validTrip({ vendorId: 2, rateCodeId: 5 }),
    };
    const bare = validTrip({ passengerCount: null, paymentType: null });
    const sparse: StreamRecord = { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: 1_700_000_000_001, trip: bare };

    // Act
    const fullBack = streamRecordOfLake(lakeRowOf(encodeStreamRecord(full)));
    const sparseBack = streamRecordOfLake(lakeRowOf(encodeStreamRecord(sparse)));

    // Assess
    expect(fullBack).toEqual(full);
    expect(sparseBack).toEqual(sparse);
    expect(Object.keys((sparseBack as { trip: object }).trip)).not.toContain('passengerCount');
  });

  it('gives back a rejection with its reason, field, message and the submission as received', () => {
    // Prepare
    const rejection: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'rejection',
      submittedAtMs: 1_700_000_000_000,
      tripId: 'trip-x',
      reason: 'UNKNOWN_ZONE',
      field: 'pickupZoneId',
      message: 'pickupZoneId 999 is not a TLC taxi zone',
      submission: { tripId: 'trip-x', pickupZoneId: 999, fareAmount: 12.5 },
    };

    // Act
    const back = streamRecordOfLake(lakeRowOf(encodeStreamRecord(rejection)));

    // Assess
    expect(back).toEqual(rejection);
  });

  it('builds the event record the processor reads: same position, arrival, partition key, and data that decodes to the record', () => {
    // Prepare
    const record: StreamRecord = { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: 1_700_000_000_000, trip: validTrip() };

    // Act
    const event = kinesisRecordOfLake(lakeRowOf(encodeStreamRecord(record)));

    // Assess
    expect(recordRefOf(event)).toEqual({ shardId: POSITION.shardId, sequenceNumber: POSITION.sequenceNumber });
    expect(Math.round(event.kinesis.approximateArrivalTimestamp * 1000)).toBe(POSITION.arrivalMs);
    expect(event.kinesis.partitionKey).toBe(POSITION.partitionKey);
    expect(decodeBase64StreamRecord(event.kinesis.data)).toEqual({ ok: true, record });
  });

  it('hands a poison record over as the very bytes the stream held, which stay poison', () => {
    // Prepare: not JSON
    const bytes = Buffer.from('{"v":1,"type":');

    // Act
    const event = kinesisRecordOfLake(lakeRowOf(bytes));

    // Assess
    expect(Buffer.from(event.kinesis.data, 'base64').equals(bytes)).toBe(true);
    expect(decodeBase64StreamRecord(event.kinesis.data)).toEqual({ ok: false, reason: 'data is not JSON' });
  });

  it('refuses a row that no lake writer makes (a trip without its fare) with a typed error naming the record', () => {
    // Prepare
    const row = { ...lakeRowOf(encodeStreamRecord({ v: 1, type: 'trip', submittedAtMs: 1, trip: validTrip() })), fare_cents: null };

    // Act / Assess
    expect(() => streamRecordOfLake(row)).toThrow(LakeRecordError);
    expect(() => streamRecordOfLake(row)).toThrow(/fare_cents/);
  });
});
