/**
 * Measuring forecasts the way forecasters do: forecast every whole week after the first three weeks
 * of the data from only the data before it, and compare with what happened and with the seasonal
 * naive forecast (each hour = the same local hour one week earlier). Relative MAE = MAE(forecast) /
 * MAE(seasonal naive); coverage = share of hours whose count lies in the 80% interval. Pure: the
 * counts come in as DAY items, from raw files (npm run backtest) or, later, from the table.
 */
import type { BoroughCode } from '../borough';
import type { AggregateScope } from '../scope';
import type { DayHourCounts } from '../insights';
import { bucketKeysInRange, bucketStart, splitHourKey } from '../time';
import { findZone } from '../zones';
import { dayKeyOf, dayNumberOf, localHourLengths } from './calendar';
import { ENOUGH_HISTORY_DAYS, forecastDemand, type DemandForecast } from './demand-forecast';
import { pastCountsBefore } from './past-counts';
import { median } from './robust';
import type { HourlyTripCounts, ScopeId } from './hourly-counts';

/** The days the data covers, first and last inclusive (DAY keys). */
export interface DataSpan {
  firstDay: string;
  lastDay: string;
}

/** A day with fewer trips than this share of the median day is not part of the data's span. */
const SPAN_DAY_SHARE = 0.1;
export const BUSIEST_ZONES = 10;
/** Boroughs are backtested when they average at least this many trips an hour. */
export const MIN_BOROUGH_TRIPS_PER_HOUR = 1;

/**
 * The span of the data: the longest run of consecutive days each with at least a tenth of the median
 * day's trips. TLC files carry stray pickups dated years away (2008, 2009) or just past the month; those
 * days would otherwise stretch the span with near-empty days. Undefined for no trips.
 */
export function dataSpanOf(cityDays: readonly DayHourCounts[]): DataSpan | undefined {
  return dataSpanOfTotals(new Map(cityDays.map((day) => [day.bucketKey, day.tripsByHourOfDay.reduce((sum, trips) => sum + trips, 0)])));
}

/** dataSpanOf from the city's trips per day (DAY key -> trips), as an API's daily fare trend gives them. */
export function dataSpanOfTotals(tripsByDay: ReadonlyMap<string, number>): DataSpan | undefined {
  const totals = new Map([...tripsByDay].map(([dayKey, trips]) => [dayNumberOf(dayKey), trips]));
  if (totals.size === 0) return undefined;
  const threshold = median([...totals.values()]) * SPAN_DAY_SHARE;
  const full = [...totals.entries()].filter(([, trips]) => trips >= threshold && trips > 0).map(([day]) => day);
  if (full.length === 0) return undefined;
  full.sort((a, b) => a - b);
  let best: [number, number] = [full[0], full[0]];
  let runStart = full[0];
  full.forEach((day, index) => {
    if (index > 0 && day !== full[index - 1] + 1) runStart = day;
    if (day - runStart > best[1] - best[0]) best = [runStart, day];
  });
  return { firstDay: dayKeyOf(best[0]), lastDay: dayKeyOf(best[1]) };
}

/** The first days of the weeks to forecast: every whole week after the first three of the span (the last `maxWeeks` when given). */
export function backtestWeekStarts(span: DataSpan, maxWeeks?: number): string[] {
  const first = dayNumberOf(span.firstDay);
  const last = dayNumberOf(span.lastDay);
  const starts: string[] = [];
  for (let start = first + ENOUGH_HISTORY_DAYS; start + 6 <= last; start += 7) starts.push(dayKeyOf(start));
  return maxWeeks === undefined ? starts : starts.slice(Math.max(0, starts.length - maxWeeks));
}

/** Sums over the forecast hours of one scope (or several: they add up). */
export interface BacktestTotals {
  hours: number;
  weeks: number;
  absoluteError: number;
  naiveAbsoluteError: number;
  covered: number;
}

export interface BacktestMetrics extends BacktestTotals {
  mae: number;
  naiveMae: number;
  /** MAE / naive MAE; null when the naive forecast made no error at all. */
  relativeMae: number | null;
  coverage: number;
}

/** MAE, naive MAE, relative MAE and coverage from error sums. */
export function metricsOf(totals: BacktestTotals): BacktestMetrics {
  return {
    ...totals,
    mae: totals.hours > 0 ? totals.absoluteError / totals.hours : 0,
    naiveMae: totals.hours > 0 ? totals.naiveAbsoluteError / totals.hours : 0,
    relativeMae: totals.naiveAbsoluteError > 0 ? totals.absoluteError / totals.naiveAbsoluteError : null,
    coverage: totals.hours > 0 ? totals.covered / totals.hours : 0,
  };
}

/** Adds up the error sums of several scopes (e.g. the ten busiest zones together). */
export function addTotals(parts: readonly BacktestTotals[]): BacktestTotals {
  return parts.reduce(
    (sum, part) => ({
      hours: sum.hours + part.hours,
      weeks: Math.max(sum.weeks, part.weeks),
      absoluteError: sum.absoluteError + part.absoluteError,
      naiveAbsoluteError: sum.naiveAbsoluteError + part.naiveAbsoluteError,
      covered: sum.covered + part.covered,
    }),
    { hours: 0, weeks: 0, absoluteError: 0, naiveAbsoluteError: 0, covered: 0 },
  );
}

/** A scope's counts, looked up by HOUR key (missing: 0). */
export function countLookup(days: readonly DayHourCounts[]): (hourKey: string) => number {
  const byDay = new Map(days.map((day) => [day.bucketKey, day.tripsByHourOfDay]));
  return (hourKey) => {
    const { dayKey, hourOfDay } = splitHourKey(hourKey);
    return byDay.get(dayKey)?.[hourOfDay] ?? 0;
  };
}

/**
 * The seasonal naive forecast of an hour: the count of the same local hour one week earlier, scaled
 * by the two buckets' lengths (the fall-back 01 bucket holds two hours); when that hour did not exist
 * (spring-forward 02) the hour before it stands in.
 */
export function seasonalNaive(hourKey: string, countOf: (hourKey: string) => number): number {
  const { dayKey, hourOfDay } = splitHourKey(hourKey);
  const weekBefore = dayKeyOf(dayNumberOf(dayKey) - 7);
  const lengths = localHourLengths(weekBefore);
  const hour = lengths[hourOfDay] === 0 ? hourOfDay - 1 : hourOfDay;
  const key = `${weekBefore}T${String(hour).padStart(2, '0')}`;
  return (countOf(key) / lengths[hour]) * localHourLengths(dayKey)[hourOfDay];
}

/**
 * Backtests one scope: for each week start, forecasts the week's hours from the scope's days before
 * it, exactly as demandForecast would from the same DAY items, and sums the errors of the forecast and
 * of the seasonal naive forecast, and the hours inside the interval.
 */
export function backtestScope(
  days: readonly DayHourCounts[],
  weekStarts: readonly string[],
  onWeek?: (weekStart: string) => void,
): BacktestTotals {
  const countOf = countLookup(days);
  const totals = emptyTotals();
  for (const weekStart of weekStarts) {
    const keys = weekHourKeys(weekStart);
    const forecast = forecastDemand(pastCountsBefore(bucketStart(weekStart, 'DAY'), days), keys.length);
    addWeek(totals, keys, forecast, countOf);
    onWeek?.(weekStart);
  }
  return totals;
}

/** Error sums of no hours. */
export function emptyTotals(): BacktestTotals {
  return { hours: 0, weeks: 0, absoluteError: 0, naiveAbsoluteError: 0, covered: 0 };
}

/** The local hours of the week starting at the day `weekStart` (167, 168 or 169 around DST). */
export function weekHourKeys(weekStart: string): string[] {
  return bucketKeysInRange(bucketStart(weekStart, 'DAY'), bucketStart(dayKeyOf(dayNumberOf(weekStart) + 7), 'DAY'), 'HOUR');
}

/**
 * Adds one forecast week to `totals` (mutated): per hour the forecast's and the seasonal naive
 * forecast's absolute errors against the count, and whether the count is inside the interval. A
 * forecast without hours (no history) forecasts 0 and covers nothing.
 */
export function addWeek(
  totals: BacktestTotals,
  keys: readonly string[],
  forecast: Pick<DemandForecast, 'hours'>,
  countOf: (hourKey: string) => number,
): void {
  keys.forEach((key, index) => {
    const actual = countOf(key);
    const hour = forecast.hours[index];
    totals.absoluteError += Math.abs(actual - (hour?.expectedTrips ?? 0));
    totals.naiveAbsoluteError += Math.abs(actual - seasonalNaive(key, countOf));
    if (hour && actual >= hour.low && actual <= hour.high) totals.covered += 1;
    totals.hours += 1;
  });
  totals.weeks += 1;
}

export interface BacktestScope {
  id: ScopeId;
  /** 'city', 'borough' or 'busiest zone' (for the report's grouping). */
  kind: 'city' | 'borough' | 'zone';
  label: string;
  tripsPerHour: number;
}

function tripsInSpan(days: readonly DayHourCounts[], span: DataSpan): number {
  return days
    .filter((day) => day.bucketKey >= span.firstDay && day.bucketKey <= span.lastDay)
    .reduce((sum, day) => sum + day.tripsByHourOfDay.reduce((daySum, trips) => daySum + trips, 0), 0);
}

/**
 * The scopes a backtest reports: the city, each borough averaging at least one trip an hour over the
 * span, and the ten busiest pickup zones (most trips in the span; ties to the lower zone id).
 */
export function backtestScopes(counts: HourlyTripCounts, span: DataSpan): BacktestScope[] {
  return chooseBacktestScopes(
    counts.scopes().map((entry) => ({ ...entry, trips: tripsInSpan(counts.days(entry.id), span) })),
    span,
  );
}

/**
 * The scopes a backtest reports, from every scope's trips in the span: the city, each borough
 * averaging at least one trip an hour, and the ten busiest pickup zones (ties to the lower zone id).
 */
export function chooseBacktestScopes(
  rated: ReadonlyArray<{ id: ScopeId; scope: AggregateScope; trips: number }>,
  span: DataSpan,
): BacktestScope[] {
  const hoursInSpan = (dayNumberOf(span.lastDay) - dayNumberOf(span.firstDay) + 1) * 24;
  const perHour = (trips: number): number => trips / hoursInSpan;
  const city = rated.filter((entry) => entry.scope.kind === 'CITY');
  const boroughs = rated
    .filter((entry) => entry.scope.kind === 'BOROUGH' && perHour(entry.trips) >= MIN_BOROUGH_TRIPS_PER_HOUR)
    .sort((a, b) => b.trips - a.trips);
  const zones = rated
    .filter((entry) => entry.scope.kind === 'ZONE' && entry.trips > 0)
    .sort((a, b) => b.trips - a.trips || zoneIdOf(a.id) - zoneIdOf(b.id))
    .slice(0, BUSIEST_ZONES);
  return [
    ...city.map((entry) => ({ id: entry.id, kind: 'city' as const, label: 'city', tripsPerHour: perHour(entry.trips) })),
    ...boroughs.map((entry) => ({
      id: entry.id,
      kind: 'borough' as const,
      label: boroughLabel(entry.id),
      tripsPerHour: perHour(entry.trips),
    })),
    ...zones.map((entry) => ({ id: entry.id, kind: 'zone' as const, label: zoneLabel(entry.id), tripsPerHour: perHour(entry.trips) })),
  ];
}

/** Trips per hour of a scope over the span. */
export function tripsPerHourInSpan(trips: number, span: DataSpan): number {
  return trips / ((dayNumberOf(span.lastDay) - dayNumberOf(span.firstDay) + 1) * 24);
}

function zoneIdOf(id: ScopeId): number {
  return Number(id.slice('zone:'.length));
}

function boroughLabel(id: ScopeId): string {
  return id.slice('borough:'.length) as BoroughCode;
}

/** A zone scope's label: `zone 74 East Harlem North`. */
export function zoneLabel(id: ScopeId): string {
  const zone = findZone(zoneIdOf(id));
  return zone ? `zone ${zone.id} ${zone.name}` : id;
}
