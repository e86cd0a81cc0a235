/**
 * The `npm run sql` command: SQL over the local data lake with DuckDB. One statement from the command
 * line, or statements from standard input, or an interactive prompt when standard input is a terminal.
 * Everything but argument handling and the prompt lives in lake-session.ts and result-format.ts.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { messageOf } from '../../error-message';
import { openLakeSession, SqlError, SqlQueryError, type LakeSession } from './lake-session';
import { formatResult, OUTPUT_FORMATS, type OutputFormat } from './result-format';

export const EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

export const USAGE = `Usage: npm run sql -- ["<SQL>"] [options]

Runs SQL (DuckDB's dialect) over the local data lake that \`npm start\` writes in <data-dir>/lake:
every record of the trip stream, as Firehose writes the S3 lake on AWS. Without SQL, reads
statements from standard input, or opens a prompt when that is a terminal.

Tables and views:
  trips           the valid trips, one per tripId: exactly the trips the insights count, with
                  New York local times (pickup_at, pickup_hour, pickup_date, pickup_week...),
                  zones and boroughs, money in dollars (fare_amount...) and in cents
  rejected_trips  the rejected submissions the pipeline counted: reason, field, message, submission
  raw_records     every stream record once, with its position (shard_id, sequence_number) and
                  outcome: accepted, duplicate, rejected or poison
  zones           the TLC taxi zones: zone_id, zone, borough, service_zone
  records         the lake's rows as the Athena table on AWS has them
  tlc             the file given with --file (tlc2, tlc3... for more)

Options:
  --data-dir <dir>    the stack's data directory (default .taxi-pulse/)
  --format <f>        table (default), csv or json
  --file <path>       also query a TLC file (CSV, CSV.gz or Parquet) as the view tlc
  -h, --help          show this help

Examples:
  npm run sql -- "SELECT pickup_borough, count(*) AS trips, avg(tip_amount) FROM trips GROUP BY ALL ORDER BY trips DESC"
  npm run sql -- "SELECT outcome, count(*) FROM raw_records GROUP BY ALL" --format json
  npm run sql -- --file data/nyc-tlc/yellow_tripdata_2020-01.csv "SELECT count(*) FROM tlc"
`;

const PROMPT_HELP = `Statements end with a semicolon. Commands:
  .tables           list the tables and views
  .schema <name>    the columns of a table or view
  .format <f>       table, csv or json
  .help             this text
  .quit             leave (or Ctrl-D)
`;

/** A mistake in the command line: reported with a pointer to --help and exit code 2. */
export class SqlUsageError extends SqlError {
  override name = 'SqlUsageError';
}

export interface SqlCliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Statements when no SQL is given; a prompt when it is a terminal. */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

interface SqlCommand {
  sql?: string;
  dataDir: string;
  format: OutputFormat;
  files: Record<string, string>;
  help: boolean;
}

/** Reads the command line (without `node` and the script) into a command, or throws SqlUsageError. */
export function parseSqlArgs(argv: readonly string[]): SqlCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        format: { type: 'string' },
        file: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new SqlUsageError(messageOf(error), { cause: error });
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new SqlUsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got '${format}'`);
  }
  const files = Object.fromEntries((values.file ?? []).map((path, index) => [index === 0 ? 'tlc' : `tlc${index + 1}`, path]));
  return {
    sql: positionals.length > 0 ? positionals.join(' ') : undefined,
    dataDir: values['data-dir'] ?? '.taxi-pulse/',
    format: format as OutputFormat,
    files,
    help: values.help ?? false,
  };
}

/**
 * Runs the command and returns its exit code; never throws. 0 when every statement ran, 1 when
 * DuckDB refused one (its message on stderr) or there is no lake, 2 for a bad command line.
 */
export async function runSqlCli(argv: readonly string[], io: SqlCliIo): Promise<number> {
  let command: SqlCommand;
  try {
    command = parseSqlArgs(argv);
  } catch (error) {
    io.stderr.write(`sql: ${messageOf(error)}\nRun \`npm run sql -- --help\` for usage.\n`);
    return EXIT_CODES.usage;
  }
  if (command.help) {
    io.stdout.write(USAGE);
    return EXIT_CODES.ok;
  }
  let session: LakeSession;
  try {
    session = await openLakeSession({
      dataDir: command.dataDir,
      files: command.files,
      requireLake: Object.keys(command.files).length === 0,
    });
  } catch (error) {
    io.stderr.write(`sql: ${messageOf(error)}\n`);
    return error instanceof SqlError ? EXIT_CODES.failure : unexpected(error, io);
  }
  try {
    if (command.sql !== undefined) return await runOne(session, command.sql, command.format, io);
    if (io.stdin?.isTTY) return await prompt(session, command.format, io);
    return await runScript(session, command.format, io);
  } finally {
    session.close();
  }
}

async function runOne(session: LakeSession, sql: string, format: OutputFormat, io: SqlCliIo): Promise<number> {
  try {
    io.stdout.write(formatResult(await session.query(sql), format));
    return EXIT_CODES.ok;
  } catch (error) {
    if (!(error instanceof SqlQueryError)) return unexpected(error, io);
    io.stderr.write(`sql: ${error.message}\n`);
    return EXIT_CODES.failure;
  }
}

/** Statements piped in: run in order, stopping at the first that fails. */
async function runScript(session: LakeSession, format: OutputFormat, io: SqlCliIo): Promise<number> {
  let text = '';
  if (io.stdin) for await (const chunk of io.stdin) text += chunk.toString();
  for (const statement of splitStatements(text)) {
    const code = await runOne(session, statement, format, io);
    if (code !== EXIT_CODES.ok) return code;
  }
  return EXIT_CODES.ok;
}

/**
 * Splits SQL text into statements at semicolons outside quotes and comments. Used for piped input
 * and the prompt, so that each statement's result is printed, not only the last one's.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
      current += char;
    } else if (char === '-' && text[index + 1] === '-') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
      current += '\n';
    } else if (char === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

async function prompt(session: LakeSession, initialFormat: OutputFormat, io: SqlCliIo): Promise<number> {
  let format = initialFormat;
  const lines = createInterface({ input: io.stdin!, output: io.stdout as NodeJS.WritableStream, terminal: true });
  let buffer = '';
  let running = false;
  const setPrompt = () => lines.setPrompt(buffer ? '      ...> ' : 'taxi-pulse> ');
  io.stdout.write(`DuckDB over ${session.hasLake ? 'the local lake' : 'the given files'}. .help for commands, .quit to leave.\n`);
  lines.on('SIGINT', () => {
    if (running) session.interrupt();
    else {
      buffer = '';
      io.stdout.write('^C\n');
      setPrompt();
      lines.prompt();
    }
  });
  setPrompt();
  lines.prompt();
  for await (const line of lines) {
    const trimmed = line.trim();
    if (!buffer && trimmed.startsWith('.')) {
      const [name, argument] = trimmed.split(/\s+/, 2);
      if (name === '.quit' || name === '.exit') break;
      if (name === '.help') io.stdout.write(PROMPT_HELP);
      else if (name === '.format' && (OUTPUT_FORMATS as readonly string[]).includes(argument)) format = argument as OutputFormat;
      else if (name === '.tables')
        await runOne(session, 'SELECT table_name, table_type FROM information_schema.tables ORDER BY 1', 'table', io);
      else if (name === '.schema' && argument) await runOne(session, `DESCRIBE ${argument}`, 'table', io);
      else io.stdout.write(`unknown command ${trimmed}; .help lists them\n`);
    } else {
      buffer += `${line}\n`;
      if (/;\s*$/.test(trimmed)) {
        running = true;
        for (const statement of splitStatements(buffer)) await runOne(session, statement, format, io);
        running = false;
        buffer = '';
      }
    }
    setPrompt();
    lines.prompt();
  }
  lines.close();
  return EXIT_CODES.ok;
}

function unexpected(error: unknown, io: SqlCliIo): number {
  io.stderr.write(`sql: unexpected error: ${(error as { stack?: string } | undefined)?.stack ?? messageOf(error)}\n`);
  return EXIT_CODES.failure;
}
