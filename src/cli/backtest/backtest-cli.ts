/**
 * The `npm run backtest` command: arguments in, a progress display on stderr while files are read
 * and weeks forecast, the table on stdout, and an exit code (0 done, 1 failed, 2 bad usage).
 */
import { parseArgs } from 'node:util';
import { messageOf } from '../../error-message';
import { formatDuration, type ProgressStream } from '../progress';
import { TlcFileError } from '../tlc/tlc-errors';
import { TLC_FILE_EXTENSIONS } from '../tlc/tlc-format';
import { backtestFiles, formatBacktestReport, parseScopeSelection, type BacktestOptions, type BacktestProgress } from './run-backtest';

export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

export const USAGE = `Usage: npm run backtest -- --file <TLC file>... [options]

Measures demandForecast the way forecasters do: every whole week after the first three weeks of
the data is forecast from only the days before it, and compared with what happened and with the
seasonal naive forecast (each hour = the same local hour one week earlier). Prints, per scope, the
relative MAE (MAE / naive MAE: below 1 beats naive), the share of hours inside the 80% interval
(coverage), both MAEs and the hours measured. Trips are counted as the pipeline counts them: valid
trips (${TLC_FILE_EXTENSIONS.join(', ')} files) by pickup local hour and pickup zone.

Options:
  --file <path>        a TLC trip file; repeat for consecutive months (required for now: reading
                       the counts from a running stack comes with the GraphQL fields)
  --scope <scope>      city | borough:<BOROUGH> | zone:<id> | busiest (default: the city, each
                       borough with at least one trip an hour, and the ten busiest zones)
  --weeks <n>          backtest only the last n whole weeks
  --markdown           print the table as Markdown
  -h, --help           show this help

Example:
  npm run backtest -- --file data/nyc-tlc/green_tripdata_2023-02.parquet
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

interface BacktestCommand {
  files: string[];
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
  const command: BacktestCommand = {
    files: values.file ?? [],
    options: { scope: { kind: 'all' } },
    markdown: values.markdown,
    help: values.help,
  };
  if (command.help) return command;
  if (command.files.length === 0) {
    throw new UsageError('give the trip data with --file <TLC file> (reading from a running stack is not available yet)');
  }
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
  try {
    const report = await backtestFiles(command.files, command.options, (update) => progress.update(update));
    progress.finish();
    io.stdout.write(`${formatBacktestReport(report, command.markdown ? 'markdown' : 'text')}\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    progress.finish();
    io.stderr.write(`backtest failed: ${messageOf(error)}\n`);
    return error instanceof TlcFileError ? EXIT_CODES.usage : EXIT_CODES.failure;
  }
}
