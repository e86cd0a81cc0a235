/**
 * Reads a data lake in stream order for the rebuild: every record once (Firehose and the local writer
 * deliver at least once, so a record can sit in two files), shard by shard, by sequence number. DuckDB
 * reads the Parquet files and sorts them, spilling to disk beyond its memory limit, and hands the
 * records over in chunks: the rebuild never holds the lake in memory.
 *
 * The lake is a folder with the S3 lake's layout, `records/type=<type>/pickup_date=<date>/<files>`:
 * the local lake (`<data-dir>/lake`) or a copy of the S3 bucket (`aws s3 sync`). Every file there is
 * read but `.tmp` files (writes a crash interrupted, which the local writer deletes on its next start):
 * Firehose names its objects without an extension.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_COLUMNS, LAKE_RECORDS_PREFIX, type LakeRecord } from '../../lake/lake-schema';

const TEMP_SUFFIX = '.tmp';

/** The base of the rebuild's own failures. */
export class RebuildError extends Error {
  override name = 'RebuildError';
}

/** There is no lake where the rebuild was told to look, or it holds no record. */
export class LakeNotFoundError extends RebuildError {
  override name = 'LakeNotFoundError';
}

export interface LakeListing {
  readonly files: readonly string[];
  readonly bytes: number;
}

/** The lake's data files (every file of a partition folder but `.tmp`), sorted by path. */
export async function listLakeFiles(lakeRoot: string): Promise<LakeListing> {
  const records = join(lakeRoot, LAKE_RECORDS_PREFIX);
  const typeDirs = await readdir(records, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new LakeNotFoundError(`there is no data lake in ${lakeRoot}: no ${LAKE_RECORDS_PREFIX}/ folder`);
    throw error;
  });
  const files: string[] = [];
  let bytes = 0;
  for (const typeDir of typeDirs.filter((entry) => entry.isDirectory() && entry.name.startsWith('type='))) {
    const typePath = join(records, typeDir.name);
    for (const dateDir of await readdir(typePath, { withFileTypes: true })) {
      if (!dateDir.isDirectory()) continue;
      const datePath = join(typePath, dateDir.name);
      for (const entry of await readdir(datePath, { withFileTypes: true })) {
        if (!entry.isFile() || entry.name.endsWith(TEMP_SUFFIX)) continue;
        const path = join(datePath, entry.name);
        files.push(path);
        bytes += (await stat(path)).size;
      }
    }
  }
  return { files: files.sort(), bytes };
}

export interface LakeReader {
  readonly files: number;
  readonly bytes: number;
  /** Distinct records in the lake (counted before the first chunk). */
  readonly records: number;
  /** The records, every one once, ordered by shard and sequence number, in chunks of a few thousand. */
  chunks(): AsyncGenerator<LakeRecord[]>;
  close(): void;
}

export interface LakeReaderOptions {
  /** DuckDB's memory limit, e.g. '1GB' (it spills to `tempDirectory` beyond it). */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const COLUMNS = LAKE_COLUMNS.map((column) => column.name);

/** Opens a reader over the lake under `lakeRoot`; LakeNotFoundError when it has no files. */
export async function openLakeReader(lakeRoot: string, options: LakeReaderOptions = {}): Promise<LakeReader> {
  const listing = await listLakeFiles(lakeRoot);
  if (listing.files.length === 0) throw new LakeNotFoundError(`the data lake in ${lakeRoot} holds no files yet`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    if (options.memoryLimit) await connection.run(`SET memory_limit = ${quote(options.memoryLimit)}`);
    if (options.tempDirectory) await connection.run(`SET temp_directory = ${quote(options.tempDirectory)}`);
    // The partition columns are not needed: every column of a record is in the file.
    await connection.run(
      `CREATE VIEW lake AS SELECT DISTINCT ${COLUMNS.join(', ')} FROM read_parquet([${listing.files.map(quote).join(', ')}], ` +
        'hive_partitioning = false, union_by_name = true)',
    );
    const counted = await connection.runAndReadAll('SELECT count(*) FROM lake');
    const records = Number(counted.getRows()[0][0]);
    return {
      files: listing.files.length,
      bytes: listing.bytes,
      records,
      chunks: () => readChunks(connection),
      close: () => connection.closeSync(),
    };
  } catch (error) {
    connection.closeSync();
    throw new RebuildError(`could not read the data lake in ${lakeRoot}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

async function* readChunks(connection: DuckDBConnection): AsyncGenerator<LakeRecord[]> {
  // Sequence numbers are decimal strings of up to 128 digits: by length, then as text, is numeric order.
  const result = await connection.stream(`SELECT * FROM lake ORDER BY shard_id, length(sequence_number), sequence_number`);
  for await (const rows of result.yieldRowsJs()) {
    yield rows.map((row) => {
      const record: Record<string, unknown> = {};
      COLUMNS.forEach((name, index) => {
        const value = row[index];
        record[name] = typeof value === 'bigint' ? Number(value) : (value ?? null);
      });
      return record as LakeRecord;
    });
  }
}
