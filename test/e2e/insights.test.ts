/**
 * End to end on real TLC files: replay them through the running local stack (GraphQL -> Kinesis ->
 * processor -> DynamoDB), then check every field of peakHours, fareTrend, operations and zoneFlows
 * against the independent oracle computed from the same raw files: counts exact, money to the cent,
 * averages and ratios to 1e-9, quantiles within 1%. What no shipped file holds (payment codes 0, 6 and
 * others, a time in the spring-forward gap) comes from trips submitted through ingestTrips, which the
 * oracle reads back from the same trips written as a TLC file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayFiles } from '../../src/cli/replay/replay-files';
import type { LocalStack } from '../../src/local/local-stack';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';
import {
  FARE_TREND_QUERY,
  HOUR_OF_WEEK_QUERY,
  INGEST_TRIPS_MUTATION,
  INGESTION_COUNTS_QUERY,
  OPERATIONS_QUERY,
  PEAK_HOURS_QUERY,
  ZONE_FLOWS_QUERY,
} from '../../src/cli/api-client/api-queries';
import { graphql, withKey } from '../support/graphql';
import {
  byHourOfWeekDifferences,
  findEdgeCases,
  nyInstant,
  operationsDifferences,
  oracleByHourOfWeek,
  oracleFareTrend,
  oracleOperations,
  oraclePeakHours,
  oracleZoneFlows,
  validTrips,
  zoneFlowsDifferences,
  zonesOfLookup,
  type OracleFareBucket,
  type OracleHourOfWeek,
  type OracleOperationsBucket,
  type OracleTrip,
  type OracleZoneFlows,
} from '../support/oracle';
import { SUBMITTED_TRIPS, tripInputsOf, writeAsTlcCsv } from '../support/submitted-trips';

const DATA = join(__dirname, '..', '..', 'data', 'nyc-tlc');
const FILES = {
  parquet: join(DATA, 'green_tripdata_2023-02.parquet'), // lpep_* header, Parquet
  renamedCsv: join(DATA, 'yellow_tripdata_sample_2019-03.csv'), // pickup_datetime / pickup_location_id header; spring-forward day
  tlcCsv: join(DATA, 'yellow_tripdata_2020-01.csv'), // tpep_* header, CRLF, blank optional fields
  fallBackCsv: join(DATA, 'yellow_tripdata_sample_2019-11.csv'), // renamed header; fall-back day with the repeated 01:00 hour
};
const FILE_ROWS = 64_809 + 10_000 + 999 + 10_000;

const ZONES = zonesOfLookup();
const BOROUGH_OF_ZONE: Record<number, string> = Object.fromEntries([...ZONES].map(([id, zone]) => [id, zone.borough]));

let fixture: StackFixture;
let stack: LocalStack;
const oracle: Record<keyof typeof FILES | 'submitted', OracleTrip[]> = {
  parquet: [],
  renamedCsv: [],
  tlcCsv: [],
  fallBackCsv: [],
  submitted: [],
};

beforeAll(async () => {
  fixture = await startStackFixture('insights');
  stack = fixture.stack;
  const files = Object.values(FILES);
  const summary = await replayFiles({ files, endpoint: stack.graphqlUrl, headers: withKey(stack.apiKeys.ingest) });
  expect(summary.unreadable).toBe(0);
  // Replaying a file again must change no number.
  await replayFiles({ files: [FILES.tlcCsv], endpoint: stack.graphqlUrl, headers: withKey(stack.apiKeys.ingest) });
  const submitted = await graphql<{ ingestTrips: { accepted: number } }>(
    stack.graphqlUrl,
    INGEST_TRIPS_MUTATION,
    { trips: tripInputsOf(SUBMITTED_TRIPS) },
    withKey(stack.apiKeys.ingest),
  );
  expect(submitted.data?.ingestTrips.accepted).toBe(SUBMITTED_TRIPS.length);
  await stack.waitForIdle({ timeoutMs: 600_000 });
  for (const [name, path] of Object.entries(FILES)) oracle[name as keyof typeof FILES] = await validTrips(path);
  const directory = mkdtempSync(join(tmpdir(), 'taxi-pulse-submitted-'));
  try {
    oracle.submitted = await validTrips(writeAsTlcCsv(SUBMITTED_TRIPS, directory));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}, 900_000);

afterAll(async () => {
  await fixture?.stop();
});

type Scope = { label: string; variables: Record<string, unknown>; filter: (trip: OracleTrip) => boolean };

/** City-wide, the busiest pickup borough and the busiest pickup zone of the trips. */
function scopesOf(trips: OracleTrip[]): Scope[] {
  const busiest = (key: (trip: OracleTrip) => string | number) => {
    const counts = new Map<string | number, number>();
    for (const trip of trips) counts.set(key(trip), (counts.get(key(trip)) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0][0];
  };
  const borough = busiest((trip) => BOROUGH_OF_ZONE[trip.pickupZoneId]) as string;
  const zoneId = busiest((trip) => trip.pickupZoneId) as number;
  return [
    { label: 'city', variables: {}, filter: () => true },
    { label: `borough ${borough}`, variables: { borough }, filter: (trip) => BOROUGH_OF_ZONE[trip.pickupZoneId] === borough },
    { label: `zone ${zoneId}`, variables: { zoneId }, filter: (trip) => trip.pickupZoneId === zoneId },
  ];
}

function allTrips(): OracleTrip[] {
  return Object.values(oracle).flat();
}

async function query<T>(document: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graphql<T>(stack.graphqlUrl, document, variables, withKey(stack.apiKeys.read));
  expect(response.errors).toBeUndefined();
  return response.data!;
}

function expectSameBuckets(actual: OracleFareBucket[], expected: OracleFareBucket[]) {
  expect(actual.map((bucket) => [bucket.start, bucket.trips])).toEqual(expected.map((bucket) => [bucket.start, bucket.trips]));
  actual.forEach((bucket, index) => {
    const want = expected[index];
    // Money to the cent (sums are exact integers of cents on both sides: the averages agree to float noise).
    expect(Math.abs(bucket.averageFare - want.averageFare)).toBeLessThan(1e-9);
    expect(Math.abs(bucket.averageTotal - want.averageTotal)).toBeLessThan(1e-9);
    expect(Math.abs(bucket.averageTip - want.averageTip)).toBeLessThan(1e-9);
    if (want.averageFarePerMile === null) expect(bucket.averageFarePerMile).toBeNull();
    else expect(Math.abs(bucket.averageFarePerMile! - want.averageFarePerMile) / want.averageFarePerMile).toBeLessThan(1e-9);
    for (const quantile of ['medianFare', 'p90Fare'] as const) {
      const exact = want[quantile];
      if (exact === 0) expect(bucket[quantile]).toBe(0);
      else expect(Math.abs(bucket[quantile] - exact) / exact).toBeLessThanOrEqual(0.01);
    }
  });
}

/** A test's range bound: with an offset as written, without one as New York local time. */
function instantOf(text: string): number {
  return text.length > 19 ? Date.parse(text) : nyInstant(text.split(/[-T:]/).map(Number));
}

const MONTHS = [
  { label: 'February 2023 (Parquet)', from: '2023-02-01T00:00:00', to: '2023-03-01T00:00:00', trips: () => oracle.parquet },
  {
    label: 'March 2019 (renamed CSV, spring forward)',
    from: '2019-03-01T00:00:00',
    to: '2019-04-01T00:00:00',
    trips: () => oracle.renamedCsv,
  },
  { label: 'January 2020 (TLC CSV)', from: '2020-01-01T00:00:00-05:00', to: '2020-02-01T00:00:00-05:00', trips: () => oracle.tlcCsv },
  {
    label: 'November 2019 (renamed CSV, fall back)',
    from: '2019-11-01T00:00:00',
    to: '2019-12-01T00:00:00',
    trips: () => oracle.fallBackCsv,
  },
  {
    label: 'March 2022 (submitted: spring-forward gap, codes 0, 6, 7)',
    from: '2022-03-01T00:00:00',
    to: '2022-04-01T00:00:00',
    trips: () => oracle.submitted,
  },
  {
    label: 'November 2022 (submitted: fall back, codes 0..6, -1, into December)',
    from: '2022-11-01T00:00:00',
    to: '2022-12-01T00:00:00',
    trips: () => oracle.submitted,
  },
];

describe('the pipeline on real TLC files', () => {
  it('counts every valid trip once and every rejected one by reason, after a file was replayed twice', async () => {
    const response = await graphql<{
      ingestionCounts: { acceptedTrips: number; rejectedTrips: number; duplicateTrips: number; poisonRecords: number };
    }>(stack.graphqlUrl, INGESTION_COUNTS_QUERY, undefined, withKey(stack.apiKeys.read));
    const valid = allTrips().length;
    expect(response.data?.ingestionCounts.acceptedTrips).toBe(valid);
    // The second replay of the 999-row file: each of its rows repeats a counted tripId (accepted or rejected).
    expect(response.data?.ingestionCounts.duplicateTrips).toBe(999);
    expect(response.data?.ingestionCounts.poisonRecords).toBe(0);
    expect(response.data?.ingestionCounts.rejectedTrips).toBe(FILE_ROWS + SUBMITTED_TRIPS.length - valid);
  });

  it('replayed data that holds every edge case of the operations insight', () => {
    const found = new Map(findEdgeCases(allTrips()).map((edge) => [edge.name, edge.count]));
    const covered = [
      'spring-forward day',
      'fall-back day',
      'in the spring-forward gap',
      'in the repeated fall-back hour',
      'across a DST change',
      'drop-off in a later hour',
      'drop-off on a later day',
      'drop-off in a later month',
      'missing payment code',
      'unusual payment code',
      'missing passenger count',
      'zero passengers',
      'zero duration',
    ];
    expect(covered.filter((name) => !((found.get(name) ?? 0) > 0))).toEqual([]);
    // Payment codes no shipped file holds: FLEX_FARE (0), VOIDED (6) and codes outside 0..6.
    const codes = new Set(allTrips().map((trip) => trip.paymentType));
    expect([0, 6, 7, -1].filter((code) => !codes.has(code))).toEqual([]);
  });

  describe.each(MONTHS)('$label', ({ from, to, trips }) => {
    const start = instantOf(from);
    const toMs = instantOf(to);

    it('answers peakHours like the oracle, city-wide, for a borough and for a zone', async () => {
      const range = { from, to };
      for (const scope of scopesOf(trips())) {
        const response = await graphql<{ peakHours: unknown }>(
          stack.graphqlUrl,
          PEAK_HOURS_QUERY,
          { range, limit: 15, ...scope.variables },
          withKey(stack.apiKeys.read),
        );
        expect(response.errors).toBeUndefined();
        // Every trip of every file is in the table: the oracle sees them all, filtered by range and scope.
        expect(response.data?.peakHours).toEqual(oraclePeakHours(allTrips().filter(scope.filter), start, toMs, 15));
      }
    });

    it('answers peakHours.byHourOfWeek like the oracle, city-wide, for a borough and for a zone', async () => {
      for (const scope of scopesOf(trips())) {
        const answer = await query<{ peakHours: { byHourOfWeek: OracleHourOfWeek[] } }>(HOUR_OF_WEEK_QUERY, {
          range: { from, to },
          ...scope.variables,
        });
        const expected = oracleByHourOfWeek(allTrips().filter(scope.filter), start, toMs);
        expect([scope.label, byHourOfWeekDifferences(answer.peakHours.byHourOfWeek, expected)]).toEqual([scope.label, []]);
      }
    });

    it.each(['HOUR', 'DAY', 'WEEK', 'MONTH'] as const)(
      'answers operations(%s) like the oracle, city-wide, for a borough and for a zone',
      async (granularity) => {
        for (const scope of scopesOf(trips())) {
          const answer = await query<{ operations: { granularity: string; buckets: OracleOperationsBucket[] } }>(OPERATIONS_QUERY, {
            range: { from, to },
            granularity,
            ...scope.variables,
          });
          expect(answer.operations.granularity).toBe(granularity);
          const expected = oracleOperations(allTrips().filter(scope.filter), granularity, start, toMs);
          expect(expected.length).toBeGreaterThan(0);
          expect([scope.label, operationsDifferences(answer.operations.buckets, expected)]).toEqual([scope.label, []]);
        }
      },
    );

    it('answers zoneFlows like the oracle, city-wide and for the busiest pickup borough', async () => {
      const [, borough] = scopesOf(trips());
      for (const variables of [{}, borough.variables]) {
        const answer = await query<{ zoneFlows: OracleZoneFlows }>(ZONE_FLOWS_QUERY, { range: { from, to }, ...variables });
        const expected = oracleZoneFlows(allTrips(), start, toMs, ZONES, (variables as { borough?: string }).borough);
        expect(expected.totalDropoffs).toBeGreaterThan(0);
        expect([variables, zoneFlowsDifferences(answer.zoneFlows, expected)]).toEqual([variables, []]);
      }
    });

    it.each(['HOUR', 'DAY', 'WEEK', 'MONTH'] as const)(
      'answers fareTrend(%s) like the oracle, city-wide, for a borough and for a zone',
      async (granularity) => {
        const range = { from, to };
        for (const scope of scopesOf(trips())) {
          const response = await graphql<{ fareTrend: { granularity: string; buckets: OracleFareBucket[] } }>(
            stack.graphqlUrl,
            FARE_TREND_QUERY,
            { range, granularity, ...scope.variables },
            withKey(stack.apiKeys.read),
          );
          expect(response.errors).toBeUndefined();
          expect(response.data?.fareTrend.granularity).toBe(granularity);
          const expected = oracleFareTrend(allTrips().filter(scope.filter), granularity, start, toMs);
          expect(expected.length).toBeGreaterThan(0);
          expectSameBuckets(response.data!.fareTrend.buckets, expected);
        }
      },
    );
  });
});

/**
 * Ranges cut where the edge cases are: DST days (hour by hour, with the fall-back 01:00 hour holding
 * both passes), partial first and last days (zoneFlows reads their hours), and month ends where trips
 * are dropped off in the next month (counted there by zoneFlows, in their pickup month by operations).
 */
const EDGE_RANGES = [
  { label: 'the fall-back day 2019-11-03', from: '2019-11-03T00:00:00-04:00', to: '2019-11-04T00:00:00-05:00' },
  { label: 'the spring-forward day 2019-03-10', from: '2019-03-10T00:00:00-05:00', to: '2019-03-11T00:00:00-04:00' },
  { label: 'from the second pass of 01:00 to a mid-day', from: '2019-11-03T01:30:00-05:00', to: '2019-11-05T13:00:00-05:00' },
  { label: 'across the end of January 2023', from: '2023-01-31T23:00:00-05:00', to: '2023-02-01T02:00:00-05:00' },
  { label: 'across the end of January 2020', from: '2020-01-31T22:00:00-05:00', to: '2020-02-01T01:00:00-05:00' },
  { label: 'the last day of February 2023 and the next', from: '2023-02-28T00:00:00-05:00', to: '2023-03-02T00:00:00-05:00' },
  { label: 'the submitted fall-back day', from: '2022-11-06T00:00:00-04:00', to: '2022-11-07T00:00:00-05:00' },
  { label: 'the submitted spring-forward day', from: '2022-03-13T00:00:00-05:00', to: '2022-03-14T00:00:00-04:00' },
];

describe.each(EDGE_RANGES)('$label', ({ from, to }) => {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);

  it('answers operations by hour and by day like the oracle, city-wide', async () => {
    for (const granularity of ['HOUR', 'DAY'] as const) {
      const answer = await query<{ operations: { buckets: OracleOperationsBucket[] } }>(OPERATIONS_QUERY, {
        range: { from, to },
        granularity,
      });
      const expected = oracleOperations(allTrips(), granularity, fromMs, toMs);
      // A range of a few hours may hold no day's start; every range here holds hours with trips.
      if (granularity === 'HOUR') expect(expected.length).toBeGreaterThan(0);
      expect([granularity, operationsDifferences(answer.operations.buckets, expected)]).toEqual([granularity, []]);
    }
  });

  it('answers zoneFlows like the oracle, city-wide', async () => {
    const answer = await query<{ zoneFlows: OracleZoneFlows }>(ZONE_FLOWS_QUERY, { range: { from, to } });
    const expected = oracleZoneFlows(allTrips(), fromMs, toMs, ZONES);
    expect(expected.totalPickups + expected.totalDropoffs).toBeGreaterThan(0);
    expect(zoneFlowsDifferences(answer.zoneFlows, expected)).toEqual([]);
  });
});
