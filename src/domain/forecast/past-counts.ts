/**
 * The only door from stored counts to the forecasting model. A forecast for the hours from `from`
 * must never see a trip picked up at or after `from`; rather than trusting every caller to cut its
 * data, the model accepts nothing but a `PastCounts`, and the one way to build one copies only whole
 * days that end before `from`'s day. Whatever else the caller hands in is never read. Pure.
 */
import type { DayHourCounts } from '../insights';
import { bucketKey, bucketStart } from '../time';
import { dayKeyOf, dayNumberOf, localHourLengths, weekdayOf } from './calendar';
import { median } from './robust';

/** Whole days of history a forecast reads: 16 weeks, so one call reads at most 113 DAY items. */
export const FORECAST_HISTORY_DAYS = 112;

/** A forecast input that cannot be used (a programming error: API arguments are checked before). */
export class ForecastInputError extends Error {
  override name = 'ForecastInputError';
}

/** One day of history: trips per real hour for each local hour the model sees. */
export interface PastDay {
  readonly dayKey: string;
  readonly dayNumber: number;
  /** ISO weekday, Monday = 0. */
  readonly weekday: number;
  /**
   * Trips per real hour, one entry per hour of `PastCounts.hoursOfDay`: the fall-back 01 bucket
   * (two real hours) is halved; null where the local hour does not exist (spring-forward 02).
   */
  readonly perHour: readonly (number | null)[];
}

/** Days before the first with at least this share of the median day's trips are not part of the data (stray pickups). */
export const SUBSTANTIAL_DAY_SHARE = 0.1;

/**
 * Where a scope's data really starts: the first day (day number) with at least a tenth of the median
 * trips of the days that have any. TLC month files carry stray pickups dated days or years before
 * their month; loaded into an empty table, those days would open a history of near-empty days (and
 * zeros between them), as if the city had stopped. Undefined for no days.
 */
export function firstSubstantialDay(totals: ReadonlyMap<number, number>): number | undefined {
  const withTrips = [...totals].filter(([, total]) => total > 0);
  if (withTrips.length === 0) return undefined;
  const threshold = median(withTrips.map(([, total]) => total)) * SUBSTANTIAL_DAY_SHARE;
  return Math.min(...withTrips.filter(([, total]) => total >= threshold).map(([day]) => day));
}

export interface PastCountsOptions {
  /**
   * The first day the data covers, when the caller knows it. Without it the history starts at the
   * scope's first substantial day in the window (firstSubstantialDay): earlier days are not known to
   * be zero. Days from the start on without an item count as days without trips.
   */
  dataStartDay?: string;
  /** The local hours of day the model sees (default all 24; demandPressure needs one). */
  hoursOfDay?: readonly number[];
}

// Not exported: only pastCountsBefore can make a PastCounts.
const BUILT_HERE = Symbol('PastCounts');

/** What a forecast may learn from: the whole days before `from`'s day, at most FORECAST_HISTORY_DAYS of them. */
export class PastCounts {
  constructor(
    token: typeof BUILT_HERE,
    /** The hour start the forecast is for; nothing at or after it is held. */
    readonly fromMs: number,
    readonly hoursOfDay: readonly number[],
    /** Consecutive days, oldest first, the last one the day before `from`'s day; empty: no history. */
    readonly days: readonly PastDay[],
  ) {
    if (token !== BUILT_HERE) throw new ForecastInputError('PastCounts are made by pastCountsBefore only');
  }

  /** The start of the first day learned from and the end of the last (exclusive), or undefined without history. */
  span(): { fromMs: number; toMs: number } | undefined {
    if (this.days.length === 0) return undefined;
    return { fromMs: bucketStart(this.days[0].dayKey, 'DAY'), toMs: bucketStart(dayKeyOf(this.days.at(-1)!.dayNumber + 1), 'DAY') };
  }
}

/** Whether an instant is the start of a local hour bucket (what `from` and `at` must be). */
export function isHourStart(epochMs: number): boolean {
  return Number.isFinite(epochMs) && bucketStart(bucketKey(epochMs, 'HOUR'), 'HOUR') === epochMs;
}

/** The DAY keys a forecast from `fromMs` reads, first and last inclusive: what a reader should Query. */
export function forecastHistoryDaySpan(fromMs: number): [string, string] {
  const fromDay = dayNumberOf(bucketKey(fromMs, 'DAY'));
  return [dayKeyOf(fromDay - FORECAST_HISTORY_DAYS), dayKeyOf(fromDay - 1)];
}

/**
 * The history a forecast from `fromMs` may use, cut from DAY items (day key -> trips per local hour).
 * Only days in [from's day - 112 days, from's day) are copied; items on or after from's day (and
 * the hours of from's own day before `from`, which the whole-day model does not use) are ignored.
 * Throws ForecastInputError when `fromMs` is not an hour start or an hour of day is out of range.
 */
export function pastCountsBefore(fromMs: number, items: readonly DayHourCounts[], options: PastCountsOptions = {}): PastCounts {
  if (!isHourStart(fromMs)) throw new ForecastInputError(`from must be the start of a local hour: ${fromMs}`);
  const hoursOfDay = [...(options.hoursOfDay ?? Array.from({ length: 24 }, (_, hour) => hour))];
  if (hoursOfDay.length === 0 || hoursOfDay.some((hour) => !Number.isInteger(hour) || hour < 0 || hour > 23)) {
    throw new ForecastInputError(`hours of day must be integers in 0..23: ${hoursOfDay.join(',')}`);
  }
  const fromDay = dayNumberOf(bucketKey(fromMs, 'DAY'));
  const windowStart = fromDay - FORECAST_HISTORY_DAYS;
  const byDay = new Map<number, readonly number[]>();
  for (const item of items) {
    const day = dayNumberOf(item.bucketKey);
    if (day >= windowStart && day < fromDay) byDay.set(day, item.tripsByHourOfDay);
  }
  const totals = new Map([...byDay].map(([day, counts]) => [day, hoursOfDay.reduce((sum, hour) => sum + (counts[hour] ?? 0), 0)]));
  let firstDay = options.dataStartDay === undefined ? (firstSubstantialDay(totals) ?? fromDay) : dayNumberOf(options.dataStartDay);
  firstDay = Math.max(firstDay, windowStart);
  const days: PastDay[] = [];
  for (let day = firstDay; day < fromDay; day += 1) {
    const dayKey = dayKeyOf(day);
    const counts = byDay.get(day);
    const lengths = localHourLengths(dayKey);
    const perHour = hoursOfDay.map((hour) => (lengths[hour] === 0 ? null : (counts?.[hour] ?? 0) / lengths[hour]));
    days.push(Object.freeze({ dayKey, dayNumber: day, weekday: weekdayOf(day), perHour: Object.freeze(perHour) }));
  }
  return new PastCounts(BUILT_HERE, fromMs, Object.freeze(hoursOfDay), Object.freeze(days));
}

/**
 * One-hour histories of many series over the same days, for the hour starting at `atMs`: what
 * demandPressure fits, each zone's pickups and drop-offs at that hour of day. `series[k][i]` is series
 * k's trips in the bucket of at's local hour on day i of the window [at's day - 112 days, at's day)
 * (`historyWindowDays(atMs)` names the days); like pastCountsBefore, only that window is read, from
 * `dataStartDay` on (days without a count are days without trips), so no series can see `at` or later.
 * The days' calendar is worked out once for all series. Without `dataStartDay` (no data at all)
 * every history is empty.
 */
export function pastHourCountsBefore(atMs: number, series: readonly ArrayLike<number>[], dataStartDay: string | undefined): PastCounts[] {
  if (!isHourStart(atMs)) throw new ForecastInputError(`at must be the start of a local hour: ${atMs}`);
  const hourOfDay = Number(bucketKey(atMs, 'HOUR').slice(11, 13));
  const atDay = dayNumberOf(bucketKey(atMs, 'DAY'));
  const windowStart = atDay - FORECAST_HISTORY_DAYS;
  const firstDay = dataStartDay === undefined ? atDay : Math.max(dayNumberOf(dataStartDay), windowStart);
  const calendar: Array<{ dayKey: string; dayNumber: number; weekday: number; length: number }> = [];
  for (let day = firstDay; day < atDay; day += 1) {
    const dayKey = dayKeyOf(day);
    calendar.push({ dayKey, dayNumber: day, weekday: weekdayOf(day), length: localHourLengths(dayKey)[hourOfDay] });
  }
  const hoursOfDay = Object.freeze([hourOfDay]);
  // Not frozen one by one (hundreds of series of 112 days): the days are readonly by type, and only this module makes them.
  return series.map((counts) => {
    const days: PastDay[] = calendar.map(({ dayKey, dayNumber, weekday, length }) => ({
      dayKey,
      dayNumber,
      weekday,
      perHour: [length === 0 ? null : (counts[dayNumber - windowStart] ?? 0) / length],
    }));
    return new PastCounts(BUILT_HERE, atMs, hoursOfDay, Object.freeze(days));
  });
}

/** The DAY keys of the window a forecast from `fromMs` (or a pressure at `atMs`) may learn from, oldest first: 112 days. */
export function historyWindowDays(fromMs: number): string[] {
  const fromDay = dayNumberOf(bucketKey(fromMs, 'DAY'));
  return Array.from({ length: FORECAST_HISTORY_DAYS }, (_, index) => dayKeyOf(fromDay - FORECAST_HISTORY_DAYS + index));
}
