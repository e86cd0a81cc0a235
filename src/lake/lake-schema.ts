/**
 * The data lake's record schema, defined once: the Glue table columns (infra/constructs/data-lake.ts),
 * the Parquet columns the local lake writer writes (src/local/lake/) and the TypeScript type of a lake
 * record are all derived from LAKE_COLUMNS. One row per stream record, of three kinds:
 *
 * - `trip`: a valid trip as the processor decodes it (the trip_* ... total_cents columns);
 * - `rejection`: a submission the API rejected, kept and counted by reason (rejection_* and submission);
 * - `poison`: a stream record that does not decode at all (raw_data and poison_reason).
 *
 * Every row carries its stream position and arrival (shard_id, sequence_number, arrival_ms,
 * partition_key): what it takes to tell which of two records with one tripId the pipeline counted (the
 * first by stream position), so that the lake reproduces the live table exactly. Names are snake_case
 * because Glue and Athena lower-case column names.
 */

/** The Glue (Hive) type of a column; Parquet and TypeScript types follow from it. */
export type LakeColumnType = 'string' | 'int' | 'bigint';

export interface LakeColumn {
  readonly name: string;
  readonly type: LakeColumnType;
  /** Present on every row (a stream position); other columns are null where they do not apply. */
  readonly required?: boolean;
  /** The Glue column comment: what the column holds and where it applies. */
  readonly comment: string;
}

/** The version of this schema, written into every local Parquet file's metadata. */
export const LAKE_SCHEMA_VERSION = 1;

export const LAKE_COLUMNS = [
  { name: 'shard_id', type: 'string', required: true, comment: 'Kinesis shard the record was read from' },
  {
    name: 'sequence_number',
    type: 'string',
    required: true,
    comment: 'Kinesis sequence number (decimal digits; order by length, then text)',
  },
  { name: 'arrival_ms', type: 'bigint', required: true, comment: 'approximate arrival in the stream, epoch milliseconds' },
  { name: 'partition_key', type: 'string', required: true, comment: 'Kinesis partition key (the tripId for records the API wrote)' },
  { name: 'record_version', type: 'int', comment: 'version of the stream record format (null for poison)' },
  { name: 'submitted_at_ms', type: 'bigint', comment: 'when the API accepted or rejected the submission, epoch ms (null for poison)' },
  { name: 'trip_id', type: 'string', comment: 'tripId of the trip or of the rejected submission (null for poison)' },
  { name: 'vendor_id', type: 'int', comment: 'trip: TLC vendor id, when given' },
  { name: 'pickup_at_ms', type: 'bigint', comment: 'trip: pickup instant, epoch ms' },
  { name: 'dropoff_at_ms', type: 'bigint', comment: 'trip: drop-off instant, epoch ms' },
  { name: 'pickup_zone_id', type: 'int', comment: 'trip: TLC taxi zone of the pickup (1..265)' },
  { name: 'dropoff_zone_id', type: 'int', comment: 'trip: TLC taxi zone of the drop-off (1..265)' },
  { name: 'passenger_count', type: 'int', comment: 'trip: passengers, when given' },
  { name: 'rate_code_id', type: 'int', comment: 'trip: TLC rate code, when given' },
  { name: 'payment_type', type: 'int', comment: 'trip: TLC payment type code, when given' },
  { name: 'distance_hundredths', type: 'int', comment: 'trip: distance in hundredths of a mile' },
  { name: 'fare_cents', type: 'bigint', comment: 'trip: fare, cents' },
  { name: 'tip_cents', type: 'bigint', comment: 'trip: tip, cents (0 when not given)' },
  { name: 'tolls_cents', type: 'bigint', comment: 'trip: tolls, cents (0 when not given)' },
  { name: 'total_cents', type: 'bigint', comment: 'trip: total amount, cents' },
  { name: 'rejection_reason', type: 'string', comment: 'rejection: machine-readable reason (UNKNOWN_ZONE, ...)' },
  { name: 'rejection_field', type: 'string', comment: 'rejection: the field that broke the rule' },
  { name: 'rejection_message', type: 'string', comment: 'rejection: the message the API answered' },
  { name: 'submission', type: 'string', comment: 'rejection: the submission as received, JSON text' },
  { name: 'raw_data', type: 'string', comment: 'poison: the record bytes, base64' },
  { name: 'poison_reason', type: 'string', comment: 'poison: why the record does not decode' },
] as const satisfies readonly LakeColumn[];

/** The partition columns: folders `type=<type>/pickup_date=<YYYY-MM-DD>` (Hive style), not in the files. */
export const LAKE_PARTITION_KEYS = [
  { name: 'type', type: 'string', comment: 'trip, rejection or poison' },
  {
    name: 'pickup_date',
    type: 'string',
    comment: 'New York local date (YYYY-MM-DD) of the pickup; of the submission for rejections, of the arrival for poison',
  },
] as const satisfies readonly LakeColumn[];

export const LAKE_RECORD_TYPES = ['trip', 'rejection', 'poison'] as const;
export type LakeRecordType = (typeof LAKE_RECORD_TYPES)[number];

/** Where records live under the lake's root (the S3 bucket, or `<dataDir>/lake` locally). */
export const LAKE_RECORDS_PREFIX = 'records';

type Column = (typeof LAKE_COLUMNS)[number];
type ValueOf<T extends LakeColumnType> = T extends 'string' ? string : number;

/** One lake row: required columns always set, the others null where they do not apply. */
export type LakeRecord = {
  [C in Column as C['name']]: C extends { required: true } ? ValueOf<C['type']> : ValueOf<C['type']> | null;
};

export type LakeColumnName = keyof LakeRecord;

/** A record's partition: its folder under LAKE_RECORDS_PREFIX. */
export interface LakePartition {
  readonly type: LakeRecordType;
  /** YYYY-MM-DD, New York local. */
  readonly pickupDate: string;
}

/** `records/type=trip/pickup_date=2023-02-01`: the folder (S3 prefix, without the slash) of a partition. */
export function partitionPath(partition: LakePartition): string {
  return `${LAKE_RECORDS_PREFIX}/type=${partition.type}/pickup_date=${partition.pickupDate}`;
}

/** The Glue table's data columns (partition keys apart), in file order. */
export function glueColumns(): Array<{ name: string; type: LakeColumnType; comment: string }> {
  return LAKE_COLUMNS.map(({ name, type, comment }) => ({ name, type, comment }));
}

/** The Glue table's partition keys. */
export function gluePartitionKeys(): Array<{ name: string; type: LakeColumnType; comment: string }> {
  return LAKE_PARTITION_KEYS.map(({ name, type, comment }) => ({ name, type, comment }));
}
