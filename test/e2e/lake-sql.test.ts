/**
 * The data lake against the live insights: the shipped month replayed through the running stack (with
 * a file replayed twice, resubmissions of a tripId with other content, rejections before and after a
 * valid trip, a poison record), then SQL over the local lake through the sql library must give the API's
 * numbers: peakHours, fareTrend and operations for several ranges and scopes, both from the analysts'
 * `trips` view and from the saved Athena queries run as they are, zoneFlows from its saved query, and
 * ingestionCounts from `raw_records` and `rejected_trips`. And `npm run rebuild` of the lake into a
 * fresh table gives the live table item by item, the poison record and the resubmissions included.
 */
import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { dirname, join } from 'node:path';
import {
  FARE_TREND_QUERY,
  INGEST_TRIPS_MUTATION,
  INGESTION_COUNTS_QUERY,
  OPERATIONS_QUERY,
  PEAK_HOURS_QUERY,
  ZONE_FLOWS_QUERY,
} from '../../src/cli/api-client/api-queries';
import { rebuildTable } from '../../src/cli/rebuild/rebuild-table';
import { prepareTargetTable } from '../../src/cli/rebuild/target-table';
import { replayFiles } from '../../src/cli/replay/replay-files';
import { openLakeSession, type LakeSession, type QueryResult } from '../../src/cli/sql/lake-session';
import { bucketStart, formatNewYork, type Granularity } from '../../src/domain/time';
import * as savedQueries from '../../src/lake/named-queries';
import { emulatorClients } from '../../src/local/emulators/emulator-clients';
import { graphql } from '../support/graphql';
import { PAYMENT_TYPE_NAMES, type OracleFareBucket, type OracleOperationsBucket } from '../support/oracle';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';
import { TLC_DATA_DIR } from '../support/tlc-trips';
import { compareTables } from '../../verify/rebuild/compare-tables';

const MONTH = join(TLC_DATA_DIR, 'green_tripdata_2023-02.parquet');
const SMALL = join(TLC_DATA_DIR, 'yellow_tripdata_2020-01.csv');

let fixture: StackFixture;
let session: LakeSession;

function trip(tripId: string, pickupAt: string, fareAmount: number, pickupZoneId = 74) {
  const dropoff = new Date(Date.parse(`${pickupAt}-05:00`) + 20 * 60_000).toISOString().replace('.000Z', 'Z');
  return {
    tripId,
    pickupAt,
    dropoffAt: dropoff,
    pickupZoneId,
    dropoffZoneId: 75,
    tripDistanceMiles: 3.2,
    fareAmount,
    tipAmount: 2,
    totalAmount: fareAmount + 4,
  };
}

async function ingest(trips: unknown[]): Promise<void> {
  const answer = await graphql(fixture.stack.graphqlUrl, INGEST_TRIPS_MUTATION, { trips }, fixture.ingestKey());
  expect(answer.errors).toBeUndefined();
}

beforeAll(async () => {
  fixture = await startStackFixture('lake-sql');
  const { stack } = fixture;
  const headers = fixture.ingestKey();
  await replayFiles({ files: [MONTH, SMALL], endpoint: stack.graphqlUrl, headers });
  await replayFiles({ files: [SMALL], endpoint: stack.graphqlUrl, headers });
  // A resubmission with other content, and on another day, changes nothing; a rejection counts only
  // before the tripId's first valid trip.
  await ingest([trip('lake-resubmitted', '2023-02-10T09:15:00', 10), trip('lake-valid-then-invalid', '2023-02-11T10:00:00', 20)]);
  await ingest([
    trip('lake-resubmitted', '2023-02-20T18:40:00', 99, 132),
    trip('lake-valid-then-invalid', '2023-02-11T10:00:00', 20, 999),
    trip('lake-invalid-then-valid', '2023-02-12T11:00:00', -1),
  ]);
  await ingest([trip('lake-invalid-then-valid', '2023-02-12T11:00:00', 15)]);
  const clients = emulatorClients(stack.endpoints, 'us-east-1');
  await clients.kinesis.send(
    new PutRecordCommand({ StreamName: stack.streamName, PartitionKey: 'lake-poison', Data: Buffer.from('{"v":1,"type":') }),
  );
  clients.destroy();
  await stack.waitForIdle({ timeoutMs: 600_000 });
  await stack.lake.flush({ timeoutMs: 120_000 });
  session = await openLakeSession({ dataDir: dirname(stack.lake.root) });
}, 900_000);

afterAll(async () => {
  session?.close();
  await fixture?.stop();
});

/** Rows as objects of plain values (bigints as numbers, DuckDB values as their text). */
function objects(result: QueryResult): Array<Record<string, string | number | null>> {
  return result.rows.map((row) =>
    Object.fromEntries(
      result.columns.map((column, index) => {
        const value = row[index];
        return [column, value === null ? null : typeof value === 'bigint' || typeof value === 'number' ? Number(value) : String(value)];
      }),
    ),
  );
}

async function sql(text: string, parameters: Array<string | number | null> = []) {
  return objects(await session.query(text, parameters));
}

async function api<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await graphql<T>(fixture.stack.graphqlUrl, query, variables, fixture.readKey());
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

/** A local bucket key as the API prints its start. */
const startOf = (key: string, granularity: Granularity) => formatNewYork(bucketStart(key, granularity));

interface Scope {
  readonly label: string;
  readonly zoneId: number | null;
  readonly borough: string | null;
}

const RANGES = [
  { label: 'February 2023', from: '2023-02-01', to: '2023-03-01' },
  { label: 'a week of February 2023', from: '2023-02-06', to: '2023-02-13' },
  { label: 'January 2020', from: '2020-01-01', to: '2020-02-01' },
];

let scopes: Scope[] = [];

/** City-wide, the busiest pickup borough and the busiest pickup zone of the lake's trips. */
async function scopesOfLake(): Promise<Scope[]> {
  if (scopes.length > 0) return scopes;
  const [borough] = await sql('SELECT pickup_borough AS b FROM trips GROUP BY ALL ORDER BY count(*) DESC LIMIT 1');
  const [zone] = await sql('SELECT pickup_zone_id AS z FROM trips GROUP BY ALL ORDER BY count(*) DESC LIMIT 1');
  scopes = [
    { label: 'city', zoneId: null, borough: null },
    { label: `borough ${borough.b}`, zoneId: null, borough: String(borough.b) },
    { label: `zone ${zone.z}`, zoneId: Number(zone.z), borough: null },
  ];
  return scopes;
}

const scopeVariables = (scope: Scope) => ({
  ...(scope.zoneId === null ? {} : { zoneId: scope.zoneId }),
  ...(scope.borough === null ? {} : { borough: scope.borough }),
});

const IN_SCOPE =
  'pickup_zone_id = coalesce(CAST(? AS INTEGER), pickup_zone_id) AND pickup_borough = coalesce(CAST(? AS VARCHAR), pickup_borough)';

interface ApiPeakHours {
  peakHours: {
    top: Array<{ hourStart: string; trips: number }>;
    byHourOfDay: Array<{ hourOfDay: number; trips: number }>;
    totalTrips: number;
  };
}

/** A fareTrend bucket as the API answers it (the oracle's shape). */
type ApiFareBucket = OracleFareBucket;

function expectSameBuckets(actual: ApiFareBucket[], expected: ApiFareBucket[]): void {
  expect(actual.map(({ start, trips }) => [start, trips])).toEqual(expected.map(({ start, trips }) => [start, trips]));
  actual.forEach((bucket, index) => {
    const want = expected[index];
    for (const field of ['averageFare', 'averageTotal', 'averageTip'] as const) expect(bucket[field]).toBeCloseTo(want[field], 9);
    if (want.averageFarePerMile === null) expect(bucket.averageFarePerMile).toBeNull();
    else expect(bucket.averageFarePerMile).toBeCloseTo(want.averageFarePerMile, 9);
    // The API's quantiles come from a sketch within 1% of the exact nearest-rank values SQL computes.
    for (const field of ['medianFare', 'p90Fare'] as const) {
      if (want[field] === 0) expect(bucket[field]).toBe(0);
      else expect(Math.abs(bucket[field] - want[field]) / want[field]).toBeLessThanOrEqual(0.01);
    }
  });
}

/** A row of the saved operations query as the API's bucket. */
function operationsOfRow(row: Record<string, string | number | null>): OracleOperationsBucket {
  const orNull = (value: string | number | null) => (value === null ? null : Number(value));
  return {
    start: String(row.start),
    trips: Number(row.trips),
    revenue: Number(row.revenue),
    averageDurationMinutes: Number(row.average_duration_minutes),
    medianDurationMinutes: Number(row.median_duration_minutes),
    p90DurationMinutes: Number(row.p90_duration_minutes),
    averageSpeedMph: orNull(row.average_speed_mph),
    averagePassengers: orNull(row.average_passengers),
    paymentMix: PAYMENT_TYPE_NAMES.map((paymentType) => ({ paymentType, trips: Number(row[`${paymentType.toLowerCase()}_trips`]) })),
    cardTipRate: orNull(row.card_tip_rate),
  };
}

function expectSameOperations(actual: OracleOperationsBucket[], expected: OracleOperationsBucket[]): void {
  expect(actual.map(({ start, trips, paymentMix }) => [start, trips, paymentMix])).toEqual(
    expected.map(({ start, trips, paymentMix }) => [start, trips, paymentMix]),
  );
  actual.forEach((bucket, index) => {
    const want = expected[index];
    expect(bucket.revenue).toBeCloseTo(want.revenue, 6);
    expect(bucket.averageDurationMinutes).toBeCloseTo(want.averageDurationMinutes, 9);
    for (const field of ['averageSpeedMph', 'averagePassengers', 'cardTipRate'] as const) {
      if (want[field] === null) expect(bucket[field]).toBeNull();
      else expect(bucket[field]).toBeCloseTo(want[field], 9);
    }
    // The API's duration quantiles come from a sketch within 1% of the exact nearest-rank values.
    for (const field of ['medianDurationMinutes', 'p90DurationMinutes'] as const) {
      if (want[field] === 0) expect(bucket[field]).toBe(0);
      else expect(Math.abs(bucket[field] - want[field]) / want[field]).toBeLessThanOrEqual(0.01);
    }
  });
}

describe('SQL over the local lake', () => {
  it('counts what the pipeline took in as ingestionCounts does: accepted, duplicates, rejected by reason, poison', async () => {
    const { ingestionCounts } = await api<{
      ingestionCounts: {
        acceptedTrips: number;
        duplicateTrips: number;
        rejectedTrips: number;
        poisonRecords: number;
        rejectedByReason: Array<{ reason: string; trips: number }>;
      };
    }>(INGESTION_COUNTS_QUERY, {});
    const outcomes = Object.fromEntries(
      (await sql('SELECT outcome, count(*) AS n FROM raw_records GROUP BY ALL')).map((row) => [row.outcome, row.n]),
    );
    expect(outcomes).toEqual({
      accepted: ingestionCounts.acceptedTrips,
      duplicate: ingestionCounts.duplicateTrips,
      rejected: ingestionCounts.rejectedTrips,
      poison: ingestionCounts.poisonRecords,
    });
    expect((await sql('SELECT count(*) AS n FROM trips'))[0].n).toBe(ingestionCounts.acceptedTrips);
    const byReason = await sql('SELECT reason, count(*) AS n FROM rejected_trips GROUP BY ALL');
    expect(Object.fromEntries(byReason.map((row) => [row.reason, row.n]))).toEqual(
      Object.fromEntries(ingestionCounts.rejectedByReason.filter((entry) => entry.trips > 0).map((entry) => [entry.reason, entry.trips])),
    );
    // The cases built on purpose: the second replay, the resubmission, the late rejection, the poison.
    expect(ingestionCounts.duplicateTrips).toBeGreaterThanOrEqual(999 + 2);
    expect(ingestionCounts.poisonRecords).toBe(1);
    expect(await sql("SELECT trip_id, pickup_zone_id, fare_amount FROM trips WHERE trip_id LIKE 'lake-%' ORDER BY trip_id")).toEqual([
      { trip_id: 'lake-invalid-then-valid', pickup_zone_id: 74, fare_amount: '15.00' },
      { trip_id: 'lake-resubmitted', pickup_zone_id: 74, fare_amount: '10.00' },
      { trip_id: 'lake-valid-then-invalid', pickup_zone_id: 74, fare_amount: '20.00' },
    ]);
    expect(await sql("SELECT trip_id FROM rejected_trips WHERE trip_id LIKE 'lake-%'")).toEqual([{ trip_id: 'lake-invalid-then-valid' }]);
  });

  describe.each(RANGES)('over $label', ({ from, to }) => {
    it('answers peakHours like the API, from the trips view and from the saved Athena queries, in every scope', async () => {
      for (const scope of await scopesOfLake()) {
        const { peakHours } = await api<ApiPeakHours>(PEAK_HOURS_QUERY, { range: { from, to }, limit: 10, ...scopeVariables(scope) });
        const parameters = [from, to, scope.zoneId, scope.borough];

        const top = await sql(
          `SELECT strftime(pickup_hour, '%Y-%m-%dT%H') AS hour_key, count(*) AS trips FROM trips
           WHERE pickup_date >= CAST(? AS DATE) AND pickup_date < CAST(? AS DATE) AND ${IN_SCOPE}
           GROUP BY ALL ORDER BY trips DESC, hour_key LIMIT 10`,
          parameters,
        );
        expect(top.map((row) => ({ hourStart: startOf(String(row.hour_key), 'HOUR'), trips: row.trips }))).toEqual(peakHours.top);
        const byHour = await sql(
          `SELECT pickup_hour_of_day AS hour_of_day, count(*) AS trips FROM trips
           WHERE pickup_date >= CAST(? AS DATE) AND pickup_date < CAST(? AS DATE) AND ${IN_SCOPE} GROUP BY ALL`,
          parameters,
        );
        const tripsAt = (hour: number) => Number(byHour.find((row) => row.hour_of_day === hour)?.trips ?? 0);
        expect(peakHours.byHourOfDay.map(({ hourOfDay }) => ({ hourOfDay, trips: tripsAt(hourOfDay) }))).toEqual(peakHours.byHourOfDay);
        expect(byHour.reduce((sum, row) => sum + Number(row.trips), 0)).toBe(peakHours.totalTrips);

        const saved = await sql(savedQueries.PEAK_HOURS_QUERY.sql, parameters);
        expect(saved.map((row) => ({ hourStart: row.hour_start, trips: row.trips }))).toEqual(peakHours.top);
        const savedByHour = await sql(savedQueries.PEAK_HOURS_BY_HOUR_OF_DAY_QUERY.sql, parameters);
        expect(savedByHour.map((row) => ({ hourOfDay: row.hour_of_day, trips: row.trips }))).toEqual(peakHours.byHourOfDay);
        expect(savedByHour[0].total_trips).toBe(peakHours.totalTrips);
      }
    });

    it.each(['HOUR', 'DAY', 'WEEK', 'MONTH'] as const)(
      'answers fareTrend(%s) like the API, from the trips view and the saved query, in every scope',
      async (granularity) => {
        const bucket = {
          HOUR: "strftime(pickup_hour, '%Y-%m-%dT%H')",
          DAY: "strftime(pickup_date, '%Y-%m-%d')",
          WEEK: "strftime(pickup_week, '%Y-%m-%d')",
          MONTH: "strftime(pickup_month, '%Y-%m')",
        }[granularity];
        const bucketDate = { HOUR: 'pickup_date', DAY: 'pickup_date', WEEK: 'pickup_week', MONTH: 'pickup_month' }[granularity];
        for (const scope of await scopesOfLake()) {
          const { fareTrend } = await api<{ fareTrend: { buckets: ApiFareBucket[] } }>(FARE_TREND_QUERY, {
            range: { from, to },
            granularity,
            ...scopeVariables(scope),
          });
          // No month starts inside the week: there, an empty answer is the right one.
          if (granularity !== 'MONTH' || from.endsWith('-01')) expect(fareTrend.buckets.length).toBeGreaterThan(0);

          const rows = await sql(
            `SELECT ${bucket} AS bucket_key, count(*) AS trips, sum(fare_cents) AS fare, sum(total_cents) AS total, sum(tip_cents) AS tip,
             sum(distance_hundredths) AS distance,
             list_sort(list(fare_cents))[CAST(ceil(0.5 * count(*)) AS BIGINT)] AS median,
             list_sort(list(fare_cents))[CAST(ceil(0.9 * count(*)) AS BIGINT)] AS p90
           FROM trips WHERE ${bucketDate} >= CAST(? AS DATE) AND ${bucketDate} < CAST(? AS DATE) AND ${IN_SCOPE}
           GROUP BY ALL ORDER BY bucket_key`,
            [from, to, scope.zoneId, scope.borough],
          );
          const fromTrips = rows.map((row) => {
            const trips = Number(row.trips);
            return {
              start: startOf(String(row.bucket_key), granularity),
              trips,
              averageFare: Number(row.fare) / 100 / trips,
              averageTotal: Number(row.total) / 100 / trips,
              averageTip: Number(row.tip) / 100 / trips,
              averageFarePerMile: Number(row.distance) === 0 ? null : Number(row.fare) / Number(row.distance),
              medianFare: Number(row.median) / 100,
              p90Fare: Number(row.p90) / 100,
            };
          });
          expectSameBuckets(fareTrend.buckets, fromTrips);

          const saved = await sql(savedQueries.FARE_TREND_QUERY.sql, [granularity, from, to, scope.zoneId, scope.borough]);
          expectSameBuckets(
            fareTrend.buckets,
            saved.map((row) => ({
              start: String(row.start),
              trips: Number(row.trips),
              averageFare: Number(row.average_fare),
              averageTotal: Number(row.average_total),
              averageTip: Number(row.average_tip),
              averageFarePerMile: row.average_fare_per_mile === null ? null : Number(row.average_fare_per_mile),
              medianFare: Number(row.median_fare),
              p90Fare: Number(row.p90_fare),
            })),
          );
        }
      },
    );

    it.each(['HOUR', 'DAY', 'WEEK', 'MONTH'] as const)(
      'answers operations(%s) like the API, from the trips view and the saved query, in every scope',
      async (granularity) => {
        const bucketDate = { HOUR: 'pickup_date', DAY: 'pickup_date', WEEK: 'pickup_week', MONTH: 'pickup_month' }[granularity];
        const bucket = { HOUR: 'pickup_hour', DAY: 'pickup_date', WEEK: 'pickup_week', MONTH: 'pickup_month' }[granularity];
        const keyFormat = { HOUR: '%Y-%m-%dT%H', DAY: '%Y-%m-%d', WEEK: '%Y-%m-%d', MONTH: '%Y-%m' }[granularity];
        for (const scope of await scopesOfLake()) {
          const { operations } = await api<{ operations: { buckets: OracleOperationsBucket[] } }>(OPERATIONS_QUERY, {
            range: { from, to },
            granularity,
            ...scopeVariables(scope),
          });
          if (granularity !== 'MONTH' || from.endsWith('-01')) expect(operations.buckets.length).toBeGreaterThan(0);

          // An analyst's query over the trips view, written from the contract
          const rows = await sql(
            `SELECT strftime(${bucket}, '${keyFormat}') AS bucket_key, count(*) AS trips, sum(total_cents) / 100e0 AS revenue,
               avg(duration_minutes) AS average_duration_minutes,
               list_sort(list(dropoff_at_ms - pickup_at_ms))[CAST(ceil(0.5 * count(*)) AS BIGINT)] / 60000e0 AS median_duration_minutes,
               list_sort(list(dropoff_at_ms - pickup_at_ms))[CAST(ceil(0.9 * count(*)) AS BIGINT)] / 60000e0 AS p90_duration_minutes,
               CASE WHEN sum(dropoff_at_ms - pickup_at_ms) = 0 THEN NULL
                    ELSE (sum(distance_hundredths) / 100e0) / (sum(dropoff_at_ms - pickup_at_ms) / 3600000e0) END AS average_speed_mph,
               avg(passenger_count) AS average_passengers,
               count(*) FILTER (WHERE payment_type_name = 'FLEX_FARE') AS flex_fare_trips,
               count(*) FILTER (WHERE payment_type_name = 'CARD') AS card_trips,
               count(*) FILTER (WHERE payment_type_name = 'CASH') AS cash_trips,
               count(*) FILTER (WHERE payment_type_name = 'NO_CHARGE') AS no_charge_trips,
               count(*) FILTER (WHERE payment_type_name = 'DISPUTE') AS dispute_trips,
               count(*) FILTER (WHERE payment_type_name = 'UNKNOWN') AS unknown_trips,
               count(*) FILTER (WHERE payment_type_name = 'VOIDED') AS voided_trips,
               CASE WHEN coalesce(sum(fare_cents) FILTER (WHERE payment_type_name = 'CARD'), 0) = 0 THEN NULL
                    ELSE sum(tip_cents) FILTER (WHERE payment_type_name = 'CARD') / sum(fare_cents) FILTER (WHERE payment_type_name = 'CARD') END AS card_tip_rate
             FROM trips WHERE ${bucketDate} >= CAST(? AS DATE) AND ${bucketDate} < CAST(? AS DATE) AND ${IN_SCOPE}
             GROUP BY ALL ORDER BY bucket_key`,
            [from, to, scope.zoneId, scope.borough],
          );
          expectSameOperations(
            operations.buckets,
            rows.map((row) => operationsOfRow({ ...row, start: startOf(String(row.bucket_key), granularity) })),
          );

          const saved = await sql(savedQueries.OPERATIONS_QUERY.sql, [granularity, from, to, scope.zoneId, scope.borough]);
          expectSameOperations(operations.buckets, saved.map(operationsOfRow));
        }
      },
    );

    it('answers zoneFlows like the API from the saved query, city-wide and in the busiest borough', async () => {
      const [busiest] = await sql('SELECT pickup_borough AS b FROM trips GROUP BY ALL ORDER BY count(*) DESC LIMIT 1');
      for (const borough of [null, String(busiest.b)]) {
        const { zoneFlows } = await api<{
          zoneFlows: { zones: Array<{ zoneId: number; borough: string; pickups: number; dropoffs: number; net: number }> };
        }>(ZONE_FLOWS_QUERY, { range: { from, to }, ...(borough === null ? {} : { borough }) });
        expect(zoneFlows.zones.length).toBeGreaterThan(0);
        const saved = await sql(savedQueries.ZONE_FLOWS_QUERY.sql, [from, to, borough]);
        expect(
          saved.map((row) => ({ zoneId: row.zone_id, borough: row.borough, pickups: row.pickups, dropoffs: row.dropoffs, net: row.net })),
        ).toEqual(
          zoneFlows.zones.map(({ zoneId, borough: zoneBorough, pickups, dropoffs, net }) => ({
            zoneId,
            borough: zoneBorough,
            pickups,
            dropoffs,
            net,
          })),
        );
      }
    });
  });
});

describe('npm run rebuild over the same lake', () => {
  it('rebuilds a fresh table equal to the live one item by item: figures, ledger, counters, the poison record', async () => {
    // Prepare
    const clients = emulatorClients(fixture.stack.endpoints, 'us-east-1');
    try {
      await prepareTargetTable(clients.dynamodb, 'lake-sql-rebuilt', { create: true, force: false });

      // Act
      const summary = await rebuildTable({
        lakeRoot: fixture.stack.lake.root,
        client: clients.documents,
        tableName: 'lake-sql-rebuilt',
        ledger: true,
        marks: 'same-stream',
      });

      // Assess
      const comparison = await compareTables(clients.documents, fixture.stack.tableName, 'lake-sql-rebuilt');
      expect(comparison.differences).toEqual([]);
      expect(summary).toMatchObject({ poison: 1 });
      expect(summary.duplicates).toBeGreaterThanOrEqual(999 + 2);
      expect(comparison.kinds).toMatchObject({ POISON: 1, TRIP: summary.acceptedTrips, STATS: 2 });
      // Each aggregate item once: a put per item, 25 a call.
      expect(summary.aggregates.items).toBe(summary.items['pickup aggregate'] + summary.items.flow + summary.items.counters + 1);
    } finally {
      clients.destroy();
    }
  }, 300_000);
});
