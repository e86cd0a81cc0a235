/**
 * The processor's fault campaign, as a property over fault schedules: on real TLC trips (with 10%
 * resubmitted under the same tripId, some altered, all out of order, poison mixed in, on one or two
 * shards), a simulated event source mapping delivers the stream to processBatch while the schedule
 * kills the process after random writes, throttles, withholds unprocessed items, loses answers, keeps
 * record k from being kept while k+1 could be, keeps an item (a city day, a drop-off's flow day, the
 * counters) from being updated, redelivers batches, bisects and resumes them with other boundaries, and
 * replays the stream from its start. Whatever the schedule, the table ends exactly as after one clean
 * pass over the same stream (every item: aggregates with their operations figures, flow buckets,
 * counters), and every number equals the "first record wins" model.
 *
 * FAULTS_SEED and FAULTS_RUNS change the seed and the number of runs (the seed is printed).
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamRecord } from 'aws-lambda';
import fc from 'fast-check';
import { Agent } from 'node:http';
import type { AggregateScope, StoredGranularity } from '../../../src/domain/scope';
import { processBatch } from '../../../src/process/process-batch';
import { DynamoInsightsReader } from '../../../src/store/dynamo-insights-reader';
import { DynamoProcessorStore } from '../../../src/store/dynamo-processor-store';
import { scopeId } from '../../../src/store/keys';
import { emptyFaultTally, type FaultTally } from '../../support/dynamo-faults';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator-fixture';
import { tlcSample, type TlcSample } from '../../support/tlc-trips';
import { deliverShard, emptyDeliveryTally, type DeliveryTally } from './support/event-source-mapping';
import { scheduleArb } from './support/fault-schedule';
import { expectedOutcome, type ExpectedOutcome } from './support/first-record-wins';
import { FAST_RETRY, invokeProcessor } from './support/processor-invocation';
import { createScratchTable, differences, dropScratchTable, tableContents } from './support/scratch-table';
import { ALTERATIONS, buildStream, POISON_KINDS, type StreamScenario } from './support/trip-stream';

const SEED = Number(process.env.FAULTS_SEED ?? 20_240_501);
const RUNS = Number(process.env.FAULTS_RUNS ?? 40);
const MAX_TRIPS = 50;

let fixture: EmulatorFixture;
let sample: TlcSample;
let requestHandler: NodeHttpHandler;
const faultTally: FaultTally = emptyFaultTally();
const deliveryTally: DeliveryTally = emptyDeliveryTally();

beforeAll(async () => {
  fixture = await startEmulatorFixture();
  const [yellow, green] = await Promise.all([
    tlcSample('yellow_tripdata_sample_2019-03.csv', 150),
    tlcSample('green_tripdata_2023-02.parquet', 150),
  ]);
  sample = { valid: [...yellow.valid, ...green.valid], invalid: [...yellow.invalid, ...green.invalid] };
  requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 96 }) });
}, 120_000);

afterAll(async () => {
  requestHandler?.destroy();
  await fixture?.stop();
});

function scenarioArb(): fc.Arbitrary<StreamScenario> {
  const resubmission = fc
    .noBias(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(...ALTERATIONS)))
    .map(([draw, alteration]) => (draw === 0 ? alteration : undefined));
  return fc.record({
    trips: fc.uniqueArray(fc.nat(sample.valid.length - 1), { minLength: 8, maxLength: MAX_TRIPS }),
    resubmissions: fc.array(resubmission, { minLength: MAX_TRIPS, maxLength: MAX_TRIPS }),
    invalid: fc.uniqueArray(fc.nat(Math.max(0, sample.invalid.length - 1)), { maxLength: sample.invalid.length > 0 ? 4 : 0 }),
    poison: fc.array(fc.record({ kind: fc.constantFrom(...POISON_KINDS), at: fc.nat(200) }), { maxLength: 4 }),
    order: fc.array(fc.nat(), { minLength: 2 * MAX_TRIPS, maxLength: 2 * MAX_TRIPS }),
    shardCount: fc.constantFrom(1 as const, 2 as const),
  });
}

/** Every aggregate and flow bucket the API could read, per partition, against the domain's computation. */
async function expectAggregatesOf(tableName: string, expected: ExpectedOutcome): Promise<void> {
  const partitions = new Map<string, { scope: AggregateScope; granularity: StoredGranularity; buckets: string[] }>();
  for (const { target } of expected.aggregates.values()) {
    const id = `${scopeId(target.scope)}#${target.granularity}`;
    if (!partitions.has(id)) partitions.set(id, { scope: target.scope, granularity: target.granularity, buckets: [] });
    partitions.get(id)!.buckets.push(target.bucketKey);
  }
  const reader = new DynamoInsightsReader(fixture.clients.documents, tableName);
  const byTarget = new Map(
    [...expected.aggregates.values()].map(({ target, aggregate }) => [
      `${scopeId(target.scope)}#${target.granularity}#${target.bucketKey}`,
      aggregate,
    ]),
  );
  for (const [id, { scope, granularity, buckets }] of partitions) {
    buckets.sort();
    const stored = await reader.readAggregates(scope, granularity, [buckets[0], buckets[buckets.length - 1]]);
    expect(stored.map(({ bucketKey }) => `${id}#${bucketKey}`)).toEqual(buckets.map((bucket) => `${id}#${bucket}`));
    for (const { bucketKey, aggregate } of stored) expect(aggregate).toEqual(byTarget.get(`${id}#${bucketKey}`));
  }
  for (const granularity of ['HOUR', 'DAY'] as const) {
    const expectedFlows = [...expected.flows.values()]
      .filter((entry) => entry.granularity === granularity)
      .sort((a, b) => (a.bucketKey < b.bucketKey ? -1 : 1))
      .map(({ bucketKey, flows }) => ({ bucketKey, flows }));
    if (expectedFlows.length === 0) continue;
    const span: [string, string] = [expectedFlows[0].bucketKey, expectedFlows[expectedFlows.length - 1].bucketKey];
    expect(await reader.readFlows(granularity, span)).toEqual(expectedFlows);
  }
}

describe('the processor under faults', () => {
  it('ends every fault schedule with the numbers of one clean pass over the same stream', async () => {
    console.info(`fault campaign: seed ${SEED}, ${RUNS} runs (set FAULTS_SEED / FAULTS_RUNS to change)`);
    const property = fc.asyncProperty(scenarioArb(), fc.tuple(scheduleArb, scheduleArb), async (scenario, schedules) => {
      // Prepare
      if (process.env.FAULTS_DEBUG) console.info(JSON.stringify({ scenario, schedules }));
      const shards = await buildStream(sample, scenario);
      const expected = expectedOutcome(shards);
      const [faultyTable, cleanTable] = await Promise.all([
        createScratchTable(fixture.clients.dynamodb, 'faulty'),
        createScratchTable(fixture.clients.dynamodb, 'clean'),
      ]);
      try {
        // Act
        await Promise.all(
          shards.map((shard, index) =>
            deliverShard(
              shard.entries.map((entry) => entry.record),
              schedules[index],
              invokeProcessor({
                tableName: faultyTable,
                shard,
                endpoint: fixture.emulators.endpoints.dynamodb,
                requestHandler,
                tally: faultTally,
              }),
              { cleanBatchSize: 25, maxReplays: 1, maxInvocations: 2000 },
              deliveryTally,
            ),
          ),
        );
        await Promise.all(
          shards.map((shard) =>
            cleanPass(
              cleanTable,
              shard.entries.map((entry) => entry.record),
            ),
          ),
        );

        // Assess
        const [faulty, clean] = await Promise.all([
          tableContents(fixture.clients.documents, faultyTable),
          tableContents(fixture.clients.documents, cleanTable),
        ]);
        expect(differences(faulty, clean)).toEqual([]);
        expect(await new DynamoInsightsReader(fixture.clients.documents, faultyTable).readCounts()).toEqual(expected.counts);
        await expectAggregatesOf(faultyTable, expected);
      } finally {
        await Promise.all([faultyTable, cleanTable].map((table) => dropScratchTable(fixture.clients.dynamodb, table)));
      }
    });
    await fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: process.env.FAULTS_SHRINK !== '1', timeout: 60_000 });

    // The campaign proves something only if it did inject every kind of fault.
    console.info(`fault campaign: ${JSON.stringify({ ...faultTally, ...deliveryTally })}`);
    const neverInjected = Object.entries({ ...faultTally, ...deliveryTally }).filter(([, count]) => count === 0);
    expect(neverInjected.map(([kind]) => kind)).toEqual([]);
  }, 600_000);
});

/** The reference: every record of the shard in one invocation, nothing failing. */
async function cleanPass(tableName: string, records: KinesisStreamRecord[]): Promise<void> {
  const { response } = await processBatch(
    { Records: records },
    new DynamoProcessorStore(fixture.clients.documents, tableName, { retry: FAST_RETRY }),
  );
  expect(response.batchItemFailures).toEqual([]);
}
