import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator-fixture';
import { CITY_SCOPE, hasHourlyDetail, type AggregateScope } from '../../../src/domain/scope';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip } from '../../../src/domain/trip';
import { HOUR_COUNT_ATTRIBUTES, tripIncrements } from '../../../src/store/aggregate-item';
import { DynamoInsightsReader } from '../../../src/store/dynamo-insights-reader';
import { aggregateKey, markAttribute, markValue } from '../../../src/store/keys';
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

/** Trips spread over a day's hours (a few per hour, uneven), with varied fares. */
function tripsOfDay(day: string, dayIndex: number): Trip[] {
  const startMs = parseDateTime(`${day}T00:00:00`)!;
  return Array.from({ length: 90 }, (_, index) => {
    const fareCents = 250 + ((index * 7919 + dayIndex * 104729) % 9000);
    return {
      tripId: `${day}-${index}`,
      pickupAtMs: startMs + ((index * index + dayIndex) % 24) * 3_600_000 + index * 1000,
      dropoffAtMs: startMs,
      pickupZoneId: 74,
      dropoffZoneId: 1,
      distanceHundredths: 100 + index,
      fareCents,
      tipCents: index % 3 === 0 ? 200 : 0,
      tollsCents: 0,
      totalCents: fareCents + 300,
    };
  });
}

/** Writes the DAY item of each day for a scope as the processor's ADDs leave it (with an exactly-once mark). */
async function putDayItems(scope: AggregateScope): Promise<void> {
  for (const [dayIndex, day] of DAYS.entries()) {
    const item: Record<string, unknown> = { ...aggregateKey(scope, 'DAY', day), [markAttribute('shardId-000000000000')]: markValue('42') };
    for (const trip of tripsOfDay(day, dayIndex)) {
      for (const [name, increment] of tripIncrements(trip, 'DAY', hasHourlyDetail(scope, 'DAY')))
        item[name] = ((item[name] as number | undefined) ?? 0) + increment;
    }
    await fixture.clients.documents.send(new PutCommand({ TableName: fixture.tableName, Item: item }));
  }
}

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

describe('DynamoInsightsReader.readHourCounts', () => {
  beforeAll(async () => {
    await putDayItems(ZONE);
    await putDayItems(CITY_SCOPE);
  });

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
  beforeAll(async () => {
    await putDayItems(ZONE);
    await putDayItems(CITY_SCOPE);
  });

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
