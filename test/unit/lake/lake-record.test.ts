import { STREAM_RECORD_VERSION, encodeStreamRecord, type StreamRecord } from '../../../src/ingest/stream-record';
import { toLakeEntry, type StreamPosition } from '../../../src/lake/lake-record';
import { LAKE_COLUMNS, glueColumns, partitionPath } from '../../../src/lake/lake-schema';
import type { Trip } from '../../../src/domain/trip';

const POSITION: StreamPosition = {
  shardId: 'shardId-000000000001',
  sequenceNumber: '49640000000000000000000000000000000000000000000000000017',
  arrivalMs: Date.parse('2023-07-01T12:00:00Z'),
  partitionKey: 'trip-1',
};

function trip(overrides: Partial<Trip> = {}): Trip {
  return {
    tripId: 'trip-1',
    vendorId: 2,
    pickupAtMs: Date.parse('2023-07-01T00:30:00-04:00'),
    dropoffAtMs: Date.parse('2023-07-01T00:50:00-04:00'),
    pickupZoneId: 161,
    dropoffZoneId: 236,
    passengerCount: 1,
    paymentType: 1,
    distanceHundredths: 210,
    fareCents: 1280,
    tipCents: 300,
    tollsCents: 0,
    totalCents: 1930,
    ...overrides,
  };
}

const bytesOf = (record: StreamRecord) => encodeStreamRecord(record);

describe('toLakeEntry', () => {
  it('keeps a trip with its stream position, every field the processor decodes, and its New York pickup date', () => {
    // Prepare: 00:30 EDT on 1 July is 04:30 UTC; the old UTC-5 approximation would have said 30 June
    const record: StreamRecord = { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: 1_700_000_000_000, trip: trip() };

    // Act
    const { record: row, partition } = toLakeEntry(POSITION, bytesOf(record));

    // Assess
    expect(partition).toEqual({ type: 'trip', pickupDate: '2023-07-01' });
    expect(row).toMatchObject({
      shard_id: POSITION.shardId,
      sequence_number: POSITION.sequenceNumber,
      arrival_ms: POSITION.arrivalMs,
      partition_key: 'trip-1',
      record_version: 1,
      submitted_at_ms: 1_700_000_000_000,
      trip_id: 'trip-1',
      vendor_id: 2,
      pickup_at_ms: Date.parse('2023-07-01T04:30:00Z'),
      pickup_zone_id: 161,
      dropoff_zone_id: 236,
      passenger_count: 1,
      rate_code_id: null,
      payment_type: 1,
      distance_hundredths: 210,
      fare_cents: 1280,
      tip_cents: 300,
      tolls_cents: 0,
      total_cents: 1930,
      rejection_reason: null,
      raw_data: null,
      poison_reason: null,
    });
  });

  it('files a trip picked up late in the evening in winter under its local date, not the UTC one', () => {
    const record: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'trip',
      submittedAtMs: 0,
      trip: trip({ pickupAtMs: Date.parse('2023-02-01T23:30:00-05:00'), dropoffAtMs: Date.parse('2023-02-01T23:45:00-05:00') }),
    };
    expect(toLakeEntry(POSITION, bytesOf(record)).partition.pickupDate).toBe('2023-02-01');
  });

  it('keeps a rejection with its reason and the submission as JSON text, filed by its submission date', () => {
    const submittedAtMs = Date.parse('2024-03-10T23:59:00-04:00');
    const record: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'rejection',
      submittedAtMs,
      tripId: 'trip-9',
      reason: 'UNKNOWN_ZONE',
      field: 'pickupZoneId',
      message: 'pickupZoneId 999 is not a TLC taxi zone (1..265)',
      submission: { tripId: 'trip-9', pickupZoneId: 999 },
    };

    const { record: row, partition } = toLakeEntry(POSITION, bytesOf(record));

    expect(partition).toEqual({ type: 'rejection', pickupDate: '2024-03-10' });
    expect(row).toMatchObject({
      trip_id: 'trip-9',
      submitted_at_ms: submittedAtMs,
      rejection_reason: 'UNKNOWN_ZONE',
      rejection_field: 'pickupZoneId',
      rejection_message: 'pickupZoneId 999 is not a TLC taxi zone (1..265)',
      pickup_at_ms: null,
      fare_cents: null,
    });
    expect(JSON.parse(row.submission!)).toEqual({ tripId: 'trip-9', pickupZoneId: 999 });
  });

  it('keeps undecodable bytes as poison, with the bytes and the reason, filed by arrival date', () => {
    const data = Buffer.from('{"v":1,"type":"trip","trip":', 'utf8');

    const { record: row, partition } = toLakeEntry(POSITION, data);

    expect(partition).toEqual({ type: 'poison', pickupDate: '2023-07-01' });
    expect(row.poison_reason).toBe('data is not JSON');
    expect(Buffer.from(row.raw_data!, 'base64')).toEqual(data);
    expect(row.trip_id).toBeNull();
    expect(row.record_version).toBeNull();
  });

  it('files a trip whose pickup has no calendar date by its arrival date instead of failing', () => {
    const record: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'trip',
      submittedAtMs: 0,
      trip: trip({ pickupAtMs: 9_000_000_000_000_000, dropoffAtMs: 9_000_000_000_000_000 }),
    };
    expect(toLakeEntry(POSITION, bytesOf(record)).partition).toEqual({ type: 'trip', pickupDate: '2023-07-01' });
  });

  it('sets every column of the schema, in every kind of record', () => {
    const kinds = [bytesOf({ v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: 0, trip: trip() }), Buffer.from('not json')];
    for (const bytes of kinds) {
      expect(Object.keys(toLakeEntry(POSITION, bytes).record).sort()).toEqual(LAKE_COLUMNS.map((column) => column.name).sort());
    }
  });
});

describe('the lake schema', () => {
  it('gives Glue the same columns, in the same order, as the records', () => {
    expect(glueColumns().map((column) => column.name)).toEqual(LAKE_COLUMNS.map((column) => column.name));
    expect(glueColumns().every((column) => column.comment.length > 0)).toBe(true);
  });

  it('names partitions Hive-style under records/', () => {
    expect(partitionPath({ type: 'trip', pickupDate: '2023-02-01' })).toBe('records/type=trip/pickup_date=2023-02-01');
  });
});
