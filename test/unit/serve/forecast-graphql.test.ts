import type { ApolloServer } from '@apollo/server';
import { DEMAND_FORECAST_QUERY, DEMAND_PRESSURE_QUERY } from '../../../src/cli/api-client/api-queries';
import { dayKeyOf, dayNumberOf } from '../../../src/domain/forecast/calendar';
import { FARE_MULTIPLIER_RULE } from '../../../src/domain/forecast/pressure';
import type { Trip } from '../../../src/domain/trip';
import type { RequestContext } from '../../../src/serve/context';
import { InsightsQueries } from '../../../src/serve/insights-queries';
import { createApolloServer } from '../../../src/serve/server';
import { InMemoryInsightsReader } from '../../support/in-memory-insights-reader';
import { validTrip } from './serve-fixtures';

/** Three weeks of trips from zone 74 to 75, two an hour from 07:00 to 22:00. */
function threeWeeksOfTrips(): Trip[] {
  const trips: Trip[] = [];
  const first = dayNumberOf('2023-02-06');
  for (let day = first; day < first + 21; day += 1) {
    for (let hour = 7; hour <= 22; hour += 1) {
      for (const minute of [10, 40]) {
        const at = `${dayKeyOf(day)}T${String(hour).padStart(2, '0')}:${minute}`;
        trips.push(validTrip({ pickupAt: `${at}:00`, dropoffAt: `${at}:00`.replace(`:${minute}:`, `:${minute + 15}:`) }));
      }
    }
  }
  return trips;
}

/** The API's own Apollo server, in-process, over an in-memory reader: what the resolvers make of the use cases' answers. */
describe('demandForecast and demandPressure through the Apollo server', () => {
  let server: ApolloServer<RequestContext>;
  const logged: string[] = [];
  const reader = new InMemoryInsightsReader().addTrips(threeWeeksOfTrips());

  beforeAll(async () => {
    server = createApolloServer({ logger: { error: (message) => logged.push(message) } });
    await server.start();
  });

  afterAll(() => server.stop());

  async function execute(query: string, variables: Record<string, unknown>) {
    const contextValue: RequestContext = {
      queries: new InsightsQueries(reader),
      publisher: { publish: async () => undefined },
      observeIngest: () => undefined,
      roles: ['read'],
    };
    const response = await server.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }

  it('answers a forecast with New York hour starts, whole-number intervals and the history learned from', async () => {
    // Act
    const result = await execute(DEMAND_FORECAST_QUERY, { from: '2023-02-27T07:00:00', hours: 3, zoneId: 74 });

    // Assess
    expect(result.errors).toBeUndefined();
    const forecast = (result.data as { demandForecast: Record<string, unknown> }).demandForecast;
    expect(forecast).toMatchObject({
      method: 'robust-weekly-profile',
      history: { from: '2023-02-06T00:00:00-05:00', to: '2023-02-27T00:00:00-05:00' },
      quality: 'OK',
    });
    const hours = forecast.hours as Array<{ hourStart: string; expectedTrips: number; low: number; high: number }>;
    expect(hours.map((hour) => hour.hourStart)).toEqual([
      '2023-02-27T07:00:00-05:00',
      '2023-02-27T08:00:00-05:00',
      '2023-02-27T09:00:00-05:00',
    ]);
    for (const hour of hours) {
      expect(hour.expectedTrips).toBeGreaterThan(1);
      expect(hour.expectedTrips).toBeLessThan(3);
      expect(Number.isInteger(hour.low) && Number.isInteger(hour.high) && hour.low <= hour.high).toBe(true);
    }
  });

  it('answers "no history" as data, not as an error', async () => {
    const result = await execute(DEMAND_FORECAST_QUERY, { from: '2023-01-02T00:00:00' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ demandForecast: expect.objectContaining({ hours: [], history: null, quality: 'NO_HISTORY' }) });
  });

  it.each([
    [DEMAND_FORECAST_QUERY, { from: '2023-02-27T07:30:00' }, 'from'],
    [DEMAND_FORECAST_QUERY, { from: '2023-02-27T07:00:00', hours: 169 }, 'hours'],
    [DEMAND_FORECAST_QUERY, { from: '2023-02-27T07:00:00', zoneId: 999 }, 'zoneId'],
    [DEMAND_FORECAST_QUERY, { from: '2023-02-27T07:00:00', zoneId: 74, borough: 'MANHATTAN' }, 'zoneId'],
    [DEMAND_PRESSURE_QUERY, { at: '2023-02-27T07:00:00', limit: 0 }, 'limit'],
    [DEMAND_PRESSURE_QUERY, { at: 'soon' }, 'at'],
  ])('refuses bad arguments with BAD_USER_INPUT naming the argument (%#)', async (query, variables, argument) => {
    const result = await execute(query, variables);
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument } })]);
  });

  it('answers pressure per zone with names, boroughs and the rule', async () => {
    // Act
    const result = await execute(DEMAND_PRESSURE_QUERY, { at: '2023-02-27T08:00:00', limit: 2 });

    // Assess
    expect(result.errors).toBeUndefined();
    const pressure = (result.data as { demandPressure: Record<string, unknown> }).demandPressure;
    expect(pressure).toMatchObject({ at: '2023-02-27T08:00:00-05:00', rule: FARE_MULTIPLIER_RULE, quality: 'OK' });
    const zones = pressure.zones as Array<Record<string, unknown>>;
    // Zone 74 sends its trips to 75: pickups with no drop-offs in 74, drop-offs with no pickups in 75.
    expect(zones.map((zone) => zone.zoneId)).toEqual([74, 75]);
    expect(zones[0]).toMatchObject({ zoneName: 'East Harlem North', borough: 'MANHATTAN', suggestedFareMultiplier: 1 });
    expect(zones[0].expectedPickups as number).toBeGreaterThan(1);
    expect(zones[1].expectedPickups).toBe(0);
    expect(logged).toEqual([]);
  });
});
