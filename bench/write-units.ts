/**
 * Figure 2: DynamoDB write units per trip, from DynamoDB's ConsumedCapacity (as dynalite returns it),
 * for the processor at batch sizes 100 and 1000 and for a naive design (one put + one update per
 * item per trip) run for real against the same emulator; and the variable cost per million trips at
 * AWS list prices.
 *
 *   npx tsx bench/write-units.ts [--trips 20000] [--shards 2] [--naiveTrips 20000] [--awsShards 4] [--baseline <git ref>]
 *
 * --baseline also runs the write-units bench of another commit (its files exported next to this tree,
 * bench/lib/baseline.ts) with the same flags, and keeps its figures next to these: "before" and "after"
 * on the same trips (write units are deterministic, so the two need not be interleaved).
 *
 * The processor runs through processBatch with the project's DynamoProcessorStore, exactly as the
 * handler does, plus the handler's one shard-status put per batch (batchOutcome, as the handler). Every request asks for
 * ReturnConsumedCapacity TOTAL; UpdateItem also returns the new item, whose size recomputes the units
 * by AWS's rules (1 unit per started KB of the larger image) as a check on dynalite's figure.
 */
import './lib/setup';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';
import type { Trip } from '../src/domain/trip';
import { batchOutcome } from '../src/process/batch-outcome';
import { processBatch } from '../src/process/process-batch';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import { DynamoShardStatusStore } from '../src/store/dynamo-shard-status';
import type { AggregateScope, StoredGranularity } from '../src/domain/scope';
import { isMarkAttribute, parseAggregatePartition, parseFlowPartition } from '../src/store/keys';
import { TABLE_KEY } from '../src/store/table-definition';
import { commandLine, flags } from './lib/args';
import { prepareBaselineTree, runBaselineBench } from './lib/baseline';
import { installCapacityMeter, type CapacityMeter, type OperationTally } from './lib/capacity';
import { startBareEmulators } from './lib/emulators';
import { batchesOf } from './lib/events';
import { itemSize } from './lib/item-size';
import { writeNaively } from './lib/naive-writer';
import { costPerMillionTrips, type CostInputs } from './lib/prices';
import type { DesignFigures, WriteUnitsFigures } from './lib/result-types';
import { noteStartLoad, readResult, writeResult } from './lib/results';
import { median, percentile, round } from './lib/stats';
import { readValidTrips } from './lib/trips';
import { marshall } from '@aws-sdk/util-dynamodb';

const options = flags({ trips: 20000, shards: 2, naiveTrips: 20000, awsShards: 4, batchSizes: '100,1000', baseline: '' });

function withoutSizes(byOperation: Record<string, OperationTally>, trips: number): DesignFigures['byOperation'] {
  return Object.fromEntries(
    Object.entries(byOperation).map(([name, tally]) => {
      const { itemSizes, ...rest } = tally;
      void itemSizes;
      return [name, { ...rest, capacityUnits: round(rest.capacityUnits, 1), unitsPerTrip: round(rest.capacityUnits / trips, 4) }];
    }),
  );
}

/** The kind of an aggregate item, e.g. `ZONE#DAY`: its scope's kind and its granularity. */
function kindOf({ scope, granularity }: { scope: AggregateScope; granularity: StoredGranularity }): string {
  return `${scope.kind}#${granularity}`;
}

/** Sizes of the aggregate and flow items left in the table, by kind, and how much of them is exactly-once marks. */
async function aggregateItemSizes(emulators: Awaited<ReturnType<typeof startBareEmulators>>): Promise<DesignFigures['aggregateItems']> {
  const sizes = new Map<string, { bytes: number[]; marks: number[] }>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await emulators.clients.documents.send(new ScanCommand({ TableName: emulators.tableName, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const partitionKey = String(item[TABLE_KEY.partitionKey]);
      const partition = parseAggregatePartition(partitionKey);
      const flowGranularity = parseFlowPartition(partitionKey);
      if (!partition && !flowGranularity) continue;
      const kind = partition ? kindOf(partition) : `FLOW#${flowGranularity}`;
      const wire = marshall(item) as unknown as Record<string, Record<string, unknown>>;
      const markBytes = Object.entries(wire)
        .filter(([name]) => isMarkAttribute(name))
        .reduce((sum, [name, value]) => sum + itemSize({ [name]: value }), 0);
      const entry = sizes.get(kind) ?? { bytes: [], marks: [] };
      entry.bytes.push(itemSize(wire));
      entry.marks.push(markBytes);
      sizes.set(kind, entry);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return Object.fromEntries(
    [...sizes].sort().map(([kind, { bytes, marks }]) => [
      kind,
      {
        count: bytes.length,
        medianBytes: Math.round(median(bytes)),
        maxBytes: Math.max(...bytes),
        markBytesPerItem: Math.round(median(marks)),
      },
    ]),
  );
}

async function runProcessor(trips: readonly Trip[], batchSize: number, shards: number): Promise<DesignFigures> {
  const emulators = await startBareEmulators(`wu-${batchSize}`);
  try {
    const meter = installCapacityMeter(emulators.clients.documents, { checkSizes: true });
    const store = new DynamoProcessorStore(emulators.clients.documents, emulators.tableName);
    const shardStatus = new DynamoShardStatusStore(emulators.clients.documents, emulators.tableName);
    const events = batchesOf(trips, shards, batchSize);
    let reportedUnits = 0;
    let itemsWritten = 0;
    const durations: number[] = [];
    const started = performance.now();
    for (const event of events) {
      const t0 = performance.now();
      const { report, response } = await processBatch(event, store);
      if (response.batchItemFailures.length > 0) throw new Error(`batch failed at ${response.batchItemFailures[0].itemIdentifier}`);
      // What the handler does after a batch (src/process/handler.ts): its one status put.
      const { shardStatus: status } = batchOutcome(event, report, Date.now());
      if (status) await shardStatus.record(status);
      durations.push(performance.now() - t0);
      reportedUnits += report.writeUnits;
      itemsWritten += report.itemsWritten;
    }
    const seconds = (performance.now() - started) / 1000;
    const figures: DesignFigures = {
      design: 'taxi-pulse processor',
      batchSize,
      shards,
      ...meteredFigures(meter, trips.length).figures,
      itemsWrittenPerTrip: round(itemsWritten / trips.length, 3),
      invocationMs: { median: round(median(durations), 1), p90: round(percentile(durations, 0.9), 1) },
      seconds: round(seconds, 1),
      aggregateItems: await aggregateItemSizes(emulators),
    };
    // BatchReport.writeUnits is the processor's own sum (ledger + aggregates + counters); the meter adds the status put.
    return { ...figures, batchReportWriteUnits: reportedUnits };
  } finally {
    await emulators.stop();
  }
}

/** The figures both designs share, from the capacity meter of a run over `trips`. */
function meteredFigures(meter: CapacityMeter, trips: number) {
  const byOperation = meter.snapshot();
  const update = byOperation.UpdateItemCommand;
  const sizes = update?.itemSizes ?? [];
  return {
    update,
    figures: {
      trips,
      writeUnits: meter.writeUnits(),
      writeUnitsPerTrip: round(meter.writeUnits() / trips, 3),
      readUnitsPerTrip: round(meter.readUnits() / trips, 3),
      awsRuleUpdateUnits: update?.awsRuleUnits ?? null,
      dynaliteUpdateUnits: update?.capacityUnits ?? 0,
      byOperation: withoutSizes(byOperation, trips),
      updatedItemBytes: sizes.length ? { p50: percentile(sizes, 0.5), p90: percentile(sizes, 0.9), max: Math.max(...sizes) } : undefined,
    },
  };
}

async function runNaive(trips: readonly Trip[]): Promise<DesignFigures> {
  const emulators = await startBareEmulators('wu-naive');
  try {
    const meter = installCapacityMeter(emulators.clients.documents, { checkSizes: true });
    const started = performance.now();
    await writeNaively(emulators.clients.documents, emulators.tableName, trips);
    const seconds = (performance.now() - started) / 1000;
    const { update, figures } = meteredFigures(meter, trips.length);
    return {
      design: 'naive (1 put + 1 update per item per trip)',
      ...figures,
      itemsWrittenPerTrip: round((update?.calls ?? 0) / trips.length + 1, 3),
      seconds: round(seconds, 1),
      aggregateItems: await aggregateItemSizes(emulators),
    };
  } finally {
    await emulators.stop();
  }
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const all = await readValidTrips();
  const trips = all.slice(0, options.trips);
  const batchSizes = String(options.batchSizes).split(',').map(Number);
  const designs: DesignFigures[] = [];
  for (const batchSize of batchSizes) {
    const figures = await runProcessor(trips, batchSize, options.shards);
    designs.push(figures);
    console.log(
      `processor, batch ${batchSize}, ${options.shards} shards: ${figures.writeUnitsPerTrip} write units/trip (${figures.readUnitsPerTrip} read units/trip), ${figures.seconds} s`,
    );
  }
  if (options.awsShards && options.awsShards !== options.shards) {
    const figures = await runProcessor(trips, batchSizes[0], options.awsShards);
    designs.push(figures);
    console.log(
      `processor, batch ${batchSizes[0]}, ${options.awsShards} shards (the stream scaled out): ${figures.writeUnitsPerTrip} write units/trip`,
    );
  }
  const naive = await runNaive(all.slice(0, options.naiveTrips));
  designs.push(naive);
  console.log(`naive: ${naive.writeUnitsPerTrip} write units/trip on the first ${naive.trips} trips, ${naive.seconds} s`);
  // The same trips through the processor, so that the naive ratio compares like with like.
  let sameTrips = designs.find(
    (design) => design.batchSize === batchSizes[0] && design.shards === options.shards && design.trips === naive.trips,
  );
  if (!sameTrips) {
    sameTrips = {
      ...(await runProcessor(all.slice(0, options.naiveTrips), batchSizes[0], options.shards)),
      design: 'taxi-pulse processor (naive subset)',
    };
    designs.push(sameTrips);
  }
  console.log(
    `processor on the same ${naive.trips} trips at batch ${batchSizes[0]}: ${sameTrips.writeUnitsPerTrip} write units/trip: naive / processor = ${round(naive.writeUnitsPerTrip / sameTrips.writeUnitsPerTrip, 2)}`,
  );

  // Variable cost per million trips, with the measured units and invocation times and the ingest
  // bench's call time when it has run (else the docs' 300 ms assumption).
  const ingest = readResult('ingest');
  const apiMsPerCall = ingest?.figures.apiMsPerCall ?? 300;
  const costs = designs
    .filter((design) => design.batchSize !== undefined && design.trips === trips.length)
    .map((design) => {
      const inputs: CostInputs = {
        writeUnitsPerTrip: design.writeUnitsPerTrip,
        readUnitsPerTrip: design.readUnitsPerTrip,
        tripsPerInvocation: design.batchSize!,
        processorMsPerInvocation: design.invocationMs!.median,
        processorMemoryGb: 1,
        tripsPerApiCall: 500,
        apiMsPerCall,
        apiMemoryGb: 1,
      };
      return { batchSize: design.batchSize, shards: design.shards, inputs, perMillionTrips: costPerMillionTrips(inputs) };
    });
  for (const cost of costs)
    console.log(
      `cost per million trips at batch ${cost.batchSize} (${cost.shards} shards): $${cost.perMillionTrips.total}`,
      JSON.stringify(cost.perMillionTrips),
    );
  let baseline: WriteUnitsFigures['baseline'];
  if (options.baseline) {
    const tree = prepareBaselineTree(String(options.baseline));
    try {
      const args = [
        '--trips',
        options.trips,
        '--shards',
        options.shards,
        '--naiveTrips',
        options.naiveTrips,
        '--awsShards',
        options.awsShards,
      ];
      const figures = await runBaselineBench<WriteUnitsFigures>(
        tree,
        'bench/write-units.ts',
        [...args.map(String), '--batchSizes', String(options.batchSizes)],
        'write-units',
      );
      baseline = { ref: tree.ref, commit: tree.commit, subject: tree.subject, designs: figures.designs, costs: figures.costs };
      for (const design of figures.designs)
        console.log(
          `baseline ${tree.ref}: ${design.design}, batch ${design.batchSize ?? 'per trip'}, ${design.shards ?? ''} shards: ${design.writeUnitsPerTrip} write units/trip`,
        );
    } finally {
      tree.cleanup();
    }
  }
  const path = writeResult('write-units', commandLine('bench/write-units.ts'), startedAt, {
    options,
    designs,
    costs,
    apiMsPerCallSource: ingest ? 'bench/results/ingest.json' : 'assumed 300 ms (docs/deploy.md)',
    baseline,
  });
  console.log(`raw results: ${path}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
