/**
 * The SQL that `npm run sql` sets up in DuckDB over a local lake: the table `records` exactly as Glue
 * and Athena see the S3 lake (so the saved Athena queries of src/lake/named-queries.ts run here too),
 * and the views analysts query:
 *
 * - `raw_records`: every stream record once (at-least-once copies collapsed), with its `outcome`, what
 *   the pipeline made of it: accepted, duplicate, rejected or poison (ingestionCounts, by record);
 * - `trips`: the accepted trips, one per tripId, exactly the trips the insights count, with New York
 *   local times, zones and boroughs, money in dollars;
 * - `rejected_trips`: the rejections the pipeline counted (by reason in ingestionCounts);
 * - `zones`: the TLC taxi zone lookup.
 *
 * Which record of a tripId counts follows src/process/process-batch.ts: the first valid trip record by
 * stream position; a rejection counts when it is the tripId's first and no valid trip of that tripId
 * came before it (on its shard; a trip on another shard counts as earlier, as the processor has it).
 * Stream position is the sequence number compared as a number: sequence numbers have up to 128 digits,
 * beyond any SQL integer, so they are ordered by (length, text).
 */
import { join } from 'node:path';
import { allZones } from '../../domain/zones';
import { LAKE_COLUMNS, LAKE_PARTITION_KEYS, LAKE_RECORDS_PREFIX, type LakeColumnType } from '../../lake/lake-schema';
import { LAKE_TABLE_NAME } from '../../lake/named-queries';

const DUCKDB_TYPES: Record<LakeColumnType, string> = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT' };

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Trino's functions that the saved Athena queries use, as DuckDB macros: the same SQL text runs on
 * both. `to_unixtime` of a timestamp without zone reads it as UTC, as Athena (session zone UTC) does.
 */
export const TRINO_COMPATIBILITY_SQL = [
  'CREATE OR REPLACE MACRO from_unixtime(seconds) AS to_timestamp(seconds)',
  'CREATE OR REPLACE MACRO to_unixtime(ts) AS epoch(ts)',
  "CREATE OR REPLACE MACRO date_format(ts, format) AS strftime(ts, replace(replace(format, '%i', '%M'), '%s', '%S'))",
];

/** The glob of the lake's Parquet files under a lake root. */
export function lakeFilesGlob(lakeRoot: string): string {
  return join(lakeRoot, LAKE_RECORDS_PREFIX, '*', '*', '*.parquet');
}

/**
 * `records`: the lake as the Glue table shows it, data columns then the partition columns `type` and
 * `pickup_date` (text). Over an empty lake it is an empty table of the same columns.
 */
export function recordsTableSql(lakeRoot: string, hasFiles: boolean): string {
  const columns = [...LAKE_COLUMNS, ...LAKE_PARTITION_KEYS].map((column) => column.name).join(', ');
  if (!hasFiles) {
    const typed = [...LAKE_COLUMNS, ...LAKE_PARTITION_KEYS].map((column) => `CAST(NULL AS ${DUCKDB_TYPES[column.type]}) AS ${column.name}`);
    return `CREATE OR REPLACE VIEW ${LAKE_TABLE_NAME} AS SELECT ${typed.join(', ')} WHERE false`;
  }
  const hiveTypes = LAKE_PARTITION_KEYS.map((key) => `'${key.name}': VARCHAR`).join(', ');
  return (
    `CREATE OR REPLACE VIEW ${LAKE_TABLE_NAME} AS SELECT ${columns} FROM read_parquet(${quote(lakeFilesGlob(lakeRoot))}, ` +
    `hive_partitioning = true, hive_types = {${hiveTypes}}, union_by_name = true)`
  );
}

/** The zone lookup as a table: zone_id, zone, borough (the API's codes), service_zone. */
export function zonesTableSql(): string[] {
  const rows = allZones().map((zone) => `(${zone.id}, ${quote(zone.name)}, ${quote(zone.borough)}, ${quote(zone.serviceZone)})`);
  return [
    'CREATE OR REPLACE TABLE zones (zone_id INTEGER PRIMARY KEY, zone VARCHAR, borough VARCHAR, service_zone VARCHAR)',
    `INSERT INTO zones VALUES ${rows.join(', ')}`,
  ];
}

const LOCAL = (epochMs: string) => `CAST(to_timestamp(${epochMs} / 1000e0) AT TIME ZONE 'America/New_York' AS TIMESTAMP)`;
const INSTANT = (epochMs: string) => `to_timestamp(${epochMs} / 1000e0)`;
const DOLLARS = (cents: string) => `CAST(${cents} AS DECIMAL(18, 0)) * 0.01`;
/** a strictly before b in stream position (both on one shard). */
const BEFORE = (a: string, b: string) =>
  `(length(${a}.sequence_number) < length(${b}.sequence_number) OR ` +
  `(length(${a}.sequence_number) = length(${b}.sequence_number) AND ${a}.sequence_number < ${b}.sequence_number))`;

export const RAW_RECORDS_VIEW_SQL = `CREATE OR REPLACE VIEW raw_records AS
WITH distinct_records AS (
  SELECT DISTINCT * FROM ${LAKE_TABLE_NAME}
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY type, trip_id ORDER BY length(sequence_number), sequence_number) AS rank_in_type
  FROM distinct_records
),
first_trips AS (
  SELECT trip_id, shard_id, sequence_number FROM ranked WHERE type = 'trip' AND rank_in_type = 1
)
SELECT r.type, r.pickup_date, r.shard_id, r.sequence_number, ${INSTANT('r.arrival_ms')} AS arrival_at, r.partition_key,
  CASE
    WHEN r.type = 'poison' THEN 'poison'
    WHEN r.type = 'trip' AND r.rank_in_type = 1 THEN 'accepted'
    WHEN r.type = 'rejection' AND r.rank_in_type = 1
      AND (t.trip_id IS NULL OR (t.shard_id = r.shard_id AND ${BEFORE('r', 't')})) THEN 'rejected'
    ELSE 'duplicate'
  END AS outcome,
  r.trip_id, ${INSTANT('r.submitted_at_ms')} AS submitted_at,
  r.* EXCLUDE (type, pickup_date, shard_id, sequence_number, partition_key, trip_id, rank_in_type)
FROM ranked r
-- On trip_id alone (one first trip per tripId at most), so that DuckDB hashes it instead of looping.
LEFT JOIN first_trips t ON t.trip_id = r.trip_id`;

export const TRIPS_VIEW_SQL = `CREATE OR REPLACE VIEW trips AS
SELECT
  r.trip_id,
  r.vendor_id,
  ${LOCAL('r.pickup_at_ms')} AS pickup_at,
  ${LOCAL('r.dropoff_at_ms')} AS dropoff_at,
  CAST(${LOCAL('r.pickup_at_ms')} AS DATE) AS pickup_date,
  date_trunc('hour', ${LOCAL('r.pickup_at_ms')}) AS pickup_hour,
  hour(${LOCAL('r.pickup_at_ms')}) AS pickup_hour_of_day,
  isodow(${LOCAL('r.pickup_at_ms')}) AS pickup_day_of_week,
  CAST(date_trunc('week', ${LOCAL('r.pickup_at_ms')}) AS DATE) AS pickup_week,
  CAST(date_trunc('month', ${LOCAL('r.pickup_at_ms')}) AS DATE) AS pickup_month,
  r.pickup_zone_id,
  pz.zone AS pickup_zone,
  pz.borough AS pickup_borough,
  r.dropoff_zone_id,
  dz.zone AS dropoff_zone,
  dz.borough AS dropoff_borough,
  r.passenger_count,
  r.rate_code_id,
  r.payment_type,
  CASE r.payment_type WHEN 0 THEN 'FLEX_FARE' WHEN 1 THEN 'CARD' WHEN 2 THEN 'CASH' WHEN 3 THEN 'NO_CHARGE'
    WHEN 4 THEN 'DISPUTE' WHEN 6 THEN 'VOIDED' ELSE 'UNKNOWN' END AS payment_type_name,
  CAST(r.distance_hundredths AS DECIMAL(18, 0)) * 0.01 AS trip_distance_miles,
  ${DOLLARS('r.fare_cents')} AS fare_amount,
  ${DOLLARS('r.tip_cents')} AS tip_amount,
  ${DOLLARS('r.tolls_cents')} AS tolls_amount,
  ${DOLLARS('r.total_cents')} AS total_amount,
  (r.dropoff_at_ms - r.pickup_at_ms) / 60000e0 AS duration_minutes,
  ${INSTANT('r.pickup_at_ms')} AS pickup_instant,
  r.pickup_at_ms, r.dropoff_at_ms, r.distance_hundredths, r.fare_cents, r.tip_cents, r.tolls_cents, r.total_cents,
  r.submitted_at, r.arrival_at, r.shard_id, r.sequence_number
FROM raw_records r
LEFT JOIN zones pz ON pz.zone_id = r.pickup_zone_id
LEFT JOIN zones dz ON dz.zone_id = r.dropoff_zone_id
WHERE r.outcome = 'accepted'`;

export const REJECTED_TRIPS_VIEW_SQL = `CREATE OR REPLACE VIEW rejected_trips AS
SELECT r.trip_id, r.rejection_reason AS reason, r.rejection_field AS field, r.rejection_message AS message,
  CAST(r.submission AS JSON) AS submission, r.submitted_at, r.arrival_at, r.shard_id, r.sequence_number
FROM raw_records r
WHERE r.outcome = 'rejected'`;

/** The statements that set a session up over a lake (after the zones table and the macros). */
export function lakeViewsSql(lakeRoot: string, hasFiles: boolean): string[] {
  return [recordsTableSql(lakeRoot, hasFiles), RAW_RECORDS_VIEW_SQL, TRIPS_VIEW_SQL, REJECTED_TRIPS_VIEW_SQL];
}

/** A TLC file (CSV, CSV.gz or Parquet) as a view, with DuckDB's own reading of its columns. */
export function tlcViewSql(viewName: string, path: string): string {
  const reader = path.toLowerCase().endsWith('.parquet') ? `read_parquet(${quote(path)})` : `read_csv(${quote(path)}, header = true)`;
  return `CREATE OR REPLACE VIEW ${viewName} AS SELECT * FROM ${reader}`;
}
