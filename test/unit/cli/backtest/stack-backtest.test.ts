import { backtestCounts } from '../../../../src/cli/backtest/run-backtest';
import { backtestStack, type BacktestApi } from '../../../../src/cli/backtest/stack-backtest';
import { forecastDemand } from '../../../../src/domain/forecast/demand-forecast';
import { HourlyTripCounts, scopeIdOf } from '../../../../src/domain/forecast/hourly-counts';
import { pastCountsBefore } from '../../../../src/domain/forecast/past-counts';
import { bucketStart } from '../../../../src/domain/time';
import { validateTrip, type Trip } from '../../../../src/domain/trip';
import { syntheticDays, weeklyPattern } from '../../domain/forecast/synthetic-history';

/** Six weeks of synthetic trips (labelled so: Poisson counts of a weekly pattern) in a few zones of three boroughs. */
function syntheticCounts(): HourlyTripCounts {
  const counts = new HourlyTripCounts();
  const zones = [
    { zoneId: 74, scale: 4 },
    { zoneId: 75, scale: 2 },
    { zoneId: 7, scale: 1.5 },
    { zoneId: 132, scale: 1 },
    { zoneId: 61, scale: 0.5 },
  ];
  let id = 0;
  for (const [index, zone] of zones.entries()) {
    for (const day of syntheticDays('2023-01-02', 42, weeklyPattern(zone.scale), index + 1)) {
      day.tripsByHourOfDay.forEach((trips, hour) => {
        for (let trip = 0; trip < trips; trip += 1) {
          const pickupAt = `${day.bucketKey}T${String(hour).padStart(2, '0')}:${String(trip % 60).padStart(2, '0')}:00`;
          const validation = validateTrip({
            tripId: `s-${++id}`,
            pickupAt,
            dropoffAt: pickupAt,
            pickupZoneId: zone.zoneId,
            dropoffZoneId: 75,
            tripDistanceMiles: 1,
            fareAmount: 10,
            totalAmount: 12,
          });
          if (validation.ok) counts.add(validation.trip as Trip);
        }
      });
    }
  }
  return counts;
}

/** The API's answers computed from the same counts in memory, as the stack would give them. */
function inMemoryApi(counts: HourlyTripCounts): BacktestApi & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const daysIn = (id: string, fromDay: string, toDay: string) =>
    counts.days(id).filter((day) => day.bucketKey >= fromDay && day.bucketKey < toDay);
  return {
    source: 'in memory',
    calls,
    async tripsPerDay(scope, fromDay, toDay) {
      count('tripsPerDay');
      return new Map(
        daysIn(scopeIdOf(scope), fromDay, toDay).map((day) => [day.bucketKey, day.tripsByHourOfDay.reduce((a, b) => a + b, 0)]),
      );
    },
    async totalTrips(scope, fromDay, toDay) {
      count('totalTrips');
      return daysIn(scopeIdOf(scope), fromDay, toDay).reduce((sum, day) => sum + day.tripsByHourOfDay.reduce((a, b) => a + b, 0), 0);
    },
    async hourCounts(scope, fromDay, toDay) {
      count('hourCounts');
      return daysIn(scopeIdOf(scope), fromDay, toDay);
    },
    async forecast(scope, fromDay, hours) {
      count('forecast');
      return forecastDemand(pastCountsBefore(bucketStart(fromDay, 'DAY'), counts.days(scopeIdOf(scope))), hours);
    },
  };
}

describe('backtestStack', () => {
  const counts = syntheticCounts();

  it('measures what the file backtest measures from the same counts, scope by scope', async () => {
    // Prepare
    const api = inMemoryApi(counts);

    // Act
    const report = await backtestStack(api, { scope: { kind: 'all' } }, undefined, '2023-06-01');

    // Assess
    const fromFiles = backtestCounts(counts, { scope: { kind: 'all' } });
    expect(report.span).toEqual({ firstDay: '2023-01-02', lastDay: '2023-02-12' });
    expect(report.weekStarts).toEqual(fromFiles.weekStarts);
    expect(report.rows).toEqual(fromFiles.rows);
    expect(report.busiestZonesTogether).toEqual(fromFiles.busiestZonesTogether);
    // One forecast per scope and week; every zone sized once.
    expect(api.calls.forecast).toBe(report.rows.length * report.weekStarts.length);
    expect(api.calls.totalTrips).toBe(1 + 7 + 265);
  });

  it('sizes only the scope asked for, and forecasts only the last weeks asked for', async () => {
    const api = inMemoryApi(counts);
    const report = await backtestStack(api, { scope: { kind: 'zone', zoneId: 132 }, weeks: 1 }, undefined, '2023-06-01');
    expect(report.rows.map((row) => row.scope.label)).toEqual(['zone 132 JFK Airport']);
    expect(report.weekStarts).toEqual(['2023-02-06']);
    expect(api.calls).toMatchObject({ totalTrips: 1, forecast: 1, hourCounts: 1 });
  });

  it('reports no weeks for a stack without three weeks of data', async () => {
    const report = await backtestStack(inMemoryApi(new HourlyTripCounts()), { scope: { kind: 'all' } }, undefined, '2023-06-01');
    expect(report).toMatchObject({ span: undefined, weekStarts: [], rows: [], validTrips: 0 });
  });
});
