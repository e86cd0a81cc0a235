import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord } from 'aws-lambda';
import { STREAM_RECORD_VERSION, encodeStreamRecord } from '../../../src/ingest/stream-record';
import { transformFirehoseEvent } from '../../../src/lake/firehose-transform';
import { handler } from '../../../src/lake/handler';
import { toLakeEntry } from '../../../src/lake/lake-record';

const ARRIVAL_MS = Date.parse('2023-02-01T15:00:00Z');

function firehoseRecord(data: Uint8Array, recordId: string, sequenceNumber: string): FirehoseTransformationEventRecord {
  return {
    recordId,
    approximateArrivalTimestamp: ARRIVAL_MS,
    data: Buffer.from(data).toString('base64'),
    kinesisRecordMetadata: {
      shardId: 'shardId-000000000000',
      partitionKey: 'trip-1',
      approximateArrivalTimestamp: ARRIVAL_MS,
      sequenceNumber,
      subsequenceNumber: '0',
    },
  };
}

function eventOf(records: FirehoseTransformationEventRecord[]): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/lake',
    sourceKinesisStreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/trips',
    region: 'us-east-1',
    records,
  };
}

const TRIP = encodeStreamRecord({
  v: STREAM_RECORD_VERSION,
  type: 'trip',
  submittedAtMs: ARRIVAL_MS,
  trip: {
    tripId: 'trip-1',
    pickupAtMs: Date.parse('2023-01-31T23:10:00-05:00'),
    dropoffAtMs: Date.parse('2023-01-31T23:30:00-05:00'),
    pickupZoneId: 132,
    dropoffZoneId: 230,
    distanceHundredths: 1790,
    fareCents: 5200,
    tipCents: 1000,
    tollsCents: 655,
    totalCents: 7000,
  },
});

describe('transformFirehoseEvent', () => {
  it('turns each record into its lake record, with the stream position Firehose hands over, and partition keys', () => {
    // Act
    const result = transformFirehoseEvent(
      eventOf([firehoseRecord(TRIP, 'r1', '4961'), firehoseRecord(Buffer.from('garbage'), 'r2', '4962')]),
    );

    // Assess
    expect(result.records.map(({ recordId, result: status }) => [recordId, status])).toEqual([
      ['r1', 'Ok'],
      ['r2', 'Ok'],
    ]);
    const [trip, poison] = result.records;
    const expectedTrip = toLakeEntry(
      { shardId: 'shardId-000000000000', sequenceNumber: '4961', arrivalMs: ARRIVAL_MS, partitionKey: 'trip-1' },
      TRIP,
    ).record;
    expect(JSON.parse(Buffer.from(trip.data!, 'base64').toString('utf8'))).toEqual(expectedTrip);
    expect(trip.metadata).toEqual({ partitionKeys: { type: 'trip', pickup_date: '2023-01-31' } });
    const poisonRow = JSON.parse(Buffer.from(poison.data!, 'base64').toString('utf8'));
    expect(poisonRow).toMatchObject({
      sequence_number: '4962',
      poison_reason: 'data is not JSON',
      raw_data: Buffer.from('garbage').toString('base64'),
    });
    expect(poison.metadata).toEqual({ partitionKeys: { type: 'poison', pickup_date: '2023-02-01' } });
  });

  it('fails a record that carries no Kinesis metadata, leaving its data as it was, so that Firehose files it as an error', () => {
    const record = { ...firehoseRecord(TRIP, 'r1', '1'), kinesisRecordMetadata: undefined };
    expect(transformFirehoseEvent(eventOf([record])).records).toEqual([{ recordId: 'r1', result: 'ProcessingFailed', data: record.data }]);
  });

  it('is what the Lambda handler answers', async () => {
    const event = eventOf([firehoseRecord(TRIP, 'r1', '4961')]);
    await expect(handler(event, {} as never, () => undefined)).resolves.toEqual(transformFirehoseEvent(event));
  });
});
