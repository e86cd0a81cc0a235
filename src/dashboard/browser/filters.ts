/**
 * What the page shows, as the URL holds it, so that a link reproduces the view:
 * `?from=2023-02-01&through=2023-02-28&granularity=DAY&borough=MANHATTAN&zone=161&map=net`.
 * Dates are New York local calendar days, `through` inclusive (the API's ranges are half-open: the day
 * after `through` is sent as `to`). A zone and a borough exclude each other; the zone wins.
 */
import { BOROUGHS, GRANULARITIES, type Borough, type Granularity, type ScopeVariables, type TimeRange } from './api/queries';
import { addDays, daysBetween, isCalendarDate } from './calendar';

export const MAP_METRICS = ['pickups', 'dropoffs', 'net'] as const;
export type MapMetric = (typeof MAP_METRICS)[number];

export interface Filters {
  readonly from: string;
  readonly through: string;
  readonly granularity: Granularity;
  readonly borough?: Borough;
  readonly zoneId?: number;
  readonly mapMetric: MapMetric;
}

/** Ranges longer than this are refused: an hourly view of years would be unreadable and slow. */
export const MAX_RANGE_DAYS = 3 * 366;
const MAX_HOURLY_DAYS = 62;

/**
 * Reads the filters from a query string. Missing parts come from `defaults`; parts that do not parse
 * are dropped (and listed in `ignored`, so the page can say so) rather than failing the page.
 */
export function parseFilters(search: string, defaults: Filters): { filters: Filters; ignored: string[] } {
  const params = new URLSearchParams(search);
  const ignored: string[] = [];
  const pick = <T>(name: string, parse: (value: string) => T | undefined): T | undefined => {
    const raw = params.get(name);
    if (raw === null || raw === '') return undefined;
    const value = parse(raw);
    if (value === undefined) ignored.push(name);
    return value;
  };
  let from = pick('from', (value) => (isCalendarDate(value) ? value : undefined)) ?? defaults.from;
  let through = pick('through', (value) => (isCalendarDate(value) ? value : undefined)) ?? defaults.through;
  if (through < from || daysBetween(from, through) >= MAX_RANGE_DAYS) {
    ignored.push('through');
    ({ from, through } = defaults);
  }
  const granularity = pick('granularity', (value) => oneOf(GRANULARITIES, value.toUpperCase())) ?? defaults.granularity;
  const zoneId = pick('zone', (value) => {
    const id = Number(value);
    return Number.isInteger(id) && id >= 1 && id <= 265 ? id : undefined;
  });
  const borough = zoneId === undefined ? pick('borough', (value) => oneOf(BOROUGHS, value.toUpperCase())) : undefined;
  const mapMetric = pick('map', (value) => oneOf(MAP_METRICS, value.toLowerCase())) ?? defaults.mapMetric;
  return { filters: withScope({ from, through, granularity, mapMetric }, { zoneId, borough }), ignored };
}

/** The query string of `filters` (what parseFilters reads back to the same filters). */
export function filtersToSearch(filters: Filters): string {
  const params = new URLSearchParams({ from: filters.from, through: filters.through, granularity: filters.granularity });
  if (filters.zoneId !== undefined) params.set('zone', String(filters.zoneId));
  else if (filters.borough !== undefined) params.set('borough', filters.borough);
  params.set('map', filters.mapMetric);
  return `?${params.toString()}`;
}

/** The filters with a new scope: a zone clears the borough, a borough clears the zone. */
export function withScope(filters: Omit<Filters, 'zoneId' | 'borough'>, scope: ScopeVariables): Filters {
  const { from, through, granularity, mapMetric } = filters;
  if (scope.zoneId !== undefined) return { from, through, granularity, mapMetric, zoneId: scope.zoneId };
  if (scope.borough !== undefined) return { from, through, granularity, mapMetric, borough: scope.borough };
  return { from, through, granularity, mapMetric };
}

/** The API range of the filters: [from, day after through). */
export function rangeOf(filters: Filters): TimeRange {
  return { from: filters.from, to: addDays(filters.through, 1) };
}

/** The zoneId or borough variables of the filters' scope. */
export function scopeOf(filters: Filters): ScopeVariables {
  if (filters.zoneId !== undefined) return { zoneId: filters.zoneId };
  if (filters.borough !== undefined) return { borough: filters.borough };
  return {};
}

/** A problem with the filters that the page shows instead of asking the API, or undefined. */
export function filtersProblem(filters: Filters): string | undefined {
  if (filters.granularity === 'HOUR' && daysBetween(filters.from, filters.through) >= MAX_HOURLY_DAYS) {
    return `Hourly buckets cover at most ${MAX_HOURLY_DAYS} days: choose a shorter range or a coarser granularity.`;
  }
  return undefined;
}

/** The granularity that suits a range of `days` days: hours for up to 3 days, days up to ~3 months, then weeks. */
export function suggestedGranularity(days: number): Granularity {
  if (days <= 3) return 'HOUR';
  if (days <= 92) return 'DAY';
  if (days <= 731) return 'WEEK';
  return 'MONTH';
}

function oneOf<T extends string>(values: readonly T[], value: string): T | undefined {
  return (values as readonly string[]).includes(value) ? (value as T) : undefined;
}
