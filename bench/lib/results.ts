import { loadavg } from 'node:os';
/** Raw results of each benchmark, as JSON under bench/results/, for run-all to assemble BENCHMARKS.md. */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo, type MachineInfo } from './machine';
import type { ResultFigures, ResultName } from './result-types';

export const RESULTS_DIR = join(__dirname, '..', 'results');

export interface BenchResult<T> {
  name: string;
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  /** Load on the machine when the benchmark started (1-, 5-, 15-minute averages): noise indicator. */
  loadAverage: number[];
  /** The same when it finished. */
  loadAverageEnd: number[];
  figures: T;
}

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult<Name extends ResultName>(name: Name, command: string, startedAt: Date, figures: ResultFigures[Name]): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const result: BenchResult<ResultFigures[Name]> = {
    name,
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverage: startLoad ?? [],
    loadAverageEnd: loadavg().map((value: number) => Math.round(value * 100) / 100),
    figures,
  };
  const path = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

let startLoad: number[] | undefined;
/** Call at the start of a benchmark: remembers the load average then. */
export function noteStartLoad(): Date {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  startLoad = require('node:os')
    .loadavg()
    .map((value: number) => Math.round(value * 100) / 100);
  return new Date();
}

export function readResult<Name extends ResultName>(name: Name): BenchResult<ResultFigures[Name]> | undefined {
  const path = join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as BenchResult<ResultFigures[Name]>;
}
