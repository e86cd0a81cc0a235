/**
 * A TLC trip file (.csv, .csv.gz, .parquet) as a stream of `TripSubmission`s, each with a tripId
 * derived from the file's digest and row number, plus the rows that cannot be trips. Opening checks
 * everything that can fail for the whole file (format, existence, digest, header) before any row is
 * read, so a replay fails before it sends anything.
 */
import { stat } from 'node:fs/promises';
import { csvRecords } from './csv-records';
import { messageOf } from '../../error-message';
import { replayTripId, scanFile } from './file-scan';
import { openParquetTable, type ParquetTable } from './parquet-table';
import { TlcFileError, TlcFileNotFoundError, TlcFileReadError } from './tlc-errors';
import { detectTlcFormat, type TlcFormat } from './tlc-format';
import { detectTlcHeader, TLC_FIELDS, type TlcField, type TlcHeaderMapping, type TlcHeaderStyle } from './tlc-header';
import { toTlcRow, type TlcCell, type TlcRow } from './tlc-row';

export interface TlcFile {
  readonly path: string;
  readonly format: TlcFormat;
  readonly headerStyle: TlcHeaderStyle;
  readonly header: TlcHeaderMapping;
  /** SHA-256 of the file's bytes, lower-case hex; its first 16 digits start every tripId. */
  readonly digest: string;
  readonly byteLength: number;
  /** Data rows: exact for Parquet (from its footer); for CSV counted from lines, so blank lines overcount. */
  readonly rowCount: number;
  readonly rowCountIsExact: boolean;
  /** The rows in file order, streamed; each call reads the file afresh. */
  rows(): AsyncGenerator<TlcRow>;
}

async function requireFile(path: string): Promise<void> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new TlcFileReadError(path, 'not a regular file');
  } catch (error) {
    if (error instanceof TlcFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TlcFileNotFoundError(path, { cause: error });
    throw new TlcFileReadError(path, messageOf(error), { cause: error });
  }
}

// Whole-file failures keep their type; anything else from the streams is wrapped with the path.
async function wrapReadErrors<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TlcFileError) throw error;
    throw new TlcFileReadError(path, messageOf(error), { cause: error });
  }
}

async function* wrapRowErrors(path: string, rows: AsyncGenerator<TlcRow>): AsyncGenerator<TlcRow> {
  let lastRow = 0;
  try {
    for await (const row of rows) {
      lastRow = row.row;
      yield row;
    }
  } catch (error) {
    throw new TlcFileReadError(path, `after data row ${lastRow}: ${messageOf(error)}`, { cause: error });
  }
}

async function readCsvHeader(path: string, gzipped: boolean): Promise<string[]> {
  for await (const record of csvRecords(path, gzipped)) return record;
  return [];
}

async function* csvRows(path: string, gzipped: boolean, header: TlcHeaderMapping, digest: string): AsyncGenerator<TlcRow> {
  let row = 0;
  let isHeader = true;
  for await (const record of csvRecords(path, gzipped)) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    row += 1;
    yield toTlcRow((field: TlcField) => record[header.indexOf[field]], header, row, replayTripId(digest, row));
  }
}

async function* parquetRows(table: ParquetTable, header: TlcHeaderMapping, digest: string): AsyncGenerator<TlcRow> {
  const columns = [...new Set(TLC_FIELDS.map((field) => table.columns[header.indexOf[field]]))];
  for await (const group of table.rowGroups(columns)) {
    for (let index = group.rowStart; index < group.rowEnd; index += 1) {
      const row = index + 1;
      const cells = (field: TlcField): TlcCell => group.cell(table.columns[header.indexOf[field]], index);
      yield toTlcRow(cells, header, row, replayTripId(digest, row));
    }
  }
}

/**
 * Opens a TLC trip file: detects its format from the extension, hashes it (streaming), and matches
 * its header to a TLC style. Throws a TlcFileError subclass: UnsupportedTlcFormatError,
 * TlcFileNotFoundError, UnknownTlcHeaderError (naming the missing columns) or TlcFileReadError.
 * The returned `rows()` streams CSV record by record and Parquet row group by row group.
 */
export async function openTlcFile(path: string): Promise<TlcFile> {
  const format = detectTlcFormat(path);
  await requireFile(path);
  const scan = await wrapReadErrors(path, () => scanFile(path, format));
  const digest = scan.sha256;

  if (format === 'parquet') {
    const table = await wrapReadErrors(path, () => openParquetTable(path));
    const header = detectTlcHeader(path, table.columns);
    return {
      path,
      format,
      headerStyle: header.style,
      header,
      digest,
      byteLength: scan.byteLength,
      rowCount: table.rowCount,
      rowCountIsExact: true,
      rows: () => wrapRowErrors(path, parquetRows(table, header, digest)),
    };
  }

  const gzipped = format === 'csv.gz';
  const columns = await wrapReadErrors(path, () => readCsvHeader(path, gzipped));
  const header = detectTlcHeader(path, columns);
  return {
    path,
    format,
    headerStyle: header.style,
    header,
    digest,
    byteLength: scan.byteLength,
    rowCount: Math.max(0, (scan.lineCount ?? 0) - 1),
    rowCountIsExact: false,
    rows: () => wrapRowErrors(path, csvRows(path, gzipped, header, digest)),
  };
}

/**
 * The rows of a TLC file, opened as by openTlcFile: a shortcut for callers that need neither the
 * digest nor the row count.
 */
export async function* readTlcFile(path: string): AsyncGenerator<TlcRow> {
  const file = await openTlcFile(path);
  yield* file.rows();
}
