/**
 * End to end on real TLC files: replay them through the running local stack (GraphQL -> Kinesis ->
 * processor -> DynamoDB), then check every field of peakHours and fareTrend against the independent
 * oracle computed from the same raw files: counts exact, money to the cent, quantiles within 1%.
 */
import { join } from 'node:path';
import { replayFiles } from '../../src/cli/replay/replay-files';
import type { LocalStack } from '../../src/local/local-stack';
import { startStackFixture, type StackFixture } from '../support/stack-fixture';
import { FARE_TREND_QUERY, INGESTION_COUNTS_QUERY, PEAK_HOURS_QUERY } from '../../src/cli/api-client/api-queries';
import { graphql, withKey } from '../support/graphql';
import { nyInstant, oracleFareTrend, oraclePeakHours, validTrips, type OracleFareBucket, type OracleTrip } from '../support/oracle';

const DATA = join(__dirname, '..', '..', 'data', 'nyc-tlc');
const FILES = {
  parquet: join(DATA, 'green_tripdata_2023-02.parquet'), // lpep_* header, Parquet
  renamedCsv: join(DATA, 'yellow_tripdata_sample_2019-03.csv'), // pickup_datetime / pickup_location_id header; spring-forward day
  tlcCsv: join(DATA, 'yellow_tripdata_2020-01.csv'), // tpep_* header, CRLF, blank optional fields
};

const BOROUGH_OF_ZONE: Record<number, string> = {};

let fixture: StackFixture;
let stack: LocalStack;
const oracle: Record<keyof typeof FILES, OracleTrip[]> = { parquet: [], renamedCsv: [], tlcCsv: [] };

beforeAll(async () => {
  fixture = await startStackFixture('insights');
  stack = fixture.stack;
  const files = Object.values(FILES);
  const summary = await replayFiles({ files, endpoint: stack.graphqlUrl, headers: withKey(stack.apiKeys.ingest) });
  expect(summary.unreadable).toBe(0);
  // Replaying a file again must change no number.
  await replayFiles({ files: [FILES.tlcCsv], endpoint: stack.graphqlUrl, headers: withKey(stack.apiKeys.ingest) });
  await stack.waitForIdle({ timeoutMs: 600_000 });
  for (const [name, path] of Object.entries(FILES)) oracle[name as keyof typeof FILES] = await validTrips(path);
  const { allZones } = await import('../../src/domain/zones');
  for (const zone of allZones()) BOROUGH_OF_ZONE[zone.id] = zone.borough;
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
  return [...oracle.parquet, ...oracle.renamedCsv, ...oracle.tlcCsv];
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
    expect(response.data?.ingestionCounts.rejectedTrips).toBe(64_809 + 10_000 + 999 - valid);
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
