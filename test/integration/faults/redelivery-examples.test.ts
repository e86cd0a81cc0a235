/**
 * The fault campaign's findings and its sharpest cases, one schedule each, so that a regression
 * names itself: each delivers a small real stream through the simulated event source mapping with
 * one fault, and compares the table with a clean pass and the "first record wins" model.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamRecord } from 'aws-lambda';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { openTlcFile } from '../../../src/cli/tlc/tlc-file';
import { bucketKey } from '../../../src/domain/time';
import { validateTrip } from '../../../src/domain/trip';
import { processBatch } from '../../../src/process/process-batch';
import { DynamoInsightsReader } from '../../../src/store/dynamo-insights-reader';
import { DynamoProcessorStore } from '../../../src/store/dynamo-processor-store';
import { aggregateKey, itemKeyId } from '../../../src/store/keys';
import { emptyFaultTally } from '../../support/dynamo-faults';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator-fixture';
import { TLC_DATA_DIR, tlcSample, type TlcSample } from '../../support/tlc-trips';
import { deliverShard, emptyDeliveryTally, type Delivery } from './support/event-source-mapping';
import type { FaultSpec } from './support/fault-schedule';
import { expectedOutcome } from './support/first-record-wins';
import { invokeProcessor } from './support/processor-invocation';
import { createScratchTable, differences, dropScratchTable, tableContents } from './support/scratch-table';
import { buildStream, type ShardStream, type StreamScenario } from './support/trip-stream';

let fixture: EmulatorFixture;
let sample: TlcSample;
let requestHandler: NodeHttpHandler;
const tables: string[] = [];
let faultTally = emptyFaultTally();
let zone74: Promise<TlcSample> | undefined;

beforeEach(() => {
  faultTally = emptyFaultTally();
});

beforeAll(async () => {
  fixture = await startEmulatorFixture();
  sample = await tlcSample('green_tripdata_2023-02.parquet', 40);
  requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) });
});

afterAll(async () => {
  await Promise.all(tables.map((table) => dropScratchTable(fixture.clients.dynamodb, table)));
  requestHandler?.destroy();
  await fixture?.stop();
});

/** Every valid trip of the green February 2023 file picked up in `zoneId` on `day` (New York time). */
async function zoneDayTrips(zoneId: number, day: string): Promise<TlcSample> {
  const sample: TlcSample = { valid: [], invalid: [] };
  for await (const row of (await openTlcFile(join(TLC_DATA_DIR, 'green_tripdata_2023-02.parquet'))).rows()) {
    if (row.kind !== 'trip' || row.trip.pickupZoneId !== zoneId) continue;
    const validation = validateTrip(row.trip);
    if (validation.ok && bucketKey(validation.trip.pickupAtMs, 'DAY') === day) sample.valid.push(row.trip);
  }
  return sample;
}

/** A one-shard scenario over the first `count` valid trips, in file order unless `order` says otherwise. */
function scenario(count: number, overrides: Partial<StreamScenario> = {}): StreamScenario {
  return {
    trips: Array.from({ length: count }, (_, index) => index),
    resubmissions: [],
    invalid: [],
    poison: [],
    order: [],
    shardCount: 1,
    ...overrides,
  };
}

/** Delivers the shard following `schedule` onto a fresh table; returns the table. */
async function deliver(shard: ShardStream, schedule: Array<Delivery<FaultSpec>>): Promise<string> {
  const tableName = await createScratchTable(fixture.clients.dynamodb, 'example');
  tables.push(tableName);
  const invoke = invokeProcessor({ tableName, shard, endpoint: fixture.emulators.endpoints.dynamodb, requestHandler, tally: faultTally });
  await deliverShard(records(shard), schedule, invoke, { cleanBatchSize: 100, maxReplays: 1, maxInvocations: 100 }, emptyDeliveryTally());
  return tableName;
}

async function cleanTable(shard: ShardStream): Promise<string> {
  const tableName = await createScratchTable(fixture.clients.dynamodb, 'example-clean');
  tables.push(tableName);
  await processBatch({ Records: records(shard) }, new DynamoProcessorStore(fixture.clients.documents, tableName));
  return tableName;
}

function records(shard: ShardStream): KinesisStreamRecord[] {
  return shard.entries.map((entry) => entry.record);
}

async function expectSameAsCleanPass(shard: ShardStream, tableName: string): Promise<void> {
  const [actual, clean] = await Promise.all([
    tableContents(fixture.clients.documents, tableName),
    tableContents(fixture.clients.documents, await cleanTable(shard)),
  ]);
  expect(differences(actual, clean)).toEqual([]);
  expect(await new DynamoInsightsReader(fixture.clients.documents, tableName).readCounts()).toEqual(expectedOutcome([shard]).counts);
}

describe('the processor under one fault', () => {
  it('counts a rejection that precedes a valid trip of the same tripId once, after a crash between keeping and counting', async () => {
    // Prepare: trip 0 resubmitted with an unknown zone, the rejected resubmission first in the stream
    const [shard] = await buildStream(sample, scenario(3, { resubmissions: ['unknown-zone'], order: [10, 20, 30, 0] }));
    expect(shard.entries[0].kind === 'record' && shard.entries[0].content.type).toBe('rejection');

    // Act: the process dies at its second write (the claims are kept, nothing is counted yet)
    const tableName = await deliver(shard, [{ batchSize: 4, faults: { kind: 'crash', atWrite: 2, lands: true, seed: 1 }, then: 'next' }]);

    // Assess
    expect(faultTally.crashes).toBe(1);
    await expectSameAsCleanPass(shard, tableName);
    expect((await new DynamoInsightsReader(fixture.clients.documents, tableName).readCounts()).rejectedByReason.UNKNOWN_ZONE).toBe(1);
  });

  it('counts a rejection that precedes a valid trip of the same tripId once, when the rejection cannot be kept but the trip can', async () => {
    // Prepare
    const [shard] = await buildStream(sample, scenario(3, { resubmissions: ['negative-fare'], order: [10, 20, 30, 0] }));

    // Act: record 0 (the rejection) cannot be kept in the first invocation, record 3 (the trip) can
    const tableName = await deliver(shard, [{ batchSize: 4, faults: { kind: 'stuck-claim', at: 0, exact: true, seed: 1 }, then: 'next' }]);

    // Assess
    await expectSameAsCleanPass(shard, tableName);
  });

  it('does not apply record k+1 to an item while record k of the same item cannot be kept', async () => {
    // Prepare: consecutive February trips share the city day
    const [shard] = await buildStream(sample, scenario(12));

    // Act
    const tableName = await deliver(shard, [
      { batchSize: 12, faults: { kind: 'stuck-claim', at: 5, seed: 1 }, then: 'next' },
      { batchSize: 3, then: 'next' },
    ]);

    // Assess
    await expectSameAsCleanPass(shard, tableName);
  });

  it('applies exactly the missing contributions when a retry with other boundaries starts inside what an item holds', async () => {
    // Prepare
    const [shard] = await buildStream(sample, scenario(20));

    // Act: the city day cannot be updated in the first invocation; the retries come in threes
    const tableName = await deliver(shard, [
      { batchSize: 20, faults: { kind: 'stuck-item', at: 7, counters: false, seed: 1 }, then: 'next' },
      { batchSize: 3, then: 'replay' },
      { batchSize: 7, faults: { kind: 'crash', atWrite: 4, lands: false, seed: 2 }, then: 'next' },
    ]);

    // Assess
    await expectSameAsCleanPass(shard, tableName);
  });

  it.each([
    { atUpdate: 2, lands: false },
    { atUpdate: 3, lands: true },
  ])(
    'applies a zone day too large for one update exactly once when the process dies at its update $atUpdate (landed: $lands)',
    async ({ atUpdate, lands }) => {
      // Prepare: zone 74 (East Harlem North) on 1 February 2023: 485 trips, 957 attributes, three updates of at most 400
      const busy = await (zone74 ??= zoneDayTrips(74, '2023-02-01'));
      const [shard] = await buildStream(busy, scenario(busy.valid.length));
      const zoneDay = itemKeyId(aggregateKey({ kind: 'ZONE', zoneId: 74 }, 'DAY', '2023-02-01'));

      // Act: the process dies between two updates of the zone day; the retries come in batches of 100
      const tableName = await deliver(shard, [
        { batchSize: shard.entries.length, faults: { kind: 'crash', atWrite: atUpdate, lands, item: zoneDay, seed: 1 }, then: 'next' },
        ...Array.from({ length: 5 }, () => ({ batchSize: 100, then: 'next' as const })),
      ]);

      // Assess
      expect(faultTally.crashes).toBe(1);
      const stored = (await tableContents(fixture.clients.documents, tableName)).get(zoneDay)!;
      expect(Object.keys(stored).length).toBeGreaterThan(400);
      await expectSameAsCleanPass(shard, tableName);
    },
  );
});
