/**
 * Which hours the forecast panel forecasts for a view: the last 7 days of the chosen range (all of a
 * shorter range). Pure, so that it is unit-tested without a browser.
 */
import { addDays, daysBetween, localParts } from './calendar';
import type { Filters } from './filters';

/** The forecast covers the last week of the range. */
export const FORECAST_DAYS = 7;

/**
 * The forecast window of the filters: the last (up to) 7 days of the range, and the hours to ask for.
 * A day has 24 hour buckets, 23 on the spring-forward day (the fall-back day's repeated 01:00 is one
 * bucket), so 24 per day is enough and never over the API's 168; hours past the window's last day
 * (a spring-forward week's one extra) are dropped from the answer (see hoursInWindow).
 */
export function forecastWindow(filters: Filters): { firstDay: string; lastDay: string; hours: number } {
  const days = Math.min(FORECAST_DAYS, daysBetween(filters.from, filters.through) + 1);
  const firstDay = addDays(filters.through, 1 - days);
  return { firstDay, lastDay: filters.through, hours: days * 24 };
}

/** The forecast hours that fall on the window's days (New York local dates, read from the API's own offsets). */
export function hoursInWindow<T extends { hourStart: string }>(hours: readonly T[], lastDay: string): T[] {
  return hours.filter((hour) => localParts(hour.hourStart).date <= lastDay);
}
