/**
 * The `npm run replay` command: arguments in, replayFiles with a progress display, summary out, and
 * an exit code (0 done, 1 failed, 2 bad usage, 130 interrupted). Everything else lives in the library.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { API_KEY_HEADER, parseApiKeys } from '../../serve/api-keys';
import { API_KEYS_FILE_NAME } from '../../local/local-api-keys';
import { messageOf } from '../../error-message';
import { IngestCallError, IngestEndpointUnavailableError, IngestGraphQLError } from '../api-client/ingest-errors';
import { probeEndpoint } from '../api-client/ingest-client';
import { createProgressDisplay, formatSummary, type ProgressStream } from '../progress';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_SORT_MEMORY_TRIPS,
  MAX_BATCH_SIZE,
  ReplayAbortedError,
  ReplayOptionsError,
  replayFiles,
} from './replay-files';
import { TlcFileError, TlcFileNotFoundError, UnsupportedTlcFormatError } from '../tlc/tlc-errors';
import { detectTlcFormat, TLC_FILE_EXTENSIONS } from '../tlc/tlc-format';

export const EXIT_CODES = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

export const DEFAULT_ENDPOINT = 'http://localhost:4000/graphql';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  /** Aborted on Ctrl-C by the entry point. */
  signal?: AbortSignal;
}

export const USAGE = `Usage: npm run replay -- <file>... [options]

Replays NYC TLC trip files (${TLC_FILE_EXTENSIONS.join(', ')}) into taxi-pulse through the
ingestTrips mutation. Every row gets a tripId from the file's digest and row number, so replaying
a file again adds nothing.

Options:
  --endpoint <url>     GraphQL endpoint (default ${DEFAULT_ENDPOINT}; start it with \`npm start\`)
  --speedup <x>        pace trips by pickup time, x times real time (3600 = one hour of trips per
                       second); without it trips go as fast as the stack accepts them, each file's
                       in pickup-time order (trips close in time share their aggregate items:
                       out of order, loading history is about 5 times slower)
  --keep-order         send each file's trips in file order instead
  --sort-memory <n>    trips of a file held in memory while sorting it (default ${DEFAULT_SORT_MEMORY_TRIPS});
                       larger files are sorted in runs on disk
  --concurrency <n>    calls in flight at once (default ${DEFAULT_CONCURRENCY})
  --batch-size <n>     trips per call, 1..${MAX_BATCH_SIZE} (default ${MAX_BATCH_SIZE})
  --api-key <key>      an ingest API key (default: $TAXI_PULSE_API_KEY, else the ingest key of the
                       local stack in --data-dir)
  --data-dir <dir>     the local stack's data directory, to find its key (default .taxi-pulse/)
  -h, --help           show this help

Examples:
  npm run replay -- data/nyc-tlc/green_tripdata_2023-02.parquet
  npm run replay -- data/nyc-tlc/rides.csv --speedup 3600
`;

/** A mistake in the command line: reported with a pointer to --help and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface CliCommand {
  files: string[];
  endpoint: string;
  speedup?: number;
  keepOrder: boolean;
  sortMemoryTrips?: number;
  concurrency?: number;
  batchSize?: number;
  apiKey?: string;
  dataDir: string;
  help: boolean;
}

function numberOption(name: string, text: string | undefined, isValid: (value: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !isValid(value)) throw new UsageError(`--${name} must be ${expected}, got '${text}'`);
  return value;
}

/** Reads the command line (without `node` and the script) into a command, or throws UsageError. */
export function parseReplayArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: 'string' },
        speedup: { type: 'string' },
        'keep-order': { type: 'boolean' },
        'sort-memory': { type: 'string' },
        concurrency: { type: 'string' },
        'batch-size': { type: 'string' },
        'api-key': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(messageOf(error), { cause: error });
  }
  const { values, positionals } = parsed;
  const endpoint = values.endpoint ?? DEFAULT_ENDPOINT;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new UsageError(`--endpoint must be an http(s) URL such as ${DEFAULT_ENDPOINT}, got '${endpoint}'`);
  }
  const command: CliCommand = {
    files: positionals,
    endpoint,
    speedup: numberOption('speedup', values.speedup, (x) => Number.isFinite(x) && x > 0, 'a positive number'),
    keepOrder: values['keep-order'] ?? false,
    sortMemoryTrips: numberOption('sort-memory', values['sort-memory'], (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
    concurrency: numberOption('concurrency', values.concurrency, (n) => Number.isInteger(n) && n >= 1, 'a positive integer'),
    batchSize: numberOption(
      'batch-size',
      values['batch-size'],
      (n) => Number.isInteger(n) && n >= 1 && n <= MAX_BATCH_SIZE,
      `an integer in 1..${MAX_BATCH_SIZE}`,
    ),
    apiKey: values['api-key'],
    dataDir: values['data-dir'] ?? '.taxi-pulse/',
    help: values.help ?? false,
  };
  if (!command.help && command.files.length === 0) throw new UsageError('no file given');
  return command;
}

// Cheap checks first, so a typo in a path is reported before the stack is even asked.
async function checkFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    detectTlcFormat(file);
    try {
      await stat(file);
    } catch (error) {
      // Other stat failures (permissions...) are reported by the reader, with their own words.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TlcFileNotFoundError(file, { cause: error });
    }
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  const say = (text: string): void => void io.stderr.write(`${text}\n`);
  if (error instanceof UsageError || error instanceof ReplayOptionsError) {
    say(`replay: ${error.message}\nRun \`npm run replay -- --help\` for usage.`);
    return EXIT_CODES.usage;
  }
  if (error instanceof TlcFileNotFoundError || error instanceof UnsupportedTlcFormatError) {
    say(`replay: ${error.message}`);
    return EXIT_CODES.usage;
  }
  if (error instanceof ReplayAbortedError) {
    say(`replay: interrupted\n${formatSummary(error.summary)}`);
    return EXIT_CODES.interrupted;
  }
  if (error instanceof IngestEndpointUnavailableError) {
    say(`replay: ${error.message}\nIs the stack running? Start it with \`npm start\`, or pass --endpoint <url>.`);
    return EXIT_CODES.failure;
  }
  if (error instanceof IngestGraphQLError && error.errors.some(({ code }) => code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')) {
    say(`replay: ${error.message}\nPass an ingest key with --api-key <key> or TAXI_PULSE_API_KEY (\`npm start\` prints the local one).`);
    return EXIT_CODES.failure;
  }
  if (error instanceof IngestCallError) {
    say(`replay: ${error.message}\nTrips already sent are safe to send again: rerunning gives them the same tripIds.`);
    return EXIT_CODES.failure;
  }
  if (error instanceof TlcFileError) {
    say(`replay: ${error.message}`);
    return EXIT_CODES.failure;
  }
  // Not a failure we know: a bug, so the stack is worth showing.
  say(`replay: unexpected error: ${(error as { stack?: string } | undefined)?.stack ?? messageOf(error)}`);
  return EXIT_CODES.failure;
}

/**
 * The ingest key to send: --api-key, else $TAXI_PULSE_API_KEY, else the local stack's key file in
 * the data directory (so that `npm start` then `npm run replay` needs no key handling); none if absent.
 */
async function apiKeyHeaders(command: CliCommand): Promise<Record<string, string>> {
  const key = command.apiKey ?? process.env.TAXI_PULSE_API_KEY ?? (await localIngestKey(command.dataDir));
  return key ? { [API_KEY_HEADER]: key } : {};
}

async function localIngestKey(dataDir: string): Promise<string | undefined> {
  try {
    return parseApiKeys(await readFile(join(dataDir, API_KEYS_FILE_NAME), 'utf8'), dataDir).ingestKeys[0];
  } catch {
    return undefined;
  }
}

/**
 * Runs the replay command and returns its exit code; never throws. Checks the arguments and files,
 * probes the endpoint once (so "nothing listens there" is told at once, not after retries), replays
 * with a progress display on stderr, and prints the summary on stdout.
 */
export async function runReplayCli(argv: readonly string[], io: CliIo): Promise<number> {
  const display = createProgressDisplay(io.stderr);
  try {
    const command = parseReplayArgs(argv);
    if (command.help) {
      io.stdout.write(USAGE);
      return EXIT_CODES.ok;
    }
    await checkFiles(command.files);
    const headers = await apiKeyHeaders(command);
    await probeEndpoint(command.endpoint, { headers });
    const summary = await replayFiles({
      files: command.files,
      endpoint: command.endpoint,
      headers,
      speedup: command.speedup,
      keepOrder: command.keepOrder,
      sortMemoryTrips: command.sortMemoryTrips,
      concurrency: command.concurrency,
      batchSize: command.batchSize,
      onProgress: (progress) => display.update(progress),
      signal: io.signal,
    });
    display.finish();
    io.stdout.write(`${formatSummary(summary)}\n`);
    return EXIT_CODES.ok;
  } catch (error) {
    display.finish();
    return reportFailure(error, io);
  }
}
