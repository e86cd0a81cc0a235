/**
 * operations, zoneFlows and peakHours.byHourOfWeek through the API's own Apollo server, in-process
 * (executeOperation, no HTTP), over the in-memory reader: the schema's shapes, the formatting of bucket
 * starts, and bad arguments answered with BAD_USER_INPUT naming the argument, never an internal error.
 */
import type { ApolloServer } from '@apollo/server';
import { HOUR_OF_WEEK_QUERY, OPERATIONS_QUERY, ZONE_FLOWS_QUERY } from '../../../src/cli/api-client/api-queries';
import type { RequestContext } from '../../../src/serve/context';
import { InsightsQueries } from '../../../src/serve/insights-queries';
import { createApolloServer } from '../../../src/serve/server';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import { validTrip } from './serve-fixtures';

const logged: string[] = [];
let server: ApolloServer<RequestContext>;
const reader = new InMemoryInsightsReader().addTrips([
  validTrip({ pickupAt: '2023-11-05T01:20:00-04:00', dropoffAt: '2023-11-05T01:10:00-05:00', paymentType: 1, passengerCount: 2 }),
  validTrip({ pickupAt: '2023-11-05T08:00:00', dropoffAt: '2023-11-05T08:30:00', paymentType: 0, tripDistanceMiles: 5 }),
  validTrip({ pickupAt: '2023-11-05T23:50:00', dropoffAt: '2023-11-06T00:05:00', pickupZoneId: 1, dropoffZoneId: 132, paymentType: 6 }),
]);

beforeAll(async () => {
  server = createApolloServer({ logger: { error: (message) => logged.push(message) } });
  await server.start();
});

afterAll(() => server.stop());

async function execute<T>(query: string, variables: Record<string, unknown>) {
  const contextValue: RequestContext = {
    queries: new InsightsQueries(reader),
    publisher: { publish: async () => undefined },
    observeIngest: () => undefined,
    roles: ['read'],
  };
  const response = await server.executeOperation<T>({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status ?? 200, result: response.body.singleResult };
}

const FALL_BACK_DAY = { from: '2023-11-05T00:00:00', to: '2023-11-06T00:00:00' };

describe('operations through the API', () => {
  it('answers buckets with their start in New York time, both passes of the fall-back 01:00 in one hour', async () => {
    // Act
    const { result } = await execute<{ operations: { granularity: string; buckets: Array<Record<string, unknown>> } }>(OPERATIONS_QUERY, {
      range: FALL_BACK_DAY,
      granularity: 'HOUR',
    });

    // Assess
    expect(result.errors).toBeUndefined();
    const { granularity, buckets } = result.data!.operations;
    expect(granularity).toBe('HOUR');
    expect(buckets.map((bucket) => [bucket.start, bucket.trips])).toEqual([
      ['2023-11-05T01:00:00-04:00', 1],
      ['2023-11-05T08:00:00-05:00', 1],
      ['2023-11-05T23:00:00-05:00', 1],
    ]);
    // 01:20 EDT to 01:10 EST is a 50-minute ride.
    expect(buckets[0]).toMatchObject({ averageDurationMinutes: 50, averagePassengers: 2, revenue: 16 });
    expect(buckets[1]).toMatchObject({ averagePassengers: null, averageSpeedMph: 10, cardTipRate: null });
    expect((buckets[2].paymentMix as Array<{ paymentType: string; trips: number }>).map(({ paymentType }) => paymentType)).toEqual([
      'FLEX_FARE',
      'CARD',
      'CASH',
      'NO_CHARGE',
      'DISPUTE',
      'UNKNOWN',
      'VOIDED',
    ]);
    expect(buckets[2].paymentMix).toContainEqual({ paymentType: 'VOIDED', trips: 1 });
  });

  it.each([
    [{ range: { from: '2023-11-01', to: '2024-03-01' }, granularity: 'HOUR' }, 'range'],
    [{ range: { from: 'soon', to: '2024-03-01' }, granularity: 'DAY' }, 'range.from'],
    [{ range: FALL_BACK_DAY, granularity: 'DAY', zoneId: 0 }, 'zoneId'],
    [{ range: FALL_BACK_DAY, granularity: 'DAY', zoneId: 74, borough: 'MANHATTAN' }, 'zoneId'],
  ])('answers %j with BAD_USER_INPUT naming %s', async (variables, argument) => {
    const { status, result } = await execute(OPERATIONS_QUERY, variables);
    expect(status).toBe(200);
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
  });

  it('answers an unknown granularity or borough with a client error, never an internal one', async () => {
    for (const variables of [
      { range: FALL_BACK_DAY, granularity: 'YEAR' },
      { range: FALL_BACK_DAY, granularity: 'DAY', borough: 'ATLANTIS' },
    ]) {
      const { status, result } = await execute(OPERATIONS_QUERY, variables);
      expect(status).toBe(400);
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(logged).toEqual([]);
  });
});

describe('zoneFlows through the API', () => {
  it('answers every zone with a pickup or a drop-off, with its name and borough, and the totals', async () => {
    // Act
    const { result } = await execute<{ zoneFlows: { zones: Array<Record<string, unknown>>; totalPickups: number; totalDropoffs: number } }>(
      ZONE_FLOWS_QUERY,
      { range: FALL_BACK_DAY },
    );

    // Assess
    expect(result.errors).toBeUndefined();
    expect(result.data!.zoneFlows).toEqual({
      zones: [
        { zoneId: 1, zoneName: 'Newark Airport', borough: 'EWR', pickups: 1, dropoffs: 0, net: -1 },
        { zoneId: 74, zoneName: 'East Harlem North', borough: 'MANHATTAN', pickups: 2, dropoffs: 0, net: -2 },
        { zoneId: 75, zoneName: 'East Harlem South', borough: 'MANHATTAN', pickups: 0, dropoffs: 2, net: 2 },
      ],
      totalPickups: 3,
      totalDropoffs: 2,
    });
  });

  it.each([
    [{ range: { from: '2023-11-06', to: '2023-11-05' } }, 'range.to'],
    [{ range: { from: '2000-01-01', to: '2020-01-01' } }, 'range'],
  ])('answers %j with BAD_USER_INPUT naming %s', async (variables, argument) => {
    const { status, result } = await execute(ZONE_FLOWS_QUERY, variables);
    expect(status).toBe(200);
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument }]);
  });
});

describe('peakHours.byHourOfWeek through the API', () => {
  it('answers 168 entries, Monday 00:00 first, the Sunday trips at their local hours', async () => {
    const { result } = await execute<{ peakHours: { byHourOfWeek: Array<{ dayOfWeek: number; hourOfDay: number; trips: number }> } }>(
      HOUR_OF_WEEK_QUERY,
      { range: FALL_BACK_DAY },
    );
    const entries = result.data!.peakHours.byHourOfWeek;
    expect(entries).toHaveLength(168);
    expect(entries[0]).toEqual({ dayOfWeek: 1, hourOfDay: 0, trips: 0 });
    expect(entries.filter(({ trips }) => trips > 0)).toEqual([
      { dayOfWeek: 7, hourOfDay: 1, trips: 1 },
      { dayOfWeek: 7, hourOfDay: 8, trips: 1 },
      { dayOfWeek: 7, hourOfDay: 23, trips: 1 },
    ]);
  });
});
