/**
 * Figure 8: the API under abuse. Well-behaved readers (autocannon, a few connections, the queries a
 * dashboard sends: a month's peak hours and daily fare trend, city-wide) alone, then beside an abusive
 * client that sends, as fast as it is answered, the costliest operations the limits allow (hourly
 * February fare trends, aliased up to the read budget) and refused ones (the 300 aliased
 * hourly trends, an operation just over the budget, a document of aliases up to the token limit).
 * The readers' p99 beside the abuse over alone is the figure; rounds alternate the order.
 *
 *   npx tsx bench/api-load.ts [--seconds 8] [--rounds 3] [--readers 2] [--abusers 2]
 *
 * The stack runs in its own process (bench/lib/stack-child.ts) on its own data directory; its table
 * holds the real February 2023 green trips' city aggregates, written by the processor's own store.
 */
import './lib/setup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { tripTargetId, tripTargets } from '../src/domain/trip-targets';
import type { AggregateContributions } from '../src/process/processor-store';
import { estimateOperation } from '../src/serve/cost-model';
import { typeDefs } from '../src/serve/generated/type-defs';
import { OPERATION_LIMITS } from '../src/serve/operation-limits';
import { DynamoProcessorStore } from '../src/store/dynamo-processor-store';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { commandLine, flags } from './lib/args';
import { shardIdOf, sequenceNumberOf } from './lib/events';
import type { ApiLoadRound } from './lib/result-types';
import { noteStartLoad, writeResult } from './lib/results';
import { median, round } from './lib/stats';
import { startStackProcess, type InstrumentedStackProcess } from './lib/stack-process';
import { TARGETS } from './lib/targets';
import { readValidTrips } from './lib/trips';

const options = flags({ seconds: 8, rounds: 3, readers: 2, abusers: 2 });

const FEBRUARY = '{ from: "2023-02-01", to: "2023-03-01" }';
const HOURLY = (alias: string) =>
  `${alias}: fareTrend(range: ${FEBRUARY}, granularity: HOUR) { buckets { start trips averageFare medianFare p90Fare } }`;
const aliased = (count: number, field: (alias: string) => string) =>
  `{ ${Array.from({ length: count }, (_, index) => field(`a${index}`)).join(' ')} }`;

/** What the well-behaved readers send, in turn. */
const READER_QUERIES = [
  `{ peakHours(range: ${FEBRUARY}, limit: 10) { top { hourStart trips } byHourOfDay { hourOfDay trips } totalTrips } }`,
  `{ fareTrend(range: ${FEBRUARY}, granularity: DAY) { buckets { start trips averageFare medianFare } } }`,
];

const schema = buildSchema(typeDefs);
function estimatedItems(query: string): number {
  const document = parse(query);
  return estimateOperation(schema, document, document.definitions[0] as OperationDefinitionNode, {}).items;
}

/** The abusive client's operations: the costliest allowed, and refused ones of each kind. */
function abusiveOperations(): Array<{ name: string; query: string; allowed: boolean }> {
  const perTrend = estimatedItems(aliased(1, HOURLY));
  const maxAllowed = Math.floor(OPERATION_LIMITS.maxEstimatedItems / perTrend);
  // Aliases of one short field, as many as the token limit lets through the parser.
  const bomb = `{ ${Array.from({ length: Math.floor(OPERATION_LIMITS.maxTokens / 6) }, (_, index) => `a${index}: __typename`).join(' ')} }`;
  return [
    {
      name: `${maxAllowed} aliased hourly February fareTrends (${maxAllowed * perTrend} items)`,
      query: aliased(maxAllowed, HOURLY),
      allowed: true,
    },
    { name: "300 aliased hourly February fareTrends (the issue's request)", query: aliased(300, HOURLY), allowed: false },
    {
      name: `${maxAllowed + 1} aliased hourly February fareTrends (just over the budget)`,
      query: aliased(maxAllowed + 1, HOURLY),
      allowed: false,
    },
    { name: 'aliases of __typename up to the token limit', query: bomb, allowed: false },
  ];
}

/** The city's February aggregates, through DynamoProcessorStore.apply as the processor writes them. */
async function seedFebruary(stack: InstrumentedStackProcess): Promise<number> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: stack.endpoints.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const store = new DynamoProcessorStore(client, stack.tableName);
  const aggregates = new Map<string, AggregateContributions & { contributions: Array<AggregateContributions['contributions'][number]> }>();
  const trips = await readValidTrips();
  trips.forEach((trip, index) => {
    for (const target of tripTargets(trip)) {
      if (target.kind !== 'AGGREGATE' || target.scope.kind !== 'CITY') continue;
      const id = tripTargetId(target);
      let entry = aggregates.get(id);
      if (!entry) aggregates.set(id, (entry = { target, contributions: [] }));
      entry.contributions.push({ sequenceNumber: sequenceNumberOf(0, index + 1), trip, target });
    }
  });
  const outcome = await store.apply(shardIdOf(0), [...aggregates.values()], []);
  if (outcome.firstFailedSequenceNumber) throw new Error(`seeding failed at ${outcome.firstFailedSequenceNumber}`);
  client.destroy();
  return aggregates.size;
}

function readers(stack: InstrumentedStackProcess, seconds: number) {
  return autocannon({
    url: stack.graphqlUrl,
    connections: options.readers,
    duration: seconds,
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKeys.read },
    requests: READER_QUERIES.map((query) => ({ method: 'POST' as const, body: JSON.stringify({ query }) })),
  });
}

function abuser(stack: InstrumentedStackProcess, seconds: number) {
  return autocannon({
    url: stack.graphqlUrl,
    connections: options.abusers,
    duration: seconds,
    timeout: 30,
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKeys.read },
    requests: abusiveOperations().map(({ query }) => ({ method: 'POST' as const, body: JSON.stringify({ query }) })),
  });
}

const latencyOf = (result: autocannon.Result) => ({
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});

async function main(): Promise<void> {
  const startedAt = noteStartLoad();
  const stack = await startStackProcess('api-load');
  try {
    const items = await seedFebruary(stack);
    console.log(`seeded ${items} city aggregates of February 2023`);
    const operations = abusiveOperations();
    for (const operation of operations)
      console.log(`abusive operation: ${operation.name}, estimated ${estimatedItems(operation.query)} items`);
    // Warm-up: the handler's first requests (schema start, connections, document cache).
    await readers(stack, 2);
    const rounds: ApiLoadRound[] = [];
    for (let round_ = 0; round_ < options.rounds; round_++) {
      const aloneFirst = round_ % 2 === 0;
      const measureAlone = () => readers(stack, options.seconds);
      const measureBeside = async () => {
        const [read, abuse] = await Promise.all([readers(stack, options.seconds), abuser(stack, options.seconds)]);
        return { read, abuse };
      };
      const alone = aloneFirst ? await measureAlone() : undefined;
      const beside = await measureBeside();
      const aloneResult = alone ?? (await measureAlone());
      const entry: ApiLoadRound = {
        order: aloneFirst ? 'alone first' : 'beside first',
        alone: latencyOf(aloneResult),
        beside: latencyOf(beside.read),
        abuser: { ...latencyOf(beside.abuse), statusCodes: beside.abuse.statusCodeStats as unknown as Record<string, { count: number }> },
        p99Ratio: round(beside.read.latency.p99 / Math.max(1, aloneResult.latency.p99), 2),
      };
      rounds.push(entry);
      console.log(
        `round ${round_ + 1} (${entry.order}): readers p99 alone ${entry.alone.p99} ms, beside the abuse ${entry.beside.p99} ms (ratio ${entry.p99Ratio}); p50 ${entry.alone.p50} -> ${entry.beside.p50} ms; abuser: ${entry.abuser.requests} requests, ${JSON.stringify(entry.abuser.statusCodes)}`,
      );
    }
    const medianRatio = median(rounds.map((entry) => entry.p99Ratio));
    console.log(`median p99 ratio ${medianRatio} (target <= ${TARGETS.abuseP99Ratio.threshold})`);
    writeResult('api-load', commandLine('bench/api-load.ts'), startedAt, {
      options,
      limits: OPERATION_LIMITS,
      readerQueries: READER_QUERIES,
      abusiveOperations: operations.map(({ name, query, allowed }) => ({
        name,
        allowed,
        estimatedItems: estimatedItems(query),
        bytes: query.length,
      })),
      rounds,
      medianP99Ratio: medianRatio,
    });
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
