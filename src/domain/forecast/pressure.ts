/**
 * demandPressure (docs/insights-contract.md): per zone, expected pickups against expected
 * drop-offs for one local hour, how that compares with the zone's usual for that weekday and hour, and
 * a bounded, monotone fare multiplier derived from it. A signal for people and pricing systems, not a
 * price. Learns from the city-wide flow counts (pickups and drop-offs per zone) of the same local hour
 * on the 112 days before the hour's day: at most 112 items. Pure.
 */
import type { BoroughCode } from '../borough';
import type { FlowBucket } from '../zone-flows-insight';
import { bucketKey, bucketStart, splitHourKey } from '../time';
import { findZone } from '../zones';
import { dayKeyOf, dayNumberOf, hourKeyOf, localHourLengths, weekdayOf } from './calendar';
import { describeHistory, FORECAST_METHOD, type ForecastQuality } from './demand-forecast';
import {
  FORECAST_HISTORY_DAYS,
  ForecastInputError,
  firstSubstantialDay,
  historyWindowDays,
  pastHourCountsBefore,
  type PastCounts,
} from './past-counts';
import { winsorisedMean } from './robust';
import { fitWeeklyProfile } from './weekly-profile';

export const MAX_FARE_MULTIPLIER = 2;
/** How fast the multiplier rises: +0.5 for pressure one whole typical level (or 1.0 when typical is below 1) above typical. */
const MULTIPLIER_SLOPE = 0.5;

/** The rule, as `rule` returns it. */
export const FARE_MULTIPLIER_RULE =
  'suggestedFareMultiplier = 1.0 while pressure <= typicalPressure; above it 1.0 + 0.5 x (pressure - typicalPressure) / max(typicalPressure, 1), capped at 2.0';

/** Expected pickups per expected drop-off, the drop-offs floored at 1 so that an empty zone does not divide by 0. */
export function pressureOf(expectedPickups: number, expectedDropoffs: number): number {
  return Math.max(0, expectedPickups) / Math.max(expectedDropoffs, 1);
}

/**
 * The fare multiplier for a pressure against the zone's typical pressure (FARE_MULTIPLIER_RULE): 1.0 at
 * or below typical, never above 2.0, never lower for a higher pressure. The excess is measured
 * against the typical level, or in absolute terms when that is below 1, so a zone that is usually
 * quiet is not doubled by one expected pickup. Non-finite or negative inputs are read as 0.
 */
export function suggestedFareMultiplier(pressure: number, typicalPressure: number): number {
  const current = Number.isFinite(pressure) && pressure > 0 ? pressure : 0;
  const typical = Number.isFinite(typicalPressure) && typicalPressure > 0 ? typicalPressure : 0;
  if (current <= typical) return 1;
  return Math.min(MAX_FARE_MULTIPLIER, 1 + (MULTIPLIER_SLOPE * (current - typical)) / Math.max(typical, 1));
}

export interface ZonePressure {
  expectedPickups: number;
  expectedDropoffs: number;
  pressure: number;
  typicalPressure: number;
  suggestedFareMultiplier: number;
}

/**
 * How fast old weeks fade in pressure forecasts: not at all (all 16 weeks alike). demandForecast
 * chooses this per scope by forecasting the last weeks of the history (nine fits); pressure fits two
 * series per zone, up to 530 of them, so it uses one fixed rule. Measured on one-hour forecasts of the
 * 30 busiest zones and the city (docs/forecast.md), no fading was as good as or better than the
 * choice, except on sparse zones over a year.
 */
export const PRESSURE_RECENCY_HALF_LIFE_WEEKS = null;

function forecastOneHour(past: PastCounts): number {
  const fit = fitWeeklyProfile(past.days, past.hoursOfDay, { recencyHalfLifeWeeks: PRESSURE_RECENCY_HALF_LIFE_WEEKS });
  if (!fit) return 0;
  const { dayKey, hourOfDay } = splitHourKey(bucketKey(past.fromMs, 'HOUR'));
  return fit.mean(dayNumberOf(dayKey), 0) * localHourLengths(dayKey)[hourOfDay];
}

/** The usual count per real hour on the weekday of `past.fromMs` (a winsorised mean over the history's days of that weekday). */
function typicalOnWeekday(past: PastCounts): number {
  const weekday = weekdayOf(dayNumberOf(bucketKey(past.fromMs, 'DAY')));
  const values: number[] = [];
  for (const day of past.days) {
    const value = day.perHour[0];
    if (day.weekday === weekday && value !== null) values.push(value);
  }
  if (values.length === 0) return 0;
  return winsorisedMean(values, new Array<number>(values.length).fill(1), 3);
}

/**
 * One zone's pressure for the hour starting at `pickups.fromMs`, from the pickups and drop-offs of
 * that local hour on past days (each a PastCounts for that one hour of day, built with
 * `pastCountsBefore(at, items, { hoursOfDay: [hour] })`): expected counts as demandForecast makes
 * them, pressure, the typical pressure of that weekday and hour, and the multiplier. Undefined when
 * neither series has history. Throws ForecastInputError for mismatched inputs.
 */
export function zonePressure(pickups: PastCounts, dropoffs: PastCounts): ZonePressure | undefined {
  const hour = splitHourKey(bucketKey(pickups.fromMs, 'HOUR')).hourOfDay;
  for (const past of [pickups, dropoffs]) {
    if (past.fromMs !== pickups.fromMs || past.hoursOfDay.length !== 1 || past.hoursOfDay[0] !== hour) {
      throw new ForecastInputError('pickups and drop-offs must be histories of the hour of `at` only');
    }
  }
  if (pickups.days.length === 0 && dropoffs.days.length === 0) return undefined;
  const expectedPickups = forecastOneHour(pickups);
  const expectedDropoffs = forecastOneHour(dropoffs);
  const pressure = pressureOf(expectedPickups, expectedDropoffs);
  const typicalPressure = pressureOf(typicalOnWeekday(pickups), typicalOnWeekday(dropoffs));
  return {
    expectedPickups,
    expectedDropoffs,
    pressure,
    typicalPressure,
    suggestedFareMultiplier: suggestedFareMultiplier(pressure, typicalPressure),
  };
}

/** Zones ordered by pressure, most first (ties: lower zone id first), the first `limit`. */
export function rankByPressure<T extends { zoneId: number; pressure: number }>(zones: readonly T[], limit: number): T[] {
  return [...zones].sort((a, b) => b.pressure - a.pressure || a.zoneId - b.zoneId).slice(0, limit);
}

/**
 * The HOUR keys demandPressure reads for the hour starting at `atMs`: the same local hour on each of the
 * 112 days before at's day, oldest first (a spring-forward day, which has no 02:00, is left out). At most
 * 112 keys.
 */
export function pressureHistoryHourKeys(atMs: number): string[] {
  const { dayKey, hourOfDay } = splitHourKey(bucketKey(atMs, 'HOUR'));
  const atDay = dayNumberOf(dayKey);
  const keys: string[] = [];
  for (let day = atDay - FORECAST_HISTORY_DAYS; day < atDay; day += 1) {
    const pastDay = dayKeyOf(day);
    if (localHourLengths(pastDay)[hourOfDay] > 0) keys.push(hourKeyOf(pastDay, hourOfDay));
  }
  return keys;
}

export interface ZonePressureRow extends ZonePressure {
  zoneId: number;
  zoneName: string;
  borough: BoroughCode;
}

export interface DemandPressureResult {
  atMs: number;
  /** Zones with history, highest pressure first, at most `limit`. */
  zones: ZonePressureRow[];
  rule: string;
  method: string;
  /** The days learned from, [fromMs, toMs); null without history. */
  history: { fromMs: number; toMs: number } | null;
  quality: ForecastQuality;
  note: string;
}

/**
 * demandPressure for the hour starting at `atMs`, from the city-wide flow buckets (FLOW#HOUR items:
 * pickups and drop-offs per zone) the reader returned for pressureHistoryHourKeys(atMs) (any other hour, and anything on or after at's day, is ignored). The
 * history starts at the first of those hours with a substantial number of pickups city-wide
 * (firstSubstantialDay); from there an hour without an item, or a zone missing from one, had no trips. Every zone with a pickup or drop-off in the history (in
 * `borough` when given) gets expected pickups and drop-offs (the forecasting model on that one hour of
 * day, all weeks alike), its pressure, its typical pressure and the multiplier; the `limit` zones with
 * the highest pressure are returned. No flow item at all: no zones, quality NO_HISTORY.
 */
export function computeDemandPressure(
  atMs: number,
  flowHours: readonly FlowBucket[],
  options: { borough?: BoroughCode; limit: number },
): DemandPressureResult {
  const { dayKey: atDay, hourOfDay } = splitHourKey(bucketKey(atMs, 'HOUR'));
  const wanted = new Set(pressureHistoryHourKeys(atMs));
  const usable = flowHours.filter((flow) => wanted.has(flow.bucketKey));
  const windowIndex = new Map(historyWindowDays(atMs).map((dayKey, index) => [dayKey, index]));
  // City-wide pickups per day at this hour: where the data starts (stray pickups before it are not a start).
  const cityPickups = new Map<number, number>();
  for (const flow of usable) {
    let total = 0;
    for (const trips of flow.flows.pickups.values()) total += trips;
    cityPickups.set(dayNumberOf(flow.bucketKey.slice(0, 10)), total);
  }
  const startDay = firstSubstantialDay(cityPickups);
  const dataStartDay = startDay === undefined ? undefined : dayKeyOf(startDay);
  // Per zone, trips per day of the window: pickups and drop-offs.
  const series = new Map<number, { pickups: Float64Array; dropoffs: Float64Array }>();
  const seriesOf = (zoneId: number) => {
    let zone = series.get(zoneId);
    if (!zone)
      series.set(zoneId, (zone = { pickups: new Float64Array(FORECAST_HISTORY_DAYS), dropoffs: new Float64Array(FORECAST_HISTORY_DAYS) }));
    return zone;
  };
  const inScope = (zoneId: number) => {
    const zone = findZone(zoneId);
    return zone !== undefined && (options.borough === undefined || zone.borough === options.borough);
  };
  for (const flow of usable) {
    const index = windowIndex.get(flow.bucketKey.slice(0, 10))!;
    for (const [zoneId, trips] of flow.flows.pickups) if (trips > 0 && inScope(zoneId)) seriesOf(zoneId).pickups[index] = trips;
    for (const [zoneId, trips] of flow.flows.dropoffs) if (trips > 0 && inScope(zoneId)) seriesOf(zoneId).dropoffs[index] = trips;
  }
  const zoneIds = [...series.keys()];
  const pasts = pastHourCountsBefore(
    atMs,
    zoneIds.flatMap((zoneId) => [series.get(zoneId)!.pickups, series.get(zoneId)!.dropoffs]),
    dataStartDay,
  );
  const rows: ZonePressureRow[] = [];
  zoneIds.forEach((zoneId, index) => {
    const result = zonePressure(pasts[2 * index], pasts[2 * index + 1]);
    const zone = findZone(zoneId)!;
    if (result) rows.push({ zoneId, zoneName: zone.name, borough: zone.borough, ...result });
  });
  const historyDays = dataStartDay === undefined ? 0 : dayNumberOf(atDay) - dayNumberOf(dataStartDay);
  const { quality, note } = describeHistory(historyDays, {
    nothing: `no trips at ${String(hourOfDay).padStart(2, '0')}:00 in the 16 weeks before \`at\``,
    learned: `pickups and drop-offs at ${String(hourOfDay).padStart(2, '0')}:00`,
    before: '`at`',
  });
  return {
    atMs,
    zones: rankByPressure(rows, options.limit),
    rule: FARE_MULTIPLIER_RULE,
    method: FORECAST_METHOD,
    history: dataStartDay === undefined ? null : { fromMs: bucketStart(dataStartDay, 'DAY'), toMs: bucketStart(atDay, 'DAY') },
    quality,
    note,
  };
}
