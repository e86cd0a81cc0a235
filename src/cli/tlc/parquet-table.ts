/**
 * A Parquet trip file read through hyparquet one row group at a time, column-wise: hyparquet decodes
 * a whole row group even for a slice of it, so the row group is the unit of work, and keeping its
 * columns as arrays (no per-row objects, timestamps as plain numbers) keeps memory to a few numbers
 * per cell of the columns we need.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, ColumnData, FileMetaData } from 'hyparquet';
import { newYorkOffsetMinutes } from '../../domain/time';
import type { TlcCell } from './tlc-row';

/** The decoded columns of one row group: `cell(column, row)` for rows rowStart <= row < rowEnd (file positions). */
export interface ParquetRowGroup {
  rowStart: number;
  rowEnd: number;
  cell(column: string, row: number): TlcCell;
}

export interface ParquetTable {
  columns: string[];
  rowCount: number;
  /** The row groups in file order, decoding only `columns`. */
  rowGroups(columns: readonly string[]): AsyncGenerator<ParquetRowGroup>;
}

const MS_PER_MINUTE = 60_000;

// Timestamps as epoch milliseconds in plain numbers instead of Date objects: a month of trips is
// millions of them, and whether they are wall-clock or instants is decided per column below.
const NUMERIC_TIMESTAMPS = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros / 1000n),
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos / 1_000_000n),
};

/**
 * A timestamp as New York local 'YYYY-MM-DDTHH:MM:SS' text. TLC files store the wall clock with no
 * zone (isAdjustedToUTC false), which a reader sees as if it were UTC: that is printed as it is,
 * never shifted. Only a column that declares itself UTC-adjusted holds instants, converted to New
 * York time. Out-of-range values come back as digits, which the row reader reports as unreadable.
 */
export function timestampToLocalText(epochMs: number, adjustedToUtc: boolean): string {
  const wallClockMs = adjustedToUtc ? epochMs + newYorkOffsetMinutes(epochMs) * MS_PER_MINUTE : epochMs;
  const date = new Date(wallClockMs);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return String(epochMs);
  const iso = date.toISOString();
  const fraction = iso.slice(19, 23);
  return iso.slice(0, 19) + (fraction === '.000' ? '' : fraction);
}

function timestampColumns(metadata: FileMetaData): Map<string, boolean> {
  const adjustedByName = new Map<string, boolean>();
  for (const child of parquetSchema(metadata).children) {
    const { name, type, converted_type: convertedType, logical_type: logicalType } = child.element;
    if (logicalType?.type === 'TIMESTAMP') adjustedByName.set(name, logicalType.isAdjustedToUTC);
    else if (type === 'INT96' || convertedType === 'TIMESTAMP_MILLIS' || convertedType === 'TIMESTAMP_MICROS') {
      // Legacy annotations say nothing reliable about zones; TLC times are wall clock.
      adjustedByName.set(name, false);
    }
  }
  return adjustedByName;
}

function toCell(value: unknown, adjustedToUtc: boolean | undefined): TlcCell {
  if (value === null || value === undefined) return null;
  if (adjustedToUtc !== undefined && typeof value === 'number') return timestampToLocalText(value, adjustedToUtc);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof Date) return timestampToLocalText(value.getTime(), adjustedToUtc ?? false);
  return String(value);
}

async function* readRowGroups(file: AsyncBuffer, metadata: FileMetaData, columns: readonly string[]): AsyncGenerator<ParquetRowGroup> {
  const adjustedByName = timestampColumns(metadata);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    // A column may arrive in several chunks; each knows the file rows it covers.
    const chunksByColumn = new Map<string, ColumnData[]>();
    await parquetRead({
      file,
      metadata,
      columns: [...columns],
      rowStart,
      rowEnd,
      parsers: NUMERIC_TIMESTAMPS,
      onChunk: (chunk) => {
        const chunks = chunksByColumn.get(chunk.columnName) ?? [];
        chunks.push(chunk);
        chunksByColumn.set(chunk.columnName, chunks);
      },
    });
    yield {
      rowStart,
      rowEnd,
      cell(column, row) {
        const chunk = chunksByColumn.get(column)?.find((candidate) => candidate.rowStart <= row && row < candidate.rowEnd);
        return chunk ? toCell(chunk.columnData[row - chunk.rowStart], adjustedByName.get(column)) : null;
      },
    };
    rowStart = rowEnd;
  }
}

/**
 * Opens a Parquet file: reads only its footer (schema and row count), so the header can be checked
 * and the progress bar sized before any row is decoded.
 */
export async function openParquetTable(path: string): Promise<ParquetTable> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  return {
    columns: parquetSchema(metadata).children.map((child) => child.element.name),
    rowCount: Number(metadata.num_rows),
    rowGroups: (columns) => readRowGroups(file, metadata, columns),
  };
}
