/**
 * SYNTHETIC high-volume demand (labelled so wherever it is shown: not TLC data). No full TLC month is
 * shipped, but the forecast targets will be checked on such months, where Poisson noise is small and
 * week-to-week change, weather and holidays decide the error. This makes a year of city-wide hourly
 * counts at a chosen volume from the yellow 2019 samples' shapes:
 *
 * - ordinary days: the samples' trips per weekday and hour (12 months pooled), scaled so that an average
 *   day has `tripsPerHour` x 24;
 * - special days (src/domain/forecast/holidays.ts) on a weekday: the samples' pooled hour shape of such
 *   days (holidays, and eves, each pooled over 2019), a day's total at a fixed factor of its weekday's
 *   (HOLIDAY_FACTORS: 0.5 to 0.85, as the samples show; Christmas week's 26 December included as an odd
 *   day the calendar does not foresee);
 * - `levels` mode: a weekly level random walk (sd `weekSd` per week), independent day shocks (`daySd`)
 *   and AR(1) hour shocks (`hourSd`, correlation 0.7), all lognormal; `totals` mode: the samples' own
 *   day totals as the day level (their seasons, weather, holidays and their own 5 % Poisson noise)
 *   with the hour shocks;
 * - Poisson counts (normal above a mean of 50), from a seeded generator.
 */
import type { DayHourCounts } from '../../src/domain/insights';
import { dayNumberOf, weekdayOf } from '../../src/domain/forecast/calendar';
import { specialDayOn } from '../../src/domain/forecast/holidays';
import { seededRandom } from '../../verify/chaos/seeded-random';

export interface SyntheticDemandOptions {
  tripsPerHour: number;
  mode: 'levels' | 'totals';
  weekSd: number;
  daySd: number;
  hourSd: number;
  seed: number;
}

/** 2019 day totals against the day's own weekday, for the days demand is known to shift. */
export const HOLIDAY_FACTORS: Readonly<Record<string, number>> = {
  '2019-01-01': 0.75,
  '2019-01-21': 0.85,
  '2019-02-18': 0.85,
  '2019-05-27': 0.65,
  '2019-07-04': 0.55,
  '2019-07-05': 0.75,
  '2019-09-02': 0.65,
  '2019-10-14': 0.8,
  '2019-11-11': 0.8,
  '2019-11-28': 0.55,
  '2019-11-29': 0.7,
  '2019-12-24': 0.7,
  '2019-12-25': 0.5,
  '2019-12-26': 0.7,
  '2019-12-31': 0.8,
};

const normalise = (values: readonly number[]) => {
  const total = values.reduce((sum, value) => sum + value, 0);
  return values.map((value) => value / total);
};

/**
 * A synthetic year (the days of `sampleDays`, the city's DAY counts of the 2019 yellow samples) of
 * city-wide hourly counts, as DAY items.
 */
export function syntheticYear(sampleDays: readonly DayHourCounts[], options: SyntheticDemandOptions): DayHourCounts[] {
  const random = seededRandom(options.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const poisson = (mean: number) => {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
    const limit = Math.exp(-mean);
    let k = 0;
    let product = random();
    while (product > limit) {
      k += 1;
      product *= random();
    }
    return k;
  };
  // Rows 0..6: ordinary days by weekday; 7: weekday holidays; 8: weekday eves.
  const sums = Array.from({ length: 9 }, () => new Array<number>(24).fill(0));
  const roleOf = (dayKey: string): number => {
    const weekday = weekdayOf(dayNumberOf(dayKey));
    const special = specialDayOn(dayKey);
    if (special === undefined || special.kind === 'PERIOD') return weekday;
    return weekday >= 5 ? -1 : special.kind === 'HOLIDAY' ? 7 : 8;
  };
  for (const day of sampleDays) {
    const role = roleOf(day.bucketKey);
    if (role >= 0) day.tripsByHourOfDay.forEach((trips, hour) => (sums[role][hour] += trips));
  }
  const shapes = sums.map(normalise);
  const weekdayTotals = sums.slice(0, 7).map((row) => row.reduce((sum, value) => sum + value, 0));
  const meanTotal = weekdayTotals.reduce((sum, value) => sum + value, 0) / 7;
  const sampleTotals = sampleDays.map((day) => day.tripsByHourOfDay.reduce((sum, value) => sum + value, 0));
  const sampleMean = sampleTotals.reduce((sum, value) => sum + value, 0) / sampleDays.length;
  let level = 0;
  let shock = 0;
  return sampleDays.map((day, index) => {
    const weekday = weekdayOf(dayNumberOf(day.bucketKey));
    const role = roleOf(day.bucketKey);
    const shape = shapes[role >= 0 ? role : weekday];
    let dayMean: number;
    if (options.mode === 'totals') {
      dayMean = options.tripsPerHour * 24 * (sampleTotals[index] / sampleMean);
    } else {
      if (weekday === 0) level += options.weekSd * gauss();
      const factor = HOLIDAY_FACTORS[day.bucketKey] ?? 1;
      dayMean = options.tripsPerHour * 24 * (weekdayTotals[weekday] / meanTotal) * Math.exp(level + options.daySd * gauss()) * factor;
    }
    const tripsByHourOfDay = shape.map((share) => {
      shock = 0.7 * shock + Math.sqrt(1 - 0.49) * options.hourSd * gauss();
      return poisson(dayMean * share * Math.exp(shock - (options.hourSd * options.hourSd) / 2));
    });
    return { bucketKey: day.bucketKey, tripsByHourOfDay };
  });
}
