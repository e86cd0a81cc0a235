/**
 * Lake records <-> Parquet bytes, with the column types of the lake schema (src/lake/lake-schema.ts):
 * the files Firehose writes on AWS through record format conversion (Glue string -> UTF8 byte array,
 * int -> INT32, bigint -> INT64; Snappy), written here by hyparquet-writer, a pure-JavaScript writer
 * (no native code in `npm start`; DuckDB, which could write them too, loads a 60 MB library).
 */
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer, type BasicType, type ColumnSource } from 'hyparquet-writer';
import { LAKE_COLUMNS, LAKE_SCHEMA_VERSION, type LakeColumnType, type LakeRecord } from '../../lake/lake-schema';

const PARQUET_TYPES: Record<LakeColumnType, BasicType> = { string: 'STRING', int: 'INT32', bigint: 'INT64' };

/** Encodes records as one Parquet file (one row group up to 100,000 rows, Snappy). */
export function encodeLakeParquet(records: readonly LakeRecord[]): Uint8Array {
  const columnData: ColumnSource[] = LAKE_COLUMNS.map((column) => {
    const values = records.map((record) => record[column.name]);
    return {
      name: column.name,
      type: PARQUET_TYPES[column.type],
      nullable: !('required' in column && column.required),
      data: column.type === 'bigint' ? values.map((value) => (value === null ? null : BigInt(value))) : values,
    };
  });
  const buffer = parquetWriteBuffer({
    columnData,
    rowGroupSize: 100_000,
    kvMetadata: [{ key: 'taxi-pulse.lake.schema', value: String(LAKE_SCHEMA_VERSION) }],
    createdBy: 'taxi-pulse local lake',
  });
  return new Uint8Array(buffer);
}

/** Decodes a lake Parquet file back into records (INT64 values as numbers: they are safe integers). */
export async function decodeLakeParquet(bytes: Uint8Array): Promise<LakeRecord[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const column of LAKE_COLUMNS) {
      const value = row[column.name];
      record[column.name] = typeof value === 'bigint' ? Number(value) : (value ?? null);
    }
    return record as LakeRecord;
  });
}
