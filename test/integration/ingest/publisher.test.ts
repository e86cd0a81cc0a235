import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { validateTrip, type Trip } from '../../../src/domain/trip';
import { KinesisTripPublisher, PublishError } from '../../../src/ingest/publisher';
import { decodeStreamRecord, STREAM_RECORD_VERSION, type StreamRecord } from '../../../src/ingest/stream-record';
import { bootstrap } from '../../../src/local/bootstrap';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator-fixture';
import { injectPutRecordsFaults } from '../../support/kinesis-faults';

let fixture: EmulatorFixture;
let kinesis: KinesisClient;
let streams = 0;

beforeAll(async () => {
  fixture = await startEmulatorFixture();
});

beforeEach(() => {
  // A client per test, so that each test's middleware stays its own.
  kinesis = new KinesisClient({
    region: 'us-east-1',
    endpoint: fixture.emulators.endpoints.kinesis,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }) }),
  });
});

afterEach(() => kinesis.destroy());

afterAll(async () => {
  await fixture?.stop();
});

async function newStream(shardCount: number): Promise<string> {
  const streamName = `publisher-${++streams}`;
  await bootstrap({
    dynamodb: fixture.clients.dynamodb,
    kinesis: fixture.clients.kinesis,
    tableName: fixture.tableName,
    streamName,
    shardCount,
  });
  return streamName;
}

/** Every record of the stream, shard by shard in sequence order. */
async function readStream(streamName: string): Promise<Array<{ shardId: string; record: StreamRecord }>> {
  const { Shards = [] } = await fixture.clients.kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const read: Array<{ shardId: string; record: StreamRecord }> = [];
  for (const { ShardId } of Shards) {
    let { ShardIterator: iterator } = await fixture.clients.kinesis.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (;;) {
      const page = await fixture.clients.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const record of page.Records ?? []) {
        const decoded = decodeStreamRecord(record.Data!);
        if (!decoded.ok) throw new Error(decoded.reason);
        read.push({ shardId: ShardId!, record: decoded.record });
      }
      if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return read;
}

function trip(tripId: string, fareAmount = 12.5): Trip {
  const validation = validateTrip({
    tripId,
    pickupAt: '2023-02-01T08:15:00',
    dropoffAt: '2023-02-01T08:35:00',
    pickupZoneId: 132,
    dropoffZoneId: 236,
    tripDistanceMiles: 3.2,
    fareAmount,
    totalAmount: fareAmount + 4,
  });
  if (!validation.ok) throw new Error(validation.rejection.message);
  return validation.trip;
}

function tripRecord(tripId: string, fareAmount?: number): StreamRecord {
  return { v: STREAM_RECORD_VERSION, type: 'trip', submittedAtMs: 1, trip: trip(tripId, fareAmount) };
}

function fareOf(record: StreamRecord): number | undefined {
  return record.type === 'trip' ? record.trip.fareCents : undefined;
}

describe('KinesisTripPublisher', () => {
  it('writes every record exactly once when PutRecords reports some of them as failed', async () => {
    // Prepare: 1,200 records (three calls' worth); a fifth of every attempt's records fail
    const streamName = await newStream(2);
    const records = Array.from({ length: 1200 }, (_, index) => tripRecord(`trip-${index}`));
    let draw = 0;
    const faults = injectPutRecordsFaults(kinesis, { fails: () => ++draw % 5 === 0 });

    // Act
    await new KinesisTripPublisher(kinesis, streamName, { baseDelayMs: 1 }).publish(records);

    // Assess
    const written = (await readStream(streamName)).map(({ record }) => (record.type === 'trip' ? record.trip.tripId : ''));
    expect(faults.failedRecords()).toBeGreaterThan(240);
    expect(written.sort()).toEqual(records.map((record) => (record.type === 'trip' ? record.trip.tripId : '')).sort());
  });

  it('keeps the submission order of records of one tripId when the first of them fails', async () => {
    // Prepare: an app's call carries a trip and, later, its corrected resubmission; the first copy fails once
    const streamName = await newStream(1);
    const records = [tripRecord('app-1', 10), tripRecord('app-2'), tripRecord('app-1', 99), tripRecord('app-3')];
    let firstCopyFailed = false;
    injectPutRecordsFaults(kinesis, {
      fails: (entry) => {
        const decoded = decodeStreamRecord(entry.Data!);
        const isFirstCopy = decoded.ok && fareOf(decoded.record) === 1000;
        if (!isFirstCopy || firstCopyFailed) return false;
        firstCopyFailed = true;
        return true;
      },
    });

    // Act
    await new KinesisTripPublisher(kinesis, streamName, { baseDelayMs: 1 }).publish(records);

    // Assess: in the shard, the first copy of app-1 still comes before the second
    const app1 = (await readStream(streamName)).filter(({ record }) => record.type === 'trip' && record.trip.tripId === 'app-1');
    expect(firstCopyFailed).toBe(true);
    expect(app1.map(({ record }) => fareOf(record))).toEqual([1000, 9900]);
  });

  it('gives up with PublishError when records keep failing', async () => {
    // Prepare
    const streamName = await newStream(1);
    injectPutRecordsFaults(kinesis, { fails: () => true });

    // Act
    const publishing = new KinesisTripPublisher(kinesis, streamName, { attempts: 3, baseDelayMs: 1 }).publish([tripRecord('lost')]);

    // Assess
    await expect(publishing).rejects.toThrow(PublishError);
  });
});
