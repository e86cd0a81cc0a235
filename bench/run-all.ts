/**
 * `npm run bench`: runs every benchmark, one after the other (each in a process of its own, so that
 * none shares a core with another), then writes BENCHMARKS.md from bench/results/*.json.
 *
 *   npx tsx bench/run-all.ts [--only throughput,write-units,...] [--quick] [--memoryTrips 200000] [--report-only] [--baseline <git ref>]
 *
 * --quick runs smaller sizes (a smoke run of a few minutes; its figures are noisier). The order puts
 * ingest before write-units, whose cost estimate uses the API time per call that ingest measures.
 * --baseline passes a commit to the benches that compare before and after side by side (write-units,
 * throughput): e.g. the last commit before table format 3, to hold format 3 to its budgets.
 */
import './lib/setup';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { flags } from './lib/args';
import { BENCHMARKS_PATH, writeReport } from './lib/report';
import { PROJECT_ROOT } from './lib/trips';

const options = flags({ only: '', quick: false, memoryTrips: 200000, reportOnly: false, 'report-only': false, baseline: '' });

/** The benches that run a baseline commit next to this tree when --baseline is given. */
const WITH_BASELINE = new Set(['write-units', 'throughput']);

const BENCHES: Array<{ name: string; args: string[]; quickArgs: string[] }> = [
  { name: 'bundles', args: [], quickArgs: ['--reps', '3'] },
  { name: 'ingest', args: ['--profile'], quickArgs: ['--trips', '10000', '--reps', '3'] },
  { name: 'write-units', args: [], quickArgs: ['--trips', '5000', '--naiveTrips', '2000', '--awsShards', '0'] },
  { name: 'throughput', args: ['--profile'], quickArgs: ['--trips', '10000', '--reps', '2'] },
  { name: 'query-latency', args: ['--profile'], quickArgs: ['--seconds', '1', '--yearRequests', '5', '--rounds', '2'] },
  { name: 'freshness', args: ['--profile'], quickArgs: ['--seconds', '15', '--reps', '2', '--no-lambdaPoll'] },
  { name: 'forecast-latency', args: [], quickArgs: ['--seconds', '1', '--rounds', '1', '--samples', '10'] },
  { name: 'memory', args: [], quickArgs: ['--trips', '20000'] },
  { name: 'api-load', args: [], quickArgs: ['--seconds', '3', '--rounds', '1'] },
  { name: 'fuzz', args: ['--runs', '10000'], quickArgs: ['--runs', '500'] },
  { name: 'history', args: [], quickArgs: ['--trips', '5000', '--keepOrderTrips', '2000', '--sqlReps', '3'] },
  { name: 'dashboard', args: [], quickArgs: ['--reps', '2'] },
];

function main(): void {
  const only = options.only ? new Set(String(options.only).split(',')) : undefined;
  const commands: Array<{ command: string; seconds?: number; exitCode?: number | null }> = [];
  let failed = false;
  for (const bench of BENCHES) {
    const args = [
      ...(options.quick ? bench.quickArgs : bench.name === 'memory' ? ['--trips', String(options.memoryTrips)] : bench.args),
      ...(options.baseline && WITH_BASELINE.has(bench.name) ? ['--baseline', String(options.baseline)] : []),
    ];
    const command = `npx tsx bench/${bench.name}.ts${args.length ? ` ${args.join(' ')}` : ''}`;
    if (options.reportOnly || options['report-only'] || (only && !only.has(bench.name))) {
      commands.push({ command });
      continue;
    }
    console.log(`\n=== ${command}`);
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, `${bench.name}.ts`), ...args], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    const seconds = Math.round((performance.now() - started) / 1000);
    commands.push({ command, seconds, exitCode: result.status });
    if (result.status !== 0) {
      failed = true;
      console.error(`${bench.name} failed (exit ${result.status}); its previous results, if any, stay in the report`);
    }
  }
  const rows = writeReport(BENCHMARKS_PATH, commands);
  // Formatted as `npm test` checks it (prettier --check), so that a fresh report can be committed as it is.
  spawnSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', BENCHMARKS_PATH], { stdio: 'inherit' });
  console.log(`\nwrote ${BENCHMARKS_PATH}`);
  for (const row of rows)
    console.log(
      `${row.met === undefined ? '       ' : row.met ? 'met    ' : 'MISSED '}  ${row.figure}: ${row.measured} (target ${row.target})`,
    );
  if (failed) process.exitCode = 1;
}

main();
