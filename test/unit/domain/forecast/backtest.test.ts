import {
  addTotals,
  backtestScope,
  backtestScopes,
  backtestWeekStarts,
  dataSpanOf,
  metricsOf,
  seasonalNaive,
} from '../../../../src/domain/forecast/backtest';
import { HourlyTripCounts } from '../../../../src/domain/forecast/hourly-counts';
import { validateTrip } from '../../../../src/domain/trip';
import { syntheticDays, weeklyPattern } from './synthetic-history';

describe('dataSpanOf', () => {
  it('keeps the longest run of real days, leaving out stray pickups dated elsewhere', () => {
    const month = syntheticDays('2020-10-01', 31, weeklyPattern(20));
    const stray = [
      { bucketKey: '2009-01-01', tripsByHourOfDay: [1, ...new Array<number>(23).fill(0)] },
      { bucketKey: '2020-11-01', tripsByHourOfDay: [3, 2, ...new Array<number>(22).fill(0)] },
    ];
    expect(dataSpanOf([...stray, ...month])).toEqual({ firstDay: '2020-10-01', lastDay: '2020-10-31' });
    expect(dataSpanOf([])).toBeUndefined();
  });
});

describe('backtestWeekStarts', () => {
  it('gives every whole week after the first three', () => {
    expect(backtestWeekStarts({ firstDay: '2020-10-01', lastDay: '2020-10-31' })).toEqual(['2020-10-22']);
    expect(backtestWeekStarts({ firstDay: '2023-02-01', lastDay: '2023-02-28' })).toEqual(['2023-02-22']);
    expect(backtestWeekStarts({ firstDay: '2023-01-01', lastDay: '2023-03-31' })).toHaveLength(9);
    expect(backtestWeekStarts({ firstDay: '2023-01-01', lastDay: '2023-03-31' }, 2)).toEqual(['2023-03-12', '2023-03-19']);
    expect(backtestWeekStarts({ firstDay: '2023-01-01', lastDay: '2023-01-27' })).toEqual([]);
  });
});

describe('seasonalNaive', () => {
  it('is the same local hour one week earlier, fitted to the lengths of DST buckets', () => {
    const counts = new Map([
      ['2023-10-29T01', 10],
      ['2023-10-29T08', 7],
    ]);
    const countOf = (key: string) => counts.get(key) ?? 0;
    expect(seasonalNaive('2023-11-05T08', countOf)).toBe(7);
    expect(seasonalNaive('2023-11-05T01', countOf)).toBe(20); // the fall-back bucket holds two hours
    // A week after the spring-forward day, 02:00 looks back to a day without one: 01:00 stands in.
    const spring = new Map([['2024-03-10T01', 4]]);
    expect(seasonalNaive('2024-03-17T02', (key) => spring.get(key) ?? 0)).toBe(4);
  });
});

describe('backtestScope', () => {
  it('beats the seasonal naive forecast on a steady pattern and covers about 80% (synthetic Poisson counts)', () => {
    const days = syntheticDays('2023-01-02', 9 * 7, weeklyPattern(25), 21);
    const span = dataSpanOf(days)!;
    const weeks = backtestWeekStarts(span);
    const seen: string[] = [];
    const metrics = metricsOf(backtestScope(days, weeks, (week) => seen.push(week)));
    expect(seen).toEqual(weeks);
    expect(metrics.weeks).toBe(6);
    expect(metrics.hours).toBe(6 * 168);
    // Poisson noise only: a good forecast has ~0.71 of naive's error (1/sqrt(2)).
    expect(metrics.relativeMae).toBeLessThan(0.8);
    expect(metrics.coverage).toBeGreaterThan(0.72);
    expect(metrics.coverage).toBeLessThan(0.88);
  });
});

describe('metricsOf and addTotals', () => {
  it('pool error sums and divide once', () => {
    const total = addTotals([
      { hours: 10, weeks: 1, absoluteError: 5, naiveAbsoluteError: 10, covered: 8 },
      { hours: 10, weeks: 1, absoluteError: 15, naiveAbsoluteError: 10, covered: 9 },
    ]);
    expect(metricsOf(total)).toMatchObject({ hours: 20, mae: 1, naiveMae: 1, relativeMae: 1, coverage: 0.85 });
    expect(metricsOf({ hours: 1, weeks: 1, absoluteError: 0, naiveAbsoluteError: 0, covered: 1 }).relativeMae).toBeNull();
  });
});

describe('backtestScopes', () => {
  it('lists the city, boroughs with at least a trip an hour, and the busiest zones', () => {
    const counts = new HourlyTripCounts();
    const add = (pickupAt: string, zone: number) => {
      const validation = validateTrip({
        tripId: `${pickupAt}-${zone}`,
        pickupAt,
        dropoffAt: pickupAt,
        pickupZoneId: zone,
        dropoffZoneId: zone,
        tripDistanceMiles: 1,
        fareAmount: 1,
        totalAmount: 1,
      });
      if (validation.ok) counts.add(validation.trip);
    };
    // One day: 30 trips in zone 74 (Manhattan), 2 in zone 7 (Queens).
    for (let minute = 0; minute < 30; minute += 1) add(`2023-02-01T10:${String(minute).padStart(2, '0')}:00`, 74);
    add('2023-02-01T11:00:00', 7);
    add('2023-02-01T12:00:00', 7);
    const scopes = backtestScopes(counts, { firstDay: '2023-02-01', lastDay: '2023-02-01' });
    expect(scopes.map((scope) => scope.id)).toEqual(['city', 'borough:MANHATTAN', 'zone:74', 'zone:7']);
    expect(scopes[1].tripsPerHour).toBeCloseTo(30 / 24);
    expect(scopes[2].label).toBe('zone 74 East Harlem North');
  });
});
