/**
 * The `npm run backtest` command: arguments in, a progress display on stderr while the counts are read
 * (from a running stack through its API, or from TLC files) and weeks forecast, the table on stdout,
 * and an exit code (0 done, 1 failed, 2 bad usage).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { messageOf } from '../../error-message';
import { API_KEYS_FILE_NAME } from '../../local/local-api-keys';
import { API_KEY_HEADER, parseApiKeys } from '../../serve/api-keys';
import { GraphQLAnswerError, GraphQLUnreachableError, postGraphQL } from '../api-client/graphql-client';
import { formatDuration, type ProgressStream } from '../progress';
import { TlcFileError } from '../tlc/tlc-errors';
import { TLC_FILE_EXTENSIONS } from '../tlc/tlc-format';
import { graphqlBacktestApi } from './graphql-backtest-api';
import { backtestFiles, formatBacktestReport, parseScopeSelection, type BacktestOptions, type BacktestProgress } from './run-backtest';
import { backtestStack } from './stack-backtest';

export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

export const DEFAULT_ENDPOINT = 'http://localhost:4000/graphql';
const DEFAULT_DATA_DIR = '.taxi-pulse/';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

export const USAGE = `Usage: npm run backtest -- [options]

Measures demandForecast the way forecasters do: every whole week after the first three weeks of
the data is forecast from only the days before it, and compared with what happened and with the
seasonal naive forecast (each hour = the same local hour one week earlier). Prints, per scope, the
relative MAE (MAE / naive MAE: below 1 beats naive), the share of hours inside the 80% interval
(coverage), both MAEs and the hours measured.

By default it backtests the data of a running stack (\`npm start\`, or a deployed one) through its
API: the days with trips, the scopes' sizes and the hourly counts from fareTrend and peakHours, and
every week's forecast from demandForecast itself, so it measures what users get. With --file it
counts TLC files (${TLC_FILE_EXTENSIONS.join(', ')}) the way the pipeline counts them (valid trips by
pickup local hour and zone) and forecasts with the same library, without a stack.

Options:
  --endpoint <url>     GraphQL endpoint of the stack (default ${DEFAULT_ENDPOINT})
  --api-key <key>      a read API key (default: $TAXI_PULSE_READ_API_KEY, else the read key of the
                       local stack in --data-dir)
  --data-dir <dir>     the local stack's data directory, to find its key (default ${DEFAULT_DATA_DIR})
  --file <path>        backtest a TLC trip file instead of a stack; repeat for consecutive months
  --scope <scope>      city | borough:<BOROUGH> | zone:<id> | busiest (default: the city, each
                       borough with at least one trip an hour, and the ten busiest zones)
  --weeks <n>          backtest only the last n whole weeks
  --markdown           print the table as Markdown
  -h, --help           show this help

Examples:
  npm run backtest
  npm run backtest -- --scope busiest --weeks 4
  npm run backtest -- --file data/nyc-tlc/green_tripdata_2023-02.parquet
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the counts come from. */
export type BacktestSource = { kind: 'stack'; endpoint: string; apiKey?: string; dataDir: string } | { kind: 'files'; files: string[] };

interface BacktestCommand {
  source: BacktestSource;
  options: BacktestOptions;
  markdown: boolean;
  help: boolean;
}

/** Reads the command line (without `node` and the script) into a command, or throws UsageError. */
export function parseBacktestArgs(argv: readonly string[]): BacktestCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        file: { type: 'string', multiple: true },
        endpoint: { type: 'string' },
        'api-key': { type: 'string' },
        'data-dir': { type: 'string' },
        scope: { type: 'string' },
        weeks: { type: 'string' },
        markdown: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  const { values } = parsed;
  const files = values.file ?? [];
  if (files.length > 0 && (values.endpoint !== undefined || values['api-key'] !== undefined)) {
    throw new UsageError('give either --file (backtest files) or --endpoint/--api-key (backtest a running stack), not both');
  }
  const endpoint = values.endpoint ?? DEFAULT_ENDPOINT;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new UsageError(`--endpoint must be an http(s) URL such as ${DEFAULT_ENDPOINT}, got '${endpoint}'`);
  }
  const command: BacktestCommand = {
    source:
      files.length > 0
        ? { kind: 'files', files }
        : {
            kind: 'stack',
            endpoint,
            dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
            ...(values['api-key'] !== undefined ? { apiKey: values['api-key'] } : {}),
          },
    options: { scope: { kind: 'all' } },
    markdown: values.markdown,
    help: values.help,
  };
  if (command.help) return command;
  if (values.scope !== undefined) {
    const scope = parseScopeSelection(values.scope);
    if (!scope) throw new UsageError(`--scope must be city, busiest, borough:<BOROUGH> or zone:<1..265>, got '${values.scope}'`);
    command.options.scope = scope;
  }
  if (values.weeks !== undefined) {
    const weeks = Number(values.weeks);
    if (!/^\d+$/.test(values.weeks) || weeks < 1)
      throw new UsageError(`--weeks must be a whole number of weeks (1 or more), got '${values.weeks}'`);
    command.options.weeks = weeks;
  }
  return command;
}

/**
 * The API of the stack to backtest, after one quick call without retries (`{ __typename }`), so that
 * "nothing answers there" is told at once instead of after the backtest's retries.
 */
async function stackApi(source: Extract<BacktestSource, { kind: 'stack' }>) {
  const headers = await readKeyHeaders(source);
  await postGraphQL(source.endpoint, { query: '{ __typename }' }, { headers, timeoutMs: PROBE_TIMEOUT_MS });
  return graphqlBacktestApi({ endpoint: source.endpoint, headers });
}

const PROBE_TIMEOUT_MS = 5_000;

/** The read key to send: --api-key, else $TAXI_PULSE_READ_API_KEY, else the local stack's key file; none if absent. */
async function readKeyHeaders(source: Extract<BacktestSource, { kind: 'stack' }>): Promise<Record<string, string>> {
  let key = source.apiKey ?? process.env.TAXI_PULSE_READ_API_KEY;
  if (key === undefined) {
    try {
      key = parseApiKeys(await readFile(join(source.dataDir, API_KEYS_FILE_NAME), 'utf8'), source.dataDir).readKeys[0];
    } catch {
      key = undefined;
    }
  }
  return key ? { [API_KEY_HEADER]: key } : {};
}

/** A one-line progress display: redrawn on a terminal, a plain line every few seconds in a log. */
export function createBacktestProgress(
  stream: ProgressStream,
  now: () => number = Date.now,
): { update(progress: BacktestProgress): void; finish(): void } {
  const isTerminal = stream.isTTY === true;
  const intervalMs = isTerminal ? 100 : 2_000;
  const startedAt = now();
  let lastShownAt = Number.NEGATIVE_INFINITY;
  let shownOnTerminal = false;
  const describe = (progress: BacktestProgress): string => {
    if (progress.stage === 'sizing') return `reading the stack: ${progress.step} ${progress.done}/${progress.total}`;
    if (progress.stage === 'reading') {
      const { rows, totalRows, validTrips } = progress.counting;
      const share = totalRows > 0 ? ` (${Math.min(100, Math.floor((rows / totalRows) * 100))}%)` : '';
      return `reading trips: ${rows.toLocaleString('en-US')} rows${share}, ${validTrips.toLocaleString('en-US')} valid`;
    }
    return `forecasting: scope ${progress.scopeIndex + 1}/${progress.scopes} (${progress.scope}), week ${progress.week}/${progress.weeks}`;
  };
  return {
    update(progress) {
      if (now() - lastShownAt < intervalMs) return;
      lastShownAt = now();
      const line = `backtest ${formatDuration(now() - startedAt)}  ${describe(progress)}`;
      if (isTerminal) {
        stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}`);
        shownOnTerminal = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    finish() {
      if (shownOnTerminal) stream.write('\r\x1b[2K');
    },
  };
}

/** Runs the command; resolves to the exit code. */
export async function runBacktestCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: BacktestCommand;
  try {
    command = parseBacktestArgs(argv);
  } catch (error) {
    io.stderr.write(`${messageOf(error)}\nRun with --help for usage.\n`);
    return EXIT_CODES.usage;
  }
  if (command.help) {
    io.stdout.write(USAGE);
    return EXIT_CODES.ok;
  }
  const progress = createBacktestProgress(io.stderr);
  const { source } = command;
  try {
    const report =
      source.kind === 'files'
        ? await backtestFiles(source.files, command.options, (update) => progress.update(update))
        : await backtestStack(await stackApi(source), command.options, (update) => progress.update(update));
    progress.finish();
    io.stdout.write(`${formatBacktestReport(report, command.markdown ? 'markdown' : 'text')}\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    progress.finish();
    if (error instanceof GraphQLUnreachableError) {
      io.stderr.write(
        `backtest failed: ${error.message}\nStart the stack with \`npm start\` (or pass --endpoint), or backtest files with --file <TLC file>.\n`,
      );
      return EXIT_CODES.failure;
    }
    if (error instanceof GraphQLAnswerError && error.errors.some((entry) => entry.extensions?.code === 'UNAUTHENTICATED')) {
      io.stderr.write(`backtest failed: ${error.message}\nPass a read key with --api-key <key> or TAXI_PULSE_READ_API_KEY.\n`);
      return EXIT_CODES.usage;
    }
    io.stderr.write(`backtest failed: ${messageOf(error)}\n`);
    return error instanceof TlcFileError ? EXIT_CODES.usage : EXIT_CODES.failure;
  }
}
