import type { KinesisStreamRecord } from 'aws-lambda';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator-fixture';
import { eventOf, kinesisRecordFactory, sequenceNumber, streamRecordFactory, tripRecord } from '../../support/kinesis-events';
import { validateTrip, type Trip, type TripSubmission } from '../../../src/domain/trip';
import { STREAM_RECORD_VERSION, type StreamRecord } from '../../../src/ingest/stream-record';
import { countersKey, itemKeyId } from '../../../src/store/keys';
import { requestKeyId } from '../../support/dynamo-faults';

let fixture: EmulatorFixture;
let handler: typeof import('../../../src/process/handler').handler;
let reader: import('../../../src/store/dynamo-insights-reader').DynamoInsightsReader;

beforeAll(async () => {
  fixture = await startEmulatorFixture();
  ({ handler } = await import('../../../src/process/handler'));
  const { DynamoInsightsReader } = await import('../../../src/store/dynamo-insights-reader');
  reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
});

afterAll(async () => {
  await fixture?.stop();
});

let nextTripId = 0;
function trip(overrides: Partial<TripSubmission> = {}): Trip {
  const validation = validateTrip({
    tripId: `t-${++nextTripId}`,
    pickupAt: '2023-02-01T08:15:00',
    dropoffAt: '2023-02-01T08:35:00',
    pickupZoneId: 132,
    dropoffZoneId: 236,
    tripDistanceMiles: 17.5,
    fareAmount: 52,
    tipAmount: 10,
    totalAmount: 70.25,
    ...overrides,
  });
  if (!validation.ok) throw new Error(validation.rejection.message);
  return validation.trip;
}

let nextSequence = 1;
function records(trips: Trip[]): KinesisStreamRecord[] {
  return trips.map((t) => streamRecordFactory(tripRecord(t), sequenceNumber(nextSequence++)));
}

async function zoneDay(zoneId: number, day: string) {
  const [item] = await reader.readAggregates({ kind: 'ZONE', zoneId }, 'DAY', [day, day]);
  return item?.aggregate;
}

describe('processor handler', () => {
  it('counts a batch of trips in every scope and returns no failures', async () => {
    // Prepare
    const batch = records([trip({ pickupZoneId: 1, fareAmount: 10 }), trip({ pickupZoneId: 1, fareAmount: 20.55 })]);

    // Act
    const response = await handler(eventOf(batch));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const day = await zoneDay(1, '2023-02-01');
    expect(day?.trips).toBe(2);
    expect(day?.fareCents).toBe(3055);
    expect(day?.tripsByHourOfDay?.[8]).toBe(2);
    const [ewr] = await reader.readAggregates({ kind: 'BOROUGH', borough: 'EWR' }, 'HOUR', ['2023-02-01T08', '2023-02-01T08']);
    expect(ewr.aggregate.trips).toBe(2);
  });

  it('changes nothing when the same batch is delivered again, or again with other boundaries', async () => {
    // Prepare
    const batch = records(Array.from({ length: 20 }, () => trip({ pickupZoneId: 2 })));
    await handler(eventOf(batch));

    // Act
    await handler(eventOf(batch));
    await handler(eventOf(batch.slice(5, 15)));
    await handler(eventOf(batch.slice(10)));

    // Assess
    expect((await zoneDay(2, '2023-02-01'))?.trips).toBe(20);
  });

  it('applies exactly the records above the mark when a retry starts in the middle of what was applied', async () => {
    // Prepare: the first half is applied, then a retry covers a quarter of it plus the rest
    const batch = records(Array.from({ length: 8 }, () => trip({ pickupZoneId: 3 })));
    await handler(eventOf(batch.slice(0, 4)));

    // Act
    await handler(eventOf(batch.slice(2)));

    // Assess
    expect((await zoneDay(3, '2023-02-01'))?.trips).toBe(8);
  });

  it('counts a resubmitted tripId once, whatever its other fields say', async () => {
    // Prepare
    const original = trip({ pickupZoneId: 4, fareAmount: 10 });
    const altered = { ...original, fareCents: 99999, pickupZoneId: 5 };
    const before = await reader.readCounts();

    // Act
    await handler(eventOf(records([original, altered])));
    await handler(eventOf(records([altered])));

    // Assess
    expect((await zoneDay(4, '2023-02-01'))?.fareCents).toBe(1000);
    expect(await zoneDay(5, '2023-02-01')).toBeUndefined();
    const after = await reader.readCounts();
    expect(after.duplicateTrips - before.duplicateTrips).toBe(2);
    expect(after.acceptedTrips - before.acceptedTrips).toBe(1);
  });

  it('keeps poison records aside with their reason and does not block the records after them', async () => {
    // Prepare
    const before = await reader.readCounts();
    const notBase64 = kinesisRecordFactory('%%%not base64%%%', sequenceNumber(nextSequence++));
    const notJson = kinesisRecordFactory(Buffer.from('{"v":1,').toString('base64'), sequenceNumber(nextSequence++));
    const wrongTypes = streamRecordFactory(
      { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: 1, trip: { ...trip(), fareCents: 'ten' as unknown as number } },
      sequenceNumber(nextSequence++),
    );
    const good = records([trip({ pickupZoneId: 6 })]);

    // Act
    const response = await handler(eventOf([notBase64, notJson, wrongTypes, ...good]));
    await handler(eventOf([notBase64, notJson, wrongTypes, ...good]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await reader.readCounts()).poisonRecords - before.poisonRecords).toBe(3);
    expect((await zoneDay(6, '2023-02-01'))?.trips).toBe(1);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { poisonRecordKey } = await import('../../../src/store/keys');
    const kept = await fixture.clients.documents.send(
      new GetCommand({ TableName: fixture.tableName, Key: poisonRecordKey('shardId-000000000000', notJson.kinesis.sequenceNumber) }),
    );
    expect(kept.Item).toMatchObject({ reason: 'data is not JSON', data: notJson.kinesis.data });
  });

  it('counts rejections by reason once per tripId', async () => {
    // Prepare
    const before = await reader.readCounts();
    const rejection: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'rejection' as const,
      submittedAtMs: 1,
      tripId: 'bad-1',
      reason: 'UNKNOWN_ZONE' as const,
      field: 'pickupZoneId',
      message: 'pickupZoneId 999 is not a TLC taxi zone (1..265)',
      submission: { tripId: 'bad-1', pickupZoneId: 999 },
    };

    // Act
    await handler(
      eventOf([
        streamRecordFactory(rejection, sequenceNumber(nextSequence++)),
        streamRecordFactory(rejection, sequenceNumber(nextSequence++)),
      ]),
    );

    // Assess
    const after = await reader.readCounts();
    expect(after.rejectedByReason.UNKNOWN_ZONE - before.rejectedByReason.UNKNOWN_ZONE).toBe(1);
  });
});

describe('processor handler on a redelivery', () => {
  it('still counts a rejection as a rejection when a valid resubmission after it was already accepted', async () => {
    // Prepare: a rejected submission of a tripId, then a valid one, in one batch
    const before = await reader.readCounts();
    const accepted = trip({ pickupZoneId: 7 });
    const rejection: StreamRecord = {
      v: STREAM_RECORD_VERSION,
      type: 'rejection',
      submittedAtMs: 1,
      tripId: accepted.tripId,
      reason: 'AMOUNT_OUT_OF_RANGE',
      field: 'fareAmount',
      message: 'fareAmount must be within 0..10000 dollars',
      submission: { tripId: accepted.tripId, fareAmount: -1 },
    };
    const batch = [streamRecordFactory(rejection, sequenceNumber(nextSequence++)), ...records([accepted])];

    // Act: the first delivery keeps both records but cannot update the counters; then it is redelivered
    const { dynamoClient } = await import('../../../src/store/dynamo-client');
    const failCounters = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const input = (args as { input?: { Key?: unknown } }).input;
      if (requestKeyId(input?.Key) === itemKeyId(countersKey()))
        throw Object.assign(new Error('injected throttling'), { name: 'ProvisionedThroughputExceededException' });
      return next(args);
    };
    dynamoClient().middlewareStack.add(failCounters as never, { step: 'initialize', name: 'failCounters' });
    const first = await handler(eventOf(batch));
    dynamoClient().middlewareStack.remove('failCounters');
    await handler(eventOf(batch));

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: batch[0].kinesis.sequenceNumber }]);
    const after = await reader.readCounts();
    expect(after.rejectedByReason.AMOUNT_OUT_OF_RANGE - before.rejectedByReason.AMOUNT_OUT_OF_RANGE).toBe(1);
    expect(after.acceptedTrips - before.acceptedTrips).toBe(1);
    expect(after.duplicateTrips - before.duplicateTrips).toBe(0);
  });
});
