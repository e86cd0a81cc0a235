import { buildSchema, getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import type { BucketAggregate, DayHourCounts } from '../../../src/domain/insights';
import type { AggregateScope, StoredGranularity } from '../../../src/domain/scope';
import type { FlowBucket } from '../../../src/domain/zone-flows-insight';
import { formatNewYork, parseDateTime, type Granularity } from '../../../src/domain/time';
import {
  ASSUMED_MAX_SHARD_STATUS_ITEMS,
  estimateOperation,
  MUTATION_FIELD_POLICIES,
  QUERY_FIELD_POLICIES,
} from '../../../src/serve/cost-model';
import { typeDefs } from '../../../src/serve/generated/type-defs';
import { InsightsQueries } from '../../../src/serve/insights-queries';
import type { InsightsReader } from '../../../src/serve/insights-reader';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import { validTrip } from './serve-fixtures';

const schema = buildSchema(typeDefs);
const HOUR_MS = 3_600_000;

/** The in-memory reader, counting the items each read returns: what a query actually reads. */
class CountingReader implements InsightsReader {
  items = 0;
  constructor(private readonly inner: InMemoryInsightsReader) {}
  async readAggregates(scope: AggregateScope, granularity: StoredGranularity, span: [string, string]): Promise<BucketAggregate[]> {
    return this.count(await this.inner.readAggregates(scope, granularity, span));
  }
  async readHourCounts(scope: AggregateScope, span: [string, string]): Promise<DayHourCounts[]> {
    return this.count(await this.inner.readHourCounts(scope, span));
  }
  async readFlows(granularity: StoredGranularity, span: [string, string]): Promise<FlowBucket[]> {
    return this.count(await this.inner.readFlows(granularity, span));
  }
  async readFlowHours(hourKeys: readonly string[]): Promise<FlowBucket[]> {
    return this.count(await this.inner.readFlowHours(hourKeys));
  }
  async readCounts() {
    this.items += 1;
    return this.inner.readCounts();
  }
  async readShardStatus() {
    return this.count(await this.inner.readShardStatus());
  }
  private count<T>(items: T[]): T[] {
    this.items += items.length;
    return items;
  }
}

/** One trip in zone 74 (East Harlem North, Manhattan) at the start of every hour of [from, to). */
function tripsEveryHour(from: string, to: string) {
  const trips = [];
  for (let at = parseDateTime(from)!; at < parseDateTime(to)!; at += HOUR_MS) {
    const pickupAt = formatNewYork(at + 5 * 60_000);
    trips.push(validTrip({ pickupAt, dropoffAt: formatNewYork(at + 20 * 60_000) }));
  }
  return trips;
}

// Every HOUR and DAY bucket from late December 2022 to mid April 2023, and around the 2023 fall-back.
const full = new InMemoryInsightsReader()
  .addTrips(tripsEveryHour('2022-12-20T00:00:00', '2023-04-15T00:00:00'))
  .addTrips(tripsEveryHour('2023-10-25T00:00:00', '2023-11-15T00:00:00'));
// A few days with trips only: reads return fewer items than the span holds.
const sparse = new InMemoryInsightsReader().addTrips(tripsEveryHour('2023-02-10T00:00:00', '2023-02-12T00:00:00'));

async function itemsRead(reader: InMemoryInsightsReader, run: (queries: InsightsQueries) => Promise<unknown>): Promise<number> {
  const counting = new CountingReader(reader);
  await run(new InsightsQueries(counting));
  return counting.items;
}

const FEBRUARY = { from: '2023-02-01T00:00:00', to: '2023-03-01T00:00:00' };
const scopes = [{}, { zoneId: 74 }, { borough: 'MANHATTAN' as const }];

describe('the cost model table', () => {
  it('has an entry for every root field of the schema', () => {
    // Act
    const queryFields = Object.keys(schema.getQueryType()!.getFields()).sort();
    const mutationFields = Object.keys(schema.getMutationType()!.getFields()).sort();

    // Assess: a new field's author adds its entry to src/serve/cost-model.ts (docs/api-edge.md).
    expect(Object.keys(QUERY_FIELD_POLICIES).sort()).toEqual(queryFields);
    expect(Object.keys(MUTATION_FIELD_POLICIES).sort()).toEqual(mutationFields);
  });
});

describe('the estimates against the items the use cases read', () => {
  describe.each(scopes)('scope %j', (scope) => {
    it.each([
      ['February', FEBRUARY],
      ['one afternoon', { from: '2023-02-03T13:30:00', to: '2023-02-03T18:00:00' }],
      ['across midnight', { from: '2023-02-03T22:00:00', to: '2023-02-05T01:00:00' }],
      ['the spring-forward weekend', { from: '2023-03-11T00:00:00', to: '2023-03-14T00:00:00' }],
    ])('peakHours over %s reads exactly the estimate when every day holds data, and at most it otherwise', async (_, range) => {
      // Prepare
      const estimate = QUERY_FIELD_POLICIES.peakHours.readItems({ range, limit: 10, ...scope });

      // Act
      const read = await itemsRead(full, (queries) => queries.peakHours(range, scope, 10));
      const readSparse = await itemsRead(sparse, (queries) => queries.peakHours(range, scope, 10));

      // Assess
      expect(read).toBe(estimate);
      expect(readSparse).toBeLessThanOrEqual(estimate);
    });

    it.each<[string, { from: string; to: string }, Granularity]>([
      ['February', FEBRUARY, 'HOUR'],
      ['February', FEBRUARY, 'DAY'],
      ['February', FEBRUARY, 'WEEK'],
      ['February', FEBRUARY, 'MONTH'],
      ['a range ending mid-week', { from: '2023-02-06T00:00:00', to: '2023-02-22T00:00:00' }, 'WEEK'],
      ['a quarter', { from: '2023-01-01T00:00:00', to: '2023-04-01T00:00:00' }, 'HOUR'],
      ['a range starting inside an hour', { from: '2023-02-03T13:30:00', to: '2023-02-04T02:00:00' }, 'HOUR'],
      ['the spring-forward day', { from: '2023-03-12T00:00:00', to: '2023-03-13T00:00:00' }, 'HOUR'],
    ])('fareTrend over %s by %s reads exactly the estimate when every bucket holds data', async (_, range, granularity) => {
      // Prepare
      const estimate = QUERY_FIELD_POLICIES.fareTrend.readItems({ range, granularity, ...scope });

      // Act
      const read = await itemsRead(full, (queries) => queries.fareTrend(range, granularity, scope));
      const readSparse = await itemsRead(sparse, (queries) => queries.fareTrend(range, granularity, scope));

      // Assess
      expect(read).toBe(estimate);
      expect(readSparse).toBeLessThanOrEqual(estimate);
      expect(estimate).toBeGreaterThan(0);
    });
  });

  it.each<[string, { from: string; to: string }, Granularity, object]>([
    ['February', FEBRUARY, 'HOUR', {}],
    ['February', FEBRUARY, 'WEEK', { zoneId: 74 }],
    ['February', FEBRUARY, 'MONTH', { borough: 'MANHATTAN' }],
    ['a range starting inside an hour', { from: '2023-02-03T13:30:00', to: '2023-02-04T02:00:00' }, 'HOUR', { zoneId: 74 }],
  ])(
    'operations over %s by %s reads what fareTrend reads: exactly the estimate when every bucket holds data',
    async (_, range, granularity, scope) => {
      // Prepare
      const estimate = QUERY_FIELD_POLICIES.operations.readItems({ range, granularity, ...scope });

      // Act
      const read = await itemsRead(full, (queries) => queries.operations(range, granularity, scope));
      const readSparse = await itemsRead(sparse, (queries) => queries.operations(range, granularity, scope));

      // Assess
      expect(estimate).toBe(QUERY_FIELD_POLICIES.fareTrend.readItems({ range, granularity, ...scope }));
      expect(read).toBe(estimate);
      expect(readSparse).toBeLessThanOrEqual(estimate);
    },
  );

  it.each([
    ['February (whole days only)', FEBRUARY, 28],
    ['13:00 to 13:00 two days later (partial days read by hour)', { from: '2023-02-03T13:00:00', to: '2023-02-05T13:00:00' }, 1 + 11 + 13],
    ['one afternoon (hours only: 14:00 to 17:00 start in it)', { from: '2023-02-03T13:30:00', to: '2023-02-03T18:00:00' }, 4],
  ])('zoneFlows over %s reads exactly the estimate when every bucket holds data', async (_, range, items) => {
    // Prepare
    const estimate = QUERY_FIELD_POLICIES.zoneFlows.readItems({ range });

    // Act
    const read = await itemsRead(full, (queries) => queries.zoneFlows(range, undefined));
    const readBorough = await itemsRead(full, (queries) => queries.zoneFlows(range, 'BRONX'));
    const readSparse = await itemsRead(sparse, (queries) => queries.zoneFlows(range, undefined));

    // Assess
    expect(estimate).toBe(items);
    expect(read).toBe(estimate);
    expect(readBorough).toBe(estimate);
    expect(readSparse).toBeLessThanOrEqual(estimate);
  });

  it('counts one HOUR item too many across the fall-back day, and never too few', async () => {
    // Prepare
    const range = { from: '2023-11-04T00:00:00', to: '2023-11-07T00:00:00' };
    const estimate = QUERY_FIELD_POLICIES.fareTrend.readItems({ range, granularity: 'HOUR' });

    // Act
    const read = await itemsRead(full, (queries) => queries.fareTrend(range, 'HOUR', {}));

    // Assess: 72 hours less none missing, the repeated 01:00 one key: 72 items, estimated 73.
    expect(read).toBe(72);
    expect(estimate).toBe(73);
  });

  it('estimates a WEEK or MONTH trend past the range end, as the read goes', () => {
    // A month of February read by MONTH: only the days of February; by WEEK from Feb 6 to Mar 5 (Sunday).
    expect(QUERY_FIELD_POLICIES.fareTrend.readItems({ range: FEBRUARY, granularity: 'MONTH' })).toBe(28);
    expect(QUERY_FIELD_POLICIES.fareTrend.readItems({ range: FEBRUARY, granularity: 'WEEK' })).toBe(28);
    expect(QUERY_FIELD_POLICIES.fareTrend.readItems({ range: { from: '2023-02-01', to: '2023-02-02' }, granularity: 'MONTH' })).toBe(28);
  });

  it('estimates nothing for arguments the use case refuses before reading', async () => {
    // Prepare
    const refused = [
      { range: { from: 'yesterday', to: '2023-03-01' }, granularity: 'DAY' as const },
      { range: { from: '2023-01-01', to: '2023-06-01' }, granularity: 'HOUR' as const },
      { range: FEBRUARY, granularity: 'DAY' as const, zoneId: 999 },
      { range: FEBRUARY, granularity: 'DAY' as const, zoneId: 74, borough: 'QUEENS' as const },
    ];

    // Act / Assess
    for (const args of refused) {
      expect(QUERY_FIELD_POLICIES.fareTrend.readItems(args)).toBe(0);
      await expect(new InsightsQueries(new CountingReader(full)).fareTrend(args.range, args.granularity, args)).rejects.toThrow();
    }
  });

  it.each([
    ['the city', {}],
    ['a zone', { zoneId: 74 }],
    ['a borough', { borough: 'MANHATTAN' as const }],
  ])('estimates demandForecast of %s at the 112 DAY items of its history, exactly when every day holds data', async (_, scope) => {
    // Prepare: 2023-04-12's history is 2022-12-21 .. 2023-04-11, every day of it with trips in `full`.
    const args = { from: '2023-04-12T08:00:00', hours: 24, ...scope };
    const estimate = QUERY_FIELD_POLICIES.demandForecast.readItems(args);

    // Act
    const read = await itemsRead(full, (queries) => queries.demandForecast(args));
    const readSparse = await itemsRead(sparse, (queries) => queries.demandForecast(args));

    // Assess
    expect(estimate).toBe(112);
    expect(read).toBe(estimate);
    expect(readSparse).toBeLessThanOrEqual(estimate);
  });

  it.each([
    ['18:00', '2023-04-12T18:00:00', 112],
    ['02:00, whose window holds the spring-forward day without one', '2023-04-12T02:00:00', 111],
  ])(
    'estimates demandPressure at %s at the flow items of that hour on the days before, exactly when every hour holds data',
    async (_, at, items) => {
      // Prepare
      const estimate = QUERY_FIELD_POLICIES.demandPressure.readItems({ at, limit: 20 });

      // Act
      const read = await itemsRead(full, (queries) => queries.demandPressure({ at, limit: 20 }));
      const readSparse = await itemsRead(sparse, (queries) => queries.demandPressure({ at, limit: 20 }));

      // Assess
      expect(estimate).toBe(items);
      expect(read).toBe(estimate);
      expect(readSparse).toBeLessThanOrEqual(estimate);
    },
  );

  it('estimates nothing for forecast arguments the use case refuses, and keeps a forecast as long as its history is settled', () => {
    expect(QUERY_FIELD_POLICIES.demandForecast.readItems({ from: '2023-04-12T08:30:00', hours: 24 })).toBe(0);
    expect(QUERY_FIELD_POLICIES.demandForecast.readItems({ from: '2023-04-12T08:00:00', hours: 200 })).toBe(0);
    expect(QUERY_FIELD_POLICIES.demandPressure.readItems({ at: '2023-04-12T08:00:00', limit: 0 })).toBe(0);
    expect(QUERY_FIELD_POLICIES.demandForecast.freshness({ from: '2023-04-12T08:00:00', hours: 24 })).toEqual({
      kind: 'range',
      toMs: parseDateTime('2023-04-12T00:00:00'),
    });
    expect(QUERY_FIELD_POLICIES.demandPressure.freshness({ at: 'soon', limit: 20 })).toEqual({ kind: 'live' });
  });

  it('estimates the counters item for ingestionCounts, and it plus the shard items for pipelineStatus', async () => {
    // Prepare
    const shards = Array.from({ length: 4 }, (_, index) => ({
      shardId: `shardId-00000000000${index}`,
      lastAppliedAtMs: 1,
      lastRecordArrivedAtMs: 1,
      iteratorAgeMs: 0,
      lastSequenceNumber: '1',
    }));
    const reader = new InMemoryInsightsReader().setShardStatus(shards);

    // Act
    const counts = await itemsRead(reader, (queries) => queries.ingestionCounts());
    const status = await itemsRead(reader, (queries) => queries.pipelineStatus());

    // Assess
    expect(counts).toBe(QUERY_FIELD_POLICIES.ingestionCounts.readItems({}));
    expect(status).toBe(1 + shards.length);
    expect(QUERY_FIELD_POLICIES.pipelineStatus.readItems({})).toBe(1 + ASSUMED_MAX_SHARD_STATUS_ITEMS);
  });
});

describe('estimateOperation', () => {
  const operationOf = (source: string) => {
    const document = parse(source);
    return { document, operation: document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode };
  };
  const estimate = (source: string, variables?: Record<string, unknown>) => {
    const { document, operation } = operationOf(source);
    return estimateOperation(schema, document, operation, variables);
  };
  const FEB_HOURS = 'fareTrend(range: { from: "2023-02-01", to: "2023-03-01" }, granularity: HOUR) { buckets { start } }';

  it('counts each aliased root field again, through fragments and inline fragments', () => {
    // Act
    const result = estimate(`
      query Q { a: ${FEB_HOURS} b: ${FEB_HOURS} ...F ... on Query { c: ${FEB_HOURS} } }
      fragment F on Query { d: ${FEB_HOURS} e: peakHours(range: { from: "2023-02-01", to: "2023-03-01" }) { totalTrips } }`);

    // Assess: four hourly Februaries (672 HOUR items each) and 28 DAY items.
    expect(result.items).toBe(4 * 672 + 28);
    expect(result.fields.map((field) => field.responseName)).toEqual(['a', 'b', 'd', 'e', 'c']);
  });

  it('reads the arguments from the variables, defaults applied', () => {
    // Act
    const result = estimate(
      'query ($r: TimeRangeInput!, $g: Granularity = DAY) { fareTrend(range: $r, granularity: $g) { granularity } }',
      {
        r: FEBRUARY,
      },
    );

    // Assess
    expect(result.items).toBe(28);
  });

  it('marks variables that do not coerce, which execution refuses before any resolver', () => {
    // Act
    const result = estimate('query ($r: TimeRangeInput!) { peakHours(range: $r) { totalTrips } }', { r: { from: 3 } });

    // Assess
    expect(result).toMatchObject({ items: 0, variablesInvalid: true });
  });

  it('counts nothing for introspection and zones, and keeps them longest', () => {
    // Act
    const introspection = estimate(getIntrospectionQuery());
    const zones = estimate('{ __typename zones { id } }');

    // Assess
    expect(introspection).toMatchObject({ items: 0, freshness: { kind: 'static' } });
    expect(zones).toMatchObject({ items: 0, freshness: { kind: 'static' } });
  });

  it('takes the freshness of the shortest-lived field', () => {
    // Act
    const settled = estimate(`{ zones { id } ${FEB_HOURS} }`);
    const live = estimate(`{ ${FEB_HOURS} ingestionCounts { acceptedTrips } }`);
    const twoRanges = estimate(
      `{ a: peakHours(range: { from: "2023-02-01", to: "2023-03-01" }) { totalTrips } b: peakHours(range: { from: "2023-02-01", to: "2099-01-01" }) { totalTrips } }`,
    );

    // Assess
    expect(settled.freshness).toEqual({ kind: 'range', toMs: parseDateTime('2023-03-01')! });
    expect(live.freshness).toEqual({ kind: 'live' });
    expect(twoRanges.freshness).toEqual({ kind: 'range', toMs: parseDateTime('2099-01-01')! });
  });

  it('estimates a mutation at nothing read, without coercing its trips', () => {
    // Act
    const result = estimate('mutation ($t: [TripInput!]!) { ingestTrips(trips: $t) { accepted } }', { t: 'not a list' });

    // Assess
    expect(result).toMatchObject({ items: 0, fields: [{ field: 'ingestTrips', items: 0 }] });
  });
});
