/**
 * The backtest of a running stack (the default of `npm run backtest`): everything through the API a
 * client of taxi-pulse uses, so it measures what users get, locally or on AWS. The data's days come
 * from the city's daily fare trend, the scopes' sizes from peakHours totals, the counts of the forecast
 * weeks (and the week before each, for the seasonal naive forecast) from hourly fare trends, and every
 * week's forecast from `demandForecast` itself, which learns from the stored DAY items exactly as the
 * library does from the same counts (test/e2e/forecast.test.ts checks both).
 */
import { BOROUGH_CODES } from '../../domain/borough';
import {
  addTotals,
  addWeek,
  backtestWeekStarts,
  chooseBacktestScopes,
  countLookup,
  dataSpanOfTotals,
  emptyTotals,
  metricsOf,
  tripsPerHourInSpan,
  weekHourKeys,
  zoneLabel,
  type BacktestScope,
  type BacktestTotals,
  type DataSpan,
} from '../../domain/forecast/backtest';
import { dayKeyOf, dayNumberOf } from '../../domain/forecast/calendar';
import type { DemandForecast } from '../../domain/forecast/demand-forecast';
import { parseScopeId, scopeIdOf } from '../../domain/forecast/hourly-counts';
import type { DayHourCounts } from '../../domain/insights';
import type { AggregateScope } from '../../domain/scope';
import { allZones } from '../../domain/zones';
import type { BacktestOptions, BacktestProgress, BacktestReport } from './run-backtest';

/** What the stack backtest asks the API; graphql-backtest-api.ts answers over HTTP, tests in memory. */
export interface BacktestApi {
  /** A description of the source for the report's heading, e.g. the endpoint. */
  readonly source: string;
  /** Trips per local day (DAY key -> trips) of a scope in [fromDay, toDay) (DAY keys); days without trips may be missing. */
  tripsPerDay(scope: AggregateScope, fromDay: string, toDay: string): Promise<Map<string, number>>;
  /** All trips of a scope picked up in [fromDay, toDay). */
  totalTrips(scope: AggregateScope, fromDay: string, toDay: string): Promise<number>;
  /** Trips per local hour of a scope in [fromDay, toDay), as DAY items would hold them. */
  hourCounts(scope: AggregateScope, fromDay: string, toDay: string): Promise<DayHourCounts[]>;
  /** demandForecast of a scope for `hours` hours from the day `fromDay`'s first hour. */
  forecast(scope: AggregateScope, fromDay: string, hours: number): Promise<Pick<DemandForecast, 'hours' | 'method'>>;
}

/** The earliest pickup the API accepts (the contract's first TLC day). */
const FIRST_DAY = '2009-01-01';
/** Longest range of a daily fare trend the API allows (MAX_RANGE_DAYS.DAY in src/serve/insights-queries.ts). */
const DAY_TREND_MAX_DAYS = 3_700;
/** Calls in flight at once while sizing the zones. */
const CONCURRENCY = 4;

/** Runs `work` over `items`, at most `limit` at a time, in order of the items. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The city's trips per day over everything the API can hold, in chunks the API allows. */
async function cityTripsPerDay(api: BacktestApi, today: string): Promise<Map<string, number>> {
  const all = new Map<string, number>();
  for (let from = dayNumberOf(FIRST_DAY); from <= dayNumberOf(today); from += DAY_TREND_MAX_DAYS) {
    const to = Math.min(from + DAY_TREND_MAX_DAYS, dayNumberOf(today) + 1);
    for (const [day, trips] of await api.tripsPerDay({ kind: 'CITY' }, dayKeyOf(from), dayKeyOf(to))) all.set(day, trips);
  }
  return all;
}

/** The scopes to backtest, sized by their trips in the span (every zone is asked for `busiest` and `all`). */
async function selectStackScopes(
  api: BacktestApi,
  span: DataSpan,
  options: BacktestOptions,
  onProgress?: (progress: BacktestProgress) => void,
): Promise<BacktestScope[]> {
  const end = dayKeyOf(dayNumberOf(span.lastDay) + 1);
  const selection = options.scope;
  const rate = async (scopes: AggregateScope[], step: string) => {
    let done = 0;
    return mapConcurrently(scopes, CONCURRENCY, async (scope) => {
      const trips = await api.totalTrips(scope, span.firstDay, end);
      onProgress?.({ stage: 'sizing', step, done: ++done, total: scopes.length });
      return { id: scopeIdOf(scope), scope, trips };
    });
  };
  if (selection.kind === 'borough' || selection.kind === 'zone') {
    const scope: AggregateScope =
      selection.kind === 'borough' ? { kind: 'BOROUGH', borough: selection.borough } : { kind: 'ZONE', zoneId: selection.zoneId };
    const [rated] = await rate([scope], 'the scope');
    const id = scopeIdOf(scope);
    return [
      {
        id,
        kind: selection.kind,
        label: selection.kind === 'borough' ? selection.borough : zoneLabel(id),
        tripsPerHour: tripsPerHourInSpan(rated.trips, span),
      },
    ];
  }
  const city = await rate([{ kind: 'CITY' }], 'the city');
  const boroughs =
    selection.kind === 'all'
      ? await rate(
          BOROUGH_CODES.map((borough) => ({ kind: 'BOROUGH', borough })),
          'boroughs',
        )
      : [];
  const zones =
    selection.kind === 'all' || selection.kind === 'busiest'
      ? await rate(
          allZones().map((zone) => ({ kind: 'ZONE', zoneId: zone.id })),
          'zones',
        )
      : [];
  const chosen = chooseBacktestScopes([...city, ...boroughs, ...zones], span);
  return selection.kind === 'all' ? chosen : chosen.filter((scope) => scope.kind === (selection.kind === 'city' ? 'city' : 'zone'));
}

/**
 * Backtests the data of a running stack through `api`: the span is the longest run of real days in the
 * city's daily trips (as for files), every whole week after its first three is forecast by
 * demandForecast and scored against the hourly counts and the seasonal naive forecast.
 */
export async function backtestStack(
  api: BacktestApi,
  options: BacktestOptions,
  onProgress?: (progress: BacktestProgress) => void,
  today: string = dayKeyOf(Math.floor(Date.now() / 86_400_000)),
): Promise<BacktestReport> {
  onProgress?.({ stage: 'sizing', step: 'the days with trips', done: 0, total: 1 });
  const cityDays = await cityTripsPerDay(api, dayKeyOf(dayNumberOf(today) + 1));
  const span = dataSpanOfTotals(cityDays);
  const validTrips = [...cityDays.values()].reduce((sum, trips) => sum + trips, 0);
  const base = { sources: [api.source], validTrips, span };
  if (!span) return { ...base, weekStarts: [], rows: [] };
  const weekStarts = backtestWeekStarts(span, options.weeks);
  if (weekStarts.length === 0) return { ...base, weekStarts, rows: [] };
  const scopes = await selectStackScopes(api, span, options, onProgress);
  // Counts of the forecast weeks and of the week before the first (the naive forecast's).
  const countsFrom = dayKeyOf(dayNumberOf(weekStarts[0]) - 7);
  const countsTo = dayKeyOf(dayNumberOf(weekStarts.at(-1)!) + 7);
  const rows: Array<{ scope: BacktestScope; totals: BacktestTotals }> = [];
  for (const [scopeIndex, scope] of scopes.entries()) {
    const progress = (week: number) =>
      onProgress?.({ stage: 'forecasting', scope: scope.label, scopeIndex, scopes: scopes.length, week, weeks: weekStarts.length });
    progress(0);
    const aggregateScope = parseScopeId(scope.id);
    const countOf = countLookup(await api.hourCounts(aggregateScope, countsFrom, countsTo));
    const totals = emptyTotals();
    for (const [index, weekStart] of weekStarts.entries()) {
      const keys = weekHourKeys(weekStart);
      addWeek(totals, keys, await api.forecast(aggregateScope, weekStart, keys.length), countOf);
      progress(index + 1);
    }
    rows.push({ scope, totals });
  }
  const zones = rows.filter((row) => row.scope.kind === 'zone');
  return {
    ...base,
    weekStarts,
    rows: rows.map(({ scope, totals }) => ({ scope, metrics: metricsOf(totals) })),
    ...(options.scope.kind === 'all' || options.scope.kind === 'busiest'
      ? { busiestZonesTogether: metricsOf(addTotals(zones.map((row) => row.totals))) }
      : {}),
  };
}
