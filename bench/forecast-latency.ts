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
 * demandPressure reads the city-wide FLOW#HOUR items of table format 3, which the same seeding writes
 * through the processor's store (the February trips' flows over 20 weeks), plus a synthetic worst case
 * with all 265 zones busy in every hour of 20 weeks of 2024 (items laid out by src/store/flow-item.ts).
 * Measured: HTTP p50, a bare BatchGetItem of the 112 keys, the use case in-process (BatchGetItem,
 * decoding, the pressure of every zone) and the pressure computation alone.
 */
import './lib/setup';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { DEMAND_FORECAST_QUERY, DEMAND_PRESSURE_QUERY } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import { dayKeyOf, dayNumberOf } from '../src/domain/forecast/calendar';
import { computeDemandPressure, pressureHistoryHourKeys } from '../src/domain/forecast/pressure';
import { bucketStart } from '../src/domain/time';
import type { Trip } from '../src/domain/trip';
import { tripTargetId, tripTargets } from '../src/domain/trip-targets';
import type { AggregateContributions } from '../src/process/processor-store';
import { InsightsQueries } from '../src/serve/insights-queries';
import type { InsightsReader } from '../src/serve/insights-reader';
import { DynamoInsightsReader } from '../src/store/dynamo-insights-reader';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import { batchGetItems } from '../src/store/batch-get';
import { addFlowIncrements } from '../src/store/flow-item';
import { flowKey } from '../src/store/keys';
import { queryAll } from '../src/store/query-all';
import { commandLine, flags } from './lib/args';
import { documentClient } from './lib/document-client';
import { shardIdOf, shardOfKey, sequenceNumberOf } from './lib/events';
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

/**
 * The city, Manhattan and zone DAY aggregates of the copies and their city-wide flow hours, through the
 * processor's store; then the synthetic worst case's flow hours.
 */
async function seed(
  stack: InstrumentedStackProcess,
  client: DynamoDBDocumentClient,
  zone: number,
): Promise<{ trips: number; items: number; flowItems: number; seconds: number }> {
  const started = performance.now();
  const base = await readValidTrips();
  const store = new DynamoProcessorStore(client, stack.tableName);
  const items = new Set<string>();
  const flowItems = new Set<string>();
  let trips = 0;
  for (let copy = 0; copy < COPIES; copy++) {
    const byShard: Array<Map<string, AggregateContributions & { contributions: Array<AggregateContributions['contributions'][number]> }>> =
      [new Map(), new Map()];
    base.forEach((original, index) => {
      const trip: Trip = copy === 0 ? original : shiftTrip(original, copy * FOUR_WEEKS_MS, `${original.tripId}~f${copy}`);
      const shard = shardOfKey(trip.tripId, 2);
      const sequenceNumber = sequenceNumberOf(shard, (copy + 1) * 1_000_000 + index);
      for (const target of tripTargets(trip)) {
        if (target.granularity !== (target.kind === 'FLOW' ? 'HOUR' : 'DAY')) continue;
        if (target.kind === 'AGGREGATE' && target.scope.kind === 'ZONE' && target.scope.zoneId !== zone) continue;
        if (target.kind === 'AGGREGATE' && target.scope.kind === 'BOROUGH' && target.scope.borough !== 'MANHATTAN') continue;
        const id = tripTargetId(target);
        (target.kind === 'FLOW' ? flowItems : items).add(id);
        let entry = byShard[shard].get(id);
        if (!entry) byShard[shard].set(id, (entry = { target, contributions: [] }));
        entry.contributions.push({ sequenceNumber, trip, target });
      }
      trips++;
    });
    for (const [shard, aggregates] of byShard.entries()) {
      const outcome = await store.apply(shardIdOf(shard), [...aggregates.values()], []);
      if (outcome.firstFailedSequenceNumber) throw new Error(`seeding failed at ${outcome.firstFailedSequenceNumber}`);
    }
  }
  // The worst case: every zone picks up and drops off in every hour of 20 weeks of 2024.
  const worstCase: Record<string, unknown>[] = [];
  const first = dayNumberOf('2024-02-01');
  for (let day = first; day < first + COPIES * 28; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const bucketKey = `${dayKeyOf(day)}T${String(hour).padStart(2, '0')}`;
      const item: Record<string, unknown> = { ...flowKey('HOUR', bucketKey) };
      for (let zoneId = 1; zoneId <= 265; zoneId++) {
        const pickups = 1 + ((zoneId * 7 + day + hour) % 40);
        const dropoffs = 1 + ((zoneId * 11 + day * 3 + hour) % 40);
        // The item layout is flow-item.ts's: add what that many pickups and drop-offs would.
        const add = (count: number) => (name: string, increment: number) => {
          item[name] = ((item[name] as number | undefined) ?? 0) + increment * count;
        };
        addFlowIncrements({ kind: 'FLOW', granularity: 'HOUR', bucketKey, pickupZoneId: zoneId }, add(pickups));
        addFlowIncrements({ kind: 'FLOW', granularity: 'HOUR', bucketKey, dropoffZoneId: zoneId }, add(dropoffs));
      }
      worstCase.push(item);
    }
  }
  await putItems(client, stack.tableName, worstCase);
  return {
    trips,
    items: items.size,
    flowItems: flowItems.size + worstCase.length,
    seconds: round((performance.now() - started) / 1000, 1),
  };
}

/** Items put as they are, 25 a BatchWriteItem. */
async function putItems(client: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const answer = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (answer.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
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
      queries.map(({ KeyConditionExpression, ExpressionAttributeValues, ProjectionExpression, ExpressionAttributeNames, Limit }) =>
        queryAll(
          client,
          {
            TableName: stack.tableName,
            KeyConditionExpression,
            ExpressionAttributeValues,
            ...(ProjectionExpression ? { ProjectionExpression, ExpressionAttributeNames } : {}),
          },
          Limit,
        ),
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
    readFlows: (...args) => inner.readFlows(...args),
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
  const hourKeys = pressureHistoryHourKeys(atMs);
  const reader = new DynamoInsightsReader(client, stack.tableName);
  const queriesUseCase = new InsightsQueries(reader);
  const bare = () =>
    batchGetItems(
      client,
      stack.tableName,
      hourKeys.map((hourKey) => flowKey('HOUR', hourKey)),
      { concurrency: 4, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } },
    );
  const useCase = () => queriesUseCase.demandPressure({ at, limit: 20 });
  const body = JSON.stringify({ query: DEMAND_PRESSURE_QUERY, variables: { at, limit: 20 } });
  const flows = await reader.readFlowHours(hourKeys);
  const zones = new Set(flows.flatMap((flow) => [...flow.flows.pickups.keys(), ...flow.flows.dropoffs.keys()])).size;
  const answer = await useCase();
  await timed(useCase, 0.5);
  await httpP50(stack, body, 1);
  const rounds: PressureCaseFigures['rounds'] = [];
  for (let round_ = 0; round_ < options.rounds; round_++) {
    const http = await httpP50(stack, body, options.seconds);
    const bareLatencies = await timed(bare, options.seconds);
    const useCaseLatencies = await timed(useCase, options.seconds);
    // The pure part alone, on items read once.
    const compute = await timed(async () => computeDemandPressure(atMs, flows, { limit: 20 }), Math.min(2, options.seconds));
    rounds.push({ httpP50: http, bareP50: p50(bareLatencies), useCaseP50: p50(useCaseLatencies), computeP50: p50(compute) });
  }
  const figures = {
    name,
    itemsRead: flows.length,
    keys: hourKeys.length,
    zones,
    answerBytes: JSON.stringify(answer).length,
    rounds,
    httpP50: median(rounds.map((entry) => entry.httpP50)),
    bareP50: round(median(rounds.map((entry) => entry.bareP50)), 2),
    useCaseP50: round(median(rounds.map((entry) => entry.useCaseP50)), 2),
    computeP50: round(median(rounds.map((entry) => entry.computeP50)), 2),
  };
  console.log(
    `${name}: ${flows.length} items (${hourKeys.length} keys), ${zones} zones; HTTP p50 ${figures.httpP50} ms, bare BatchGetItem p50 ${figures.bareP50} ms, use case in-process p50 ${figures.useCaseP50} ms (pressure of all zones ${figures.computeP50} ms)`,
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
      `seeded ${seeded.trips} trips into ${seeded.items} DAY aggregates and ${seeded.flowItems} flow items in ${seeded.seconds} s`,
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
