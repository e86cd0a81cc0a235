/**
 * The lake's saved Athena queries: peakHours, fareTrend, operations and zoneFlows of the insights contract
 * (docs/insights-contract.md) in SQL over the Glue table `records` (src/lake/lake-schema.ts). CDK saves
 * them as named queries of the lake's workgroup; the end-to-end tests run the very same text in DuckDB
 * over the local lake (src/cli/sql/, which defines the three Trino functions they use) and compare the
 * answers with the API's.
 *
 * What makes them exact:
 * - the pipeline counts the first valid record of a tripId by stream position (length of the sequence
 *   number, then its digits), whatever the pickup date of later resubmissions: so the first record of
 *   each tripId of the range is looked up over every trip partition (three columns only);
 * - Firehose delivers at least once: a record may sit in the lake twice, so rows are DISTINCT;
 * - buckets are New York wall-clock hours, dates, ISO weeks and months: the pickup instant is turned into
 *   local wall-clock time before truncating, so both passes of the autumn 01:00 hour are one bucket;
 * - a bucket start is printed with New York's offset at that instant by the 'compatible' rule (the
 *   earlier pass of a repeated hour): -04:00 when the wall clock read as EDT names that very wall clock.
 *
 * Parameters are Athena execution parameters (`?`, in order), each used once, collected in a `params`
 * common table expression. Dates are New York local dates 'YYYY-MM-DD'; the range is [from, to).
 */
import { allZones } from '../domain/zones';

export interface NamedQuery {
  /** Name in the Athena console. */
  readonly name: string;
  readonly description: string;
  /** The execution parameters, in order, as the console and `--execution-parameters` take them. */
  readonly parameters: readonly string[];
  readonly sql: string;
}

/** The Glue table the queries read (created by infra/constructs/data-lake.ts in the lake's database). */
export const LAKE_TABLE_NAME = 'records';

/** Days past the range's end that a WEEK or MONTH bucket starting inside the range may reach. */
const LONGEST_BUCKET_DAYS = 31;

const zoneValues = () => allZones().map((zone) => `(${zone.id}, '${zone.borough}')`);

/** A local wall-clock TIMESTAMP as the API prints a bucket start: ISO-8601 with New York's offset. */
function isoWithOffset(localTimestamp: string): string {
  return (
    `date_format(${localTimestamp}, '%Y-%m-%dT%H:%i:%s') || ` +
    `CASE WHEN CAST(from_unixtime(to_unixtime(${localTimestamp}) + 14400) AT TIME ZONE 'America/New_York' AS TIMESTAMP) = ${localTimestamp} ` +
    `THEN '-04:00' ELSE '-05:00' END`
  );
}

interface CountedTripsShape {
  /** Parameters before the range, e.g. `CAST(? AS VARCHAR) AS granularity,`. */
  readonly leadingParams: string;
  /** Days past the range's end whose pickups are read (buckets that start in the range and run past it). */
  readonly extraDays: number;
  /** Days before the range's start whose pickups are read (drop-offs in the range of rides that began before it). */
  readonly daysBefore?: number;
  /** The date_trunc unit of `bucket_local`. */
  readonly unit: string;
  /** Filter by the trip's pickup zone and borough (zone_id and borough parameters); false: borough is a parameter only. */
  readonly pickupScope?: boolean;
}

/**
 * The CTEs `params` (from the leading parameters) and `trips`: the trips the pipeline counts whose
 * pickup date lies in [range_from - daysBefore, range_to + extraDays), in scope, with `pickup_local`
 * (New York wall clock) and `bucket_local`, truncated to `unit`, and the bucket in the range; `local_trips`
 * holds them before the bucket's range is applied.
 */
function countedTrips({ leadingParams, extraDays, daysBefore = 0, unit, pickupScope = true }: CountedTripsShape): string {
  // Back to DATE before VARCHAR: DuckDB's date +/- interval is a TIMESTAMP, whose text ('2023-02-05 00:00:00')
  // would not compare with the partition's 'YYYY-MM-DD' as a date does (Trino keeps a DATE).
  const scanEnd = extraDays > 0 ? `CAST(CAST(CAST(p.range_to AS DATE) + INTERVAL '${extraDays}' DAY AS DATE) AS VARCHAR)` : 'p.range_to';
  const scanStart =
    daysBefore > 0 ? `CAST(CAST(CAST(p.range_from AS DATE) - INTERVAL '${daysBefore}' DAY AS DATE) AS VARCHAR)` : 'p.range_from';
  const scopeParams = pickupScope
    ? `CAST(? AS INTEGER) AS zone_id,
    CAST(? AS VARCHAR) AS borough`
    : `CAST(? AS VARCHAR) AS borough`;
  const scopeFilter = pickupScope
    ? `
  CROSS JOIN params p
  WHERE t.pickup_zone_id = coalesce(p.zone_id, t.pickup_zone_id) AND z.borough = coalesce(p.borough, z.borough)`
    : '';
  return `WITH params AS (
  SELECT ${leadingParams}
    CAST(? AS VARCHAR) AS range_from,
    CAST(? AS VARCHAR) AS range_to,
    ${scopeParams}
),
-- Firehose delivers at least once: a record may be in the lake twice.
in_range AS (
  SELECT DISTINCT r.shard_id, r.sequence_number, r.trip_id, r.pickup_at_ms, r.dropoff_at_ms, r.pickup_zone_id, r.dropoff_zone_id,
         r.distance_hundredths, r.fare_cents, r.tip_cents, r.total_cents, r.passenger_count, r.payment_type
  FROM ${LAKE_TABLE_NAME} r CROSS JOIN params p
  WHERE r.type = 'trip' AND r.pickup_date >= ${scanStart} AND r.pickup_date < ${scanEnd}
),
-- The pipeline counts the first valid record of a tripId by stream position, whatever the pickup date
-- of a later resubmission: look for it over every trip partition.
first_records AS (
  SELECT shard_id, sequence_number FROM (
    SELECT shard_id, sequence_number,
           row_number() OVER (PARTITION BY trip_id ORDER BY length(sequence_number), sequence_number) AS stream_rank
    FROM ${LAKE_TABLE_NAME}
    WHERE type = 'trip' AND trip_id IN (SELECT trip_id FROM in_range)
  ) ranked
  WHERE stream_rank = 1
),
zones (zone_id, borough) AS (
  VALUES ${zoneValues().join(', ')}
),
local_trips AS (
  SELECT t.*, CAST(from_unixtime(t.pickup_at_ms / 1000e0) AT TIME ZONE 'America/New_York' AS TIMESTAMP) AS pickup_local
  FROM in_range t
  JOIN first_records f ON f.shard_id = t.shard_id AND f.sequence_number = t.sequence_number
  JOIN zones z ON z.zone_id = t.pickup_zone_id${scopeFilter}
),
trips AS (
  SELECT l.*, date_trunc(${unit}, l.pickup_local) AS bucket_local
  FROM local_trips l CROSS JOIN params p
  WHERE date_trunc(${unit}, l.pickup_local) >= CAST(CAST(p.range_from AS DATE) AS TIMESTAMP)
    AND date_trunc(${unit}, l.pickup_local) < CAST(CAST(p.range_to AS DATE) AS TIMESTAMP)
)`;
}

const RANGE_AND_SCOPE_PARAMETERS = [
  "range start, a New York local date: '2023-02-01'",
  "range end (exclusive): '2023-03-01'",
  'pickup zone id (1..265), or NULL',
  "pickup borough code ('MANHATTAN', 'BROOKLYN', 'QUEENS', 'BRONX', 'STATEN_ISLAND', 'EWR', 'UNKNOWN'), or NULL",
];

/** peakHours.top with limit 10: the busiest local hours of the range, ties to the earlier hour. */
export const PEAK_HOURS_QUERY: NamedQuery = {
  name: 'peak-hours',
  description: 'peakHours.top (limit 10): the busiest New York hours of a range, city-wide or in a pickup zone or borough',
  parameters: RANGE_AND_SCOPE_PARAMETERS,
  sql: `${countedTrips({ leadingParams: '', extraDays: 0, unit: "'hour'" })},
hours AS (
  SELECT bucket_local, count(*) AS trips FROM trips GROUP BY bucket_local
)
SELECT ${isoWithOffset('bucket_local')} AS hour_start, trips
FROM hours
ORDER BY trips DESC, bucket_local
LIMIT 10`,
};

/** peakHours.byHourOfDay and totalTrips: trips per local hour of day, all 24, summed over the range's days. */
export const PEAK_HOURS_BY_HOUR_OF_DAY_QUERY: NamedQuery = {
  name: 'peak-hours-by-hour-of-day',
  description: 'peakHours.byHourOfDay and totalTrips: trips per New York hour of day over a range, city-wide or in a zone or borough',
  parameters: RANGE_AND_SCOPE_PARAMETERS,
  sql: `${countedTrips({ leadingParams: '', extraDays: 0, unit: "'hour'" })},
hours_of_day (hour_of_day) AS (
  VALUES ${Array.from({ length: 24 }, (_, hour) => `(${hour})`).join(', ')}
)
SELECT h.hour_of_day, count(t.pickup_local) AS trips, sum(count(t.pickup_local)) OVER () AS total_trips
FROM hours_of_day h LEFT JOIN trips t ON hour(t.pickup_local) = h.hour_of_day
GROUP BY h.hour_of_day
ORDER BY h.hour_of_day`,
};

/** fareTrend: one row per bucket of the granularity that starts in the range and has trips. */
export const FARE_TREND_QUERY: NamedQuery = {
  name: 'fare-trend',
  description: 'fareTrend: fares per New York hour, day, ISO week or month of a range, city-wide or in a pickup zone or borough',
  parameters: ["granularity: 'HOUR', 'DAY', 'WEEK' or 'MONTH'", ...RANGE_AND_SCOPE_PARAMETERS],
  sql: `${countedTrips({ leadingParams: 'CAST(? AS VARCHAR) AS granularity,', extraDays: LONGEST_BUCKET_DAYS, unit: 'lower(p.granularity)' })},
ranked AS (
  SELECT bucket_local, fare_cents, tip_cents, total_cents, distance_hundredths,
         row_number() OVER (PARTITION BY bucket_local ORDER BY fare_cents) AS fare_rank,
         count(*) OVER (PARTITION BY bucket_local) AS bucket_trips
  FROM trips
)
SELECT ${isoWithOffset('bucket_local')} AS start,
       count(*) AS trips,
       CAST(sum(fare_cents) AS DOUBLE) / 100 / count(*) AS average_fare,
       CAST(sum(total_cents) AS DOUBLE) / 100 / count(*) AS average_total,
       CAST(sum(tip_cents) AS DOUBLE) / 100 / count(*) AS average_tip,
       CASE WHEN sum(distance_hundredths) = 0 THEN NULL ELSE CAST(sum(fare_cents) AS DOUBLE) / sum(distance_hundredths) END AS average_fare_per_mile,
       max(CASE WHEN fare_rank = CAST(ceil(0.5 * bucket_trips) AS BIGINT) THEN fare_cents END) / 100e0 AS median_fare,
       max(CASE WHEN fare_rank = CAST(ceil(0.9 * bucket_trips) AS BIGINT) THEN fare_cents END) / 100e0 AS p90_fare
FROM ranked
GROUP BY bucket_local
ORDER BY bucket_local`,
};

/** The TLC payment codes of paymentMix, in the contract's order; UNKNOWN is code 5, a missing code or any other. */
const PAYMENT_MIX = [
  ['flex_fare', 'payment_type = 0'],
  ['card', 'payment_type = 1'],
  ['cash', 'payment_type = 2'],
  ['no_charge', 'payment_type = 3'],
  ['dispute', 'payment_type = 4'],
  ['unknown', 'payment_type IS NULL OR payment_type NOT IN (0, 1, 2, 3, 4, 6)'],
  ['voided', 'payment_type = 6'],
] as const;

/** operations: one row per bucket of the granularity that starts in the range and has trips. */
export const OPERATIONS_QUERY: NamedQuery = {
  name: 'operations',
  description:
    'operations: revenue, durations, speed, passengers, payment mix and card tip rate per New York hour, day, ISO week or month, city-wide or in a pickup zone or borough',
  parameters: ["granularity: 'HOUR', 'DAY', 'WEEK' or 'MONTH'", ...RANGE_AND_SCOPE_PARAMETERS],
  sql: `${countedTrips({ leadingParams: 'CAST(? AS VARCHAR) AS granularity,', extraDays: LONGEST_BUCKET_DAYS, unit: 'lower(p.granularity)' })},
ranked AS (
  SELECT bucket_local, total_cents, fare_cents, tip_cents, distance_hundredths, passenger_count, payment_type,
         dropoff_at_ms - pickup_at_ms AS duration_ms,
         row_number() OVER (PARTITION BY bucket_local ORDER BY dropoff_at_ms - pickup_at_ms) AS duration_rank,
         count(*) OVER (PARTITION BY bucket_local) AS bucket_trips
  FROM trips
)
SELECT ${isoWithOffset('bucket_local')} AS start,
       count(*) AS trips,
       CAST(sum(total_cents) AS DOUBLE) / 100 AS revenue,
       CAST(sum(duration_ms) AS DOUBLE) / 60000 / count(*) AS average_duration_minutes,
       max(CASE WHEN duration_rank = CAST(ceil(0.5 * bucket_trips) AS BIGINT) THEN duration_ms END) / 60000e0 AS median_duration_minutes,
       max(CASE WHEN duration_rank = CAST(ceil(0.9 * bucket_trips) AS BIGINT) THEN duration_ms END) / 60000e0 AS p90_duration_minutes,
       CASE WHEN sum(duration_ms) = 0 THEN NULL
            ELSE (CAST(sum(distance_hundredths) AS DOUBLE) / 100) / (CAST(sum(duration_ms) AS DOUBLE) / 3600000) END AS average_speed_mph,
       CASE WHEN count(passenger_count) = 0 THEN NULL ELSE CAST(sum(passenger_count) AS DOUBLE) / count(passenger_count) END AS average_passengers,
       ${PAYMENT_MIX.map(([name, condition]) => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ${name}_trips`).join(',\n       ')},
       CASE WHEN coalesce(sum(CASE WHEN payment_type = 1 THEN fare_cents END), 0) = 0 THEN NULL
            ELSE CAST(sum(CASE WHEN payment_type = 1 THEN tip_cents END) AS DOUBLE) / sum(CASE WHEN payment_type = 1 THEN fare_cents END) END AS card_tip_rate
FROM ranked
GROUP BY bucket_local
ORDER BY bucket_local`,
};

/** zoneFlows: pickups and drop-offs per zone over the local hours that start in the range (by pickup and by drop-off). */
export const ZONE_FLOWS_QUERY: NamedQuery = {
  name: 'zone-flows',
  description: 'zoneFlows: pickups, drop-offs and their difference per taxi zone over a range of New York dates, optionally in one borough',
  parameters: [
    RANGE_AND_SCOPE_PARAMETERS[0],
    RANGE_AND_SCOPE_PARAMETERS[1],
    "borough code of the zones listed ('MANHATTAN', 'BROOKLYN', ...), or NULL",
  ],
  // A ride lasts at most 24 hours: its drop-off is in the range only if its pickup is at most a day before.
  sql: `${countedTrips({ leadingParams: '', extraDays: 0, daysBefore: 1, unit: "'hour'", pickupScope: false })},
ends AS (
  SELECT pickup_zone_id AS zone_id, 1 AS pickups, 0 AS dropoffs, CAST(pickup_local AS DATE) AS local_date FROM local_trips
  UNION ALL
  SELECT dropoff_zone_id, 0, 1, CAST(CAST(from_unixtime(dropoff_at_ms / 1000e0) AT TIME ZONE 'America/New_York' AS TIMESTAMP) AS DATE)
  FROM local_trips
)
SELECT e.zone_id, z.borough, sum(e.pickups) AS pickups, sum(e.dropoffs) AS dropoffs, sum(e.dropoffs) - sum(e.pickups) AS net
FROM ends e
JOIN zones z ON z.zone_id = e.zone_id
CROSS JOIN params p
WHERE e.local_date >= CAST(p.range_from AS DATE) AND e.local_date < CAST(p.range_to AS DATE) AND z.borough = coalesce(p.borough, z.borough)
GROUP BY e.zone_id, z.borough
ORDER BY e.zone_id`,
};

/** Every saved query of the lake's workgroup. */
export const NAMED_QUERIES: readonly NamedQuery[] = [
  PEAK_HOURS_QUERY,
  PEAK_HOURS_BY_HOUR_OF_DAY_QUERY,
  FARE_TREND_QUERY,
  OPERATIONS_QUERY,
  ZONE_FLOWS_QUERY,
];
