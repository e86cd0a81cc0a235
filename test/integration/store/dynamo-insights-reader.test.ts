import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator-fixture';
import { addTrip, emptyAggregate } from '../../../src/domain/aggregate';
import { addFlow, emptyFlows, type FlowCounts } from '../../../src/domain/flows';
import { CITY_SCOPE, hasHourlyDetail, type AggregateScope, type StoredGranularity } from '../../../src/domain/scope';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip } from '../../../src/domain/trip';
import { tripTargets } from '../../../src/domain/trip-targets';
import { HOUR_COUNT_ATTRIBUTES } from '../../../src/store/aggregate-item';
import { DynamoInsightsReader } from '../../../src/store/dynamo-insights-reader';
import { itemKeyId, markAttribute, markValue, tripTargetKey } from '../../../src/store/keys';
import { tripIncrements } from '../../../src/store/trip-increments';
import { QUERY_FIELD_POLICIES } from '../../../src/serve/cost-model';
import { InsightsQueries } from '../../../src/serve/insights-queries';

let fixture: EmulatorFixture;

beforeAll(async () => {
  fixture = await startEmulatorFixture();
});

afterAll(async () => {
  await fixture?.stop();
});

const ZONE: AggregateScope = { kind: 'ZONE', zoneId: 74 };
const DAYS = ['2023-02-01', '2023-02-02', '2023-02-03', '2023-02-04'];

/**
 * Trips spread over a day's hours (a few per hour, uneven), picked up in zone 74, with varied fares,
 * durations (some across midnight), passenger counts and payment types.
 */
function tripsOfDay(day: string, dayIndex: number): Trip[] {
  const startMs = parseDateTime(`${day}T00:00:00`)!;
  return Array.from({ length: 90 }, (_, index) => {
    const fareCents = 250 + ((index * 7919 + dayIndex * 104729) % 9000);
    const pickupAtMs = startMs + ((index * index + dayIndex) % 24) * 3_600_000 + index * 1000;
    return {
      tripId: `${day}-${index}`,
      pickupAtMs,
      dropoffAtMs: pickupAtMs + (index % 7) * 600_000,
      pickupZoneId: 74,
      dropoffZoneId: 1 + ((index * 31) % 265),
      passengerCount: index % 5 === 0 ? undefined : index % 4,
      paymentType: index % 6 === 0 ? undefined : index % 7,
      distanceHundredths: 100 + index,
      fareCents,
      tipCents: index % 3 === 0 ? 200 : 0,
      tollsCents: 0,
      totalCents: fareCents + 300,
    };
  });
}

const TRIPS = DAYS.flatMap((day, dayIndex) => tripsOfDay(day, dayIndex));

/** Writes every item the trips count in as the processor's ADDs leave it (with an exactly-once mark). */
async function putItemsOf(trips: readonly Trip[]): Promise<void> {
  const items = new Map<string, Record<string, unknown>>();
  for (const trip of trips) {
    for (const target of tripTargets(trip)) {
      const key = tripTargetKey(target);
      let item = items.get(itemKeyId(key));
      if (!item) items.set(itemKeyId(key), (item = { ...key, [markAttribute('shardId-000000000000')]: markValue('42') }));
      for (const [name, increment] of tripIncrements(trip, target)) item[name] = ((item[name] as number | undefined) ?? 0) + increment;
    }
  }
  for (const item of items.values()) await fixture.clients.documents.send(new PutCommand({ TableName: fixture.tableName, Item: item }));
}

beforeAll(async () => {
  await putItemsOf(TRIPS);
});

/** The document client, keeping every Query answer it receives: what DynamoDB actually sent back. */
function recordingClient(documents: DynamoDBDocumentClient, answers: Array<{ Items?: Record<string, unknown>[] }>): DynamoDBDocumentClient {
  // A client of the same class (the SDK's paginator accepts nothing else) whose send records each answer.
  return Object.assign(Object.create(documents) as DynamoDBDocumentClient, {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      const answer = await documents.send(command);
      answers.push(answer as { Items?: Record<string, unknown>[] });
      return answer;
    },
  });
}

describe('DynamoInsightsReader.readAggregates', () => {
  it.each([
    ['the city by hour', CITY_SCOPE, 'HOUR', ['2023-02-02T00', '2023-02-03T23']],
    ['a borough by day', { kind: 'BOROUGH', borough: 'MANHATTAN' }, 'DAY', [DAYS[1], DAYS[3]]],
    ['a zone by day (hourly detail)', ZONE, 'DAY', [DAYS[0], DAYS[2]]],
  ] as Array<[string, AggregateScope, StoredGranularity, [string, string]]>)(
    'reads back for %s the aggregates of the trips the items were made from',
    async (_name, scope, granularity, span) => {
      // Prepare
      const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
      const expected = new Map<string, ReturnType<typeof emptyAggregate>>();
      for (const trip of TRIPS) {
        const target = tripTargets(trip).find(
          (candidate) => candidate.kind === 'AGGREGATE' && candidate.granularity === granularity && candidate.scope.kind === scope.kind,
        )!;
        if (target.bucketKey < span[0] || target.bucketKey > span[1]) continue;
        expected.set(
          target.bucketKey,
          addTrip(expected.get(target.bucketKey) ?? emptyAggregate(granularity, hasHourlyDetail(scope, granularity)), trip),
        );
      }

      // Act
      const aggregates = await reader.readAggregates(scope, granularity, span);

      // Assess
      expect(aggregates.map(({ bucketKey }) => bucketKey)).toEqual([...expected.keys()].sort());
      for (const { bucketKey, aggregate } of aggregates) expect(aggregate).toEqual(expected.get(bucketKey));
    },
  );
});

describe('DynamoInsightsReader.readFlows', () => {
  it.each(['HOUR', 'DAY'] as const)('reads back the %s flow items of the trips, pickups and drop-offs per zone', async (granularity) => {
    // Prepare
    const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
    const span: [string, string] = granularity === 'DAY' ? [DAYS[1], DAYS[2]] : ['2023-02-01T22', '2023-02-02T02'];
    const expected = new Map<string, FlowCounts>();
    for (const trip of TRIPS) {
      for (const target of tripTargets(trip)) {
        if (target.kind !== 'FLOW' || target.granularity !== granularity || target.bucketKey < span[0] || target.bucketKey > span[1])
          continue;
        expected.set(target.bucketKey, addFlow(expected.get(target.bucketKey) ?? emptyFlows(), target));
      }
    }

    // Act
    const buckets = await reader.readFlows(granularity, span);

    // Assess
    expect(buckets.length).toBeGreaterThan(1);
    expect(buckets).toEqual([...expected.keys()].sort().map((bucketKey) => ({ bucketKey, flows: expected.get(bucketKey) })));
  });

  it('answers no buckets for a span without items', async () => {
    const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
    expect(await reader.readFlows('DAY', ['2024-01-01', '2024-01-31'])).toEqual([]);
  });
});

describe('DynamoInsightsReader.readFlowHours', () => {
  it('reads by key the HOUR flow items that exist among the keys asked for, and only those', async () => {
    // Prepare: 18:00 on every day from 2023-01-20 (no items) to 2023-02-04, and every hour of Feb 2
    // (its 18:00 asked for twice).
    const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
    const keys = [
      ...Array.from(
        { length: 16 },
        (_, index) => `2023-${index < 12 ? '01' : '02'}-${String(index < 12 ? 20 + index : index - 11).padStart(2, '0')}T18`,
      ),
      ...Array.from({ length: 24 }, (_, hour) => `2023-02-02T${String(hour).padStart(2, '0')}`),
    ];
    const expected = new Map<string, FlowCounts>();
    for (const trip of TRIPS) {
      for (const target of tripTargets(trip)) {
        if (target.kind !== 'FLOW' || target.granularity !== 'HOUR' || !keys.includes(target.bucketKey)) continue;
        expected.set(target.bucketKey, addFlow(expected.get(target.bucketKey) ?? emptyFlows(), target));
      }
    }

    // Act
    const buckets = await reader.readFlowHours(keys);

    // Assess: in no particular order; hours without an item are absent.
    expect(expected.size).toBeGreaterThan(10);
    expect(expected.size).toBeLessThan(new Set(keys).size);
    expect([...buckets].sort((a, b) => a.bucketKey.localeCompare(b.bucketKey))).toEqual(
      [...expected.keys()].sort().map((bucketKey) => ({ bucketKey, flows: expected.get(bucketKey) })),
    );
  });

  it('reads nothing for no keys and no buckets for hours without items', async () => {
    const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
    expect(await reader.readFlowHours([])).toEqual([]);
    expect(await reader.readFlowHours(['2024-01-01T00', '2024-01-01T01'])).toEqual([]);
  });
});

describe('DynamoInsightsReader.readHourCounts', () => {
  it.each([
    ['a zone (DAY items with hourly detail)', ZONE],
    ['the city', CITY_SCOPE],
  ])('reads the same trips per hour of day as readAggregates for %s', async (_name, scope) => {
    // Prepare
    const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
    const span: [string, string] = [DAYS[1], DAYS[3]];
    // Act
    const hourCounts = await reader.readHourCounts(scope, span);
    // Assess
    const aggregates = await reader.readAggregates(scope, 'DAY', span);
    expect(hourCounts).toEqual(aggregates.map(({ bucketKey, aggregate }) => ({ bucketKey, tripsByHourOfDay: aggregate.tripsByHourOfDay })));
    expect(hourCounts.map(({ bucketKey }) => bucketKey)).toEqual(DAYS.slice(1));
    expect(hourCounts.every(({ tripsByHourOfDay }) => tripsByHourOfDay.reduce((sum, trips) => sum + trips, 0) === 90)).toBe(true);
  });

  it('receives from DynamoDB only the sort key and the hour counts of each item', async () => {
    // Prepare
    const answers: Array<{ Items?: Record<string, unknown>[] }> = [];
    const reader = new DynamoInsightsReader(recordingClient(fixture.clients.documents, answers), fixture.tableName);
    // Act
    await reader.readHourCounts(ZONE, [DAYS[0], DAYS[3]]);
    // Assess
    const items = answers.flatMap((answer) => answer.Items ?? []);
    expect(items).toHaveLength(DAYS.length);
    const allowed = new Set(['sk', ...HOUR_COUNT_ATTRIBUTES]);
    expect(items.flatMap((item) => Object.keys(item).filter((name) => !allowed.has(name)))).toEqual([]);
  });

  it('answers no days for a span without items', async () => {
    // Prepare
    const reader = new DynamoInsightsReader(fixture.clients.documents, fixture.tableName);
    // Act / Assess
    expect(await reader.readHourCounts(ZONE, ['2024-01-01', '2024-01-31'])).toEqual([]);
  });
});

describe('the cost model against the DynamoDB reader', () => {
  /** The items DynamoDB sent back while `run` queried through the real reader. */
  async function itemsRead(run: (queries: InsightsQueries) => Promise<unknown>): Promise<number> {
    const answers: Array<{ Items?: Record<string, unknown>[]; Item?: unknown }> = [];
    await run(new InsightsQueries(new DynamoInsightsReader(recordingClient(fixture.clients.documents, answers), fixture.tableName)));
    return answers.reduce((sum, answer) => sum + (answer.Items?.length ?? (answer.Item ? 1 : 0)), 0);
  }

  it.each([
    ['the city', {}],
    ['a zone', { zoneId: 74 }],
  ])('reads for %s exactly the DAY items estimated where every day holds data, and fewer around them', async (_name, scope) => {
    // Prepare: items exist for Feb 1-4 only.
    const days = { from: '2023-02-01', to: '2023-02-05' };
    const week = { from: '2023-01-30', to: '2023-02-06' };

    // Act
    const peak = await itemsRead((queries) => queries.peakHours(days, scope, 10));
    const daily = await itemsRead((queries) => queries.fareTrend(days, 'DAY', scope));
    const weekly = await itemsRead((queries) => queries.fareTrend(week, 'WEEK', scope));

    // Assess
    expect(peak).toBe(QUERY_FIELD_POLICIES.peakHours.readItems({ range: days, limit: 10, ...scope }));
    expect(daily).toBe(QUERY_FIELD_POLICIES.fareTrend.readItems({ range: days, granularity: 'DAY', ...scope }));
    expect(weekly).toBe(4);
    expect(QUERY_FIELD_POLICIES.fareTrend.readItems({ range: week, granularity: 'WEEK', ...scope })).toBe(7);
  });
});
