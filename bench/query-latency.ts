/**
 * Figure 3: query latency over HTTP (autocannon, one connection: latency, not load) of `peakHours`,
 * `fareTrend` and `operations` for one month (HOUR) and one year (DAY, WEEK or MONTH), city-wide and
 * for one zone, and of `zoneFlows` over a year (day-aligned, and from 13:00 to 13:00) and a month, next
 * to a bare DynamoDB Query of the same items from the same client process; and how many items each
 * query reads (counted in the stack from the Query answers).
 *
 *   npx tsx bench/query-latency.ts [--seconds 3] [--rounds 3] [--zone 74]
 *
 * The stack runs in its own process (bench/lib/stack-child.ts). Its table is filled with a year of
 * aggregates (2023) for the city and the zone, and of flow items, written by the processor's own store
 * (two shards, so items carry two exactly-once marks as locally): real February 2023 green trips,
 * copied with 28-day shifts (February 2023 is four weeks, so weekdays and hours stay real) and new ids.
 */
import './lib/setup';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../src/store/query-all';
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tripTargetId, tripTargets } from '../src/domain/trip-targets';
import type { AggregateContributions } from '../src/process/processor-store';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import { aggregateFromItem } from '../src/store/aggregate-item';
import { flowsFromItem } from '../src/store/flow-item';
import { zoneFlowsReadPlan } from '../src/domain/zone-flows-insight';
import { DynamoInsightsReader } from '../src/store/dynamo-insights-reader';
import { InsightsQueries } from '../src/serve/insights-queries';
import type { InsightsReader } from '../src/serve/insights-reader';
import { bucketKeysInRange, bucketStart, parseDateTime } from '../src/domain/time';
import { hasHourlyDetail } from '../src/domain/scope';
import { parseAggregatePartition, parseFlowPartition, partitionOfKeyCondition } from '../src/store/keys';
import { commandLine, flags } from './lib/args';
import { documentClient } from './lib/document-client';
import { summariseProfile } from './lib/cpu-profile';
import { shardIdOf, shardOfKey, sequenceNumberOf } from './lib/events';
import { FARE_TREND_QUERY, OPERATIONS_QUERY, PEAK_HOURS_QUERY, ZONE_FLOWS_QUERY } from '../src/cli/api-client/api-queries';
import { apiKeyHeader, postGraphQL } from '../src/cli/api-client/graphql-client';
import type { QueryWhatIf } from './lib/result-types';
import { noteStartLoad, writeResult } from './lib/results';
import { median, percentile, round } from './lib/stats';
import { startStackProcess, type RecordedQuery, type InstrumentedStackProcess } from './lib/stack-process';
import { FOUR_WEEKS_MS, readValidTrips, shiftTrip } from './lib/trips';

const options = flags({ seconds: 2, yearRequests: 10, rounds: 3, zone: 74, profile: false });

interface QueryCase {
  name: string;
  body: string;
  /** A one-year range: reads at most 400 items, plus the hours of its partial first and last days. */
  year: boolean;
  /** The hours of the partial days at either end of the range that zoneFlows reads besides whole days. */
  partialDayHours?: number;
  /** The API's use case for the same question, run in-process by the what-ifs. */
  useCase: (queries: InsightsQueries) => Promise<unknown>;
}

/** The HOUR flow items zoneFlows reads for the partial days at the ends of a range (zoneFlowsReadPlan). */
function partialDayHours(range: { from: string; to: string }): number {
  const plan = zoneFlowsReadPlan(parseDateTime(range.from)!, parseDateTime(range.to)!);
  return plan.hours.reduce(
    (sum, [first, last]) => sum + bucketKeysInRange(bucketStart(first, 'HOUR'), bucketStart(last, 'HOUR') + 1, 'HOUR').length,
    0,
  );
}

function cases(zone: number): QueryCase[] {
  const month = { from: '2023-02-01', to: '2023-03-01' };
  const year = { from: '2023-01-01', to: '2024-01-01' };
  const list: QueryCase[] = [];
  for (const [scopeName, scope] of [
    ['city', {}],
    [`zone ${zone}`, { zoneId: zone }],
  ] as const) {
    list.push({
      name: `peakHours month, ${scopeName}`,
      year: false,
      body: JSON.stringify({ query: PEAK_HOURS_QUERY, variables: { range: month, limit: 10, ...scope } }),
      useCase: (queries) => queries.peakHours(month, scope, 10),
    });
    list.push({
      name: `peakHours year, ${scopeName}`,
      year: true,
      body: JSON.stringify({ query: PEAK_HOURS_QUERY, variables: { range: year, limit: 10, ...scope } }),
      useCase: (queries) => queries.peakHours(year, scope, 10),
    });
    list.push({
      name: `fareTrend HOUR month, ${scopeName}`,
      year: false,
      body: JSON.stringify({ query: FARE_TREND_QUERY, variables: { range: month, granularity: 'HOUR', ...scope } }),
      useCase: (queries) => queries.fareTrend(month, 'HOUR', scope),
    });
    for (const granularity of ['DAY', 'MONTH'] as const) {
      list.push({
        name: `fareTrend ${granularity} year, ${scopeName}`,
        year: true,
        body: JSON.stringify({ query: FARE_TREND_QUERY, variables: { range: year, granularity, ...scope } }),
        useCase: (queries) => queries.fareTrend(year, granularity, scope),
      });
    }
    list.push({
      name: `operations HOUR month, ${scopeName}`,
      year: false,
      body: JSON.stringify({ query: OPERATIONS_QUERY, variables: { range: month, granularity: 'HOUR', ...scope } }),
      useCase: (queries) => queries.operations(month, 'HOUR', scope),
    });
    for (const granularity of ['DAY', 'WEEK'] as const) {
      list.push({
        name: `operations ${granularity} year, ${scopeName}`,
        year: true,
        body: JSON.stringify({ query: OPERATIONS_QUERY, variables: { range: year, granularity, ...scope } }),
        useCase: (queries) => queries.operations(year, granularity, scope),
      });
    }
  }
  const oddYear = { from: '2023-01-01T13:00:00', to: '2024-01-01T13:00:00' };
  list.push(
    {
      name: 'zoneFlows month, city',
      year: false,
      body: JSON.stringify({ query: ZONE_FLOWS_QUERY, variables: { range: month } }),
      useCase: (queries) => queries.zoneFlows(month, null),
    },
    {
      name: 'zoneFlows year, city',
      year: true,
      body: JSON.stringify({ query: ZONE_FLOWS_QUERY, variables: { range: year } }),
      useCase: (queries) => queries.zoneFlows(year, null),
    },
    {
      name: 'zoneFlows year 13:00 to 13:00, city',
      year: true,
      partialDayHours: partialDayHours(oddYear),
      body: JSON.stringify({ query: ZONE_FLOWS_QUERY, variables: { range: oddYear } }),
      useCase: (queries) => queries.zoneFlows(oddYear, null),
    },
  );
  return list;
}

/** A year of city and zone aggregates, through DynamoProcessorStore.apply (two shards' marks). */
async function seedYear(stack: InstrumentedStackProcess, zone: number): Promise<{ trips: number; items: number; seconds: number }> {
  const started = performance.now();
  const base = await readValidTrips();
  const client = documentClient(stack.endpoints.dynamodb);
  const store = new DynamoProcessorStore(client, stack.tableName);
  let trips = 0;
  const items = new Set<string>();
  // Copies -2..11 cover 2022-12-07 .. 2024-01-02, so every day of 2023 holds a real day of trips.
  for (let copy = -2; copy <= 11; copy++) {
    const byShard: Array<Map<string, AggregateContributions & { contributions: Array<AggregateContributions['contributions'][number]> }>> =
      [new Map(), new Map()];
    base.forEach((original, index) => {
      const trip = copy === 0 ? original : shiftTrip(original, copy * FOUR_WEEKS_MS, `${original.tripId}~r${copy}`);
      const shard = shardOfKey(trip.tripId, 2);
      const sequenceNumber = sequenceNumberOf(shard, (copy + 3) * 1_000_000 + index);
      for (const target of tripTargets(trip)) {
        if (
          target.kind === 'AGGREGATE' &&
          (target.scope.kind === 'BOROUGH' || (target.scope.kind === 'ZONE' && target.scope.zoneId !== zone))
        )
          continue;
        // HOUR aggregates only for the month the HOUR queries read (they are bounded to 93 days); HOUR
        // flow items for the whole year, whose partial days a zoneFlows range may read.
        if (target.granularity === 'HOUR' && target.kind === 'AGGREGATE' && copy !== 0) continue;
        const id = tripTargetId(target);
        items.add(id);
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
  client.destroy();
  return { trips, items: items.size, seconds: round((performance.now() - started) / 1000, 1) };
}

/** The DynamoDB Queries the API issued for one GraphQL request, recorded inside the stack. */
async function queriesOf(
  stack: InstrumentedStackProcess,
  body: string,
): Promise<{ queries: RecordedQuery[]; readUnits: number; answer: unknown }> {
  await stack.request({ type: 'stats-reset' }, 'stats-reset');
  const answer = await postGraphQL(stack.graphqlUrl, body, { headers: apiKeyHeader(stack.apiKeys.read) });
  if (answer.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  const stats = await stack.request<{ queries: RecordedQuery[]; capacity?: Record<string, { capacityUnits: number }> }>(
    { type: 'stats' },
    'stats',
  );
  return { queries: stats.queries, readUnits: stats.capacity?.QueryCommand?.capacityUnits ?? 0, answer: answer.data };
}

/** One recorded Query, every page; `projected: false` reads the full items whatever the API projected. */
function runQuery(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: RecordedQuery,
  projected = true,
): Promise<Record<string, unknown>[]> {
  const { KeyConditionExpression, ExpressionAttributeValues, ProjectionExpression, ExpressionAttributeNames, Limit } = query;
  return queryAll(
    client,
    {
      TableName: tableName,
      KeyConditionExpression,
      ExpressionAttributeValues,
      ...(projected && ProjectionExpression ? { ProjectionExpression, ExpressionAttributeNames } : {}),
    },
    Limit,
  );
}

/** Latencies (ms) of the same Queries, bare, sequentially, for `seconds` or `amount` times. */
async function bareLatencies(
  client: DynamoDBDocumentClient,
  tableName: string,
  queries: readonly RecordedQuery[],
  load: { seconds?: number; amount?: number },
): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + (load.seconds ?? Infinity) * 1000;
  while (load.amount !== undefined ? latencies.length < load.amount : performance.now() < deadline) {
    const t0 = performance.now();
    for (const query of queries) await runQuery(client, tableName, query);
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

async function httpLatencies(
  stack: InstrumentedStackProcess,
  body: string,
  load: { seconds?: number; amount?: number },
): Promise<{ p50: number; p99: number; mean: number; requests: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url: stack.graphqlUrl,
    method: 'POST',
    connections: 1,
    ...(load.amount !== undefined ? { amount: load.amount } : { duration: load.seconds ?? 2 }),
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKeys.read },
    body,
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: round(result.latency.mean, 2),
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * Where the API's time goes in-process, per query: aggregateFromItem over the items it reads, and the
 * use case split into read / compute / JSON; for peakHours, the Query of full items against the one
 * projected to the hour counts (sk, h00..h23) that the API now issues.
 */
async function whatIfs(
  client: DynamoDBDocumentClient,
  stack: InstrumentedStackProcess,
  reads: Array<{ queryCase: QueryCase; queries: RecordedQuery[] }>,
) {
  const out: QueryWhatIf[] = [];
  for (const { queryCase, queries } of reads) {
    // Each item read, as the reader decodes it: an aggregate, or a flow bucket.
    const decoders: Array<() => unknown> = [];
    for (const query of queries) {
      const partitionKey = partitionOfKeyCondition(query) ?? '';
      const partition = parseAggregatePartition(partitionKey);
      const items = await runQuery(client, stack.tableName, query, false);
      if (partition) {
        const { scope, granularity } = partition;
        const hourly = hasHourlyDetail(scope, granularity);
        for (const item of items) decoders.push(() => aggregateFromItem(item, granularity, hourly));
      } else if (parseFlowPartition(partitionKey)) {
        for (const item of items) decoders.push(() => flowsFromItem(item));
      } else {
        throw new Error(`not a Query of aggregates or flows: ${query.KeyConditionExpression}`);
      }
    }
    const time = () => {
      const samples: number[] = [];
      for (let rep = 0; rep < 15; rep++) {
        const t0 = performance.now();
        for (const decode of decoders) decode();
        samples.push(performance.now() - t0);
      }
      return round(median(samples), 2);
    };
    const entry: QueryWhatIf = { name: queryCase.name, items: decoders.length, aggregateFromItemMs: time() };
    if (queryCase.name.startsWith('peakHours')) {
      const projected = async (projection: boolean) => {
        const samples: number[] = [];
        for (let rep = 0; rep < 7; rep++) {
          const t0 = performance.now();
          for (const query of queries) await runQuery(client, stack.tableName, query, projection);
          samples.push(performance.now() - t0);
        }
        return round(median(samples), 1);
      };
      entry.bareQueryMs = await projected(false);
      entry.projectedQueryMs = await projected(true);
    }
    // The API's use case in this process, timed in parts: read (Query, unmarshal, aggregateFromItem)
    // and compute (peak hours, buckets with their quantiles, zone flows), then JSON of the result.
    const inner = new DynamoInsightsReader(client, stack.tableName);
    let readMs = 0;
    /** `read`, with the time it takes added to readMs. */
    const timed = async <T>(read: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await read();
      } finally {
        readMs += performance.now() - t0;
      }
    };
    const timedReader: InsightsReader = {
      readAggregates: (...args) => timed(() => inner.readAggregates(...args)),
      readHourCounts: (...args) => timed(() => inner.readHourCounts(...args)),
      readFlowHours: (...args) => timed(() => inner.readFlowHours(...args)),
      readFlows: (...args) => timed(() => inner.readFlows(...args)),
      readCounts: () => inner.readCounts(),
      readShardStatus: () => inner.readShardStatus(),
    };
    const queriesUseCase = new InsightsQueries(timedReader);
    const parts = { totalMs: [] as number[], readMs: [] as number[], jsonMs: [] as number[] };
    for (let rep = 0; rep < 7; rep++) {
      readMs = 0;
      const t0 = performance.now();
      const result = await queryCase.useCase(queriesUseCase);
      const t1 = performance.now();
      JSON.stringify(result);
      parts.totalMs.push(t1 - t0);
      parts.readMs.push(readMs);
      parts.jsonMs.push(performance.now() - t1);
    }
    entry.useCaseMs = {
      read: round(median(parts.readMs), 1),
      compute: round(median(parts.totalMs.map((total, index) => total - parts.readMs[index])), 1),
      json: round(median(parts.jsonMs), 1),
    };
    out.push(entry);
    console.log(
      `what-if ${queryCase.name}: use case in-process: read ${(entry.useCaseMs as Record<string, number>).read} ms, compute ${(entry.useCaseMs as Record<string, number>).compute} ms, JSON ${(entry.useCaseMs as Record<string, number>).json} ms`,
    );
    console.log(
      `in-process ${queryCase.name}: decoding ${entry.aggregateFromItemMs} ms for ${entry.items} items${entry.projectedQueryMs !== undefined ? `; Query ${entry.bareQueryMs} ms, projected to the hour counts ${entry.projectedQueryMs} ms` : ''}`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const stack = await startStackProcess('query-latency', { meter: true });
  try {
    const seed = await seedYear(stack, options.zone);
    console.log(
      `seeded ${seed.trips} trips into ${seed.items} aggregate and flow items (city and zone ${options.zone}, 2023) in ${seed.seconds} s`,
    );
    const client = documentClient(stack.endpoints.dynamodb);
    const results = [];
    // What each query reads, recorded before any load (a request still in flight would blur it).
    const reads = [];
    for (const queryCase of cases(options.zone)) reads.push({ queryCase, ...(await queriesOf(stack, queryCase.body)) });
    for (const { queryCase, queries, readUnits, answer } of reads) {
      void readUnits;
      const itemsRead = queries.reduce((sum, query) => sum + query.items, 0);
      const load = queryCase.year ? { amount: options.yearRequests } : { seconds: options.seconds };
      // Warm both paths once, then alternate rounds so that drift hits both alike.
      await bareLatencies(client, stack.tableName, queries, { amount: 2 });
      await httpLatencies(stack, queryCase.body, { amount: 2 });
      const rounds: Array<{
        bare: { p50: number; p99: number; mean: number; count: number };
        http: Awaited<ReturnType<typeof httpLatencies>>;
      }> = [];
      for (let round_ = 0; round_ < options.rounds; round_++) {
        const bare = await bareLatencies(client, stack.tableName, queries, load);
        const http = await httpLatencies(stack, queryCase.body, load);
        rounds.push({
          bare: {
            p50: round(percentile(bare, 0.5), 2),
            p99: round(percentile(bare, 0.99), 2),
            mean: round(bare.reduce((s, v) => s + v, 0) / bare.length, 2),
            count: bare.length,
          },
          http,
        });
      }
      const figures = {
        name: queryCase.name,
        year: queryCase.year,
        partialDayHours: queryCase.partialDayHours,
        itemsRead,
        dynamoQueries: queries,
        readUnits,
        answerBytes: JSON.stringify(answer).length,
        rounds,
        httpP50: median(rounds.map((r) => r.http.p50)),
        httpP99: median(rounds.map((r) => r.http.p99)),
        httpMean: median(rounds.map((r) => r.http.mean)),
        bareP50: round(median(rounds.map((r) => r.bare.p50)), 2),
        bareP99: round(median(rounds.map((r) => r.bare.p99)), 2),
        bareMean: round(median(rounds.map((r) => r.bare.mean)), 2),
      };
      const ratio = round(figures.httpP50 / figures.bareP50, 2);
      const ratioMean = round(figures.httpMean / figures.bareMean, 2);
      results.push({ ...figures, ratioP50: ratio, ratioMean });
      console.log(
        `${queryCase.name}: ${itemsRead} items; HTTP p50 ${figures.httpP50} ms p99 ${figures.httpP99} ms (mean ${figures.httpMean}); bare Query p50 ${figures.bareP50} ms p99 ${figures.bareP99} ms (mean ${figures.bareMean}); p50 ratio ${ratio}`,
      );
    }
    const whatIf = options.profile ? await whatIfs(client, stack, reads) : undefined;
    // A profiling pass after the measured rounds: every query, HTTP only, the stack under V8's profiler.
    let profile;
    if (options.profile) {
      const path = join(mkdtempSync(join(tmpdir(), 'taxi-pulse-bench-prof-')), 'stack.cpuprofile');
      await stack.request({ type: 'profile-start' }, 'profile-started');
      for (const { queryCase } of reads) await httpLatencies(stack, queryCase.body, { amount: queryCase.year ? 5 : 20 });
      await stack.request({ type: 'profile-stop', path }, 'profile-stopped');
      profile = summariseProfile(path, 20);
      rmSync(dirname(path), { recursive: true, force: true });
      console.log(
        `profile of the stack process: busy ${profile.totalMs - profile.idleMs} of ${profile.totalMs} ms; ${profile.byPlace
          .slice(0, 8)
          .map((place) => `${place.place} ${place.pct}%`)
          .join(', ')}`,
      );
    }
    client.destroy();
    await stack.stop();
    writeResult('query-latency', commandLine('bench/query-latency.ts'), startedAt, { options, seed, results, profile, whatIf });
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
