/**
 * Issue 10, before the store writes table format 3: what its items will cost per trip, and what the
 * queries will read. docs/table-design.md ("Format 3") quotes these figures.
 *
 *   npx tsx bench/format3-estimate.ts [--batchSizes 100,1000] [--shards 2,4]
 *   npx tsx bench/format3-estimate.ts --dynalite [--dynaliteTrips 20000] [--dynaliteBatches 100,2000] [--reps 3]
 *
 * Write units are computed by bench/lib/write-cost-model.ts (AWS's billing rules on the items the
 * layouts build, trips spread over shards by MD5 of the tripId, batches per shard) for format 2 (the
 * store's own encoding, which the model must reproduce: the measured 1.598 of bench/write-units.ts) and
 * for format 3 (the prototype in bench/lib/format3-items.ts), on the real shipped months in pickup order
 * (a live stream's order) and on the first 20,000 trips in file order (bench/write-units.ts's input).
 *
 * `--dynalite` runs the processor itself (processBatch, two shards with one batch each in flight, as the
 * poller runs them) against dynalite, format 2 through the project's DynamoProcessorStore and format 3
 * through a bench store that writes format3Layout with the store's own exactly-once updates: dynalite's
 * billed write units (a check on the model) and the CPU the processor and dynalite spend per trip, which
 * on a CPU-bound machine is what end-to-end throughput follows. Alternating order, fresh emulators each run.
 */
import './lib/setup';
import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Trip } from '../src/domain/trip';
import { tripTargets } from '../src/domain/trip-targets';
import { operationsReadSpan } from '../src/domain/operations-insight';
import { zoneFlowsReadPlan } from '../src/domain/zone-flows-insight';
import { parseDateTime, type Granularity } from '../src/domain/time';
import { processBatch } from '../src/process/process-batch';
import type { AggregateContributions, ApplyOutcome, CounterContribution } from '../src/process/processor-store';
import { counterAttribute } from '../src/store/counters-item';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import { countersKey } from '../src/store/keys';
import { applyMarkedUpdate, type Contribution, type MarkedUpdate } from '../src/store/marked-increments';
import { commandLine, flags } from './lib/args';
import { installCapacityMeter } from './lib/capacity';
import { startBareEmulators } from './lib/emulators';
import { batchesOf } from './lib/events';
import { format2Layout, format3Increments, format3Key, format3Layout, type ItemLayout } from './lib/format3-items';
import { costPerMillionTrips } from './lib/prices';
import { descendantsOf, sampleProc } from './lib/proc';
import { noteStartLoad, readResult, writeResult } from './lib/results';
import { median, round } from './lib/stats';
import { mapConcurrently } from './lib/stream';
import { byPickup, FEB_2023, OCT_2020, readValidTrips } from './lib/trips';
import { modelWriteCost, type WriteCostFigures } from './lib/write-cost-model';

const options = flags({
  batchSizes: '100,1000',
  shards: '2,4',
  dynalite: false,
  dynaliteTrips: 20000,
  dynaliteBatches: '100,2000',
  reps: 3,
});

const LAYOUTS: Record<string, ItemLayout> = { 'format 2': format2Layout, 'format 3': format3Layout };

interface ModelRow {
  input: string;
  batchSize: number;
  shards: number;
  layout: string;
  figures: WriteCostFigures;
}

function modelRows(inputs: Array<{ input: string; trips: Trip[]; batchSizes: number[]; shards: number[] }>): ModelRow[] {
  const rows: ModelRow[] = [];
  for (const { input, trips, batchSizes, shards } of inputs) {
    for (const batchSize of batchSizes) {
      for (const shardCount of shards) {
        for (const [layout, itemLayout] of Object.entries(LAYOUTS)) {
          const figures = modelWriteCost(trips, itemLayout, { shards: shardCount, batchSize });
          rows.push({ input, batchSize, shards: shardCount, layout, figures });
          console.log(
            `${input}, batch ${batchSize}, ${shardCount} shards, ${layout}: ${figures.writeUnitsPerTrip.toFixed(3)} WU/trip` +
              ` (aggregates ${figures.aggregatesPerTrip.toFixed(3)}, ${figures.updatesPerTrip.toFixed(3)} updates,` +
              ` ${figures.attributeAddsPerTrip.toFixed(1)} attribute adds, ${figures.attributeVisitsPerTrip.toFixed(1)} attribute visits per trip)`,
          );
        }
      }
    }
  }
  return rows;
}

/** Items each query reads under format 3, from the domain's own read plans. */
function itemsRead(): Array<{ query: string; range: string; items: number }> {
  const ms = (text: string) => parseDateTime(text)!;
  const days = ([first, last]: [string, string]) => (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
  const hours = ([first, last]: [string, string]) => (Date.parse(`${last}:00Z`) - Date.parse(`${first}:00Z`)) / 3_600_000 + 1;
  const ranges = [
    { range: '2023-01-01 .. 2024-01-01 (day-aligned year)', from: '2023-01-01T00:00:00', to: '2024-01-01T00:00:00' },
    { range: '2024-01-01 .. 2025-01-01 (leap year)', from: '2024-01-01T00:00:00', to: '2025-01-01T00:00:00' },
    { range: '2023-01-02 13:00 .. 2024-01-02 13:00', from: '2023-01-02T13:00:00', to: '2024-01-02T13:00:00' },
  ];
  const rows: Array<{ query: string; range: string; items: number }> = [];
  for (const { range, from, to } of ranges) {
    for (const granularity of ['DAY', 'WEEK', 'MONTH'] as Granularity[]) {
      const read = operationsReadSpan(ms(from), ms(to), granularity, { kind: 'CITY' });
      rows.push({ query: `operations(${granularity}), city, borough or zone`, range, items: read ? days(read.span) : 0 });
    }
    const plan = zoneFlowsReadPlan(ms(from), ms(to));
    rows.push({
      query: 'zoneFlows',
      range,
      items: (plan.days ? days(plan.days) : 0) + plan.hours.reduce((sum, span) => sum + hours(span), 0),
    });
  }
  return rows;
}

/** Format 3 written through the store's own exactly-once updates: the processor as phase 2 will run it, near enough to time it. */
class Format3BenchStore extends DynamoProcessorStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super(documents, table);
  }

  override async apply(
    shardId: string,
    aggregates: readonly AggregateContributions[],
    counters: readonly CounterContribution[],
  ): Promise<ApplyOutcome> {
    // Every counted trip is among the city HOUR target's contributions; regroup them by format 3 item.
    const bySequence = new Map<string, Trip>();
    for (const { contributions } of aggregates) for (const { sequenceNumber, trip } of contributions) bySequence.set(sequenceNumber, trip);
    const ordered = [...bySequence].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const updates = new Map<string, MarkedUpdate & { contributions: Contribution[] }>();
    for (const [sequenceNumber, trip] of ordered) {
      for (const target of tripTargets(trip)) {
        const key = format3Key(target);
        const id = `${key.pk}\u0000${key.sk}`;
        let update = updates.get(id);
        if (!update) updates.set(id, (update = { key, shardId, contributions: [] }));
        update.contributions.push({ sequenceNumber, increments: format3Increments(trip, target) });
      }
    }
    const all: MarkedUpdate[] = [...updates.values()];
    if (counters.length > 0) {
      all.push({
        key: countersKey(),
        shardId,
        contributions: counters.map(({ sequenceNumber, counter }) => ({
          sequenceNumber,
          increments: new Map([[counterAttribute(counter), 1]]),
        })),
      });
    }
    let writeUnits = 0;
    await mapConcurrently(all, 32, async (update) => {
      writeUnits += (await applyMarkedUpdate(this.documents, this.table, update)).writeUnits;
    });
    return { writeUnits, itemsWritten: all.length };
  }
}

/** CPU ms so far of this process and of the emulator children. */
function cpuMs(): { processor: number; emulators: number } {
  const usage = process.cpuUsage();
  const emulators = descendantsOf(process.pid)
    .flatMap((pid) => sampleProc(pid) ?? [])
    .filter((sample) => sample.command.includes('emulator-process'))
    .reduce((sum, sample) => sum + sample.cpuMs, 0);
  return { processor: (usage.user + usage.system) / 1000, emulators };
}

interface DynaliteRun {
  layout: string;
  batchSize: number;
  tripsPerSecond: number;
  writeUnitsPerTrip: number;
  cpuMsPerTrip: { processor: number; dynalite: number; total: number };
}

async function dynaliteRun(trips: readonly Trip[], layout: string, batchSize: number): Promise<DynaliteRun> {
  const emulators = await startBareEmulators('format3');
  try {
    const meter = installCapacityMeter(emulators.clients.documents);
    const documents = emulators.clients.documents;
    const store =
      layout === 'format 2'
        ? new DynamoProcessorStore(documents, emulators.tableName)
        : new Format3BenchStore(documents, emulators.tableName);
    const events = batchesOf(trips, 2, batchSize);
    const queues = [0, 1].map((shard) => events.filter((event) => event.Records[0].eventID.startsWith(`shardId-00000000000${shard}`)));
    const cpuBefore = cpuMs();
    const started = performance.now();
    await Promise.all(
      queues.map(async (queue) => {
        for (const event of queue) {
          const { response } = await processBatch(event, store);
          if (response.batchItemFailures.length > 0) throw new Error(`batch failed at ${response.batchItemFailures[0].itemIdentifier}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuMs();
    const perTrip = (ms: number) => round(ms / trips.length, 3);
    const processor = perTrip(cpuAfter.processor - cpuBefore.processor);
    const dynalite = perTrip(cpuAfter.emulators - cpuBefore.emulators);
    return {
      layout,
      batchSize,
      tripsPerSecond: Math.round(trips.length / seconds),
      // The handler's status put (1 unit per batch) is not in processBatch.
      writeUnitsPerTrip: round((meter.writeUnits() + events.length) / trips.length, 3),
      cpuMsPerTrip: { processor, dynalite, total: round(processor + dynalite, 3) },
    };
  } finally {
    await emulators.stop();
  }
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const feb = await readValidTrips(FEB_2023);
  const oct = await readValidTrips(OCT_2020);
  const batchSizes = String(options.batchSizes).split(',').map(Number);
  const shards = String(options.shards).split(',').map(Number);
  const rows = modelRows([
    {
      input: 'green 2023-02, first 20,000 in file order (write-units.ts input)',
      trips: feb.slice(0, 20000),
      batchSizes: [100],
      shards: [2],
    },
    { input: 'green 2023-02, whole month in pickup order', trips: byPickup(feb), batchSizes, shards },
    { input: 'green 2020-10, whole month in pickup order', trips: byPickup(oct), batchSizes: [batchSizes[0]], shards: [shards[0]] },
  ]);

  // Cost per million trips: the measured non-write parts of bench/write-units.ts at batch 100, with these write units.
  const measured = readResult('write-units')?.figures.costs.find((cost) => cost.batchSize === 100 && cost.shards === 2)?.inputs;
  const costs = measured
    ? rows
        .filter((row) => row.batchSize === 100 && row.shards === 2)
        .map((row) => ({
          input: row.input,
          layout: row.layout,
          total: costPerMillionTrips({ ...measured, writeUnitsPerTrip: row.figures.writeUnitsPerTrip }).total,
          // If the processor's invocations take a quarter longer (more attributes to build and send).
          totalIfInvocations25PctLonger: costPerMillionTrips({
            ...measured,
            writeUnitsPerTrip: row.figures.writeUnitsPerTrip,
            processorMsPerInvocation: measured.processorMsPerInvocation * 1.25,
          }).total,
        }))
    : [];
  for (const cost of costs)
    console.log(
      `cost per million trips, ${cost.input}, ${cost.layout}: $${cost.total} ($${cost.totalIfInvocations25PctLonger} with 25% longer invocations)`,
    );

  const reads = itemsRead();
  for (const read of reads) console.log(`items read: ${read.query}, ${read.range}: ${read.items}`);

  const dynalite: DynaliteRun[] = [];
  if (options.dynalite) {
    const trips = feb.slice(0, options.dynaliteTrips);
    for (const batchSize of String(options.dynaliteBatches).split(',').map(Number)) {
      for (let rep = 0; rep < options.reps; rep++) {
        const order = rep % 2 === 0 ? ['format 2', 'format 3'] : ['format 3', 'format 2'];
        for (const layout of order) {
          const run = await dynaliteRun(trips, layout, batchSize);
          dynalite.push(run);
          console.log(`dynalite, batch ${batchSize}, rep ${rep + 1}: ${JSON.stringify(run)}`);
        }
      }
      for (const layout of ['format 2', 'format 3']) {
        const runs = dynalite.filter((run) => run.layout === layout && run.batchSize === batchSize);
        console.log(
          `dynalite, batch ${batchSize}, ${layout}: median CPU ${median(runs.map((run) => run.cpuMsPerTrip.total))} ms/trip` +
            ` (processor ${median(runs.map((run) => run.cpuMsPerTrip.processor))}, dynalite ${median(runs.map((run) => run.cpuMsPerTrip.dynalite))}),` +
            ` ${median(runs.map((run) => run.tripsPerSecond))} trips/s, ${median(runs.map((run) => run.writeUnitsPerTrip))} WU/trip`,
        );
      }
    }
  }

  const path = writeResult('format3-estimate', commandLine('bench/format3-estimate.ts'), startedAt, {
    options,
    model: rows,
    costs,
    itemsRead: reads,
    dynalite,
  });
  console.log(`raw results: ${path}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
