import fc from 'fast-check';
import { pastCountsBefore } from '../../../../src/domain/forecast/past-counts';
import { dayKeyOf, dayNumberOf, weekdayOf } from '../../../../src/domain/forecast/calendar';
import { FORECAST_METHOD } from '../../../../src/domain/forecast/demand-forecast';
import {
  computeDemandPressure,
  FARE_MULTIPLIER_RULE,
  MAX_FARE_MULTIPLIER,
  pressureHistoryHourKeys,
  pressureOf,
  rankByPressure,
  suggestedFareMultiplier,
  zonePressure,
} from '../../../../src/domain/forecast/pressure';
import { ForecastInputError, pastHourCountsBefore } from '../../../../src/domain/forecast/past-counts';
import { bucketStart } from '../../../../src/domain/time';
import type { FlowBucket } from '../../../../src/domain/zone-flows-insight';
import { poisson, seededRandom, syntheticDays } from './synthetic-history';

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

describe('pressureHistoryHourKeys', () => {
  it("names the same local hour on each of the 112 days before at's day, oldest first", () => {
    const keys = pressureHistoryHourKeys(bucketStart('2023-03-20T18', 'HOUR'));
    expect(keys).toHaveLength(112);
    expect(keys[0]).toBe('2022-11-28T18');
    expect(keys.at(-1)).toBe('2023-03-19T18');
  });

  it('leaves out the spring-forward day at 02:00, which has no such hour', () => {
    const keys = pressureHistoryHourKeys(bucketStart('2024-03-20T02', 'HOUR'));
    expect(keys).toHaveLength(111);
    expect(keys).not.toContain('2024-03-10T02');
  });
});

describe('pastHourCountsBefore', () => {
  it("copies only the window's days from the data start, one hour per day, per series", () => {
    const atMs = bucketStart('2023-03-20T18', 'HOUR');
    const counts = new Float64Array(112).map((_, index) => index);
    const [past] = pastHourCountsBefore(atMs, [counts], '2023-03-13');
    expect(past.days.map((day) => day.dayKey)).toEqual([
      '2023-03-13',
      '2023-03-14',
      '2023-03-15',
      '2023-03-16',
      '2023-03-17',
      '2023-03-18',
      '2023-03-19',
    ]);
    expect(past.days.map((day) => day.perHour[0])).toEqual([105, 106, 107, 108, 109, 110, 111]);
    expect(past.hoursOfDay).toEqual([18]);
    expect(pastHourCountsBefore(atMs, [counts], undefined)[0].days).toEqual([]);
    expect(() => pastHourCountsBefore(atMs + 60_000, [counts], '2023-03-13')).toThrow(ForecastInputError);
  });
});

describe('computeDemandPressure', () => {
  const atMs = bucketStart('2023-03-20T18', 'HOUR'); // a Monday
  const random = seededRandom(17);
  /** Flow items of the 112 days: zone 74 (Manhattan) gets busier in the last four weeks; zone 7 (Queens) stays balanced. */
  const flows: FlowBucket[] = pressureHistoryHourKeys(atMs).map((hourKey) => {
    const day = dayNumberOf(hourKey.slice(0, 10));
    const recent = day >= dayNumberOf('2023-02-20');
    return {
      bucketKey: hourKey,
      flows: {
        pickups: new Map([
          [74, poisson(recent ? 16 : 8, random)],
          [7, poisson(5, random)],
        ]),
        dropoffs: new Map([
          [74, poisson(8, random)],
          [7, poisson(5, random)],
        ]),
      },
    };
  });

  it('ranks the zones by pressure and raises the multiplier where pickups outgrow the usual', () => {
    const result = computeDemandPressure(atMs, flows, { limit: 20 });
    expect(result.zones.map((zone) => zone.zoneId)).toEqual([74, 7]);
    const [busy, balanced] = result.zones;
    expect(busy).toMatchObject({ zoneName: 'East Harlem North', borough: 'MANHATTAN' });
    expect(busy.expectedPickups).toBeGreaterThan(12);
    expect(busy.pressure).toBeGreaterThan(busy.typicalPressure);
    expect(busy.suggestedFareMultiplier).toBeGreaterThan(1);
    expect(busy.suggestedFareMultiplier).toBe(suggestedFareMultiplier(busy.pressure, busy.typicalPressure));
    expect(balanced.pressure).toBeGreaterThan(0.6);
    expect(balanced.pressure).toBeLessThan(1.6);
    expect(result).toMatchObject({ rule: FARE_MULTIPLIER_RULE, method: FORECAST_METHOD, quality: 'OK' });
    expect(result.history).toEqual({ fromMs: bucketStart('2022-11-28', 'DAY'), toMs: bucketStart('2023-03-20', 'DAY') });
  });

  it('keeps the zones of a borough, and `limit` of them', () => {
    expect(computeDemandPressure(atMs, flows, { limit: 20, borough: 'QUEENS' }).zones.map((zone) => zone.zoneId)).toEqual([7]);
    expect(computeDemandPressure(atMs, flows, { limit: 1 }).zones.map((zone) => zone.zoneId)).toEqual([74]);
  });

  it("never sees at's day or later, nor other hours", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 500 })), {
          maxLength: 12,
        }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 111 }),
            fc.integer({ min: 0, max: 23 }).filter((hour) => hour !== 18),
          ),
          { maxLength: 12 },
        ),
        (later, otherHours) => {
          const atDay = dayNumberOf('2023-03-20');
          const extra: FlowBucket[] = [
            ...later.map(([offset, hour, trips]) => ({
              bucketKey: `${dayKeyOf(atDay + offset)}T${String(hour).padStart(2, '0')}`,
              flows: { pickups: new Map([[74, trips]]), dropoffs: new Map([[75, trips]]) },
            })),
            ...otherHours.map(([offset, hour]) => ({
              bucketKey: `${dayKeyOf(atDay - 1 - offset)}T${String(hour).padStart(2, '0')}`,
              flows: { pickups: new Map([[74, 999]]), dropoffs: new Map([[7, 999]]) },
            })),
          ];
          expect(computeDemandPressure(atMs, [...flows, ...extra], { limit: 20 })).toEqual(
            computeDemandPressure(atMs, flows, { limit: 20 }),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('answers "no history" with no zones when there are no flow items', () => {
    expect(computeDemandPressure(atMs, [], { limit: 20 })).toEqual({
      atMs,
      zones: [],
      rule: FARE_MULTIPLIER_RULE,
      method: FORECAST_METHOD,
      history: null,
      quality: 'NO_HISTORY',
      note: expect.stringMatching(/No history/),
    });
  });

  it('starts where the data really starts, after a stray pickup dated weeks before', () => {
    // One stray trip at 18:00 on 2022-12-01, then data from 2023-02-20 on only.
    const late = flows.filter((flow) => flow.bucketKey >= '2023-02-20');
    const stray: FlowBucket = { bucketKey: '2022-12-01T18', flows: { pickups: new Map([[74, 1]]), dropoffs: new Map() } };
    const result = computeDemandPressure(atMs, [stray, ...late], { limit: 20 });
    expect(result.history).toEqual({ fromMs: bucketStart('2023-02-20', 'DAY'), toMs: bucketStart('2023-03-20', 'DAY') });
    expect(result.zones.find((zone) => zone.zoneId === 74)!.expectedPickups).toBeGreaterThan(12);
  });

  it('counts a zone missing from an item as no trips that hour, from the first item on', () => {
    // Zone 74 has pickups on Mondays only; the other days' items do not name it.
    const mondaysOnly = flows.map((flow) =>
      weekdayOf(dayNumberOf(flow.bucketKey.slice(0, 10))) === 0 ? flow : { ...flow, flows: { ...flow.flows, pickups: new Map([[7, 5]]) } },
    );
    const monday = computeDemandPressure(atMs, mondaysOnly, { limit: 20 }).zones.find((zone) => zone.zoneId === 74)!;
    const tuesday = computeDemandPressure(bucketStart('2023-03-21T18', 'HOUR'), mondaysOnly, { limit: 20 }).zones.find(
      (zone) => zone.zoneId === 74,
    )!;
    // Mondays keep their own level (the other weekdays are far from alike); Tuesdays had none.
    expect(monday.expectedPickups).toBeGreaterThan(8);
    expect(tuesday.expectedPickups).toBeLessThan(1.5);
  });
});
