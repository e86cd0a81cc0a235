/**
 * What `npm run chaos` compares: for each month the files are about, peakHours (with its week shape),
 * fareTrend and operations (HOUR, DAY, WEEK, MONTH) city-wide, for every borough with trips and for the
 * busiest zones, zoneFlows city-wide and for every borough, and the accepted-trip count, each against
 * the oracle computed from the raw files (oracle/, independent of src/). The API is asked exactly what
 * an analyst would ask.
 */
import {
  byHourOfWeekDifferences,
  fareTrendDifferences,
  operationsDifferences,
  peakHoursDifferences,
  zoneFlowsDifferences,
} from '../oracle/compare-answers';
import {
  oracleByHourOfWeek,
  oracleOperations,
  oracleZoneFlows,
  type OracleHourOfWeek,
  type OracleOperationsBucket,
  type OracleZoneFlows,
} from '../oracle/operations-oracle';
import {
  nyInstant,
  oracleFareTrend,
  oraclePeakHours,
  validTrips,
  type OracleFareBucket,
  type OraclePeakHours,
  type OracleTrip,
} from '../oracle/tlc-oracle';
import { boroughOfZone, zonesOfLookup } from '../oracle/tlc-zones';
import {
  FARE_TREND_QUERY,
  HOUR_OF_WEEK_QUERY,
  OPERATIONS_QUERY,
  PEAK_HOURS_QUERY,
  ZONE_FLOWS_QUERY,
} from '../../src/cli/api-client/api-queries';
import type { ApiClient, IngestionCountsAnswer } from './api-client';

export const GRANULARITIES = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
/** A month is checked when it holds at least this share of the valid trips (files carry stray rows). */
const MONTH_SHARE = 0.01;
const BUSIEST_ZONES = 3;
const PEAK_HOURS_LIMIT = 15;

export interface CheckResult {
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
  readonly differences: readonly string[];
}

export interface OracleExpectation {
  readonly trips: readonly OracleTrip[];
  readonly acceptedTrips: number;
  readonly months: ReadonlyArray<{
    readonly label: string;
    readonly from: string;
    readonly to: string;
    readonly fromMs: number;
    readonly toMs: number;
  }>;
}

interface Scope {
  readonly label: string;
  readonly variables: Record<string, unknown>;
  readonly includes: (trip: OracleTrip) => boolean;
}

/** The oracle's view of the files (each file counted once, however often it was replayed). */
export async function oracleExpectation(files: readonly string[]): Promise<OracleExpectation> {
  const trips: OracleTrip[] = [];
  for (const file of new Set(files)) trips.push(...(await validTrips(file)));
  const perMonth = new Map<string, { y: number; m: number; count: number }>();
  for (const { local } of trips) {
    const id = `${local.y}-${String(local.m).padStart(2, '0')}`;
    const month = perMonth.get(id) ?? { y: local.y, m: local.m, count: 0 };
    month.count++;
    perMonth.set(id, month);
  }
  const months = [...perMonth.entries()]
    .filter(([, { count }]) => count >= Math.max(1, trips.length * MONTH_SHARE))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, { y, m }]) => {
      const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
      const from = `${y}-${String(m).padStart(2, '0')}-01T00:00:00`;
      const to = `${ny}-${String(nm).padStart(2, '0')}-01T00:00:00`;
      return { label, from, to, fromMs: nyInstant([y, m, 1, 0, 0, 0]), toMs: nyInstant([ny, nm, 1, 0, 0, 0]) };
    });
  return { trips, acceptedTrips: trips.length, months };
}

/** Asks the API every check's question and compares the answer with the oracle's. */
export async function checkAgainstOracle(
  api: ApiClient,
  expectation: OracleExpectation,
  counts: IngestionCountsAnswer,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [
    {
      name: 'ingestionCounts.acceptedTrips',
      expected: String(expectation.acceptedTrips),
      actual: String(counts.acceptedTrips),
      differences:
        counts.acceptedTrips === expectation.acceptedTrips ? [] : [`${counts.acceptedTrips - expectation.acceptedTrips} trips too many`],
    },
  ];
  const boroughs = boroughOfZone();
  const zones = zonesOfLookup();
  for (const month of expectation.months) {
    const inMonth = expectation.trips.filter((trip) => {
      const start = nyInstant([trip.local.y, trip.local.m, trip.local.d, trip.local.h, 0, 0]);
      return start >= month.fromMs && start < month.toMs;
    });
    const range = { from: month.from, to: month.to };
    for (const scope of scopesOf(inMonth, boroughs)) {
      const trips = expectation.trips.filter(scope.includes);
      const peak = await api.query<{ peakHours: OraclePeakHours }>(PEAK_HOURS_QUERY, {
        range,
        limit: PEAK_HOURS_LIMIT,
        ...scope.variables,
      });
      const expectedPeak = oraclePeakHours(trips, month.fromMs, month.toMs, PEAK_HOURS_LIMIT);
      results.push({
        name: `peakHours ${month.label} ${scope.label}`,
        expected: describePeak(expectedPeak),
        actual: describePeak(peak.peakHours),
        differences: peakHoursDifferences(peak.peakHours, expectedPeak),
      });
      const week = await api.query<{ peakHours: { byHourOfWeek: OracleHourOfWeek[] } }>(HOUR_OF_WEEK_QUERY, { range, ...scope.variables });
      const expectedWeek = oracleByHourOfWeek(trips, month.fromMs, month.toMs);
      results.push({
        name: `peakHours.byHourOfWeek ${month.label} ${scope.label}`,
        expected: describeWeek(expectedWeek),
        actual: describeWeek(week.peakHours.byHourOfWeek),
        differences: byHourOfWeekDifferences(week.peakHours.byHourOfWeek, expectedWeek),
      });
      for (const granularity of GRANULARITIES) {
        const trend = await api.query<{ fareTrend: { buckets: OracleFareBucket[] } }>(FARE_TREND_QUERY, {
          range,
          granularity,
          ...scope.variables,
        });
        const expectedBuckets = oracleFareTrend(trips, granularity, month.fromMs, month.toMs);
        results.push({
          name: `fareTrend(${granularity}) ${month.label} ${scope.label}`,
          expected: describeBuckets(expectedBuckets),
          actual: describeBuckets(trend.fareTrend.buckets),
          differences: fareTrendDifferences(trend.fareTrend.buckets, expectedBuckets),
        });
        const operations = await api.query<{ operations: { buckets: OracleOperationsBucket[] } }>(OPERATIONS_QUERY, {
          range,
          granularity,
          ...scope.variables,
        });
        const expectedOperations = oracleOperations(trips, granularity, month.fromMs, month.toMs);
        results.push({
          name: `operations(${granularity}) ${month.label} ${scope.label}`,
          expected: describeBuckets(expectedOperations),
          actual: describeBuckets(operations.operations.buckets),
          differences: operationsDifferences(operations.operations.buckets, expectedOperations),
        });
      }
    }
    // Flows count pickups and drop-offs of any trip, wherever it started: the borough only picks the zones listed.
    for (const borough of [undefined, ...[...new Set(inMonth.map((trip) => boroughs.get(trip.pickupZoneId) ?? 'UNKNOWN'))].sort()]) {
      const flows = await api.query<{ zoneFlows: OracleZoneFlows }>(ZONE_FLOWS_QUERY, { range, ...(borough ? { borough } : {}) });
      const expectedFlows = oracleZoneFlows(expectation.trips, month.fromMs, month.toMs, zones, borough);
      results.push({
        name: `zoneFlows ${month.label} ${borough ? `borough ${borough}` : 'city'}`,
        expected: describeFlows(expectedFlows),
        actual: describeFlows(flows.zoneFlows),
        differences: zoneFlowsDifferences(flows.zoneFlows, expectedFlows),
      });
    }
  }
  return results;
}

function scopesOf(trips: readonly OracleTrip[], boroughs: ReadonlyMap<number, string>): Scope[] {
  const boroughCounts = countBy(trips, (trip) => boroughs.get(trip.pickupZoneId) ?? 'UNKNOWN');
  const zoneCounts = countBy(trips, (trip) => trip.pickupZoneId);
  return [
    { label: 'city', variables: {}, includes: () => true },
    ...[...boroughCounts.keys()].sort().map((borough) => ({
      label: `borough ${borough}`,
      variables: { borough },
      includes: (trip: OracleTrip) => boroughs.get(trip.pickupZoneId) === borough,
    })),
    ...[...zoneCounts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, BUSIEST_ZONES)
      .map(([zoneId]) => ({
        label: `zone ${zoneId}`,
        variables: { zoneId },
        includes: (trip: OracleTrip) => trip.pickupZoneId === zoneId,
      })),
  ];
}

function countBy<K>(trips: readonly OracleTrip[], key: (trip: OracleTrip) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const trip of trips) counts.set(key(trip), (counts.get(key(trip)) ?? 0) + 1);
  return counts;
}

function describePeak(answer: OraclePeakHours | undefined): string {
  if (!answer) return 'no answer';
  const top = answer.top[0];
  return `${answer.totalTrips} trips${top ? `, busiest ${top.hourStart} (${top.trips})` : ''}`;
}

function describeWeek(entries: readonly OracleHourOfWeek[] | undefined): string {
  if (!entries) return 'no answer';
  return `${entries.length} hours of the week, ${entries.reduce((sum, entry) => sum + entry.trips, 0)} trips`;
}

function describeFlows(answer: OracleZoneFlows | undefined): string {
  if (!answer) return 'no answer';
  return `${answer.zones.length} zones, ${answer.totalPickups} pickups, ${answer.totalDropoffs} drop-offs`;
}

function describeBuckets(buckets: ReadonlyArray<{ trips: number }> | undefined): string {
  if (!buckets) return 'no answer';
  return `${buckets.length} buckets, ${buckets.reduce((sum, bucket) => sum + bucket.trips, 0)} trips`;
}
