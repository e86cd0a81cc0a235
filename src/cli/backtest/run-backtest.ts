/**
 * The backtest as a library: which scopes, which weeks, the measures per scope and the table. The
 * `npm run backtest` command and the test that holds the targets both call these functions, so the
 * numbers in docs/forecast.md are the ones the test checks.
 */
import { basename } from 'node:path';
import { isBoroughCode, type BoroughCode } from '../../domain/borough';
import {
  addTotals,
  backtestScope,
  backtestScopes,
  backtestWeekStarts,
  dataSpanOf,
  metricsOf,
  type BacktestMetrics,
  type BacktestScope,
  type DataSpan,
} from '../../domain/forecast/backtest';
import { FORECAST_METHOD } from '../../domain/forecast/demand-forecast';
import type { HourlyTripCounts } from '../../domain/forecast/hourly-counts';
import { findZone } from '../../domain/zones';
import { countTlcFiles, type CountingProgress } from './count-tlc-files';

/** What to backtest: everything (city, boroughs with a trip an hour, busiest zones), or one part. */
export type ScopeSelection =
  { kind: 'all' } | { kind: 'city' } | { kind: 'busiest' } | { kind: 'borough'; borough: BoroughCode } | { kind: 'zone'; zoneId: number };

export interface BacktestOptions {
  scope: ScopeSelection;
  /** Backtest only the last `weeks` whole weeks. */
  weeks?: number;
}

export type BacktestProgress =
  | { stage: 'reading'; counting: CountingProgress }
  /** Asking a running stack which days have trips and how big each scope is. */
  | { stage: 'sizing'; step: string; done: number; total: number }
  | { stage: 'forecasting'; scope: string; scopeIndex: number; scopes: number; week: number; weeks: number };

export interface BacktestRow {
  scope: BacktestScope;
  metrics: BacktestMetrics;
}

export interface BacktestReport {
  /** What the counts came from (file names), for the heading. */
  sources: string[];
  validTrips: number;
  span: DataSpan | undefined;
  weekStarts: string[];
  rows: BacktestRow[];
  /** The busiest zones' errors added up, when they were backtested. */
  busiestZonesTogether?: BacktestMetrics;
}

/** Reads `--scope` text: city, busiest, borough:<BOROUGH>, zone:<id>; undefined when it is none of them. */
export function parseScopeSelection(text: string): ScopeSelection | undefined {
  if (text === 'city' || text === 'busiest' || text === 'all') return { kind: text };
  const [kind, value] = text.split(':', 2);
  if (kind === 'borough' && value !== undefined && isBoroughCode(value.toUpperCase())) {
    return { kind: 'borough', borough: value.toUpperCase() as BoroughCode };
  }
  if (kind === 'zone' && value !== undefined && /^\d+$/.test(value) && findZone(Number(value)))
    return { kind: 'zone', zoneId: Number(value) };
  return undefined;
}

function selectScopes(counts: HourlyTripCounts, span: DataSpan, selection: ScopeSelection): BacktestScope[] {
  const standard = backtestScopes(counts, span);
  switch (selection.kind) {
    case 'all':
      return standard;
    case 'city':
      return standard.filter((scope) => scope.kind === 'city');
    case 'busiest':
      return standard.filter((scope) => scope.kind === 'zone');
    case 'borough':
    case 'zone': {
      const id = selection.kind === 'borough' ? `borough:${selection.borough}` : `zone:${selection.zoneId}`;
      const listed = standard.find((scope) => scope.id === id);
      if (listed) return [listed];
      const days = counts.days(id).filter((day) => day.bucketKey >= span.firstDay && day.bucketKey <= span.lastDay);
      const trips = days.reduce((sum, day) => sum + day.tripsByHourOfDay.reduce((daySum, value) => daySum + value, 0), 0);
      const hours = (Date.parse(span.lastDay) - Date.parse(span.firstDay) + 86_400_000) / 3_600_000;
      const label = selection.kind === 'borough' ? selection.borough : `zone ${selection.zoneId} ${findZone(selection.zoneId)?.name ?? ''}`;
      return [{ id, kind: selection.kind === 'borough' ? 'borough' : 'zone', label, tripsPerHour: trips / hours }];
    }
  }
}

/**
 * Backtests hourly counts (from files now, from a running stack in phase 2): every whole week after
 * the first three of the data's span, for the selected scopes, each forecast from only the days
 * before its week.
 */
export function backtestCounts(
  counts: HourlyTripCounts,
  options: BacktestOptions,
  onProgress?: (progress: BacktestProgress) => void,
): Omit<BacktestReport, 'sources' | 'validTrips'> {
  const span = dataSpanOf(counts.days('city'));
  if (!span) return { span, weekStarts: [], rows: [] };
  const weekStarts = backtestWeekStarts(span, options.weeks);
  const scopes = selectScopes(counts, span, options.scope);
  const rows = scopes.map((scope, scopeIndex) => {
    let week = 0;
    onProgress?.({ stage: 'forecasting', scope: scope.label, scopeIndex, scopes: scopes.length, week, weeks: weekStarts.length });
    const totals = backtestScope(counts.days(scope.id), weekStarts, () => {
      week += 1;
      onProgress?.({ stage: 'forecasting', scope: scope.label, scopeIndex, scopes: scopes.length, week, weeks: weekStarts.length });
    });
    return { scope, totals };
  });
  const zones = rows.filter((row) => row.scope.kind === 'zone');
  return {
    span,
    weekStarts,
    rows: rows.map(({ scope, totals }) => ({ scope, metrics: metricsOf(totals) })),
    ...(options.scope.kind === 'all' || options.scope.kind === 'busiest'
      ? { busiestZonesTogether: metricsOf(addTotals(zones.map((row) => row.totals))) }
      : {}),
  };
}

/** Reads and counts TLC files the way the pipeline counts, then backtests them. */
export async function backtestFiles(
  paths: readonly string[],
  options: BacktestOptions,
  onProgress?: (progress: BacktestProgress) => void,
): Promise<BacktestReport> {
  const counted = await countTlcFiles(paths, (counting) => onProgress?.({ stage: 'reading', counting }));
  return {
    sources: paths.map((path) => basename(path)),
    validTrips: counted.validTrips,
    ...backtestCounts(counted.counts, options, onProgress),
  };
}

const number = (value: number, digits: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3));
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** The report as a text table (or a Markdown table, for docs), one row per scope. */
export function formatBacktestReport(report: BacktestReport, format: 'text' | 'markdown' = 'text'): string {
  const heading = [
    `Backtest of demandForecast (${FORECAST_METHOD}) against the seasonal naive forecast (same hour one week earlier)`,
    `data: ${report.sources.join(', ')}: ${number(report.validTrips, 0)} valid trips` +
      (report.span ? `, span ${report.span.firstDay} .. ${report.span.lastDay}` : ', no trips'),
    report.weekStarts.length === 0
      ? 'weeks forecast: none (the data holds no whole week after its first three weeks)'
      : `weeks forecast: ${report.weekStarts.length} (first ${report.weekStarts[0]}, last ${report.weekStarts.at(-1)}), each from only the days before it (at most 16 weeks)`,
  ];
  const header = ['scope', 'trips/h', 'weeks', 'hours', 'rel. MAE', 'coverage', 'MAE', 'naive MAE'];
  const lines = report.rows.map(({ scope, metrics }) => [
    scope.label,
    number(scope.tripsPerHour, 1),
    String(metrics.weeks),
    String(metrics.hours),
    ratio(metrics.relativeMae),
    percent(metrics.coverage),
    number(metrics.mae, 2),
    number(metrics.naiveMae, 2),
  ]);
  if (report.busiestZonesTogether) {
    const together = report.busiestZonesTogether;
    lines.push([
      'busiest zones together',
      '',
      String(together.weeks),
      String(together.hours),
      ratio(together.relativeMae),
      percent(together.coverage),
      number(together.mae, 2),
      number(together.naiveMae, 2),
    ]);
  }
  if (format === 'markdown') {
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [
      ...heading.map((line) => `${line}  `),
      '',
      row(header),
      row(header.map((_, index) => (index === 0 ? '---' : '---:'))),
      ...lines.map(row),
    ].join('\n');
  }
  const widths = header.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index].length)));
  const pad = (cells: string[]) =>
    cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
  return [...heading, '', pad(header), ...lines.map(pad)].join('\n');
}
