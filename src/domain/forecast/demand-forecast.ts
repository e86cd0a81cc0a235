/**
 * demandForecast (docs/insights-contract.md): expected trips per local hour from `from`,
 * with an 80% prediction interval, the method and the history learned from. Works on `PastCounts`
 * only, so a forecast cannot see the hours it predicts. Pure.
 */
import { bucketKey, bucketStart, nextBucketKey, splitHourKey } from '../time';
import { countInterval } from './count-interval';
import { dayNumberOf, localHourLengths } from './calendar';
import { specialDayOfNumber } from './holidays';
import { ForecastInputError, type PastCounts, type PastDay } from './past-counts';
import { fitWeeklyProfile, type WeeklyProfileFit } from './weekly-profile';

/** The model's short name, returned as `method`. */
export const FORECAST_METHOD = 'robust-weekly-profile';

/** At least this many days of history count as enough (three weeks: each weekday seen three times). */
export const ENOUGH_HISTORY_DAYS = 21;
export const MAX_FORECAST_HOURS = 168;

/** OK: three weeks or more; SHORT_HISTORY: less (still answered); NO_HISTORY: nothing to learn from. */
export type ForecastQuality = 'OK' | 'SHORT_HISTORY' | 'NO_HISTORY';

export interface ForecastHour {
  hourStartMs: number;
  /** The forecast count (a mean: not a whole number). */
  expectedTrips: number;
  /** 80% prediction interval, whole numbers. */
  low: number;
  high: number;
}

export interface DemandForecast {
  hours: ForecastHour[];
  method: string;
  /** The days learned from, [fromMs, toMs); null without history. */
  history: { fromMs: number; toMs: number } | null;
  quality: ForecastQuality;
  note: string;
}

/** Recency half-lives (weeks) the model chooses from per scope; null: all weeks weigh the same. */
const HALF_LIFE_CHOICES: readonly (number | null)[] = [null, 4, 2, 1];
/** Weeks at the end of the history that the choice is tested on. */
const MAX_VALIDATION_WEEKS = 2;
/** Weeks each tested forecast learns from at least: with fewer the choice would be noise. */
const MIN_TRAINING_WEEKS = 3;

function absoluteErrorOnWeek(
  train: readonly PastDay[],
  validation: readonly PastDay[],
  hoursOfDay: readonly number[],
  halfLife: number | null,
): number {
  const fit = fitWeeklyProfile(train, hoursOfDay, { recencyHalfLifeWeeks: halfLife });
  if (!fit) return Number.POSITIVE_INFINITY;
  let error = 0;
  for (const day of validation) {
    // Holidays and eves say nothing about how fast ordinary weeks fade.
    if (specialDayOfNumber(day.dayNumber) !== undefined) continue;
    day.perHour.forEach((actual, hour) => {
      if (actual !== null) error += Math.abs(actual - fit.mean(day.dayNumber, hour));
    });
  }
  return error;
}

/**
 * How fast old weeks should fade for this scope, chosen the way forecasters choose: forecast each of
 * the last (up to) two weeks of the history from the weeks before it, keep the half-life with the
 * smallest error. Needs three weeks to learn from before a tested week; otherwise no fading.
 */
export function chooseRecencyHalfLife(days: readonly PastDay[], hoursOfDay: readonly number[]): number | null {
  const weeks = Math.floor(days.length / 7);
  const validationWeeks = Math.min(MAX_VALIDATION_WEEKS, weeks - MIN_TRAINING_WEEKS);
  if (validationWeeks < 1) return null;
  let best: number | null = null;
  let bestError = Number.POSITIVE_INFINITY;
  for (const halfLife of HALF_LIFE_CHOICES) {
    let error = 0;
    for (let week = 1; week <= validationWeeks; week += 1) {
      const cut = days.length - 7 * week;
      error += absoluteErrorOnWeek(days.slice(0, cut), days.slice(cut, cut + 7), hoursOfDay, halfLife);
    }
    if (error < bestError) {
      best = halfLife;
      bestError = error;
    }
  }
  return best;
}

/** The fitted model for a history, with the recency chosen for it; undefined without history. */
export function fitDemandModel(past: PastCounts): WeeklyProfileFit | undefined {
  return fitWeeklyProfile(past.days, past.hoursOfDay, { recencyHalfLifeWeeks: chooseRecencyHalfLife(past.days, past.hoursOfDay) });
}

/** The HOUR keys of `count` local hours from the hour starting at `fromMs` (DST-aware: 23 or 25 hour days). */
export function forecastHourKeys(fromMs: number, count: number): string[] {
  const keys: string[] = [];
  let key = bucketKey(fromMs, 'HOUR');
  for (let index = 0; index < count; index += 1) {
    keys.push(key);
    key = nextBucketKey(key, 'HOUR');
  }
  return keys;
}

/** How a forecast's history is described: what there was none of, what was learned from, and before what. */
export interface HistoryWording {
  nothing: string;
  learned: string;
  before: string;
}

const FORECAST_WORDING: HistoryWording = {
  nothing: 'no trips in this scope in the 16 weeks before `from`',
  learned: 'hourly counts',
  before: '`from`',
};

/** The quality of a history of `days` whole days, and a sentence saying what it means. */
export function describeHistory(days: number, wording: HistoryWording = FORECAST_WORDING): { quality: ForecastQuality; note: string } {
  if (days === 0) {
    return { quality: 'NO_HISTORY', note: `No history: ${wording.nothing}, so there is nothing to forecast from.` };
  }
  const span = days === 1 ? '1 day' : `${days} days`;
  if (days < ENOUGH_HISTORY_DAYS) {
    return {
      quality: 'SHORT_HISTORY',
      note: `Short history: learned from ${span}, less than three weeks, so some weekdays are seen once or not at all and are borrowed from others; expect larger errors than the intervals say.`,
    };
  }
  return { quality: 'OK', note: `Learned from ${span} of ${wording.learned} before ${wording.before}.` };
}

/**
 * Expected trips for `hours` (1..168) local hours from `past.fromMs`, each with an 80% prediction
 * interval. Without history the answer says so (quality NO_HISTORY, no hours) instead of guessing.
 * The model sees whole days before `from`'s day only. Throws ForecastInputError for `hours` out of
 * range or a history that does not hold all 24 hours of day.
 */
export function forecastDemand(past: PastCounts, hours: number): DemandForecast {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_FORECAST_HOURS) {
    throw new ForecastInputError(`hours must be an integer in 1..${MAX_FORECAST_HOURS}: ${hours}`);
  }
  if (past.hoursOfDay.length !== 24) throw new ForecastInputError('demandForecast needs all 24 hours of day');
  const span = past.span();
  const { quality, note } = describeHistory(past.days.length);
  const fit = fitDemandModel(past);
  if (!fit || !span) return { hours: [], method: FORECAST_METHOD, history: null, quality, note };
  const forecastHours = forecastHourKeys(past.fromMs, hours).map((key): ForecastHour => {
    const { dayKey, hourOfDay } = splitHourKey(key);
    const day = dayNumberOf(dayKey);
    // The fall-back 01 bucket holds two real hours.
    const length = localHourLengths(dayKey)[hourOfDay];
    const expectedTrips = fit.mean(day, hourOfDay) * length;
    const interval = countInterval(expectedTrips, fit.variance(day, hourOfDay) * length);
    return { hourStartMs: bucketStart(key, 'HOUR'), expectedTrips, low: interval.low, high: interval.high };
  });
  return { hours: forecastHours, method: FORECAST_METHOD, history: span, quality, note };
}
