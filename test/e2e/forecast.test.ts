/**
 * demandForecast end to end on a shipped month: replay March 2019 (the yellow sample, 10,000 trips,
 * the spring-forward day included) through the running stack, then check that the API forecasts
 * exactly what the library forecasts from the same counts (counted from the raw file as the backtest
 * counts it), that demandPressure equals the domain's pressure over flow hours counted from the raw file
 * by the oracle (not by the pipeline's own code), that `npm run backtest` of the stack measures what the
 * backtest of the file measures, and that bad input and an empty history get their answers.
 */
import { join } from 'node:path';
import { DEMAND_FORECAST_QUERY, DEMAND_PRESSURE_QUERY } from '../../src/cli/api-client/api-queries';
import { countTlcFiles } from '../../src/cli/backtest/count-tlc-files';
import { graphqlBacktestApi } from '../../src/cli/backtest/graphql-backtest-api';
import { backtestFiles } from '../../src/cli/backtest/run-backtest';
import { backtestStack } from '../../src/cli/backtest/stack-backtest';
import { replayFiles } from '../../src/cli/replay/replay-files';
import { forecastDemand } from '../../src/domain/forecast/demand-forecast';
import { computeDemandPressure } from '../../src/domain/forecast/pressure';
import type { FlowBucket } from '../../src/domain/zone-flows-insight';
import type { HourlyTripCounts } from '../../src/domain/forecast/hourly-counts';
import { pastCountsBefore } from '../../src/domain/forecast/past-counts';
import { formatNewYork, parseDateTime } from '../../src/domain/time';
import { graphql, withKey } from '../support/graphql';
import { validTrips, type OracleTrip } from '../support/oracle';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';

const MARCH_2019 = join(__dirname, '..', '..', 'data', 'nyc-tlc', 'yellow_tripdata_sample_2019-03.csv');

let fixture: StackFixture;
let counts: HourlyTripCounts;
let oracleTrips: OracleTrip[];

beforeAll(async () => {
  fixture = await startStackFixture('forecast');
  const { stack } = fixture;
  const summary = await replayFiles({ files: [MARCH_2019], endpoint: stack.graphqlUrl, headers: withKey(stack.apiKeys.ingest) });
  expect(summary.unreadable).toBe(0);
  await stack.waitForIdle({ timeoutMs: 300_000 });
  counts = (await countTlcFiles([MARCH_2019])).counts;
  oracleTrips = await validTrips(MARCH_2019);
}, 400_000);

afterAll(async () => {
  await fixture?.stop();
});

interface ApiForecast {
  hours: Array<{ hourStart: string; expectedTrips: number; low: number; high: number }>;
  method: string;
  history: { from: string; to: string } | null;
  quality: string;
  note: string;
}

async function apiForecast(variables: Record<string, unknown>) {
  return graphql<{ demandForecast: ApiForecast }>(fixture.stack.graphqlUrl, DEMAND_FORECAST_QUERY, variables, fixture.readKey());
}

describe('demandForecast through the running stack', () => {
  it.each([
    ['the city', {}, 'city', '2019-03-25T00:00:00', 168],
    ['Manhattan', { borough: 'MANHATTAN' }, 'borough:MANHATTAN', '2019-03-27T15:00:00', 30],
    ['zone 237 (Upper East Side South)', { zoneId: 237 }, 'zone:237', '2019-03-22T06:00:00', 12],
  ])('forecasts %s exactly as the library does from the same counts', async (_, scope, scopeId, from, hours) => {
    // Act
    const answer = await apiForecast({ from, hours, ...scope });

    // Assess
    expect(answer.errors).toBeUndefined();
    const fromMs = parseDateTime(from)!;
    const library = forecastDemand(pastCountsBefore(fromMs, counts.days(scopeId)), hours);
    expect(answer.data?.demandForecast).toEqual({
      hours: library.hours.map(({ hourStartMs, ...hour }) => ({ hourStart: formatNewYork(hourStartMs), ...hour })),
      method: library.method,
      history: library.history && { from: formatNewYork(library.history.fromMs), to: formatNewYork(library.history.toMs) },
      quality: library.quality,
      note: library.note,
    });
    expect(library.quality).toBe('OK');
  });

  it.each([
    ['the city', { at: '2019-03-29T18:00:00' }],
    ['Manhattan, top 5', { at: '2019-03-31T09:00:00', borough: 'MANHATTAN', limit: 5 }],
    ['the day after the data', { at: '2019-04-01T00:00:00', limit: 265 }],
  ])('answers demandPressure for %s as the domain does over flow hours counted from the raw file', async (_, variables) => {
    // Act
    const answer = await graphql<{ demandPressure: unknown }>(
      fixture.stack.graphqlUrl,
      DEMAND_PRESSURE_QUERY,
      variables,
      fixture.readKey(),
    );

    // Assess
    expect(answer.errors).toBeUndefined();
    const expected = computeDemandPressure(parseDateTime(variables.at)!, oracleFlowHours(oracleTrips), {
      borough: 'borough' in variables ? (variables.borough as 'MANHATTAN') : undefined,
      limit: 'limit' in variables ? variables.limit! : 20,
    });
    expect(expected.quality).not.toBe('NO_HISTORY');
    expect(expected.zones.length).toBeGreaterThan(0);
    expect(answer.data?.demandPressure).toEqual({
      at: formatNewYork(expected.atMs),
      zones: expected.zones.map(
        ({ zoneId, zoneName, borough, expectedPickups, expectedDropoffs, pressure, typicalPressure, suggestedFareMultiplier }) => ({
          zoneId,
          zoneName,
          borough,
          expectedPickups,
          expectedDropoffs,
          pressure,
          typicalPressure,
          suggestedFareMultiplier,
        }),
      ),
      rule: expected.rule,
      method: expected.method,
      history: expected.history && { from: formatNewYork(expected.history.fromMs), to: formatNewYork(expected.history.toMs) },
      quality: expected.quality,
      note: expected.note,
    });
  });

  it('backtests the stack as the file is backtested: the same weeks, scopes and measures', async () => {
    const { stack } = fixture;
    const fromStack = await backtestStack(graphqlBacktestApi({ endpoint: stack.graphqlUrl, headers: fixture.readKey() }), {
      scope: { kind: 'all' },
    });
    const fromFile = await backtestFiles([MARCH_2019], { scope: { kind: 'all' } });
    expect(fromStack.span).toEqual(fromFile.span);
    expect(fromStack.weekStarts).toEqual(['2019-03-22']);
    expect(fromStack.rows).toEqual(fromFile.rows);
    expect(fromStack.busiestZonesTogether).toEqual(fromFile.busiestZonesTogether);
  });

  it('answers "no history" before the data, as data and not as an error', async () => {
    const answer = await apiForecast({ from: '2019-01-07T00:00:00', hours: 24 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.demandForecast).toMatchObject({ hours: [], history: null, quality: 'NO_HISTORY' });
  });

  it.each([
    [DEMAND_FORECAST_QUERY, { from: '2019-03-25T00:00:00', hours: 0 }, 'hours'],
    [DEMAND_FORECAST_QUERY, { from: '2019-03-25T00:00:00', hours: 169 }, 'hours'],
    [DEMAND_FORECAST_QUERY, { from: '2019-03-25T00:15:00' }, 'from'],
    [DEMAND_FORECAST_QUERY, { from: '2019-03-25T00:00:00', zoneId: 300 }, 'zoneId'],
    [DEMAND_FORECAST_QUERY, { from: '2019-03-25T00:00:00', zoneId: 237, borough: 'MANHATTAN' }, 'zoneId'],
    [DEMAND_PRESSURE_QUERY, { at: '2019-03-25T08:30:00' }, 'at'],
    [DEMAND_PRESSURE_QUERY, { at: '2019-03-25T08:00:00', limit: 266 }, 'limit'],
  ])('refuses bad input with BAD_USER_INPUT naming the argument (%#)', async (query, variables, argument) => {
    const answer = await graphql(fixture.stack.graphqlUrl, query, variables, fixture.readKey());
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([
      expect.objectContaining({ message: expect.any(String), extensions: { code: 'BAD_USER_INPUT', argument } }),
    ]);
  });
});

/**
 * Every local hour's pickups and drop-offs per zone, counted from the oracle's reading of the raw file:
 * pickups in the hour of the pickup, drop-offs in the hour of the drop-off (docs/insights-contract.md,
 * "zoneFlows").
 */
function oracleFlowHours(trips: readonly OracleTrip[]): FlowBucket[] {
  const hours = new Map<string, FlowBucket>();
  const hourOf = ({ y, m, d, h }: OracleTrip['local']) => {
    const key = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}`;
    let bucket = hours.get(key);
    if (!bucket) hours.set(key, (bucket = { bucketKey: key, flows: { pickups: new Map(), dropoffs: new Map() } }));
    return bucket.flows;
  };
  for (const trip of trips) {
    const pickups = hourOf(trip.local).pickups;
    pickups.set(trip.pickupZoneId, (pickups.get(trip.pickupZoneId) ?? 0) + 1);
    const dropoffs = hourOf(trip.dropoffLocal).dropoffs;
    dropoffs.set(trip.dropoffZoneId, (dropoffs.get(trip.dropoffZoneId) ?? 0) + 1);
  }
  return [...hours.values()];
}
