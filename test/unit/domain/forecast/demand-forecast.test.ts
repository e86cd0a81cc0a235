import fc from 'fast-check';
import { dayKeyOf, dayNumberOf, weekdayOf } from '../../../../src/domain/forecast/calendar';
import { forecastDemand, FORECAST_METHOD, forecastHourKeys } from '../../../../src/domain/forecast/demand-forecast';
import { specialDayOn } from '../../../../src/domain/forecast/holidays';
import { ForecastInputError, pastCountsBefore } from '../../../../src/domain/forecast/past-counts';
import type { DayHourCounts } from '../../../../src/domain/insights';
import { bucketKey, bucketStart, formatNewYork, splitHourKey } from '../../../../src/domain/time';
import { syntheticDays, weeklyPattern } from './synthetic-history';

const HOUR_MS = 3_600_000;
const dayStart = (dayKey: string): number => bucketStart(dayKey, 'DAY');

function forecastFrom(fromMs: number, days: readonly DayHourCounts[], hours = 168, dataStartDay?: string) {
  return forecastDemand(pastCountsBefore(fromMs, days, { dataStartDay }), hours);
}

describe('forecastDemand', () => {
  describe('what it may see', () => {
    // Items as the reader would hand them: any days, any counts, including days at and after `from`.
    const itemsArbitrary = fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 45 }).chain((offsets) =>
      fc.tuple(
        fc.constant(offsets),
        fc.array(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 24, maxLength: 24 }), {
          minLength: offsets.length,
          maxLength: offsets.length,
        }),
      ),
    );

    it('gives the same answer whatever the data at or after `from` says', () => {
      fc.assert(
        fc.property(
          itemsArbitrary,
          fc.integer({ min: 1, max: 58 }),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 1, max: 168 }),
          fc.array(
            fc.tuple(fc.integer({ min: 0, max: 30 }), fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 24, maxLength: 24 })),
            {
              maxLength: 10,
            },
          ),
          ([offsets, counts], fromDayOffset, fromHour, hours, later) => {
            // Prepare: a history around a `from` (2023, autumn, so DST days are in range too)
            const firstDay = dayNumberOf('2023-09-20');
            const items: DayHourCounts[] = offsets.map((offset, index) => ({
              bucketKey: dayKeyOf(firstDay + offset),
              tripsByHourOfDay: counts[index],
            }));
            const fromKey = `${dayKeyOf(firstDay + fromDayOffset)}T${String(fromHour).padStart(2, '0')}`;
            const fromMs = bucketStart(fromKey, 'HOUR');
            // ...and the same with every hour at or after `from` changed and days after it added
            const changed: DayHourCounts[] = items.map((item) => ({
              bucketKey: item.bucketKey,
              tripsByHourOfDay: item.tripsByHourOfDay.map((trips, hour) =>
                bucketStart(`${item.bucketKey}T${String(hour).padStart(2, '0')}`, 'HOUR') >= fromMs ? trips * 3 + 7 : trips,
              ),
            }));
            for (const [dayOffset, hourCounts] of later) {
              changed.push({ bucketKey: dayKeyOf(firstDay + fromDayOffset + dayOffset), tripsByHourOfDay: hourCounts });
            }

            // Act
            const original = forecastFrom(fromMs, items, hours);
            const withLaterData = forecastFrom(fromMs, changed, hours);

            // Assess
            expect(withLaterData).toEqual(original);
          },
        ),
        { numRuns: 50 },
      );
    });

    it('refuses a `from` that is not an hour start', () => {
      expect(() => pastCountsBefore(dayStart('2023-02-01') + 60_000, [])).toThrow(ForecastInputError);
    });

    it('refuses hours outside 1..168', () => {
      const past = pastCountsBefore(dayStart('2023-02-01'), []);
      expect(() => forecastDemand(past, 0)).toThrow(ForecastInputError);
      expect(() => forecastDemand(past, 169)).toThrow(ForecastInputError);
      expect(() => forecastDemand(past, 1.5)).toThrow(ForecastInputError);
    });
  });

  describe('accuracy on a known pattern (synthetic Poisson counts)', () => {
    const pattern = weeklyPattern(40);
    const history = syntheticDays('2023-01-02', 8 * 7, (weekday, hour) => pattern(weekday, hour), 7);
    const fromMs = dayStart('2023-02-27');
    const forecast = forecastFrom(fromMs, history);

    it('forecasts each hour of the next week close to the true mean', () => {
      const errors = forecast.hours.map((hour) => {
        const { dayKey, hourOfDay } = splitHourKey(bucketKey(hour.hourStartMs, 'HOUR'));
        const truth = pattern(weekdayOf(dayNumberOf(dayKey)), hourOfDay);
        return Math.abs(hour.expectedTrips - truth) / Math.sqrt(truth);
      });
      // Eight weeks of Poisson counts pin each mean to about a third of its standard deviation.
      expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThan(0.4);
      expect(forecast.quality).toBe('OK');
      expect(forecast.method).toBe(FORECAST_METHOD);
    });

    it('gives 80% intervals that hold about 80% of fresh counts', () => {
      const fresh = syntheticDays('2023-02-27', 7, (weekday, hour) => pattern(weekday, hour), 99);
      let covered = 0;
      forecast.hours.forEach((hour, index) => {
        const actual = fresh[Math.floor(index / 24)].tripsByHourOfDay[index % 24];
        if (actual >= hour.low && actual <= hour.high) covered += 1;
      });
      expect(covered / 168).toBeGreaterThanOrEqual(0.7);
      expect(covered / 168).toBeLessThanOrEqual(0.92);
    });

    it('names the history it learned from', () => {
      expect(forecast.history).toEqual({ fromMs: dayStart('2023-01-02'), toMs: dayStart('2023-02-27') });
      expect(forecast.hours).toHaveLength(168);
      expect(forecast.hours[0].hourStartMs).toBe(fromMs);
    });
  });

  describe('robustness', () => {
    const pattern = weeklyPattern(30);
    const clean = syntheticDays('2023-04-03', 6 * 7, (weekday, hour) => pattern(weekday, hour), 3);
    const fromMs = dayStart('2023-05-15');

    it('is hardly moved by a holiday or an odd day in the history', () => {
      // A Monday holiday at a third of the usual trips, and a Thursday with a street fair at 4x.
      const odd = clean.map((day) =>
        day.bucketKey === '2023-05-01'
          ? { ...day, tripsByHourOfDay: day.tripsByHourOfDay.map((trips) => Math.round(trips / 3)) }
          : day.bucketKey === '2023-04-27'
            ? { ...day, tripsByHourOfDay: day.tripsByHourOfDay.map((trips) => trips * 4) }
            : day,
      );
      const plain = forecastFrom(fromMs, clean);
      const withOddDays = forecastFrom(fromMs, odd);
      const total = (hours: typeof plain.hours, from: number, to: number) =>
        hours.slice(from, to).reduce((sum, hour) => sum + hour.expectedTrips, 0);
      // Monday (hours 0..23) and Thursday (72..95) of the forecast week.
      expect(Math.abs(total(withOddDays.hours, 0, 24) / total(plain.hours, 0, 24) - 1)).toBeLessThan(0.05);
      expect(Math.abs(total(withOddDays.hours, 72, 96) / total(plain.hours, 72, 96) - 1)).toBeLessThan(0.05);
    });

    it('follows a change of level within about a week', () => {
      // Demand steps up by half two weeks before `from` (a new service, a season).
      const stepped = clean.map((day) =>
        day.bucketKey >= '2023-05-01' ? { ...day, tripsByHourOfDay: day.tripsByHourOfDay.map((trips) => Math.round(trips * 1.5)) } : day,
      );
      const ratio =
        forecastFrom(fromMs, stepped).hours.reduce((sum, hour) => sum + hour.expectedTrips, 0) /
        forecastFrom(fromMs, clean).hours.reduce((sum, hour) => sum + hour.expectedTrips, 0);
      expect(ratio).toBeGreaterThan(1.35);
      expect(ratio).toBeLessThan(1.6);
    });
  });

  describe('holidays and eves', () => {
    // A city whose holidays look like Sundays (and eves like Saturdays) at `factor` of their level,
    // as New York's do: seven weeks with Columbus Day and Veterans Day (observed Friday 10 November).
    const pattern = weeklyPattern(30);
    const SUNDAY = 6;
    const SATURDAY = 5;
    const historyWith = (factor: number) =>
      syntheticDays(
        '2023-10-02',
        7 * 7,
        (weekday, hour, dayKey) => {
          const kind = specialDayOn(dayKey)?.kind;
          if (hour < 6 || kind === undefined || kind === 'PERIOD') return pattern(weekday, hour);
          return factor * pattern(kind === 'HOLIDAY' ? SUNDAY : SATURDAY, hour);
        },
        21,
      );
    const fromMs = dayStart('2023-11-20'); // Thanksgiving is Thursday 23 November
    const thanksgiving = (forecast: ReturnType<typeof forecastFrom>) => forecast.hours.slice(72 + 6, 96);
    const wednesday = (forecast: ReturnType<typeof forecastFrom>) => forecast.hours.slice(48 + 6, 72);
    const sum = (hours: ReturnType<typeof forecastFrom>['hours']) => hours.reduce((total, hour) => total + hour.expectedTrips, 0);

    it("forecasts Thanksgiving's daytime as a Sunday's, not a Thursday's", () => {
      const forecast = forecastFrom(fromMs, historyWith(1));
      const sundayTruth = Array.from({ length: 18 }, (_, index) => pattern(SUNDAY, index + 6));
      expect(sum(thanksgiving(forecast)) / sundayTruth.reduce((total, mean) => total + mean, 0)).toBeGreaterThan(0.8);
      expect(sum(thanksgiving(forecast)) / sundayTruth.reduce((total, mean) => total + mean, 0)).toBeLessThan(1.2);
      // No morning rush: 08:00 far below the Wednesday's.
      expect(thanksgiving(forecast)[2].expectedTrips).toBeLessThan(0.5 * wednesday(forecast)[2].expectedTrips);
    });

    it('gives a holiday a wider interval than the ordinary Sunday it looks like', () => {
      const forecast = forecastFrom(fromMs, historyWith(1));
      // The Sunday before (19 November), forecast a week earlier: an ordinary Sunday.
      const sunday = forecastFrom(dayStart('2023-11-13'), historyWith(1)).hours.slice(144 + 6, 168);
      const relativeWidth = (hour: ReturnType<typeof forecastFrom>['hours'][number]) => (hour.high - hour.low) / hour.expectedTrips;
      // 14:00, a Sunday's busiest hour.
      expect(relativeWidth(thanksgiving(forecast)[8])).toBeGreaterThan(1.5 * relativeWidth(sunday[8]));
    });

    it('learns from the holidays in its history how far below a Sunday they fall', () => {
      const quiet = forecastFrom(fromMs, historyWith(0.5));
      const plain = forecastFrom(fromMs, historyWith(1));
      expect(sum(thanksgiving(quiet)) / sum(thanksgiving(plain))).toBeLessThan(0.9);
      // ...without moving the ordinary days.
      expect(Math.abs(sum(wednesday(quiet)) / sum(wednesday(plain)) - 1)).toBeLessThan(0.03);
    });
  });

  describe('little or no history', () => {
    it('answers from a few days and says the history is short', () => {
      const days = syntheticDays('2023-02-20', 5, weeklyPattern(10), 5);
      const forecast = forecastFrom(dayStart('2023-02-25'), days, 24);
      expect(forecast.quality).toBe('SHORT_HISTORY');
      expect(forecast.note).toMatch(/5 days/);
      expect(forecast.hours).toHaveLength(24);
      expect(forecast.hours.every((hour) => Number.isFinite(hour.expectedTrips) && hour.low <= hour.high)).toBe(true);
      expect(forecast.hours.reduce((sum, hour) => sum + hour.expectedTrips, 0)).toBeGreaterThan(0);
    });

    it('answers "no history" without hours when nothing came before `from`', () => {
      const later = syntheticDays('2023-03-01', 10, weeklyPattern(10));
      const forecast = forecastFrom(dayStart('2023-03-01'), later, 24);
      expect(forecast).toEqual({
        hours: [],
        method: FORECAST_METHOD,
        history: null,
        quality: 'NO_HISTORY',
        note: expect.stringMatching(/No history/),
      });
    });

    it('reads at most 16 weeks back', () => {
      const days = syntheticDays('2022-01-03', 200, weeklyPattern(10));
      const forecast = forecastFrom(dayStart('2022-07-18'), days, 1);
      expect(forecast.history?.fromMs).toBe(dayStart('2022-03-28'));
    });
  });

  describe('daylight saving time', () => {
    const history = syntheticDays('2023-09-25', 6 * 7, weeklyPattern(20), 11);

    it('gives the fall-back 01:00 bucket, which holds two hours, about twice an ordinary 01:00', () => {
      const forecast = forecastFrom(dayStart('2023-11-05'), history, 24);
      const byKey = new Map(forecast.hours.map((hour) => [formatNewYork(hour.hourStartMs), hour.expectedTrips]));
      const sundayOne = byKey.get('2023-11-05T01:00:00-04:00')!;
      const ordinary = forecastFrom(dayStart('2023-10-29'), history.slice(0, 35), 24).hours[1].expectedTrips;
      expect(sundayOne / ordinary).toBeGreaterThan(1.6);
      expect(sundayOne / ordinary).toBeLessThan(2.5);
      expect(forecast.hours[2].hourStartMs - forecast.hours[1].hourStartMs).toBe(2 * HOUR_MS);
    });

    it('forecasts no 02:00 on the spring-forward day', () => {
      const keys = forecastHourKeys(dayStart('2024-03-10'), 24);
      expect(keys).not.toContain('2024-03-10T02');
      expect(keys.filter((key) => key.startsWith('2024-03-10'))).toHaveLength(23);
    });
  });
});
