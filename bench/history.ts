/**
 * History at full speed (issue 14): a month loaded out of pickup order, rebuilt from the lake, and
 * queried with SQL. On one pair of emulators (dynalite), a month of real trips (February 2023 green by
 * default) is
 *
 * 1. processed through the processor's record loop (processBatch and the project's DynamoDB store,
 *    batches of `--batch` per shard, the shards in parallel, as the event source mapping delivers them):
 *    - ordered: the trips in pickup order;
 *    - shuffled, default replay order: a seeded random shuffle, put back in order by the replay's own
 *      sort (src/cli/replay/external-sort.ts, as `npm run replay` does without --keep-order);
 *    - shuffled, --keep-order: the shuffle as it is (the slow case the default order avoids), on
 *      `--keepOrderTrips` trips only;
 *    each on a fresh table, with trips/s and write units per trip from DynamoDB's ConsumedCapacity;
 * 2. written as a data lake (the lake writer's own record and Parquet encoding) and rebuilt with
 *    `npm run rebuild`'s use case into fresh tables, aggregates only and with the ledger: trips/s and
 *    write units per trip;
 * 3. queried with DuckDB (`npm run sql`'s session): the saved peak-hours query and the trips view's top
 *    hours over the month, `--sqlReps` times each.
 *
 *   npx tsx bench/history.ts [--trips 64580] [--keepOrderTrips 20000] [--batch 100] [--shards 2] [--sqlReps 10] [--seed 14]
 */
import './lib/setup';
import type { KinesisStreamEvent } from 'aws-lambda';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rebuildTable } from '../src/cli/rebuild/rebuild-table';
import { prepareTargetTable } from '../src/cli/rebuild/target-table';
import { sortByKey } from '../src/cli/replay/external-sort';
import { openLakeSession } from '../src/cli/sql/lake-session';
import type { Trip } from '../src/domain/trip';
import { toLakeEntry } from '../src/lake/lake-record';
import { partitionPath, type LakeRecord } from '../src/lake/lake-schema';
import { PEAK_HOURS_QUERY } from '../src/lake/named-queries';
import { encodeLakeParquet } from '../src/local/lake/lake-parquet';
import { processBatch } from '../src/process/process-batch';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import type { HistoryFigures, HistoryStreamRun } from './lib/result-types';
import { commandLine, flags } from './lib/args';
import { installCapacityMeter } from './lib/capacity';
import { startBareEmulators } from './lib/emulators';
import { batchesOf } from './lib/events';
import { noteStartLoad, writeResult } from './lib/results';
import { seededShuffle } from './lib/shuffle';
import { percentile } from './lib/stats';
import { readValidTrips } from './lib/trips';
import { TARGETS } from './lib/targets';

const options = flags({ trips: 0, keepOrderTrips: 20000, batch: 100, shards: 2, sqlReps: 10, seed: 14 });

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** The events of each shard, in order; the shards run in parallel as the event source mapping runs them. */
function byShard(events: readonly KinesisStreamEvent[]): KinesisStreamEvent[][] {
  const shards = new Map<string, KinesisStreamEvent[]>();
  for (const event of events) {
    const shard = event.Records[0].eventID.split(':')[0];
    shards.set(shard, [...(shards.get(shard) ?? []), event]);
  }
  return [...shards.values()];
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const month = await readValidTrips();
  const trips = options.trips > 0 ? month.slice(0, options.trips) : month;
  const ordered = [...trips].sort((a, b) => a.pickupAtMs - b.pickupAtMs);
  const shuffled = seededShuffle(trips, options.seed);
  const emulators = await startBareEmulators('history', options.shards);
  const client = emulators.clients.documents;
  const meter = installCapacityMeter(client);
  let tables = 0;
  const freshTable = async () => {
    const name = `history-${++tables}`;
    await prepareTargetTable(emulators.clients.dynamodb, name, { create: true, force: false });
    return name;
  };
  const workDir = await mkdtemp(join(tmpdir(), 'taxi-pulse-bench-history-'));
  try {
    const streamRun = async (label: string, order: readonly Trip[]): Promise<HistoryStreamRun & { events: KinesisStreamEvent[] }> => {
      const tableName = await freshTable();
      const store = new DynamoProcessorStore(client, tableName);
      const events = batchesOf(order, options.shards, options.batch);
      meter.reset();
      const started = performance.now();
      let accepted = 0;
      await Promise.all(
        byShard(events).map(async (queue) => {
          for (const event of queue) {
            const { report } = await processBatch(event, store);
            accepted += report.accepted;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const run = { label, trips: accepted, seconds, tripsPerSecond: accepted / seconds, writeUnitsPerTrip: meter.writeUnits() / accepted };
      console.log(
        `${label}: ${accepted} trips in ${seconds.toFixed(1)} s, ${run.tripsPerSecond.toFixed(0)} trips/s, ${run.writeUnitsPerTrip.toFixed(3)} WU/trip`,
      );
      return { ...run, events };
    };

    // 1. The stream: ordered, shuffled in the replay's default order, shuffled as it is.
    const { events: orderedEvents, ...orderedRun } = await streamRun('ordered', ordered);
    const replayOrder: Trip[] = [];
    for await (const trip of sortByKey(each(shuffled), (trip) => trip.pickupAtMs, { maxInMemory: 1_000_000 })) replayOrder.push(trip);
    const { events: _replayed, ...shuffledDefault } = await streamRun('shuffled, default replay order', replayOrder);
    const { events: _kept, ...shuffledKeepOrder } = await streamRun(
      'shuffled, --keep-order',
      shuffled.slice(0, Math.min(options.keepOrderTrips, shuffled.length)),
    );

    // 2. The lake of the ordered run's records, as the lake writer writes it, and the rebuilds.
    const lakeRoot = join(workDir, 'lake');
    const partitions = new Map<string, LakeRecord[]>();
    for (const event of orderedEvents) {
      for (const record of event.Records) {
        const shardId = record.eventID.split(':')[0];
        const { record: row, partition } = toLakeEntry(
          {
            shardId,
            sequenceNumber: record.kinesis.sequenceNumber,
            arrivalMs: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
            partitionKey: record.kinesis.partitionKey,
          },
          Buffer.from(record.kinesis.data, 'base64'),
        );
        const path = partitionPath(partition);
        partitions.set(path, [...(partitions.get(path) ?? []), row]);
      }
    }
    for (const [path, rows] of partitions) {
      await mkdir(join(lakeRoot, path), { recursive: true });
      await writeFile(join(lakeRoot, path, 'bench_1of1.parquet'), encodeLakeParquet(rows));
    }
    const rebuildRun = async (ledger: boolean) => {
      const tableName = await freshTable();
      meter.reset();
      const summary = await rebuildTable({ lakeRoot, client, tableName, ledger, marks: 'same-stream' });
      const seconds = summary.elapsedMs / 1000;
      const run = {
        ledger,
        trips: summary.acceptedTrips,
        seconds,
        tripsPerSecond: summary.acceptedTrips / seconds,
        readSeconds: summary.readMs / 1000,
        writeUnitsPerTrip: meter.writeUnits() / summary.acceptedTrips,
        aggregateWriteUnitsPerTrip: summary.aggregates.writeUnits / summary.acceptedTrips,
        items: summary.aggregates.items,
      };
      console.log(
        `rebuild (${ledger ? 'with the ledger' : 'aggregates only'}): ${run.trips} trips in ${seconds.toFixed(1)} s, ` +
          `${run.tripsPerSecond.toFixed(0)} trips/s, ${run.writeUnitsPerTrip.toFixed(3)} WU/trip (aggregates ${run.aggregateWriteUnitsPerTrip.toFixed(3)})`,
      );
      return run;
    };
    const rebuildAggregates = await rebuildRun(false);
    const rebuildWithLedger = await rebuildRun(true);

    // 3. SQL over the lake: a month's peak hours.
    const session = await openLakeSession({ dataDir: workDir });
    const timings = { saved: [] as number[], tripsView: [] as number[] };
    const parameters = ['2023-02-01', '2023-03-01', null, null];
    const tripsViewSql =
      "SELECT pickup_hour, count(*) AS trips FROM trips WHERE pickup_date >= DATE '2023-02-01' AND pickup_date < DATE '2023-03-01' " +
      'GROUP BY ALL ORDER BY trips DESC, pickup_hour LIMIT 10';
    try {
      for (let rep = 0; rep < options.sqlReps; rep++) {
        let started = performance.now();
        await session.query(PEAK_HOURS_QUERY.sql, parameters);
        timings.saved.push(performance.now() - started);
        started = performance.now();
        await session.query(tripsViewSql);
        timings.tripsView.push(performance.now() - started);
      }
    } finally {
      session.close();
    }
    const sql = {
      reps: options.sqlReps,
      lakeFiles: partitions.size,
      savedQueryP50Ms: percentile(timings.saved, 0.5),
      savedQueryMaxMs: Math.max(...timings.saved),
      tripsViewP50Ms: percentile(timings.tripsView, 0.5),
      tripsViewMaxMs: Math.max(...timings.tripsView),
    };
    console.log(
      `SQL peak hours of the month: saved query p50 ${sql.savedQueryP50Ms.toFixed(0)} ms, trips view p50 ${sql.tripsViewP50Ms.toFixed(0)} ms`,
    );

    const figures: HistoryFigures = {
      options: { ...options },
      monthTrips: trips.length,
      ordered: orderedRun,
      shuffledDefault,
      shuffledKeepOrder,
      rebuildAggregates,
      rebuildWithLedger,
      shuffledVsOrdered: shuffledDefault.tripsPerSecond / orderedRun.tripsPerSecond,
      rebuildVsOrdered: rebuildAggregates.tripsPerSecond / orderedRun.tripsPerSecond,
      sql,
    };
    console.log(
      `shuffled (default order) / ordered: ${figures.shuffledVsOrdered.toFixed(2)} (target >= ${TARGETS.shuffledVsOrdered.threshold}); ` +
        `rebuild / ordered stream: ${figures.rebuildVsOrdered.toFixed(2)} (target >= ${TARGETS.rebuildVsOrdered.threshold})`,
    );
    console.log(`wrote ${writeResult('history', commandLine('bench/history.ts'), startedAt, figures)}`);
  } finally {
    await emulators.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
