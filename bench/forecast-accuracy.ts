/**
 * The forecast's accuracy beyond the shipped months (docs/forecast.md, "Results on other data"), with
 * the same library calls as `npm run backtest`: prints Markdown tables.
 *
 *   npx tsx bench/forecast-accuracy.ts [--yellowDir ../shared/data/nyc-tlc/yellow] [--only yellow,synthetic]
 *
 * - yellow: the twelve 2019 yellow samples (10,000 trips a month; not in a clone of the project: give
 *   their folder), backtested concatenated (49 weeks, each from up to 16 weeks) and one month at a
 *   time as a single TLC month would be (three weeks of history, one forecast week), pooled over the
 *   twelve months.
 * - synthetic: high-volume series made by bench/lib/synthetic-demand.ts from the same samples
 *   (labelled SYNTHETIC), backtested over the year (16 weeks of history) and one month at a time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { backtestCounts, type BacktestReport } from '../src/cli/backtest/run-backtest';
import { countTlcFiles } from '../src/cli/backtest/count-tlc-files';
import {
  addTotals,
  backtestScope,
  backtestWeekStarts,
  dataSpanOf,
  metricsOf,
  type BacktestMetrics,
  type BacktestTotals,
} from '../src/domain/forecast/backtest';
import type { DayHourCounts } from '../src/domain/insights';
import { flags } from './lib/args';
import { PROJECT_ROOT } from './lib/trips';
import { syntheticYear, type SyntheticDemandOptions } from './lib/synthetic-demand';

const options = flags({ yellowDir: join(PROJECT_ROOT, '..', 'shared', 'data', 'nyc-tlc', 'yellow'), only: 'yellow,synthetic' });

const ratio = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : value.toFixed(3));
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

/** Totals of the reports' rows, pooled by scope id (a zone by "busiest zones"). */
function pooled(reports: readonly BacktestReport[]): Map<string, BacktestMetrics> {
  const parts = new Map<string, BacktestTotals[]>();
  for (const report of reports) {
    for (const { scope, metrics } of report.rows) {
      const id = scope.kind === 'zone' ? 'busiest zones, each month' : scope.label;
      parts.set(id, [...(parts.get(id) ?? []), metrics]);
    }
  }
  return new Map([...parts].map(([id, totals]) => [id, metricsOf(addTotals(totals))]));
}

/** Per-scope figures of one month's report: city rel. MAE and coverage, and the range over the busiest zones. */
function monthLine(month: string, report: BacktestReport): string[] {
  const city = report.rows.find((entry) => entry.scope.kind === 'city')?.metrics;
  const zones = report.rows.filter((entry) => entry.scope.kind === 'zone').map((entry) => entry.metrics.relativeMae ?? Number.NaN);
  return [
    month,
    String(report.weekStarts.length),
    ratio(city?.relativeMae),
    city ? percent(city.coverage) : '',
    zones.length ? `${Math.min(...zones).toFixed(3)}-${Math.max(...zones).toFixed(3)}` : '',
    ratio(report.busiestZonesTogether?.relativeMae),
  ];
}

async function yellow(): Promise<DayHourCounts[]> {
  const files = readdirSync(options.yellowDir)
    .filter((name) => /^yellow_tripdata_sample_2019-\d\d\.csv$/.test(name))
    .sort()
    .map((name) => join(options.yellowDir, name));
  if (files.length !== 12) throw new Error(`expected the twelve 2019 yellow samples in ${options.yellowDir}, found ${files.length}`);
  const all = await countTlcFiles(files);
  const year = backtestCounts(all.counts, { scope: { kind: 'all' } });
  console.log(`## Yellow 2019 samples, concatenated (${all.validTrips} valid trips, ${year.weekStarts.length} weeks)\n`);
  console.log(row(['scope', 'trips/h', 'weeks', 'rel. MAE', 'coverage']));
  console.log(row(['---', '---:', '---:', '---:', '---:']));
  for (const { scope, metrics } of year.rows) {
    console.log(row([scope.label, scope.tripsPerHour.toFixed(2), metrics.weeks, ratio(metrics.relativeMae), percent(metrics.coverage)]));
  }
  if (year.busiestZonesTogether) {
    const together = year.busiestZonesTogether;
    console.log(row(['busiest zones together', '', together.weeks, ratio(together.relativeMae), percent(together.coverage)]));
  }
  const months: BacktestReport[] = [];
  console.log('\n## Yellow 2019 samples, one month at a time (three weeks of history, one week)\n');
  console.log(row(['month', 'weeks', 'city rel. MAE', 'city coverage', 'busiest zones, each', 'busiest zones together']));
  console.log(row(['---', '---:', '---:', '---:', '---:', '---:']));
  for (const file of files) {
    const month = (await countTlcFiles([file])).counts;
    const report = { sources: [file], validTrips: 0, ...backtestCounts(month, { scope: { kind: 'all' } }) };
    months.push(report);
    console.log(row(monthLine(file.slice(-11, -4), report)));
  }
  console.log('\nPooled over the twelve months (errors added up before dividing):\n');
  console.log(row(['scope', 'rel. MAE', 'coverage']));
  console.log(row(['---', '---:', '---:']));
  for (const [id, metrics] of pooled(months)) console.log(row([id, ratio(metrics.relativeMae), percent(metrics.coverage)]));
  return all.counts.days('city');
}

const SERIES: Array<{ label: string; options: SyntheticDemandOptions }> = [
  { label: 'W 1%, D 4%, S 5%', options: { tripsPerHour: 10_000, mode: 'levels', weekSd: 0.01, daySd: 0.04, hourSd: 0.05, seed: 1 } },
  {
    label: 'W 4%, D 3%, S 3% (strong drift)',
    options: { tripsPerHour: 10_000, mode: 'levels', weekSd: 0.04, daySd: 0.03, hourSd: 0.03, seed: 2 },
  },
  {
    label: 'W 1%, D 8%, S 8% (weather-heavy)',
    options: { tripsPerHour: 10_000, mode: 'levels', weekSd: 0.01, daySd: 0.08, hourSd: 0.08, seed: 3 },
  },
  { label: 'W 2%, D 4%, S 4%', options: { tripsPerHour: 10_000, mode: 'levels', weekSd: 0.02, daySd: 0.04, hourSd: 0.04, seed: 4 } },
  { label: 'sample day totals, S 5%', options: { tripsPerHour: 10_000, mode: 'totals', weekSd: 0, daySd: 0, hourSd: 0.05, seed: 5 } },
  {
    label: 'sample day totals, S 5%, 300 trips/h',
    options: { tripsPerHour: 300, mode: 'totals', weekSd: 0, daySd: 0, hourSd: 0.05, seed: 6 },
  },
];

/** Backtests of one series: the whole year, and each month on its own (pooled, and each month's figures). */
function backtestSeries(days: readonly DayHourCounts[]) {
  const span = dataSpanOf(days)!;
  const year = metricsOf(backtestScope(days, backtestWeekStarts(span)));
  const months: BacktestMetrics[] = [];
  for (let month = 1; month <= 12; month++) {
    const prefix = `2019-${String(month).padStart(2, '0')}`;
    const monthDays = days.filter((day) => day.bucketKey.startsWith(prefix));
    months.push(metricsOf(backtestScope(monthDays, backtestWeekStarts(dataSpanOf(monthDays)!))));
  }
  return { year, months, pooledMonths: metricsOf(addTotals(months)) };
}

function synthetic(sampleCityDays: readonly DayHourCounts[]): void {
  const days = sampleCityDays.filter((day) => day.bucketKey >= '2019-01-01' && day.bucketKey <= '2019-12-31');
  console.log('\n## SYNTHETIC high-volume series (bench/lib/synthetic-demand.ts; not TLC data)\n');
  console.log(
    row([
      'series',
      'rel. MAE, 16 weeks',
      'coverage',
      'rel. MAE, one month (pooled)',
      'coverage',
      'single months: rel. MAE',
      'single months: coverage',
    ]),
  );
  console.log(row(['---', '---:', '---:', '---:', '---:', '---', '---']));
  for (const series of SERIES) {
    const result = backtestSeries(syntheticYear(days, series.options));
    console.log(
      row([
        series.label,
        ratio(result.year.relativeMae),
        percent(result.year.coverage),
        ratio(result.pooledMonths.relativeMae),
        percent(result.pooledMonths.coverage),
        result.months.map((month) => ratio(month.relativeMae).slice(0, 4)).join(' '),
        result.months.map((month) => Math.round(month.coverage * 100)).join(' '),
      ]),
    );
  }
}

async function main(): Promise<void> {
  const only = new Set(String(options.only).split(','));
  const cityDays = await (only.has('yellow')
    ? yellow()
    : countTlcFiles(
        readdirSync(options.yellowDir)
          .filter((name) => /^yellow_tripdata_sample_2019-\d\d\.csv$/.test(name))
          .map((name) => join(options.yellowDir, name)),
      ).then((counted) => counted.counts.days('city')));
  if (only.has('synthetic')) synthetic(cityDays);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
