/**
 * Figure 10: latency and items read of `demandForecast` and `demandPressure`, next to a bare read of the
 * same items (issue 13's budget: at most 120 items, p50 under 150 ms locally).
 *
 *   npx tsx bench/forecast-latency.ts [--seconds 3] [--rounds 3] [--zone 74]
 *
 * The stack runs in its own process (bench/lib/stack-child.ts). Its table holds 20 weeks of DAY
 * aggregates of the city, Manhattan and the zone, written by the processor's own store: real February
 * 2023 green trips copied with 28-day shifts and new ids (weekdays and hours stay real).
 *
 * demandForecast (168 hours from 2023-06-21, city and zone): HTTP p50 (autocannon, one connection)
 * against the bare Query of the items the API read (recorded inside the stack), and the use case
 * in-process with its read timed.
 *
 * demandPressure: the API cannot read the city-wide flow items until table format 3 stores them
 * (issue 10). Until then its use case is measured in-process against prototype FLOW#HOUR items
 * (bench/lib/format3-items.ts: `p<zone>` pickups, `d<zone>` drop-offs) put into the same table: the
 * same February trips' flows over 20 weeks, and a worst case with all 265 zones busy in every hour; a
 * bare BatchGetItem of the 112 keys beside the whole use case (BatchGetItem, decoding, the pressure of
 * every zone). The HTTP front adds what it adds to demandForecast.
 */
import './lib/setup';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { DEMAND_FORECAST_QUERY } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import { targetsOfTrip, targetId } from '../src/domain/aggregate';
import { flowTargetsOfTrip } from '../src/domain/flows';
import { dayKeyOf, dayNumberOf } from '../src/domain/forecast/calendar';
import { computeDemandPressure, pressureHistoryHourKeys } from '../src/domain/forecast/pressure';
import type { FlowBucket } from '../src/domain/zone-flows-insight';
import { bucketStart } from '../src/domain/time';
import type { Trip } from '../src/domain/trip';
import type { AggregateContributions } from '../src/process/processor-store';
import { InsightsQueries } from '../src/serve/insights-queries';
import type { InsightsReader } from '../src/serve/insights-reader';
import { DynamoInsightsReader } from '../src/store/dynamo-insights-reader';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import type { ItemKey } from '../src/store/keys';
import { queryAll } from '../src/store/query-all';
import { commandLine, flags } from './lib/args';
import { documentClient } from './lib/document-client';
import { shardIdOf, shardOfKey, sequenceNumberOf } from './lib/events';
import { format3Key } from './lib/format3-items';
import type { ForecastCaseFigures, PressureCaseFigures } from './lib/result-types';
import { noteStartLoad, writeResult } from './lib/results';
import { median, percentile, round } from './lib/stats';
import { startStackProcess, type InstrumentedStackProcess, type RecordedQuery } from './lib/stack-process';
import { FOUR_WEEKS_MS, readValidTrips, shiftTrip } from './lib/trips';

const options = flags({ seconds: 3, rounds: 3, zone: 74, samples: 30 });

/** Five copies of February 2023 (four weeks each): 2023-02-01 .. 2023-06-27. */
const COPIES = 5;
const FORECAST_FROM = '2023-06-21T00:00:00';
const PRESSURE_AT = '2023-06-21T18:00:00';
/** The worst case: all zones busy in every hour, in 2024 (its own keys). */
const WORST_CASE_AT = '2024-06-19T18:00:00';

/** The city, Manhattan and zone DAY aggregates of the copies, through the processor's store; and their hourly flows. */
async function seed(
  stack: InstrumentedStackProcess,
  client: DynamoDBDocumentClient,
  zone: number,
): Promise<{ trips: number; items: number; flowItems: number; seconds: number }> {
  const started = performance.now();
  const base = await readValidTrips();
  const store = new DynamoProcessorStore(client, stack.tableName);
  const flows = new Map<string, Map<string, number>>();
  const items = new Set<string>();
  let trips = 0;
  for (let copy = 0; copy < COPIES; copy++) {
    const byShard: Array<Map<string, AggregateContributions & { contributions: Array<{ sequenceNumber: string; trip: Trip }> }>> = [
      new Map(),
      new Map(),
    ];
    base.forEach((original, index) => {
      const trip: Trip = copy === 0 ? original : shiftTrip(original, copy * FOUR_WEEKS_MS, `${original.tripId}~f${copy}`);
      const shard = shardOfKey(trip.tripId, 2);
      const sequenceNumber = sequenceNumberOf(shard, (copy + 1) * 1_000_000 + index);
      for (const target of targetsOfTrip(trip)) {
        if (target.granularity !== 'DAY') continue;
        if (target.scope.kind === 'ZONE' && target.scope.zoneId !== zone) continue;
        if (target.scope.kind === 'BOROUGH' && target.scope.borough !== 'MANHATTAN') continue;
        const id = targetId(target);
        items.add(id);
        let entry = byShard[shard].get(id);
        if (!entry) byShard[shard].set(id, (entry = { target, contributions: [] }));
        entry.contributions.push({ sequenceNumber, trip });
      }
      for (const target of flowTargetsOfTrip(trip)) {
        if (target.granularity !== 'HOUR') continue;
        let counts = flows.get(target.bucketKey);
        if (!counts) flows.set(target.bucketKey, (counts = new Map()));
        if (target.pickupZoneId !== undefined) counts.set(`p${target.pickupZoneId}`, (counts.get(`p${target.pickupZoneId}`) ?? 0) + 1);
        if (target.dropoffZoneId !== undefined) counts.set(`d${target.dropoffZoneId}`, (counts.get(`d${target.dropoffZoneId}`) ?? 0) + 1);
      }
      trips++;
    });
    for (const [shard, aggregates] of byShard.entries()) {
      const outcome = await store.apply(shardIdOf(shard), [...aggregates.values()], []);
      if (outcome.firstFailedSequenceNumber) throw new Error(`seeding failed at ${outcome.firstFailedSequenceNumber}`);
    }
  }
  // The worst case: every zone picks up and drops off in every hour of 20 weeks of 2024.
  const first = dayNumberOf('2024-02-01');
  for (let day = first; day < first + COPIES * 28; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const counts = new Map<string, number>();
      for (let zoneId = 1; zoneId <= 265; zoneId++) {
        counts.set(`p${zoneId}`, 1 + ((zoneId * 7 + day + hour) % 40));
        counts.set(`d${zoneId}`, 1 + ((zoneId * 11 + day * 3 + hour) % 40));
      }
      flows.set(`${dayKeyOf(day)}T${String(hour).padStart(2, '0')}`, counts);
    }
  }
  await putFlowItems(client, stack.tableName, flows);
  return { trips, items: items.size, flowItems: flows.size, seconds: round((performance.now() - started) / 1000, 1) };
}

/** Prototype FLOW#HOUR items (format3Key), 25 a BatchWriteItem. */
async function putFlowItems(client: DynamoDBDocumentClient, tableName: string, flows: Map<string, Map<string, number>>): Promise<void> {
  const items = [...flows].map(([hourKey, counts]) => ({
    ...format3Key({ kind: 'FLOW', granularity: 'HOUR', bucketKey: hourKey }),
    ...Object.fromEntries(counts),
  }));
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const answer = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (answer.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

/** The prototype flow items of `hourKeys`, by BatchGetItem (at most 100 keys a call, in parallel, unprocessed keys again). */
async function batchGetFlows(
  client: DynamoDBDocumentClient,
  tableName: string,
  hourKeys: readonly string[],
): Promise<Record<string, unknown>[]> {
  const keys: ItemKey[] = hourKeys.map((bucketKey) => format3Key({ kind: 'FLOW', granularity: 'HOUR', bucketKey }));
  // As few calls as BatchGetItem's 100 keys allow, of equal size, so that they finish together.
  const calls = Math.ceil(keys.length / 100);
  const size = Math.ceil(keys.length / calls);
  const chunks: ItemKey[][] = [];
  for (let start = 0; start < keys.length; start += size) chunks.push(keys.slice(start, start + size));
  const pages = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Record<string, unknown>[] = [];
      let pending: Array<Record<string, unknown>> = chunk as unknown as Array<Record<string, unknown>>;
      while (pending.length > 0) {
        const answer = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
        items.push(...(answer.Responses?.[tableName] ?? []));
        pending = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
      return items;
    }),
  );
  return pages.flat();
}

/** A prototype flow item as the reader would hand it back. */
function flowHourOf(item: Record<string, unknown>): FlowBucket {
  const pickups = new Map<number, number>();
  const dropoffs = new Map<number, number>();
  for (const [name, value] of Object.entries(item)) {
    if (name[0] === 'p' && name !== 'pk') pickups.set(Number(name.slice(1)), Number(value));
    else if (name[0] === 'd') dropoffs.set(Number(name.slice(1)), Number(value));
  }
  return { bucketKey: String(item.sk), flows: { pickups, dropoffs } };
}

/** The DynamoDB Queries the API issued for one GraphQL request, recorded inside the stack. */
async function queriesOf(stack: InstrumentedStackProcess, body: string): Promise<{ queries: RecordedQuery[]; answerBytes: number }> {
  await stack.request({ type: 'stats-reset' }, 'stats-reset');
  const answer = await postGraphQL(stack.graphqlUrl, body, { headers: apiKeyHeader(stack.apiKeys.read) });
  if (answer.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  const stats = await stack.request<{ queries: RecordedQuery[] }>({ type: 'stats' }, 'stats');
  return { queries: stats.queries, answerBytes: JSON.stringify(answer.data).length };
}

/** Latencies (ms) of `work`, sequentially, for `seconds`. */
async function timed(work: () => Promise<unknown>, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline || latencies.length < 5) {
    const t0 = performance.now();
    await work();
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

async function httpP50(stack: InstrumentedStackProcess, body: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url: stack.graphqlUrl,
    method: 'POST',
    connections: 1,
    duration: seconds,
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKeys.read },
    body,
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return result.latency.p50;
}

const p50 = (values: readonly number[]) => round(percentile(values, 0.5), 2);

async function forecastCase(
  stack: InstrumentedStackProcess,
  client: DynamoDBDocumentClient,
  name: string,
  scope: { zoneId?: number },
): Promise<ForecastCaseFigures> {
  const body = JSON.stringify({ query: DEMAND_FORECAST_QUERY, variables: { from: FORECAST_FROM, hours: 168, ...scope } });
  const { queries, answerBytes } = await queriesOf(stack, body);
  const itemsRead = queries.reduce((sum, query) => sum + query.items, 0);
  const bareQuery = () =>
    Promise.all(
      queries.map(({ KeyConditionExpression, ExpressionAttributeValues, ProjectionExpression, ExpressionAttributeNames }) =>
        queryAll(client, {
          TableName: stack.tableName,
          KeyConditionExpression,
          ExpressionAttributeValues,
          ...(ProjectionExpression ? { ProjectionExpression, ExpressionAttributeNames } : {}),
        }),
      ),
    );
  // The use case in-process, its read timed apart.
  const inner = new DynamoInsightsReader(client, stack.tableName);
  let readMs = 0;
  const reader: InsightsReader = {
    readAggregates: (...args) => inner.readAggregates(...args),
    readHourCounts: async (...args) => {
      const t0 = performance.now();
      const items = await inner.readHourCounts(...args);
      readMs += performance.now() - t0;
      return items;
    },
    readFlowHours: (...args) => inner.readFlowHours(...args),
    readCounts: () => inner.readCounts(),
    readShardStatus: () => inner.readShardStatus(),
  };
  const queriesUseCase = new InsightsQueries(reader);
  // Warm both paths (and the model's code in this process) before measuring.
  for (let warm = 0; warm < 10; warm++) await queriesUseCase.demandForecast({ from: FORECAST_FROM, hours: 168, ...scope });
  await timed(bareQuery, 0.3);
  await httpP50(stack, body, 1);
  const rounds: ForecastCaseFigures['rounds'] = [];
  for (let round_ = 0; round_ < options.rounds; round_++) {
    const bare = await timed(bareQuery, options.seconds);
    const http = await httpP50(stack, body, options.seconds);
    const reads: number[] = [];
    const totals: number[] = [];
    for (let sample = 0; sample < options.samples; sample++) {
      readMs = 0;
      const t0 = performance.now();
      await queriesUseCase.demandForecast({ from: FORECAST_FROM, hours: 168, ...scope });
      totals.push(performance.now() - t0);
      reads.push(readMs);
    }
    rounds.push({ httpP50: http, bareP50: p50(bare), useCaseP50: p50(totals), useCaseReadP50: p50(reads) });
  }
  const figures = {
    name,
    itemsRead,
    queries: queries.length,
    answerBytes,
    rounds,
    httpP50: median(rounds.map((entry) => entry.httpP50)),
    bareP50: round(median(rounds.map((entry) => entry.bareP50)), 2),
    useCaseP50: round(median(rounds.map((entry) => entry.useCaseP50)), 2),
    useCaseReadP50: round(median(rounds.map((entry) => entry.useCaseReadP50)), 2),
  };
  console.log(
    `${name}: ${itemsRead} items in ${queries.length} Query; HTTP p50 ${figures.httpP50} ms, bare Query p50 ${figures.bareP50} ms, use case in-process p50 ${figures.useCaseP50} ms (read ${figures.useCaseReadP50} ms)`,
  );
  return figures;
}

async function pressureCase(
  stack: InstrumentedStackProcess,
  client: DynamoDBDocumentClient,
  name: string,
  at: string,
): Promise<PressureCaseFigures> {
  const atMs = bucketStart(`${at.slice(0, 10)}T${at.slice(11, 13)}`, 'HOUR');
  const keys = pressureHistoryHourKeys(atMs);
  const bare = () => batchGetFlows(client, stack.tableName, keys);
  let zones = 0;
  const useCase = async () => {
    const flows = (await bare()).map(flowHourOf);
    zones = new Set(flows.flatMap((flow) => [...flow.flows.pickups.keys(), ...flow.flows.dropoffs.keys()])).size;
    return computeDemandPressure(atMs, flows, { limit: 20 });
  };
  const items = (await bare()).length;
  const answer = await useCase();
  await timed(useCase, 0.5);
  const rounds: PressureCaseFigures['rounds'] = [];
  for (let round_ = 0; round_ < options.rounds; round_++) {
    const bareLatencies = await timed(bare, options.seconds);
    const useCaseLatencies = await timed(useCase, options.seconds);
    // The pure part alone, on items read once.
    const flows = (await bare()).map(flowHourOf);
    const compute = await timed(async () => computeDemandPressure(atMs, flows, { limit: 20 }), Math.min(2, options.seconds));
    rounds.push({ bareP50: p50(bareLatencies), useCaseP50: p50(useCaseLatencies), computeP50: p50(compute) });
  }
  const figures = {
    name,
    itemsRead: items,
    keys: keys.length,
    zones,
    answerBytes: JSON.stringify(answer).length,
    rounds,
    bareP50: round(median(rounds.map((entry) => entry.bareP50)), 2),
    useCaseP50: round(median(rounds.map((entry) => entry.useCaseP50)), 2),
    computeP50: round(median(rounds.map((entry) => entry.computeP50)), 2),
  };
  console.log(
    `${name}: ${items} items (${keys.length} keys), ${zones} zones; bare BatchGetItem p50 ${figures.bareP50} ms, use case in-process p50 ${figures.useCaseP50} ms (pressure of all zones ${figures.computeP50} ms)`,
  );
  return figures;
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const stack = await startStackProcess('forecast-latency', { meter: true });
  try {
    const client = documentClient(stack.endpoints.dynamodb);
    const seeded = await seed(stack, client, options.zone);
    console.log(
      `seeded ${seeded.trips} trips into ${seeded.items} DAY aggregates and ${seeded.flowItems} prototype flow items in ${seeded.seconds} s`,
    );
    const forecasts = [
      await forecastCase(stack, client, 'demandForecast 168 h, city', {}),
      await forecastCase(stack, client, `demandForecast 168 h, zone ${options.zone}`, { zoneId: options.zone }),
    ];
    const pressures = [
      await pressureCase(stack, client, 'demandPressure, February 2023 flows', PRESSURE_AT),
      await pressureCase(stack, client, 'demandPressure, all 265 zones busy (synthetic)', WORST_CASE_AT),
    ];
    client.destroy();
    writeResult('forecast-latency', commandLine('bench/forecast-latency.ts'), startedAt, {
      options,
      seed: seeded,
      forecasts,
      pressures,
    });
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
