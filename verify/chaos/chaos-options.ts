/**
 * The command line of `npm run chaos`: which files to replay, how many kills, where, and how the kill
 * moments are drawn.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ChaosUsageError } from './chaos-errors';

/** The shipped month, relative to the project root. */
export const DEFAULT_CHAOS_FILES = ['data/nyc-tlc/green_tripdata_2023-02.parquet'];
const PROJECT_ROOT = join(__dirname, '..', '..');

export interface ChaosOptions {
  /** TLC files replayed through the API. */
  readonly files: string[];
  /** How many times the stack is killed with SIGKILL during the replay. */
  readonly kills: number;
  /** Port of the stack's GraphQL endpoint (fixed, so that a running replay can resume after a restart). */
  readonly port: number;
  /** Where the data directory and logs go; a new temporary directory when absent. */
  readonly workDir?: string;
  /** Keep the work directory even when everything matched. */
  readonly keep: boolean;
  /** Seed of the kill moments (printed, so that a run can be repeated). */
  readonly seed: number;
  /** Each kill comes a uniform draw in [min, max] ms after the stack (re)started. */
  readonly killDelayMs: { readonly min: number; readonly max: number };
  /** How long the processor may take to catch up after the replay before the numbers are compared. */
  readonly settleTimeoutMs: number;
  /**
   * How often the stack's data lake writes its files (`npm start --lake-buffer-seconds`): often, so
   * that kills land during its writes too.
   */
  readonly lakeBufferSeconds: number;
  /** Passed to the replay: trips per call and calls in flight (small values make a short file last). */
  readonly replay: { readonly batchSize?: number; readonly concurrency?: number };
}

export const CHAOS_USAGE = `Usage: npm run chaos -- [file...] [options]

Replays TLC files through a local stack (\`npm start\` in a child process) while killing the stack's
whole process group with SIGKILL at random moments and restarting it on the same data directory, then
compares every public number with an independent computation from the raw files. Exits 1 on any
difference.

Files default to ${DEFAULT_CHAOS_FILES.join(' ')}.

Options:
  --kills <n>           SIGKILLs during the replay (default 5)
  --port <n>            GraphQL port of the stack (default 4100)
  --work-dir <dir>      where the data directory and the logs go (default: a new temporary directory;
                        it must be empty)
  --keep                keep the work directory even when every number matched
  --seed <n>            seed of the kill moments (default: random, printed)
  --min-kill-delay <ms> earliest kill after a (re)start (default 1000)
  --max-kill-delay <ms> latest kill after a (re)start (default 12000)
  --settle-timeout <ms> how long to wait for the processor to catch up (default 300000)
  --lake-buffer-seconds <s>
                        how often the stack's data lake writes its files (default 1, so that kills
                        also land while it writes); afterwards the lake must hold every stream
                        record exactly once
  --replay-batch-size <n>, --replay-concurrency <n>
                        passed to the replay as --batch-size and --concurrency
  -h, --help            show this help
`;

/** Reads the command line; undefined means "show the help". Throws ChaosUsageError. */
export function parseChaosArgs(argv: readonly string[]): ChaosOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        kills: { type: 'string', default: '5' },
        port: { type: 'string', default: '4100' },
        'work-dir': { type: 'string' },
        keep: { type: 'boolean', default: false },
        seed: { type: 'string' },
        'min-kill-delay': { type: 'string', default: '1000' },
        'max-kill-delay': { type: 'string', default: '12000' },
        'settle-timeout': { type: 'string', default: '300000' },
        'lake-buffer-seconds': { type: 'string', default: '1' },
        'replay-batch-size': { type: 'string' },
        'replay-concurrency': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new ChaosUsageError((error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const min = integer('min-kill-delay', values['min-kill-delay'], 0);
  const max = integer('max-kill-delay', values['max-kill-delay'], 0);
  if (max < min) throw new ChaosUsageError('--max-kill-delay must not be below --min-kill-delay');
  return {
    files: positionals.length > 0 ? positionals.map((file) => resolve(file)) : DEFAULT_CHAOS_FILES.map((file) => join(PROJECT_ROOT, file)),
    kills: integer('kills', values.kills, 0),
    port: integer('port', values.port, 1, 65_535),
    workDir: values['work-dir'] === undefined ? undefined : resolve(values['work-dir']),
    keep: values.keep,
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : integer('seed', values.seed, 0),
    killDelayMs: { min, max },
    settleTimeoutMs: integer('settle-timeout', values['settle-timeout'], 1),
    lakeBufferSeconds: positive('lake-buffer-seconds', values['lake-buffer-seconds']),
    replay: {
      batchSize: values['replay-batch-size'] === undefined ? undefined : integer('replay-batch-size', values['replay-batch-size'], 1, 500),
      concurrency: values['replay-concurrency'] === undefined ? undefined : integer('replay-concurrency', values['replay-concurrency'], 1),
    },
  };
}

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new ChaosUsageError(`--${name} must be a positive number, got '${text}'`);
  }
  return value;
}

function integer(name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `in ${min}..${max}`;
    throw new ChaosUsageError(`--${name} must be an integer ${range}, got '${text}'`);
  }
  return value;
}
