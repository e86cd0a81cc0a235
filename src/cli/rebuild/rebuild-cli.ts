/**
 * The `npm run rebuild` command: the table's aggregates, flow items and counters (and the ledger a
 * processor needs to go on) recomputed from the data lake into a fresh table. Argument handling,
 * where the table is (the local data directory's emulator, an endpoint, or AWS), progress and the
 * summary; the work is rebuild-table.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { emulatorCredentials } from '../../config';
import { messageOf } from '../../error-message';
import { startEmulators, type Emulators } from '../../local/emulators/emulators';
import { lakeRoot } from '../../local/lake/local-lake';
import { sdkHttpHandler } from '../../sdk-http-handler';
import type { MarksMode } from '../../store/summing-store';
import { LOCAL_TABLE_NAME } from '../../store/table-definition';
import { formatDuration } from '../progress';
import { RebuildError } from './lake-reader';
import { rebuildTable, type RebuildProgress, type RebuildSummary } from './rebuild-table';
import { prepareTargetTable } from './target-table';

export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

/** The table a local rebuild writes when no --table is given: next to the live one, never over it. */
export const DEFAULT_REBUILT_TABLE = `${LOCAL_TABLE_NAME}-rebuilt`;

export const USAGE = `Usage: npm run rebuild -- [options]

Recomputes every aggregate (pickup aggregates with their operations figures, city-wide flow items)
and the ingestion counters from the data lake, into a fresh table: the processor's own record loop
over every stream record the lake holds, in stream order, each item summed in memory and written
once. Also writes the ledger (trip ledger, rejected trips, poison records) and the exactly-once marks,
so that a processor can go on from the rebuilt table. Progress on stderr, a summary at the end.

Where:
  (default)           the local stack's data directory: its lake (<data-dir>/lake) and its DynamoDB
                      emulator, started here (stop \`npm start\` on that directory first)
  --endpoint <url>    a DynamoDB endpoint of your own (e.g. a DynamoDB Local); --lake is then required
  --aws               DynamoDB on AWS (credentials and AWS_REGION as for the AWS CLI); the table must
                      exist and --lake is a copy of the S3 lake (docs/deploy.md)

Options:
  --data-dir <dir>    the stack's data directory (default .taxi-pulse/)
  --lake <dir>        the lake's root folder, holding records/ (default <data-dir>/lake)
  --table <name>      the table to write (default ${DEFAULT_REBUILT_TABLE}; created locally if missing)
  --force             write into a table that holds items already (each rebuilt item replaces its own)
  --no-ledger         aggregates and counters only: a table to query, not one a processor may go on from
  --new-stream        the table will be fed by another stream than the lake's (a second deployment):
                      no exactly-once marks, and ledger entries name the lake's shards as earlier ones
  -h, --help          show this help

Examples:
  npm run rebuild                                   # into ${DEFAULT_REBUILT_TABLE} of .taxi-pulse/
  npm run rebuild -- --aws --lake ./lake-copy --table <new table> --new-stream
`;

/** A mistake in the command line: reported with a pointer to --help and exit code 2. */
export class RebuildUsageError extends RebuildError {
  override name = 'RebuildUsageError';
}

export type RebuildTarget = { kind: 'local'; dataDir: string } | { kind: 'endpoint'; endpoint: string } | { kind: 'aws' };

export interface RebuildCommand {
  readonly target: RebuildTarget;
  readonly lakeRoot: string;
  readonly tableName: string;
  readonly force: boolean;
  readonly ledger: boolean;
  readonly marks: MarksMode;
  readonly help: boolean;
}

/** Reads the command line (without `node` and the script) into a command, or throws RebuildUsageError. */
export function parseRebuildArgs(argv: readonly string[]): RebuildCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        lake: { type: 'string' },
        table: { type: 'string' },
        endpoint: { type: 'string' },
        aws: { type: 'boolean' },
        force: { type: 'boolean' },
        'no-ledger': { type: 'boolean' },
        'new-stream': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new RebuildUsageError(messageOf(error), { cause: error });
  }
  const dataDir = values['data-dir'] ?? '.taxi-pulse/';
  if (values.aws && values.endpoint) throw new RebuildUsageError('--aws and --endpoint name two places for the table: give one');
  const remote = values.aws || values.endpoint !== undefined;
  if (remote && values['data-dir'] !== undefined) {
    throw new RebuildUsageError('--data-dir is for the local stack; with --aws or --endpoint give the lake with --lake');
  }
  if (remote && values.lake === undefined) throw new RebuildUsageError('--lake <dir> is required with --aws or --endpoint');
  if (values.aws && values.table === undefined)
    throw new RebuildUsageError('--table <name> is required with --aws: the new table of the stack');
  if (values.table !== undefined && !/^[A-Za-z0-9_.-]{3,255}$/.test(values.table)) {
    throw new RebuildUsageError(`--table ${values.table} is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)`);
  }
  const target: RebuildTarget = values.aws
    ? { kind: 'aws' }
    : values.endpoint !== undefined
      ? { kind: 'endpoint', endpoint: values.endpoint }
      : { kind: 'local', dataDir: resolve(dataDir) };
  return {
    target,
    lakeRoot: resolve(values.lake ?? lakeRoot(dataDir)),
    tableName: values.table ?? DEFAULT_REBUILT_TABLE,
    force: values.force ?? false,
    ledger: !values['no-ledger'],
    marks: values['new-stream'] ? 'new-stream' : 'same-stream',
    help: values.help ?? false,
  };
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const perSecond = (amount: number, ms: number) => (ms > 0 ? count((amount * 1000) / ms) : '-');

/** One progress line: records read (of all), trips, rate; then items written. */
export function formatRebuildProgress(progress: RebuildProgress): string {
  const seconds = formatDuration(progress.elapsedMs);
  if (progress.phase === 'reading') {
    const share = progress.records > 0 ? Math.floor((progress.recordsRead / progress.records) * 100) : 100;
    return (
      `rebuild: reading ${count(progress.recordsRead)}/${count(progress.records)} records (${share}%) of ${count(progress.files)} files, ` +
      `${count(progress.acceptedTrips)} trips, ${perSecond(progress.recordsRead, progress.elapsedMs)} records/s, ` +
      `${count(progress.ledgerItemsWritten)} ledger items written [${seconds}]`
    );
  }
  return (
    `rebuild: writing ${count(progress.itemsWritten)}/${count(progress.items)} items, ` +
    `${count(progress.ledgerItemsWritten)} ledger items written [${seconds}]`
  );
}

/** The summary printed at the end. */
export function formatRebuildSummary(summary: RebuildSummary, command: Pick<RebuildCommand, 'ledger' | 'marks'>): string {
  const trips = summary.acceptedTrips;
  const perTrip = (units: number) => (trips > 0 ? (units / trips).toFixed(3) : '-');
  const lines = [
    `Rebuilt ${summary.tableName} from ${count(summary.files)} lake files (${(summary.bytes / 1e6).toFixed(1)} MB), ` +
      `${count(summary.records)} stream records on ${summary.shards} shard(s), in ${formatDuration(summary.elapsedMs)} ` +
      `(${perSecond(trips, summary.elapsedMs)} trips/s; reading and summing ${formatDuration(summary.readMs)})`,
    `  records: ${count(trips)} trips accepted, ${count(summary.duplicates)} duplicates, ${count(summary.rejected)} rejected, ` +
      `${count(summary.poison)} poison`,
    `  items: ${count(summary.items['pickup aggregate'])} pickup aggregates, ${count(summary.items.flow)} flow items, ` +
      `${summary.items.counters} counters item, the format stamp: ${count(summary.aggregates.items)} written, ` +
      `${count(summary.aggregates.writeUnits)} write units (${perTrip(summary.aggregates.writeUnits)} per trip)`,
    command.ledger
      ? `  ledger: ${count(summary.ledger.items)} items (trips, rejections, poison), ${count(summary.ledger.writeUnits)} write units ` +
        `(${perTrip(summary.ledger.writeUnits)} per trip)`
      : '  ledger: not written (--no-ledger): resubmissions of these trips would count again if a processor went on from this table',
    command.marks === 'same-stream'
      ? '  marks: per shard, as the processor sets them: a processor reading the same stream skips what the table holds'
      : '  marks: none (--new-stream): the table is for a processor reading another stream',
  ];
  return `${lines.join('\n')}\n`;
}

export interface RebuildCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly signal?: AbortSignal;
  /** Progress lines at most this often (default 1 s). */
  readonly progressIntervalMs?: number;
}

/** Runs the command and returns its exit code; never throws. */
export async function runRebuildCli(argv: readonly string[], io: RebuildCliIo): Promise<number> {
  let command: RebuildCommand;
  try {
    command = parseRebuildArgs(argv);
  } catch (error) {
    io.stderr.write(`rebuild: ${messageOf(error)}\nRun \`npm run rebuild -- --help\` for usage.\n`);
    return EXIT_CODES.usage;
  }
  if (command.help) {
    io.stdout.write(USAGE);
    return EXIT_CODES.ok;
  }
  if (command.target.kind === 'local' && !existsSync(command.target.dataDir)) {
    io.stderr.write(`rebuild: there is no data directory ${command.target.dataDir}: run \`npm start\` first, or give --data-dir\n`);
    return EXIT_CODES.failure;
  }
  let emulators: Emulators | undefined;
  let client: DynamoDBClient | undefined;
  try {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    let endpoint: string | undefined;
    if (command.target.kind === 'local') {
      io.stderr.write(`rebuild: starting the DynamoDB emulator on ${join(command.target.dataDir, 'dynamodb')}\n`);
      emulators = await startEmulators({ dataDir: command.target.dataDir, region });
      endpoint = emulators.endpoints.dynamodb;
    } else if (command.target.kind === 'endpoint') endpoint = command.target.endpoint;
    client = new DynamoDBClient({
      region,
      endpoint,
      credentials: emulatorCredentials(command.target.kind === 'local' ? endpoint : undefined),
      requestHandler: sdkHttpHandler({ maxSockets: 64 }),
      maxAttempts: 8,
    });
    const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const table = await prepareTargetTable(client, command.tableName, { create: command.target.kind !== 'aws', force: command.force });
    io.stderr.write(
      `rebuild: ${command.lakeRoot} -> table ${command.tableName}${table.created ? ' (created)' : table.hadItems ? ' (holds items: --force)' : ''}\n`,
    );
    let lastLine = 0;
    const summary = await rebuildTable({
      lakeRoot: command.lakeRoot,
      client: documents,
      tableName: command.tableName,
      ledger: command.ledger,
      marks: command.marks,
      signal: io.signal,
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastLine < (io.progressIntervalMs ?? 1000)) return;
        lastLine = now;
        io.stderr.write(`${formatRebuildProgress(progress)}\n`);
      },
    });
    io.stdout.write(formatRebuildSummary(summary, command));
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof RebuildError) {
      io.stderr.write(`rebuild: ${error.message}\n`);
      return EXIT_CODES.failure;
    }
    io.stderr.write(`rebuild: ${(error as { stack?: string } | undefined)?.stack ?? messageOf(error)}\n`);
    return EXIT_CODES.failure;
  } finally {
    client?.destroy();
    await emulators?.stop();
  }
}
