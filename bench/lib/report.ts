/**
 * Assembles BENCHMARKS.md from bench/results/*.json: the machine, the date, the commands, the raw
 * figures, the medians, and each target met or missed with the reason, from what was measured.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateTrip, type Trip } from '../../src/domain/trip';
import { tripTargets } from '../../src/domain/trip-targets';
import { PROCESSOR_BATCHING } from '../../src/ingest/stream-definition';
import { tripIncrements } from '../../src/store/trip-increments';
import { machineInfo, type MachineInfo } from './machine';
import type { PhaseBreakdown } from './phases';
import { PRICES } from './prices';
import type { ResultFigures, ResultName } from './result-types';
import { readResult, type BenchResult } from './results';
import { round } from './stats';
import { meets, targetText, TARGETS, type TargetName } from './targets';

export interface TargetRow {
  figure: string;
  measured: string;
  target: string;
  met: boolean | undefined;
}

/** A row of the target table: the figure and target text from TARGETS, the verdict from the value (none without one). */
function targetRow(name: TargetName, measured: string, value: number | undefined, figure: string = TARGETS[name].figure): TargetRow {
  return { figure, measured, target: targetText(name), met: value === undefined ? undefined : meets(name, value) };
}

/** A target whose benchmark has not run. */
function notRun(name: TargetName): TargetRow {
  return { figure: TARGETS[name].figure, measured: 'not run', target: targetText(name), met: undefined };
}

/** `a-b` of the rounded values, or `a` when they are all the same. */
function range(values: readonly number[]): string {
  const [low, high] = [Math.round(Math.min(...values)), Math.round(Math.max(...values))];
  return low === high ? String(low) : `${low}-${high}`;
}

/** A per-request price as dollars per million requests, e.g. `0.20`. */
const perMillion = (price: number, digits = 2) => (price * 1e6).toFixed(digits);

const yes = (met: boolean | undefined) => (met === undefined ? '' : met ? '**met**' : '**missed**');

function table(header: string[], rows: Array<Array<string | number | undefined | null>>): string {
  const line = (cells: Array<string | number | undefined | null>) =>
    `| ${cells.map((cell) => (cell === undefined || cell === null ? '' : String(cell))).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function ran(result: BenchResult<unknown> | undefined): string {
  if (!result) return '_not run: no results file_';
  return `Command: \`${result.command}\` — ran ${result.startedAt} to ${result.finishedAt}, load average (1/5/15 min) ${result.loadAverage.join(' / ')} at start, ${(result as BenchResult<unknown> & { loadAverageEnd?: number[] }).loadAverageEnd?.join(' / ') ?? '?'} at the end. Raw: \`bench/results/${result.name}.json\`.`;
}

function throughputSection(rows: TargetRow[]): string {
  const result = readResult('throughput');
  if (!result) {
    rows.push(notRun('throughputRatio'));
    return '## 1. Pipeline throughput\n\n_not run_\n';
  }
  const { runs, summary, profile, options, phases, baseline } = result.figures;
  const e2e = summary.e2e;
  const drain = summary.drain;
  rows.push(
    targetRow(
      'throughputRatio',
      `${e2e?.medianRatio ?? '?'} (${e2e?.pipelineTripsPerSecond.median} vs ${e2e?.floorTripsPerSecond.median} trips/s)`,
      e2e?.medianRatio,
    ),
  );
  const before = baseline?.summary.e2e;
  rows.push(
    before
      ? targetRow(
          'throughputVsBaseline',
          `${before.medianRatio} (${e2e?.pipelineTripsPerSecond.median} vs ${before.pipelineTripsPerSecond.median} trips/s, baseline ${baseline.commit.slice(0, 7)})`,
          before.medianRatio,
        )
      : notRun('throughputVsBaseline'),
  );
  const out: string[] = ['## 1. Pipeline throughput', '', ran(result), ''];
  out.push(
    `${options.trips} real trips (February 2023 green, valid, file order ≈ pickup order) per run; each repetition in a fresh process with fresh emulators, floor and pipeline on the same emulators, alternating which goes first. ` +
      "`e2e`: the records are put (PutRecords, 500 a call, 4 in flight) while the readers run, timed from the first put to the last trip aggregated (the issue's definition). " +
      '`drain`: the records are put first, then only reading + processing is timed. Floor: GetRecords (Limit 2000, every 200 ms per shard, one batch in flight per shard, as the poller) + one BatchWriteItem item per trip (the ledger item, 25 per call, 32 calls in flight, as the processor). Pipeline: the local stream poller feeding the processor handler (src/process/handler.ts), end = poller status shows every record processed (checkpointed).',
    '',
  );
  out.push(
    table(
      [
        'rep',
        'mode',
        'order',
        'pipeline trips/s',
        'floor trips/s',
        'ratio',
        'pipeline: CPU ms/trip (processor / dynalite / kinesalite)',
        'floor: CPU ms/trip (bench / dynalite / kinesalite)',
        'batches',
      ],
      runs.map((run, index) => [
        Math.floor(index / options.modes.split(',').length) + 1,
        run.mode,
        run.order,
        Math.round(run.pipeline.tripsPerSecond),
        Math.round(run.floor.tripsPerSecond),
        round(run.pipeline.tripsPerSecond / run.floor.tripsPerSecond, 3),
        [run.pipeline.cpuMs.bench, ...run.pipeline.cpuMs.emulators].map((ms: number) => round(ms / run.pipeline.trips, 3)).join(' / '),
        [run.floor.cpuMs.bench, ...run.floor.cpuMs.emulators].map((ms: number) => round(ms / run.floor.trips, 3)).join(' / '),
        run.pipeline.batches,
      ]),
    ),
    '',
  );
  for (const [mode, figures] of Object.entries(summary)) {
    out.push(
      `- **${mode}**: median pipeline ${figures.pipelineTripsPerSecond.median} trips/s (spread ${figures.pipelineTripsPerSecond.spreadPct} %), floor ${figures.floorTripsPerSecond.median} trips/s (spread ${figures.floorTripsPerSecond.spreadPct} %), **median ratio ${figures.medianRatio}** (ratios ${figures.ratios.join(', ')}).`,
    );
  }
  if (baseline) out.push('', baselineComparison(result.figures));
  if (e2e && drain) {
    const pipelineCpu =
      e2e.pipelineCpuMsPerTrip.processor + e2e.pipelineCpuMsPerTrip.emulators.reduce((sum: number, value: number) => sum + value, 0);
    const floorCpu = e2e.floorCpuMsPerTrip.bench + e2e.floorCpuMsPerTrip.emulators.reduce((sum: number, value: number) => sum + value, 0);
    out.push(
      '',
      `Peak RSS during the pipeline runs (the bench process hosts the poller and the processor, as \`npm start\`'s process does): ${e2e.peakRssMb
        .map((entry: Record<string, number>) =>
          Object.entries(entry)
            .filter(([name]) => !name.startsWith('pid-'))
            .map(([name, mb]) => `${name} ${mb} MB`)
            .join(', '),
        )
        .join('; ')}.`,
      '',
      `**Why the ratio is what it is.** On two cores the run is CPU-bound across three processes: per trip the pipeline burns ${round(pipelineCpu, 2)} CPU-ms (processor ${e2e.pipelineCpuMsPerTrip.processor}, emulators ${e2e.pipelineCpuMsPerTrip.emulators.join(' / ')}) where the floor burns ${round(floorCpu, 2)} (bench ${e2e.floorCpuMsPerTrip.bench}, emulators ${e2e.floorCpuMsPerTrip.emulators.join(' / ')}). ` +
        'The floor writes each trip once. The pipeline must also read the ledger (one consistent BatchGetItem key per trip: dynalite does a LevelDB get per key), update the aggregates (section 2 counts the items per trip; each update is a read-modify-write of a multi-KB item in dynalite) and the counters, and checkpoint. Exactly-once needs the ledger read and the aggregate updates; they are not overhead that can be removed, so the floor as defined (one write per trip) is not reachable by this design on emulators whose cost is per operation and per byte. See the profile below and docs/benchmarks-analysis.md.',
    );
  }
  if (phases) {
    out.push(
      '',
      "Inside the processor (bench/lib/phases.ts: `processBatch` with the project's store, its calls timed, two shards with one batch each in flight, fresh emulators, first 10,000 trips):",
      '',
      table(
        [
          'batch',
          'trips/s',
          'ledger read ms/batch',
          'claims write ms/batch',
          'aggregates apply ms/batch',
          'rest ms/batch',
          'what-if without the ledger read: trips/s',
          'what-if one conditional PutItem per trip instead of read + BatchWriteItem: trips/s',
        ],
        phases.map((phase) => [
          phase.batchSize,
          phase.tripsPerSecond,
          phase.msPerBatch.ledgerRead,
          phase.msPerBatch.claimsWrite,
          phase.msPerBatch.aggregatesApply,
          phase.msPerBatch.decodeAndSum,
          phase.withoutLedgerRead?.tripsPerSecond,
          phase.conditionalClaims?.tripsPerSecond ?? '',
        ]),
      ),
      '',
      phasesComment(phases),
    );
  }
  if (profile) {
    out.push('', 'CPU profile of one `drain` pipeline run (V8 sampling profiler, self time by package):', '');
    out.push(
      table(
        ['process', 'busy / wall ms', 'top places (self time)'],
        Object.entries(profile).map(([role, summary]) => [
          role,
          `${summary.totalMs - summary.idleMs} / ${summary.totalMs}`,
          summary.byPlace
            .slice(0, 7)
            .map((place) => `${place.place} ${place.pct} %`)
            .join(', '),
        ]),
      ),
      '',
      'Top functions:',
      '',
      ...Object.entries(profile).map(
        ([role, summary]) =>
          `- ${role}: ${summary.byFunction
            .slice(0, 6)
            .map((entry) => `\`${entry.name}\` (${entry.where}) ${entry.pct} %`)
            .join(', ')}`,
      ),
    );
  }
  return out.join('\n');
}

/** This tree's pipeline next to the baseline's, run interleaved in the same session (throughput.ts --baseline). */
function baselineComparison(figures: ResultFigures['throughput']): string {
  const { baseline, summary, runs, options } = figures;
  if (!baseline) return '';
  const modes = options.modes.split(',') as Array<'e2e' | 'drain'>;
  // Emulators are listed by process id, whose order differs between runs: their sum is what compares.
  const cpu = (entry: { processor: number; emulators: number[] }) => {
    const emulators = entry.emulators.reduce((sum, value) => sum + value, 0);
    return `${entry.processor} + ${round(emulators, 3)} = ${round(entry.processor + emulators, 3)}`;
  };
  const lines = [
    `**Before and after, side by side.** The pipeline of \`${baseline.ref}\` (${baseline.commit.slice(0, 12)}, "${baseline.subject}") ran from its own files (exported next to this tree, its own \`bench/lib/throughput-run.ts\` and \`src/\`) on the same trips, interleaved with this tree's runs (which of the two goes first alternates by repetition), each in a fresh process with fresh emulators. Ratios are paired by repetition: this tree's trips/s over the baseline's measured minutes apart.`,
    '',
    table(
      [
        'mode',
        'this tree trips/s (median)',
        'baseline trips/s (median)',
        'this / baseline per rep',
        '**median**',
        'CPU ms/trip this tree',
        'CPU ms/trip baseline',
      ],
      modes.flatMap((mode) => {
        const after = summary[mode];
        const beforeMode = baseline.summary[mode];
        if (!after || !beforeMode) return [];
        return [
          [
            mode,
            after.pipelineTripsPerSecond.median,
            beforeMode.pipelineTripsPerSecond.median,
            beforeMode.ratios.join(', '),
            `**${beforeMode.medianRatio}**`,
            cpu(after.pipelineCpuMsPerTrip),
            cpu(beforeMode.pipelineCpuMsPerTrip),
          ],
        ];
      }),
    ),
    '',
    `Runs of the baseline: ${baseline.runs.map((run) => `${run.mode} ${Math.round(run.pipeline.tripsPerSecond)}`).join(', ')} trips/s; of this tree: ${runs.map((run) => `${run.mode} ${Math.round(run.pipeline.tripsPerSecond)}`).join(', ')} trips/s. CPU columns: median CPU-ms per trip of the process hosting the poller and the processor, plus the emulators' (dynalite and kinesalite), = the total the pipeline burns per trip; on two cores the run is CPU-bound, so throughput follows the total.`,
  ];
  return lines.join('\n');
}

/** What the phase timings say, from the largest batch's figures. */
function phasesComment(phases: readonly PhaseBreakdown[]): string {
  const largest = phases.reduce((max, phase) => (phase.batchSize > max.batchSize ? phase : max), phases[0]);
  const { claimsWrite, aggregatesApply, ledgerRead } = largest.msPerBatch;
  const layout = itemLayoutOfOneTrip();
  return (
    `The claims write is the floor's own work (one BatchWriteItem item per trip). At batch ${largest.batchSize} the aggregate updates take ${round(aggregatesApply / claimsWrite, 1)} times as long as the claims write, the ledger read ${round(ledgerRead / claimsWrite, 1)} times as long: ` +
    `in dynalite an UpdateItem parses its expression, validates and adds every named attribute with big-number arithmetic and rewrites the whole item, so its cost grows with the attributes a batch adds (a trip adds ${layout.increments} attribute increments over its ${layout.items} items, merged per item within a batch).`
  );
}

/** How many items one trip counts in (pickup aggregates and flow buckets), and how many attribute increments it adds to them (src/store/trip-increments.ts). */
function itemLayoutOfOneTrip(): { items: number; increments: number } {
  const validation = validateTrip({
    tripId: 'layout-sample',
    pickupAt: '2023-02-01T08:15:00',
    dropoffAt: '2023-02-01T08:35:00',
    pickupZoneId: 74,
    dropoffZoneId: 75,
    tripDistanceMiles: 2,
    fareAmount: 10,
    tipAmount: 1,
    totalAmount: 12,
  });
  if (!validation.ok) throw new Error(validation.rejection.message);
  const trip: Trip = validation.trip;
  const targets = tripTargets(trip);
  const increments = targets.reduce((sum, target) => sum + tripIncrements(trip, target).size, 0);
  return { items: targets.length, increments };
}

function writeUnitsSection(rows: TargetRow[]): string {
  const result = readResult('write-units');
  if (!result) {
    rows.push(notRun('writeUnitsPerTrip'), notRun('costPerMillionTrips'));
    return '## 2. Write units and cost\n\n_not run_\n';
  }
  const { designs, costs, options, apiMsPerCallSource, baseline } = result.figures;
  const at100 = designs.find((design) => design.batchSize === 100 && design.shards === options.shards && design.trips === options.trips);
  const cost100 = costs.find((cost) => cost.batchSize === 100 && cost.shards === options.shards);
  const naive = designs.find((design) => design.batchSize === undefined);
  const sameTrips = designs.find((design) => design.batchSize === 100 && design.trips === naive?.trips && design.shards === options.shards);
  const before100 = baseline?.designs.find(
    (design) => design.design === at100?.design && design.batchSize === 100 && design.shards === options.shards,
  );
  const beforeCost100 = baseline?.costs.find((cost) => cost.batchSize === 100 && cost.shards === options.shards);
  rows.push(
    targetRow(
      'writeUnitsPerTrip',
      `${at100?.writeUnitsPerTrip} (${before100 ? `baseline ${before100.writeUnitsPerTrip}; ` : ''}naive design: ${naive?.writeUnitsPerTrip})`,
      at100?.writeUnitsPerTrip,
    ),
    targetRow(
      'costPerMillionTrips',
      cost100
        ? `$${cost100.perMillionTrips.total.toFixed(2)}${beforeCost100 ? ` (baseline $${beforeCost100.perMillionTrips.total.toFixed(2)})` : ''}`
        : '',
      cost100?.perMillionTrips.total,
    ),
  );
  const out: string[] = ['## 2. Write units per trip and cost', '', ran(result), ''];
  out.push(
    "Counted from DynamoDB's ConsumedCapacity as dynalite returns it (every request of the run asks for ReturnConsumedCapacity TOTAL; a client middleware sums the answers: ledger BatchWriteItem, aggregate and counter UpdateItem, the handler's shard-status PutItem, and the ledger BatchGetItem for read units). " +
      `The processor ran through \`processBatch\` with \`DynamoProcessorStore\` on real trips (first ${options.trips} valid February 2023 trips, spread over shards by MD5 of the tripId as Kinesis does), batches delivered as an event source mapping delivers a full stream. ` +
      'The naive design (bench/lib/naive-writer.ts) was run for real against the same emulator: per trip one PutItem of the same ledger item and one UpdateItem ADD on each of the same items (five aggregates, two to four flow buckets), no batching, no marks. Write units are deterministic (no repetitions needed; a rerun gives the same counts).',
    '',
    '**dynalite versus AWS\'s rules.** dynalite charges an UpdateItem/PutItem ceil(max(size before, size after) / 1 KB) write units, like AWS, but with its own size formula; each UpdateItem here also returned the new item (ReturnValues ALL_NEW, free), and the units were recomputed from its size by AWS\'s documented rules (bench/lib/item-size.ts). dynalite returns no ConsumedCapacity on a failed conditional write (AWS charges it); the run had no conditional failures (column "cond. fail").',
    '',
  );
  out.push(
    table(
      [
        'design',
        'batch',
        'shards',
        'trips',
        'WU/trip',
        'RU/trip',
        'of which ledger',
        'aggregates + counters',
        'status put',
        'updates/trip',
        'update WU: dynalite / AWS rules',
        'cond. fail',
        'invocation ms (median)',
      ],
      designs.map((design) => [
        design.design,
        design.batchSize ?? 'per trip',
        design.shards ?? '',
        design.trips,
        design.writeUnitsPerTrip,
        design.readUnitsPerTrip,
        design.byOperation.BatchWriteItemCommand?.unitsPerTrip ??
          (design.batchSize === undefined ? design.byOperation.PutItemCommand?.unitsPerTrip : ''),
        design.byOperation.UpdateItemCommand?.unitsPerTrip,
        design.batchSize !== undefined ? design.byOperation.PutItemCommand?.unitsPerTrip : '',
        round((design.byOperation.UpdateItemCommand?.calls ?? 0) / design.trips, 3),
        `${round(design.dynaliteUpdateUnits, 0)} / ${design.awsRuleUpdateUnits ?? ''}`,
        Object.values(design.byOperation).reduce((sum, entry) => sum + entry.conditionalFailures, 0),
        design.invocationMs?.median ?? '',
      ]),
    ),
    '',
  );
  if (baseline) {
    const same = (design: (typeof designs)[number]) =>
      baseline.designs.find(
        (before) =>
          before.batchSize === design.batchSize &&
          before.shards === design.shards &&
          before.trips === design.trips &&
          (before.batchSize !== undefined || design.batchSize === undefined),
      );
    out.push(
      `**Before and after, side by side.** The same bench of \`${baseline.ref}\` (${baseline.commit.slice(0, 12)}, "${baseline.subject}") ran from its own files with the same flags, on the same trips (write units are deterministic: no interleaving needed).`,
      '',
      table(
        ['design', 'batch', 'shards', 'trips', 'WU/trip baseline', 'WU/trip this tree', 'updates/trip baseline', 'updates/trip this tree'],
        designs.flatMap((design) => {
          const before = same(design);
          if (!before) return [];
          const updates = (entry: typeof design) => round((entry.byOperation.UpdateItemCommand?.calls ?? 0) / entry.trips, 3);
          return [
            [
              design.design,
              design.batchSize ?? 'per trip',
              design.shards ?? '',
              design.trips,
              before.writeUnitsPerTrip,
              design.writeUnitsPerTrip,
              updates(before),
              updates(design),
            ],
          ];
        }),
      ),
      '',
    );
    if (beforeCost100 && cost100)
      out.push(
        `Cost per million trips at batch 100: baseline $${beforeCost100.perMillionTrips.total.toFixed(2)}, this tree $${cost100.perMillionTrips.total.toFixed(2)} (DynamoDB writes $${beforeCost100.perMillionTrips.dynamoWrites.toFixed(3)} -> $${cost100.perMillionTrips.dynamoWrites.toFixed(3)}).`,
        '',
      );
  }
  if (naive && sameTrips)
    out.push(
      `On the same first ${naive.trips} trips, the naive design costs **${naive.writeUnitsPerTrip}** write units per trip against the processor's **${sameTrips.writeUnitsPerTrip}** at batch 100: ${round(naive.writeUnitsPerTrip / sameTrips.writeUnitsPerTrip, 1)} times more.`,
      '',
    );
  if (at100?.aggregateItems) {
    out.push(
      "Aggregate and flow items at the end of the batch-100 run (sizes by AWS's rules):",
      '',
      table(
        ['item kind', 'items', 'median bytes', 'max bytes', 'of which marks (median)'],
        Object.entries(at100.aggregateItems).map(([kind, entry]) => [
          kind,
          entry.count,
          entry.medianBytes,
          entry.maxBytes,
          entry.markBytesPerItem,
        ]),
      ),
      '',
    );
  }
  out.push(
    `Variable cost per million trips at AWS list prices (us-east-1, bench/lib/prices.ts, from docs/deploy.md: Kinesis provisioned (the stack's stream) $${PRICES.kinesisPerMillionPutPayloadUnits} per million PUT payload units, one per trip record, its reads included in the shard hours, which are a monthly cost; Lambda arm64 $${PRICES.lambdaPerGbSecond}/GB-s + $${perMillion(PRICES.lambdaPerRequest)}/M requests at 1 GB, DynamoDB $${perMillion(PRICES.dynamoPerWriteUnit, 3)}/M WRU and $${perMillion(PRICES.dynamoPerReadUnit, 3)}/M RRU, HTTP API $${perMillion(PRICES.apiGatewayPerRequest)}/M requests). Processor time per invocation = the measured invocation time above on the emulators; API time per 500-trip call from ${apiMsPerCallSource}. What the list leaves out (the data lake's Firehose, an on-demand stream instead): docs/benchmarks-analysis.md, section 2.`,
    '',
    table(
      [
        'batch',
        'shards',
        'Kinesis PUT payload units',
        'Kinesis reads',
        'Lambda processor',
        'Lambda API',
        'DynamoDB writes',
        'DynamoDB reads',
        'API Gateway',
        '**total**',
      ],
      costs.map((cost) => [
        cost.batchSize,
        cost.shards,
        ...['kinesisIn', 'kinesisOut', 'lambdaProcessor', 'lambdaApi', 'dynamoWrites', 'dynamoReads', 'apiGateway'].map(
          (key) => `$${cost.perMillionTrips[key].toFixed(3)}`,
        ),
        `**$${cost.perMillionTrips.total.toFixed(2)}**`,
      ]),
    ),
    '',
  );
  if (at100) {
    const updatesPerTrip = round((at100.byOperation.UpdateItemCommand?.calls ?? 0) / at100.trips, 3);
    // One counters update and one shard-status put per batch of 100.
    const perBatch = round(2 / 100, 2);
    const floor = round(1 + updatesPerTrip + perBatch, 2);
    const at1000 = designs.find((design) => design.batchSize === 1000 && design.shards === options.shards);
    const markBytes = Object.values(at100.aggregateItems ?? {}).map((kind) => kind.markBytesPerItem / options.shards);
    const share = cost100 ? Math.round((cost100.perMillionTrips.dynamoWrites / cost100.perMillionTrips.total) * 100) : undefined;
    out.push(
      `**Why ${at100.writeUnitsPerTrip} at batch 100.** Every trip costs one ledger put (1 WU: the item is under 1 KB) and one strongly consistent ledger read (1 RU); that alone is 1 WU per trip. A batch of 100 records of one shard (about ${100 * options.shards} consecutive trips of the city) touches ${updatesPerTrip} items per trip — a handful of city and borough HOUR/DAY items and of city-wide flow items, and, mostly, one zone DAY item per distinct pickup zone — and every UpdateItem costs at least 1 WU whatever it adds, more for items above 1 KB (zone DAY items carry 24 hourly fare and duration sketches; city DAY items a day's sketches and 24 hour counts; every item carries one exactly-once mark per shard, ${markBytes.length ? `${range(markBytes)} bytes each` : 'its size in the table above'}, ${options.shards} shards here: see the ${options.awsShards}-shard row for a stream scaled out). ` +
        `So the floor of this item layout at batch 100 is 1 + ${updatesPerTrip} + ${perBatch} (counters and status, per batch) ≈ ${floor} WU per trip even if every item were under 1 KB: ` +
        `${meets('writeUnitsPerTrip', floor) ? `the ${targetText('writeUnitsPerTrip')} target is within reach of smaller items` : `the ${targetText('writeUnitsPerTrip')} target cannot be met at batch 100 by compacting items`}` +
        `${at1000 ? `; at batch 1000 it is ${at1000.writeUnitsPerTrip} (${meets('writeUnitsPerTrip', at1000.writeUnitsPerTrip) ? 'met' : 'missed'})` : ''}. ` +
        `${cost100 ? `The cost target is ${meets('costPerMillionTrips', cost100.perMillionTrips.total) ? 'met' : 'missed'} at batch 100, DynamoDB writes being ${share} % of it. ` : ''}Analysis: docs/benchmarks-analysis.md.`,
    );
  }
  return out.join('\n');
}

function queryLatencySection(rows: TargetRow[]): string {
  const result = readResult('query-latency');
  if (!result) {
    rows.push(notRun('queryLatencyRatio'), notRun('yearQueryItems'));
    return '## 3. Query latency\n\n_not run_\n';
  }
  const { results, seed, options, profile, whatIf } = result.figures;
  const worst = results.reduce((max, entry) => (entry.ratioP50 > max.ratioP50 ? entry : max), results[0]);
  // A one-year range reads at most 400 items besides the hours of its partial first and last days.
  const maxYearItems = Math.max(...results.filter((entry) => entry.year).map((entry) => entry.itemsRead - (entry.partialDayHours ?? 0)));
  const misses = results.filter((entry) => !meets('queryLatencyRatio', entry.ratioP50));
  rows.push(
    targetRow(
      'queryLatencyRatio',
      `worst ${worst.ratioP50} (${worst.name}); ${results.length - misses.length} of ${results.length} within`,
      worst.ratioP50,
    ),
    targetRow('yearQueryItems', `max ${maxYearItems} (besides the hours of partial days)`, maxYearItems),
  );
  const out: string[] = ['## 3. Query latency', '', ran(result), ''];
  out.push(
    `The stack runs in its own process; its table holds ${seed.items} aggregate and flow items: a year (2023) of the city and of zone ${options.zone} (the busiest green pickup zone, so the largest zone items) and of the city-wide flow items, written by the processor's own store from ${seed.trips} trips (February 2023 copied with 28-day shifts and new ids). HTTP: autocannon, one connection, POST /graphql with the read key (${options.seconds} s per round for month queries, ${options.yearRequests} requests per round for year queries); autocannon's latencies have 1 ms resolution. Bare: the same DynamoDB Queries (key ranges recorded inside the stack while it answered the query) through a document client from the bench process, all pages, sequentially. ${options.rounds} alternating rounds; the table gives the median of the per-round figures. Items read: counted inside the stack from the Query answers; for a zoneFlows range that does not start and end at midnight, the hours of its partial first and last days are listed apart (they are allowed besides the 400).`,
    '',
    table(
      [
        'query',
        'items read',
        'HTTP p50 ms',
        'HTTP p99 ms',
        'bare p50 ms',
        'bare p99 ms',
        'p50 ratio',
        'mean ratio',
        'rounds (HTTP p50 / bare p50)',
      ],
      results.map((entry) => [
        entry.name,
        entry.partialDayHours ? `${entry.itemsRead} (${entry.partialDayHours} of them hours of partial days)` : entry.itemsRead,
        entry.httpP50,
        entry.httpP99,
        entry.bareP50,
        entry.bareP99,
        meets('queryLatencyRatio', entry.ratioP50) ? entry.ratioP50 : `**${entry.ratioP50}**`,
        entry.ratioMean,
        entry.rounds.map((r) => `${r.http.p50}/${r.bare.p50}`).join(', '),
      ]),
    ),
    '',
  );
  if (whatIf) {
    out.push(
      "Where the time goes in-process, per query (the API's use case with its reader timed, in the bench process; for peakHours, the bare Query of full DAY items against the projection to sk, h00..h23 that the API issues):",
      '',
      table(
        [
          'query',
          'items',
          'use case in-process ms: read (Query + unmarshal + decoding) / compute / JSON',
          'decoding ms (`aggregateFromItem` or `flowsFromItem`, all items)',
          'bare Query ms: full items / projected to sk, h00..h23',
        ],
        whatIf.map((entry) => [
          entry.name,
          entry.items,
          entry.useCaseMs ? `${entry.useCaseMs.read} / ${entry.useCaseMs.compute} / ${entry.useCaseMs.json}` : '',
          entry.aggregateFromItemMs,
          entry.projectedQueryMs !== undefined ? `${entry.bareQueryMs} / ${entry.projectedQueryMs}` : '',
        ]),
      ),
      '',
    );
  }
  if (misses.length > 0 || profile) {
    const largestAnswer = results.reduce((max, entry) => (entry.answerBytes > max.answerBytes ? entry : max), results[0]);
    out.push(
      `**Why${misses.length > 0 ? ` ${misses.map((entry) => entry.name).join('; ')} miss${misses.length === 1 ? 'es' : ''}` : ''}.** The latencies are dominated by dynalite and by the SDK reading and unmarshalling the items, which the bare Query does too. What the API adds on top: per item \`aggregateFromItem\` (every attribute name classified, and for zone DAY items 24 hourly aggregates rebuilt with their operations figures and their sketches merged), the computation (for HOUR answers: a median and a p90 from a sketch for each hour of the range), GraphQL execution and serialisation of the answer (${largestAnswer.name}: ${round(largestAnswer.answerBytes / 1024, 0)} KB of JSON, the largest), and the local HTTP front. The use-case column above splits the in-process part. The largest ratio, ${worst.name}, pairs a bare Query of ${worst.bareP50} ms with an answer of ${round(worst.answerBytes / 1024, 0)} KB; docs/benchmarks-analysis.md measures the GraphQL part. Profile of the stack process during one pass over the queries (profiler started after the measured rounds):`,
      '',
    );
    if (profile) {
      out.push(
        `- by place: ${profile.byPlace
          .slice(0, 10)
          .map((place) => `${place.place} ${place.pct} %`)
          .join(', ')}`,
        `- top functions: ${profile.byFunction
          .slice(0, 8)
          .map((entry) => `\`${entry.name}\` (${entry.where}) ${entry.pct} %`)
          .join(', ')}`,
        '',
      );
    }
  }
  return out.join('\n');
}

function forecastLatencySection(rows: TargetRow[]): string {
  const result = readResult('forecast-latency');
  if (!result) {
    rows.push(notRun('forecastP50Ms'), notRun('forecastItems'));
    return '## 10. Forecast and pressure latency\n\n_not run_\n';
  }
  const { forecasts, pressures, seed, options } = result.figures;
  const p50s = [
    ...forecasts.map((entry) => ({ name: entry.name, p50: entry.httpP50 })),
    ...pressures.map((entry) => ({ name: entry.name, p50: entry.httpP50 ?? entry.useCaseP50 })),
  ];
  const worst = p50s.reduce((max, entry) => (entry.p50 > max.p50 ? entry : max), p50s[0]);
  const maxItems = Math.max(...forecasts.map((entry) => entry.itemsRead), ...pressures.map((entry) => entry.itemsRead));
  rows.push(
    targetRow('forecastP50Ms', `worst ${worst.p50} ms (${worst.name})`, worst.p50),
    targetRow('forecastItems', `max ${maxItems}`, maxItems),
  );
  return [
    '## 10. Forecast and pressure latency',
    '',
    ran(result),
    '',
    `The stack runs in its own process; its table holds ${seed.items} DAY aggregates (city, Manhattan and zone ${options.zone}) written by the processor's own store from ${seed.trips} trips (February 2023 copied five times with 28-day shifts), and ${seed.flowItems} FLOW#HOUR items (the same trips' flows, written by the same store, and 3,360 synthetic hours of 2024 with all 265 zones busy). demandForecast: 168 hours from 2023-06-21, HTTP p50 with autocannon (one connection, ${options.seconds} s per round) against the bare Query of the items the API read (recorded inside the stack), and the use case in-process (${options.samples} calls per round). ${options.rounds} rounds; medians of the rounds.`,
    '',
    table(
      ['demandForecast', 'items read (Queries)', 'HTTP p50 ms', 'bare Query p50 ms', 'use case in-process p50 ms (read)', 'answer bytes'],
      forecasts.map((entry) => [
        entry.name,
        `${entry.itemsRead} (${entry.queries})`,
        entry.httpP50,
        entry.bareP50,
        `${entry.useCaseP50} (${entry.useCaseReadP50})`,
        entry.answerBytes,
      ]),
    ),
    '',
    'demandPressure reads the same hour on the 112 days before 2023-06-21 18:00 (the February flows) and before 2024-06-19 18:00 (every zone picking up and dropping off in every hour, as in a busy yellow month): HTTP p50 (autocannon, one connection), the use case in-process (BatchGetItem of the keys, at most 100 keys a call, decoding, the pressure of every zone), the bare BatchGetItem and the pressure computation alone.',
    '',
    table(
      [
        'demandPressure',
        'items read (keys)',
        'zones',
        'HTTP p50 ms',
        'use case in-process p50 ms',
        'bare BatchGetItem p50 ms',
        'pressure of all zones p50 ms',
      ],
      pressures.map((entry) => [
        entry.name,
        `${entry.itemsRead} (${entry.keys})`,
        entry.zones,
        entry.httpP50 ?? '(not measured)',
        entry.useCaseP50,
        entry.bareP50,
        entry.computeP50,
      ]),
    ),
    '',
    ...pressures
      .filter((entry) => !meets('forecastP50Ms', entry.httpP50 ?? entry.useCaseP50))
      .map(
        (entry) =>
          `**Why ${entry.name} misses.** Its items hold ${entry.zones} zones' pickups and drop-offs each: the bare BatchGetItem alone takes ${entry.bareP50} of the use case's ${entry.useCaseP50} ms (HTTP: ${entry.httpP50} ms), the pressure of every zone ${entry.computeP50} ms, the rest is turning the items into counts. Reading fewer days would cut it but forecast worse (docs/forecast.md, "Reads, errors and cost per call").`,
      ),
  ].join('\n');
}

function freshnessSection(rows: TargetRow[]): string {
  const result = readResult('freshness');
  if (!result) {
    rows.push(notRun('freshnessP99Ms'));
    return '## 4. Freshness\n\n_not run_\n';
  }
  const { shardPoll, lambdaPoll, summary, options, profile } = result.figures;
  const sweep = result.figures.sweep ?? [];
  rows.push(targetRow('freshnessP99Ms', `${summary.p50} / ${summary.p99} ms`, summary.p99));
  const out: string[] = ['## 4. Freshness', '', ran(result), ''];
  out.push(
    `${options.callsPerSecond} \`ingestTrips\` calls per second of ${options.tripsPerCall} real trips each (open loop: a call is sent on time whatever the previous ones do), ${options.seconds} s per run, the first ${options.warmupSeconds} s not counted. Each call's trips are moved into an hour of their own (2015); one reader polls \`peakHours(limit: 1000)\` over the probe range every ${options.pollMs} ms and records, per trip, the time from its call's answer to the answer of the first poll that counts it (upper bound; lower bound = that poll's start).`,
    '',
    table(
      [
        'run',
        'poll per shard',
        'trips/s sent',
        'freshness p50',
        'p90',
        'p99',
        'max',
        'p99 lower bound',
        'call latency p50 / p99',
        'peakHours poll p50 / p99',
        'all of a call counted p50 / p99',
      ],
      [...shardPoll, ...lambdaPoll, ...sweep].map((run, index) => [
        index + 1,
        `${run.pollIntervalMs} ms`,
        run.tripsPerSecondSent,
        `${run.freshnessMs.p50} ms`,
        `${run.freshnessMs.p90} ms`,
        `${run.freshnessMs.p99} ms`,
        `${run.freshnessMs.max} ms`,
        `${run.freshnessLowerBoundMs.p99} ms`,
        `${run.callLatencyMs.p50} / ${run.callLatencyMs.p99} ms`,
        `${run.pollLatencyMs.p50} / ${run.pollLatencyMs.p99} ms`,
        `${run.callCompleteMs.p50} / ${run.callCompleteMs.p99} ms`,
      ]),
    ),
    '',
    `Median over the ${shardPoll.length} runs at 500 trips/s with ${shardPoll[0]?.pollIntervalMs} ms polls: **p50 ${summary.p50} ms, p99 ${summary.p99} ms**.${sweep.length ? ` Lower rates (last ${sweep.length} rows, one run each): ${sweep.map((run) => `${run.tripsPerSecondSent} trips/s -> p99 ${run.freshnessMs.p99} ms`).join(', ')}.` : ''}${lambdaPoll.length ? ` With one GetRecords per second per shard (the Lambda event source mapping's base rate for a standard consumer): p50 ${summary.lambdaPollP50} ms, p99 ${summary.lambdaPollP99} ms.` : ''}`,
    '',
  );
  out.push(
    'Freshness depends on the two cores being free: at 500 trips/s the API, the processor, both emulators and the client share them with little headroom, and a run made while another test suite used the machine falls behind (docs/benchmarks-analysis.md, section 4, has such runs; the load averages of this run are above). The runs at lower rates show the same sensitivity when a burst of other work lands in them.',
    '',
  );
  if (!meets('freshnessP99Ms', summary.p99)) {
    out.push(
      `**Why.** At 500 trips/s everything — the API, the processor, dynalite, kinesalite and the measuring client — shares two cores, and the pipeline's cost per trip in small live batches (a ${PROCESSOR_BATCHING.pollIntervalMs} ms poll of one shard yields a few dozen records: more aggregate updates per trip than in big batches) leaves it with little or no headroom: a queue builds in the stream and freshness is the queue's age, not the polling. The call latency and the poll latency in the table show the saturation (both are a few ms on an idle stack). At a rate the machine can absorb the same setup gives a p99 well under a second (see docs/benchmarks-analysis.md). On AWS, where each piece has its own CPU, the floor is the polling: the event source mapping reads a standard-consumer shard about once a second and waits up to MaximumBatchingWindowInSeconds (${PROCESSOR_BATCHING.maxBatchingWindowSeconds} s in PROCESSOR_BATCHING) for a batch, so the target needs a batching window of 0 and enhanced fan-out (push instead of polling; docs/benchmarks-analysis.md, section 4).`,
    );
    if (profile) {
      out.push(
        '',
        'Profile of a 500 trips/s run (all processes):',
        '',
        ...Object.entries(profile).map(
          ([role, summaryOfRole]) =>
            `- ${role}: busy ${summaryOfRole.totalMs - summaryOfRole.idleMs} of ${summaryOfRole.totalMs} ms; ${summaryOfRole.byPlace
              .slice(0, 6)
              .map((place) => `${place.place} ${place.pct} %`)
              .join(', ')}`,
        ),
      );
    }
  }
  return out.join('\n');
}

function ingestSection(rows: TargetRow[]): string {
  const result = readResult('ingest');
  if (!result) {
    rows.push(notRun('ingestRatio'));
    return '## 5. Ingest\n\n_not run_\n';
  }
  const { runs, summary, options, singleCallMs, profile } = result.figures;
  rows.push(
    targetRow(
      'ingestRatio',
      `${summary.medianRatio} (${summary.apiTripsPerSecond.median} vs ${summary.bareTripsPerSecond.median} trips/s)`,
      summary.medianRatio,
    ),
  );
  return [
    '## 5. Ingest',
    '',
    ran(result),
    '',
    `${options.trips} real trips per side per repetition (new ids each time), 500 per call, ${options.concurrency} calls in flight, from one client process; the stack (own process) with its poller paused so ingest is measured alone. Bare: PutRecords of the same stream records (as the publisher encodes them) straight to the same kinesalite.`,
    '',
    table(
      ['rep', 'order', 'ingestTrips trips/s', 'call p50 / p99 ms', 'bare PutRecords trips/s', 'ratio'],
      runs.map((run, index) => [
        index + 1,
        run.order,
        run.api.tripsPerSecond,
        `${run.api.callMs.p50} / ${run.api.callMs.p99}`,
        run.bare.tripsPerSecond,
        round(run.api.tripsPerSecond / run.bare.tripsPerSecond, 3),
      ]),
    ),
    '',
    `Median ratio **${summary.medianRatio}** (ingestTrips ${summary.apiTripsPerSecond.median} trips/s, spread ${summary.apiTripsPerSecond.spreadPct} %; bare ${summary.bareTripsPerSecond.median} trips/s, spread ${summary.bareTripsPerSecond.spreadPct} %). One call at a time: p50 ${singleCallMs.p50} ms, p99 ${singleCallMs.p99} ms per 500 trips (the API time used in the cost estimate). A first, uncounted repetition warms both paths up.`,
    '',
    ...(profile
      ? [
          `Profile of the stack process during one more ingestTrips run: ${profile.byPlace
            .slice(0, 8)
            .map((place) => `${place.place} ${place.pct} %`)
            .join(', ')}.`,
          '',
          `Top functions: ${profile.byFunction
            .slice(0, 10)
            .map((entry) => `\`${entry.name}\` (${entry.where || 'V8'}) ${entry.pct} %`)
            .join(', ')}.`,
          '',
        ]
      : []),
  ].join('\n');
}

function bundlesSection(rows: TargetRow[]): string {
  const result = readResult('bundles');
  if (!result) {
    rows.push(notRun('processorBundleKb'), notRun('apiBundleKb'), notRun('coldInitMs'));
    return '## 6. Lambda packages\n\n_not run_\n';
  }
  const { bundles, coldInits, options, esbuildVersion, profiles } = result.figures;
  const deployed = bundles.filter((bundle) => bundle.variant === 'as deployed');
  const processor = deployed.find((bundle) => bundle.name === 'processor');
  const api = deployed.find((bundle) => bundle.name === 'api');
  rows.push(targetRow('processorBundleKb', `${processor?.kb} KB`, processor?.kb), targetRow('apiBundleKb', `${api?.kb} KB`, api?.kb));
  const asOnAws = coldInits.filter((init) => init.variant === 'as deployed' && !init.sourceMaps);
  const worstInit = Math.max(...asOnAws.map((init) => init.initMs.median));
  rows.push(targetRow('coldInitMs', asOnAws.map((init) => `${init.name} ${init.initMs.median} ms`).join(', '), worstInit));
  const out = [
    '## 6. Lambda packages',
    '',
    ran(result),
    '',
    `esbuild ${esbuildVersion} from node_modules with HANDLER_BUNDLING of infra/constructs/pipeline-function.ts, the options CDK runs it with: bundle, minify, ES module entry points first (\`mainFields: ['module', 'main']\`), source map without sources (separate file), Apollo's usage-reporting encoder external (its plugins are disabled), @graphql-tools/schema replaced by a stand-in (HANDLER_ALIASES: src/serve/executable-schema.ts builds the schema with graphql-js alone), platform node, target ${options.target} (the NODEJS_24_X runtime), CommonJS, AWS SDK bundled. The second variant, for comparison, is esbuild's defaults for the last four (CommonJS entry points first, sources in the map, everything bundled, no stand-in): the build before these changes. Cold init: a fresh \`node\` (${process.version} here; Lambda runs Node 24) requires the bundle and invokes the handler once against the emulators (processor: a batch of ${options.recordsPerEvent} real trip records; API: a \`peakHours\` query), then once more warm for comparison; median of ${options.reps}.`,
    '',
    table(
      ['handler', 'build', 'minified KB', 'gzip KB', 'source map KB', 'limit KB', 'largest parts (KB in output)'],
      bundles.map((bundle) => [
        bundle.name,
        bundle.variant,
        bundle.withinLimit ? bundle.kb : `**${bundle.kb}**`,
        bundle.gzipKb,
        bundle.sourceMapKb,
        bundle.limitKb,
        bundle.topInputs
          .slice(0, 7)
          .map((part) => `${part.place} ${part.kb}`)
          .join(', '),
      ]),
    ),
    '',
    table(
      [
        'handler',
        'build',
        'NODE_OPTIONS',
        'load ms',
        'first invocation ms',
        '**init ms** (load + first)',
        'warm invocation ms',
        'node start ms',
      ],
      coldInits.map((init) => [
        init.name,
        init.variant,
        init.sourceMaps ? '--enable-source-maps' : '',
        init.loadMs.median,
        init.firstInvokeMs.median,
        init.initMs.median,
        init.warmInvokeMs.median,
        init.nodeStartMs,
      ]),
    ),
    '',
  ];
  if (profiles && Object.keys(profiles).length > 0) {
    out.push(
      'Where a cold start goes (one profiled cold start per handler, as deployed, without source maps; positions mapped back to packages through the source map; "(anonymous)" at line 1 is the bundle\'s top-level code):',
      '',
      ...Object.entries(profiles).map(
        ([name, summary]) =>
          `- ${name}: ${summary.byFunction
            .slice(0, 6)
            .map((entry) => `\`${entry.name}\` (${entry.where || 'V8'}) ${entry.selfMs} ms`)
            .join(', ')}`,
      ),
      '',
    );
  }
  out.push(
    "**Why.** Built from CommonJS entry points, the bundles carry the whole AWS SDK core (esbuild cannot drop unused exports from CommonJS): @smithy/core, the DynamoDB client, the nested STS/SSO clients of the default credential chain and bowser (browser user-agent detection). ES module entry points let esbuild tree-shake them, and Apollo's usage-reporting protobuf encoder is only loaded by plugins this API disables. Load time is compile + top-level evaluation of the bundle (V8 `wrapSafe` and the top-level function dominate, plus GC), so it scales with bundle size; `--enable-source-maps` would add the parsing of the source map at load (the rows with it): the handlers instead read the map only when they log an error (src/stack-traces.ts), so stack traces in the logs still point into src/. The first invocation also pays the SDK's first request (connection, lazy initialisation) and, for the API, Apollo's schema start-up (compare the warm invocation). What remains of the API's load is graphql-js, Apollo Server and the SDK clients it needs.",
  );
  return out.join('\n');
}

function memorySection(rows: TargetRow[]): string {
  const out: string[] = ['## 7. Memory of `npm start`', ''];
  const runs = (['memory', 'memory-1m'] as const).flatMap((name) => {
    const result = readResult(name);
    return result ? [result] : [];
  });
  for (const result of runs) {
    const figures = result.figures;
    // Flat: the least-squares growth over the second half of the run, per 100,000 trips, within 5 MB,
    // for the stack's node process (all of its RSS) and for the emulator children it starts (their
    // anonymous memory: file-backed pages are LevelDB's memory-mapped files, page cache the kernel
    // can drop). Runs recorded before the split was measured fall back to total RSS.
    const emulatorGrowth = Math.max(...(figures.slopeMbPer100kTrips.emulatorsAnon ?? figures.slopeMbPer100kTrips.emulators));
    const growth = Math.max(Math.abs(figures.slopeMbPer100kTrips.main), emulatorGrowth);
    // The issue's criterion is the 1M-trip run; a shorter run is reported, not judged (GC swings
    // read as slopes over its short second half).
    const decides = figures.trips >= 1_000_000;
    const row = targetRow(
      'memoryGrowthMbPer100k',
      `stack process: peak ${figures.peakRssMb.main} MB, ${figures.slopeMbPer100kTrips.main} MB; dynalite: peak ${figures.peakRssMb.emulators[0]} MB, anonymous ${figures.slopeMbPer100kTrips.emulatorsAnon?.[0] ?? '?'} MB; kinesalite: peak ${figures.peakRssMb.emulators[1]} MB, anonymous ${figures.slopeMbPer100kTrips.emulatorsAnon?.[1] ?? '?'} MB; data directory ${figures.dataDirMb} MB`,
      decides ? growth : undefined,
      `7. npm start over ${figures.trips} trips: peak RSS; growth over the second half per 100k trips`,
    );
    rows.push(decides ? row : { ...row, target: 'shown for comparison (the 1M-trip run decides)' });
    out.push(
      `### ${figures.trips} trips`,
      '',
      ran(result),
      '',
      `\`npm start -- --no-seed\` (its own data directory, a free port) took ${figures.trips} real trips (February 2023 resampled: new ids, dates shifted by 4-week steps) through \`ingestTrips\`, 500 a call, ${figures.options?.concurrency ?? 4} in flight, at most ${figures.options?.maxBacklog ?? 20000} trips ahead of the processor; ${figures.seconds} s, ${figures.tripsPerSecond} trips/s end to end. RSS sampled every second from /proc.`,
      '',
      figures.slopeMbPer100kTrips.emulatorsAnon
        ? `Growth over the second half, split (MB per 100k trips): stack process anonymous ${figures.slopeMbPer100kTrips.mainAnon}; emulators anonymous ${figures.slopeMbPer100kTrips.emulatorsAnon.join(' / ')}, file-backed (memory-mapped LevelDB files) ${figures.slopeMbPer100kTrips.emulatorsFile?.join(' / ') ?? '?'}. Peak anonymous: stack ${figures.peakAnonMb?.main ?? '?'} MB, emulators ${figures.peakAnonMb?.emulators.join(' / ') ?? '?'} MB. Data directory at the end: ${figures.dataDirMb} MB.\n`
        : '',
      table(
        ['process', 'baseline MB', 'at 25 %', 'at 50 %', 'at 75 %', 'at 100 %', 'peak MB', 'growth, second half (MB per 100k trips)'],
        [
          [
            'node running src/local/main.ts (poller, processor, API)',
            figures.baselineRssMb.main,
            figures.rssAtMb['25%'].main,
            figures.rssAtMb['50%'].main,
            figures.rssAtMb['75%'].main,
            figures.rssAtMb['100%'].main,
            figures.peakRssMb.main,
            figures.slopeMbPer100kTrips.main,
          ],
          ...figures.peakRssMb.emulators.map((peak: number, index: number) => [
            `emulator child ${index + 1} (${index === 0 ? 'dynalite' : 'kinesalite'}, by start order)`,
            figures.baselineRssMb.emulators[index],
            figures.rssAtMb['25%'].emulators[index],
            figures.rssAtMb['50%'].emulators[index],
            figures.rssAtMb['75%'].emulators[index],
            figures.rssAtMb['100%'].emulators[index],
            peak,
            figures.slopeMbPer100kTrips.emulators[index],
          ]),
        ],
      ),
      '',
      `Whole tree peak (npm, sh, tsx, node, emulators): ${figures.peakRssMb.tree} MB.`,
      '',
    );
  }
  const secondHalves = runs.map(({ figures }) => `${figures.trips} trips: ${Math.round(figures.seconds / 2)} s`).join(', ');
  if (runs.length === 0) {
    rows.push(notRun('memoryGrowthMbPer100k'));
    out.push('_not run_');
  }
  out.push(
    `**Why the 1M-trip run is the one that decides.** RSS of a garbage-collected process swings by tens of MB. The growth is measured over the second half of a run (${secondHalves}): over a short one a swing reads as a slope of several MB per 100k trips, over the 1M-trip run's the slopes are the growth. Nothing in the stack process grows with the trips processed. The emulators keep their LevelDB block caches and, for kinesalite, the stream's retained records (24 hours, as Kinesis keeps them), which is why their anonymous memory grows by a few MB per 100k trips at most.`,
    '',
    'Before the fix in src/local/emulators/dynalite-iterator-fix.cjs, dynalite did not stay flat at all (dynalite 4.0.0 left the LevelDB iterator of every Query open): docs/benchmarks-analysis.md, section 7, has that run and the cause.',
    '',
    'The 1M-trip run: `npx tsx bench/memory.ts --trips 1000000` (writes bench/results/memory-1m.json).',
  );
  return out.join('\n');
}

function apiLoadSection(rows: TargetRow[]): string {
  const result = readResult('api-load');
  if (!result) {
    rows.push(notRun('abuseP99Ratio'));
    return '## 8. The API under abuse\n\n_not run_\n';
  }
  const { options, rounds, medianP99Ratio, abusiveOperations, limits, readerQueries } = result.figures;
  rows.push(targetRow('abuseP99Ratio', `${medianP99Ratio} (median of ${rounds.length} rounds)`, medianP99Ratio));
  return [
    '## 8. The API under abuse',
    '',
    ran(result),
    '',
    `Well-behaved readers (autocannon, ${options.readers} connections, ${options.seconds} s, in turn: ${readerQueries.length} dashboard queries over February 2023, city-wide) alone, then beside an abusive client (${options.abusers} connections, each sending its next operation as soon as the last is answered) cycling through the costliest operations the limits allow and refused ones, on the same key. The stack runs in its own process; its table holds the real February 2023 city aggregates. Limits: read budget ${limits.maxEstimatedItems} items per request, ${limits.maxAliases} aliases, ${limits.maxQueryRootFields} root fields, depth ${limits.maxDepth}, ${limits.maxTokens} tokens.`,
    '',
    table(
      ['abusive operation', 'estimated items', 'bytes', 'answer'],
      abusiveOperations.map((operation) => [
        operation.name,
        operation.estimatedItems,
        operation.bytes,
        operation.allowed ? 'data' : 'refused (400)',
      ]),
    ),
    '',
    table(
      [
        'round',
        'order',
        'readers alone p50 / p99 ms',
        'beside the abuse p50 / p99 ms',
        'p99 ratio',
        'readers requests alone / beside',
        'abuser requests',
        'abuser statuses',
      ],
      rounds.map((entry, index) => [
        index + 1,
        entry.order,
        `${entry.alone.p50} / ${entry.alone.p99}`,
        `${entry.beside.p50} / ${entry.beside.p99}`,
        entry.p99Ratio,
        `${entry.alone.requests} / ${entry.beside.requests}`,
        entry.abuser.requests,
        Object.entries(entry.abuser.statusCodes)
          .map(([status, { count }]) => `${status}: ${count}`)
          .join(', '),
      ]),
    ),
    '',
    `**Median p99 ratio ${medianP99Ratio}.** Before the limits, one request of 300 aliased hourly February trends read 201,600 items, timed out the DynamoDB client and took another client's one-field query from ~30 ms to 6.3 s (issue 11); now it is refused before it is parsed twice, at the cost of one parse.`,
  ].join('\n');
}

function fuzzSection(rows: TargetRow[]): string {
  const result = readResult('fuzz');
  if (!result) {
    rows.push(notRun('fuzzInputs'));
    return '## 9. Fuzzing the API\n\n_not run_\n';
  }
  const figures = result.figures;
  const failed = figures.failure !== undefined || !figures.servesAfterwards;
  rows.push(
    targetRow(
      'fuzzInputs',
      failed
        ? `${figures.tried}, **failed**: ${figures.failure?.reason ?? 'no answer afterwards'}`
        : `${figures.tried} (seed ${figures.options.seed}), none failed`,
      failed ? 0 : figures.tried,
    ),
  );
  return [
    '## 9. Fuzzing the API',
    '',
    ran(result),
    '',
    `${figures.tried} inputs in ${figures.seconds} s against the local stack (verify/fuzz/): three in four are GraphQL operations generated from the introspected schema (random root fields and sub-selections, aliases, one field repeated up to 40 times, arguments with extreme and wrong values, variables declared with one type and sent with another, by POST or GET), one in four malformed HTTP (broken and truncated JSON, JSON of the wrong shape, wrong content types, empty and 7 MB bodies, invalid UTF-8, other methods, broken query strings); each with a read key, an ingest key, an unknown key or none, one at a time. The quick run of \`npm test\` sends 400 of them with a fixed seed.`,
    '',
    table(
      ['HTTP status', 'answers'],
      Object.entries(figures.statusCounts).map(([status, count]) => [status, count]),
    ),
    '',
    `Answer time p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms (limit 2000 ms); a normal query answered afterwards: ${figures.servesAfterwards ? 'yes' : '**no**'}.${figures.failure ? ` **First failing input** (shrunk): \`${figures.failure.input}\`: ${figures.failure.reason}.` : ''}`,
  ].join('\n');
}

function historySection(rows: TargetRow[]): string {
  const result = readResult('history');
  if (!result) {
    rows.push(notRun('shuffledVsOrdered'), notRun('rebuildVsOrdered'), notRun('rebuildWriteUnitsPerTrip'));
    return '## 11. History at full speed: shuffled months, rebuild, SQL\n\n_not run_\n';
  }
  const figures = result.figures;
  const rate = (value: number) => Math.round(value).toLocaleString('en-US');
  rows.push(
    targetRow(
      'shuffledVsOrdered',
      `${figures.shuffledVsOrdered.toFixed(2)} (${rate(figures.shuffledDefault.tripsPerSecond)} / ${rate(figures.ordered.tripsPerSecond)} trips/s)`,
      figures.shuffledVsOrdered,
    ),
    targetRow(
      'rebuildVsOrdered',
      `${figures.rebuildVsOrdered.toFixed(2)} (${rate(figures.rebuildAggregates.tripsPerSecond)} / ${rate(figures.ordered.tripsPerSecond)} trips/s)`,
      figures.rebuildVsOrdered,
    ),
    targetRow(
      'rebuildWriteUnitsPerTrip',
      figures.rebuildAggregates.aggregateWriteUnitsPerTrip.toFixed(3),
      figures.rebuildAggregates.aggregateWriteUnitsPerTrip,
    ),
  );
  const streamRow = (run: typeof figures.ordered) => [
    run.label,
    run.trips,
    run.seconds.toFixed(1),
    rate(run.tripsPerSecond),
    run.writeUnitsPerTrip.toFixed(3),
  ];
  const rebuildRow = (run: typeof figures.rebuildAggregates) => [
    run.ledger ? 'rebuild from the lake, with the ledger' : 'rebuild from the lake, aggregates only (`--no-ledger`)',
    run.trips,
    run.seconds.toFixed(1),
    rate(run.tripsPerSecond),
    `${run.writeUnitsPerTrip.toFixed(3)} (aggregates ${run.aggregateWriteUnitsPerTrip.toFixed(3)})`,
  ];
  return [
    '## 11. History at full speed: shuffled months, rebuild, SQL',
    '',
    ran(result),
    '',
    `A month of real trips (${figures.monthTrips} valid trips of February 2023 green) through the processor's record loop and the project's DynamoDB store against dynalite (batches of ${figures.options.batch} per shard, ${figures.options.shards} shards in parallel, each run on a fresh table; write units from DynamoDB's ConsumedCapacity), then written as a data lake and rebuilt from it with \`npm run rebuild\`'s use case. The shuffle is seeded (${figures.options.seed}); "default replay order" is the replay's own external sort by pickup time.`,
    '',
    table(
      ['run', 'trips', 'seconds', 'trips/s', 'write units per trip'],
      [
        streamRow(figures.ordered),
        streamRow(figures.shuffledDefault),
        streamRow(figures.shuffledKeepOrder),
        rebuildRow(figures.rebuildAggregates),
        rebuildRow(figures.rebuildWithLedger),
      ],
    ),
    '',
    `The ledger (one \`TRIP#\` item per trip, 1 write unit, as the live processor writes it) is what a processor needs to go on from a rebuilt table; the aggregates are written once per item. SQL over the month's lake (${figures.sql.lakeFiles} Parquet files) with DuckDB, ${figures.sql.reps} runs: the saved peak-hours query p50 ${figures.sql.savedQueryP50Ms.toFixed(0)} ms (max ${figures.sql.savedQueryMaxMs.toFixed(0)} ms), the trips view's top hours p50 ${figures.sql.tripsViewP50Ms.toFixed(0)} ms (max ${figures.sql.tripsViewMaxMs.toFixed(0)} ms).`,
  ].join('\n');
}

function dashboardSection(rows: TargetRow[]): string {
  const result = readResult('dashboard');
  if (!result) {
    rows.push(notRun('dashboardFirstPanelMs'), notRun('dashboardScriptGzipKb'));
    return '## 12. Dashboard page\n\n_not run_\n';
  }
  const { build, cold, warm, seed, options } = result.figures;
  rows.push(
    targetRow('dashboardFirstPanelMs', `${cold.firstPanelMs} ms (all panels ${cold.allPanelsMs} ms)`, cold.firstPanelMs),
    targetRow('dashboardScriptGzipKb', `${build.scriptGzipKb} KB`, build.scriptGzipKb),
  );
  const panels = Object.keys(cold.panelMs);
  return [
    '## 12. Dashboard page',
    '',
    ran(result),
    '',
    `The page built as \`npm start\` builds it (esbuild, minified; built in ${build.buildMs} ms) and served by the stack in its own process, with the shipped month loaded through ingestTrips (${seed.trips.toLocaleString('en-US')} trips, loaded and processed in ${seed.seconds} s). The Chromium of @sparticuz/chromium (as in the tests, on the same 2 cores) opens the signed-in link at 1920 x 1080, ${options.reps} times in a fresh context (cold: nothing cached), each followed by a reload (warm: scripts and zone shapes cached); one load before them is not counted. Times from the navigation's start to the performance mark each panel sets when it has drawn its first answer; medians.`,
    '',
    table(
      ['file', 'KB', 'gzip KB'],
      [
        ['script', build.scriptKb, build.scriptGzipKb],
        ['style sheet', '', build.stylesGzipKb],
        ['zone shapes (loaded when the API has zoneFlows)', build.zonesKb, build.zonesGzipKb],
      ],
    ),
    '',
    table(
      ['load', 'first panel ms', 'all panels ms', ...panels.map((panel) => `${panel} ms`)],
      [
        ['cold', cold.firstPanelMs, cold.allPanelsMs, ...panels.map((panel) => cold.panelMs[panel])],
        ['warm', warm.firstPanelMs, warm.allPanelsMs, ...panels.map((panel) => warm.panelMs[panel])],
      ],
    ),
  ].join('\n');
}

const RESULT_NAMES: readonly ResultName[] = [
  'throughput',
  'write-units',
  'query-latency',
  'freshness',
  'ingest',
  'bundles',
  'memory',
  'memory-1m',
  'api-load',
  'fuzz',
  'forecast-latency',
  'history',
  'dashboard',
];

/** Writes BENCHMARKS.md at `path` and returns the target rows. */
export function writeReport(path: string, commands: Array<{ command: string; seconds?: number; exitCode?: number | null }>): TargetRow[] {
  const results = RESULT_NAMES.flatMap((name) => {
    const result = readResult(name);
    return result ? [result] : [];
  });
  // The machine as the latest benchmark saw it (memory in use changes by the minute), else this one.
  const latest = results.reduce<(typeof results)[number] | undefined>(
    (last, result) => (last === undefined || result.finishedAt > last.finishedAt ? result : last),
    undefined,
  );
  const machine: MachineInfo = latest?.machine ?? machineInfo();
  const rows: TargetRow[] = [];
  const sections = [
    throughputSection(rows),
    writeUnitsSection(rows),
    queryLatencySection(rows),
    freshnessSection(rows),
    ingestSection(rows),
    bundlesSection(rows),
    memorySection(rows),
    apiLoadSection(rows),
    fuzzSection(rows),
    forecastLatencySection(rows),
    historySection(rows),
    dashboardSection(rows),
  ];
  const dates = results.map((result) => result.startedAt).sort();
  const doc = [
    '# Benchmarks',
    '',
    "How fast and how cheap taxi-pulse is, next to the floor of the machinery it runs on, measured on real NYC TLC trips with the project's own code against the real emulators (dynalite, kinesalite) on loopback. Generated by `npm run bench` (bench/run-all.ts) from the raw results in bench/results/*.json; the analysis of the misses and the recommended changes are in [docs/benchmarks-analysis.md](docs/benchmarks-analysis.md).",
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPUs (`nproc`)', machine.nproc],
        ['CPU model', machine.cpuModel],
        ['memory (`free -h`)', `\`${machine.memory}\``],
        ['Node.js', machine.node],
        ['platform', machine.platform],
        ['results from', dates.length ? `${dates[0]} to ${dates[dates.length - 1]}` : ''],
        ['report written', new Date().toISOString()],
      ],
    ),
    '',
    'The machine has 2 cores shared by the client, the stack and both emulators, and other test suites may run on it: every ratio is measured within one run, side by side, as the median of several repetitions, and each result records the load average at its start.',
    '',
    '## Targets',
    '',
    table(
      ['figure', 'measured (median)', 'target', ''],
      rows.map((row) => [row.figure, row.measured, row.target, yes(row.met)]),
    ),
    '',
    '## Commands',
    '',
    '```sh',
    'npm run bench                 # everything below, then this file',
    ...commands.map(
      (entry) =>
        `${entry.command}${entry.seconds !== undefined ? `    # ${entry.seconds} s${entry.exitCode ? `, exit ${entry.exitCode}` : ''}` : ''}`,
    ),
    'npx tsx bench/memory.ts --trips 1000000   # the 1M-trip memory run',
    'npx tsx bench/run-all.ts --report-only    # rewrite this file from bench/results/',
    '```',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
  writeFileSync(path, doc);
  return rows;
}

export const BENCHMARKS_PATH = join(__dirname, '..', '..', 'BENCHMARKS.md');
