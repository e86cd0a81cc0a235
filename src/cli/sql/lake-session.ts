/**
 * A DuckDB session over the local lake of a data directory: the library behind `npm run sql` (and the
 * tests that compare its answers with the API's). In-memory DuckDB; the lake's Parquet files are read
 * where they lie, at each query, so a session sees what the running stack wrote since it opened.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { lakeRoot } from '../../local/lake/local-lake';
import { LAKE_RECORDS_PREFIX } from '../../lake/lake-schema';
import { lakeViewsSql, TRINO_COMPATIBILITY_SQL, tlcViewSql, zonesTableSql } from './lake-views';

/** The base of `npm run sql`'s own failures; SQL errors are SqlQueryError. */
export class SqlError extends Error {
  override name = 'SqlError';
}

/** The data directory has no lake: the stack never ran there. */
export class LakeNotFoundError extends SqlError {
  override name = 'LakeNotFoundError';
  constructor(readonly dataDir: string) {
    super(
      `there is no data lake in ${join(dataDir, 'lake')} yet. Start the stack with \`npm start\` (it writes every stream ` +
        'record there), or point --data-dir at the data directory of the stack you ran.',
    );
  }
}

/** DuckDB refused a statement: its message, as DuckDB words it. */
export class SqlQueryError extends SqlError {
  override name = 'SqlQueryError';
}

/** A file given with --file is not there or not a CSV, CSV.gz or Parquet file. */
export class SqlFileError extends SqlError {
  override name = 'SqlFileError';
}

export interface QueryResult {
  readonly columns: readonly string[];
  /** DuckDB's type names (VARCHAR, BIGINT, DECIMAL(18,2), TIMESTAMP...). */
  readonly types: readonly string[];
  /** DuckDB values: null, numbers, bigints, strings, or DuckDB value objects (dates, decimals...). */
  readonly rows: readonly (readonly DuckDBValue[])[];
}

export interface LakeSessionOptions {
  /** The stack's data directory; its lake is `<dataDir>/lake`. */
  readonly dataDir: string;
  /** TLC files to query as views, by view name (e.g. { tlc: 'data/nyc-tlc/rides.csv' }). */
  readonly files?: Readonly<Record<string, string>>;
  /** Refuse to open without a lake (the default); false when only files are to be queried. */
  readonly requireLake?: boolean;
}

export interface LakeSession {
  /** Whether the data directory has a lake (the lake views exist only then). */
  readonly hasLake: boolean;
  /** Runs one or more statements (with `?` parameters, for a single statement) and returns the last result. */
  query(sql: string, parameters?: readonly DuckDBValue[]): Promise<QueryResult>;
  /** Stops a running query (Ctrl-C in the prompt). */
  interrupt(): void;
  close(): void;
}

const TLC_EXTENSIONS = ['.csv', '.csv.gz', '.parquet'];

/**
 * Opens a session: the zone table, Trino's functions the saved Athena queries use, `records`,
 * `raw_records`, `trips` and `rejected_trips` over the lake, and a view per file. Throws
 * LakeNotFoundError when the data directory has no lake and `requireLake` is not false, SqlFileError
 * for a file that cannot be read.
 */
export async function openLakeSession(options: LakeSessionOptions): Promise<LakeSession> {
  const dataDir = resolve(options.dataDir);
  const root = lakeRoot(dataDir);
  const hasLake = existsSync(root);
  if (!hasLake && options.requireLake !== false) throw new LakeNotFoundError(dataDir);
  for (const path of Object.values(options.files ?? {})) {
    if (!TLC_EXTENSIONS.some((extension) => path.toLowerCase().endsWith(extension))) {
      throw new SqlFileError(`${path} is not a TLC file: expected ${TLC_EXTENSIONS.join(', ')}`);
    }
    if (!existsSync(path)) throw new SqlFileError(`${path} does not exist`);
  }

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const run = async (sql: string) => {
    try {
      await connection.run(sql);
    } catch (error) {
      throw new SqlQueryError(messageOf(error), { cause: error });
    }
  };
  try {
    for (const sql of [...zonesTableSql(), ...TRINO_COMPATIBILITY_SQL]) await run(sql);
    if (hasLake) for (const sql of lakeViewsSql(root, await hasLakeFiles(root))) await run(sql);
    for (const [name, path] of Object.entries(options.files ?? {})) await run(tlcViewSql(name, resolve(path)));
  } catch (error) {
    connection.closeSync();
    throw error instanceof SqlQueryError && Object.keys(options.files ?? {}).length > 0
      ? new SqlFileError(`could not read the file: ${error.message}`, { cause: error })
      : error;
  }
  return {
    hasLake,
    query: (sql, parameters) => query(connection, sql, parameters),
    interrupt: () => connection.interrupt(),
    close: () => connection.closeSync(),
  };
}

async function query(connection: DuckDBConnection, sql: string, parameters?: readonly DuckDBValue[]): Promise<QueryResult> {
  try {
    const reader = await connection.runAndReadAll(sql, parameters ? [...parameters] : undefined);
    return { columns: reader.columnNames(), types: reader.columnTypes().map(String), rows: reader.getRows() };
  } catch (error) {
    throw new SqlQueryError(messageOf(error), { cause: error });
  }
}

/** Whether any partition folder holds a Parquet file (an empty lake gets empty views instead). */
async function hasLakeFiles(root: string): Promise<boolean> {
  const records = join(root, LAKE_RECORDS_PREFIX);
  for (const typeDir of await readdir(records).catch(() => [] as string[])) {
    for (const dateDir of await readdir(join(records, typeDir)).catch(() => [] as string[])) {
      const files = await readdir(join(records, typeDir, dateDir)).catch(() => [] as string[]);
      if (files.some((file) => file.endsWith('.parquet'))) return true;
    }
  }
  return false;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
