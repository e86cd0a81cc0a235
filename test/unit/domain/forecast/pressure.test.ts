import fc from 'fast-check';
import { pastCountsBefore } from '../../../../src/domain/forecast/past-counts';
import {
  FARE_MULTIPLIER_RULE,
  MAX_FARE_MULTIPLIER,
  pressureOf,
  rankByPressure,
  suggestedFareMultiplier,
  zonePressure,
} from '../../../../src/domain/forecast/pressure';
import { ForecastInputError } from '../../../../src/domain/forecast/past-counts';
import { bucketStart } from '../../../../src/domain/time';
import { syntheticDays } from './synthetic-history';

const pressure = fc.double({ min: 0, max: 1e6, noNaN: true });

describe('suggestedFareMultiplier', () => {
  it('is 1.0 at or below typical pressure', () => {
    fc.assert(
      fc.property(pressure, pressure, (a, b) => {
        const [current, typical] = a <= b ? [a, b] : [b, a];
        expect(suggestedFareMultiplier(current, typical)).toBe(1);
      }),
    );
  });

  it('stays within [1.0, 2.0], whatever it is given', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (current, typical) => {
        const multiplier = suggestedFareMultiplier(current, typical);
        expect(multiplier).toBeGreaterThanOrEqual(1);
        expect(multiplier).toBeLessThanOrEqual(MAX_FARE_MULTIPLIER);
      }),
    );
  });

  it('never decreases as pressure rises', () => {
    fc.assert(
      fc.property(pressure, pressure, pressure, (a, b, typical) => {
        const [lower, higher] = a <= b ? [a, b] : [b, a];
        expect(suggestedFareMultiplier(higher, typical)).toBeGreaterThanOrEqual(suggestedFareMultiplier(lower, typical));
      }),
    );
  });

  it('rises by 0.5 per typical level of excess, as the rule says, and reaches 2.0', () => {
    expect(suggestedFareMultiplier(3, 2)).toBeCloseTo(1.25);
    expect(suggestedFareMultiplier(0.9, 0.4)).toBeCloseTo(1.25);
    expect(suggestedFareMultiplier(100, 2)).toBe(2);
    expect(FARE_MULTIPLIER_RULE).toMatch(/capped at 2\.0/);
  });
});

describe('pressureOf', () => {
  it('divides pickups by drop-offs floored at one', () => {
    expect(pressureOf(6, 3)).toBe(2);
    expect(pressureOf(0.5, 0)).toBe(0.5);
    expect(pressureOf(-1, 2)).toBe(0);
  });
});

describe('zonePressure', () => {
  const atMs = bucketStart('2023-03-20T18', 'HOUR');
  const hourOnly = { hoursOfDay: [18] };

  it('forecasts pickups and drop-offs of the hour and compares with the usual for that weekday and hour', () => {
    // Synthetic: 12 pickups and 4 drop-offs an hour on Mondays at 18:00, 6 and 6 on other days.
    const pickups = syntheticDays('2023-01-02', 77, (weekday) => (weekday === 0 ? 12 : 6), 1);
    const dropoffs = syntheticDays('2023-01-02', 77, (weekday) => (weekday === 0 ? 4 : 6), 2);
    const result = zonePressure(pastCountsBefore(atMs, pickups, hourOnly), pastCountsBefore(atMs, dropoffs, hourOnly))!;
    expect(result.expectedPickups).toBeGreaterThan(9);
    expect(result.expectedPickups).toBeLessThan(15);
    expect(result.expectedDropoffs).toBeGreaterThan(2.5);
    expect(result.expectedDropoffs).toBeLessThan(6);
    expect(result.pressure).toBeCloseTo(result.expectedPickups / result.expectedDropoffs);
    expect(result.typicalPressure).toBeGreaterThan(2);
    expect(result.suggestedFareMultiplier).toBe(suggestedFareMultiplier(result.pressure, result.typicalPressure));
  });

  it('has nothing to say without history', () => {
    expect(zonePressure(pastCountsBefore(atMs, [], hourOnly), pastCountsBefore(atMs, [], hourOnly))).toBeUndefined();
  });

  it('refuses histories of another hour', () => {
    expect(() => zonePressure(pastCountsBefore(atMs, []), pastCountsBefore(atMs, [], hourOnly))).toThrow(ForecastInputError);
  });
});

describe('rankByPressure', () => {
  it('orders by pressure, most first, ties to the lower zone id, and keeps `limit`', () => {
    const zones = [
      { zoneId: 5, pressure: 1 },
      { zoneId: 3, pressure: 2 },
      { zoneId: 1, pressure: 1 },
    ];
    expect(rankByPressure(zones, 2)).toEqual([
      { zoneId: 3, pressure: 2 },
      { zoneId: 1, pressure: 1 },
    ]);
  });
});
