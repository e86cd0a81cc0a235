/**
 * Synthetic DAY items for forecast tests, labelled as such: a known weekly pattern of expected trips
 * per local hour, sampled as Poisson counts from a seeded generator, so a test can compare a forecast
 * with the truth it came from.
 */
import type { DayHourCounts } from '../../../../src/domain/insights';
import { dayKeyOf, dayNumberOf, localHourLengths, weekdayOf } from '../../../../src/domain/forecast/calendar';

// The chaos tool's seeded generator (mulberry32), so failures reproduce.
export { seededRandom } from '../../../../verify/chaos/seeded-random';
import { seededRandom } from '../../../../verify/chaos/seeded-random';

export function poisson(mean: number, random: () => number): number {
  if (mean > 60) {
    const u = Math.max(random(), 1e-12);
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random();
  while (product > limit) {
    k += 1;
    product *= random();
  }
  return k;
}

/** Expected trips per real hour: a morning and an evening peak on weekdays, a late day at weekends. */
export function weeklyPattern(scale: number): (weekday: number, hour: number) => number {
  return (weekday, hour) => {
    const weekend = weekday >= 5;
    const shape = weekend
      ? 0.3 + Math.exp(-((hour - 15) ** 2) / 30) + 0.6 * Math.exp(-((hour - 1) ** 2) / 4)
      : 0.15 + Math.exp(-((hour - 8) ** 2) / 3) + 1.2 * Math.exp(-((hour - 18) ** 2) / 6);
    return scale * shape;
  };
}

/** DAY items from `firstDay` for `days` days, Poisson counts of `meanOf` (the fall-back 01 bucket gets two hours' worth). */
export function syntheticDays(
  firstDay: string,
  days: number,
  meanOf: (weekday: number, hour: number, dayKey: string) => number,
  seed = 1,
): DayHourCounts[] {
  const random = seededRandom(seed);
  const first = dayNumberOf(firstDay);
  return Array.from({ length: days }, (_, offset) => {
    const dayKey = dayKeyOf(first + offset);
    const lengths = localHourLengths(dayKey);
    return {
      bucketKey: dayKey,
      tripsByHourOfDay: lengths.map((length, hour) => poisson(meanOf(weekdayOf(first + offset), hour, dayKey) * length, random)),
    };
  });
}
