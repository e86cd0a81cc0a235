/**
 * demandPressure (docs/insights-contract.md): per zone, expected pickups against expected
 * drop-offs for one local hour, how that compares with the zone's usual for that weekday and hour, and
 * a bounded, monotone fare multiplier derived from it. A signal for people and pricing systems, not a
 * price. Pure; docs/forecast.md describes the reads phase 2 wires in.
 */
import { bucketKey, splitHourKey } from '../time';
import { dayNumberOf, localHourLengths, weekdayOf } from './calendar';
import { fitDemandModel } from './demand-forecast';
import { ForecastInputError, type PastCounts } from './past-counts';
import { winsorisedMean } from './robust';

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

function forecastOneHour(past: PastCounts): number {
  const fit = fitDemandModel(past);
  if (!fit) return 0;
  const { dayKey, hourOfDay } = splitHourKey(bucketKey(past.fromMs, 'HOUR'));
  return fit.mean(dayNumberOf(dayKey), 0) * localHourLengths(dayKey)[hourOfDay];
}

/** The usual count per real hour on the weekday of `past.fromMs` (a winsorised mean over the history's days of that weekday). */
function typicalOnWeekday(past: PastCounts): number {
  const weekday = weekdayOf(dayNumberOf(bucketKey(past.fromMs, 'DAY')));
  const values = past.days.filter((day) => day.weekday === weekday && day.perHour[0] !== null).map((day) => day.perHour[0] as number);
  if (values.length === 0) return 0;
  return winsorisedMean(
    values,
    values.map(() => 1),
    3,
  );
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
