/**
 * How an API answer is judged against the oracle: counts exactly, money to the cent (sums are exact
 * integers of cents on both sides, so averages agree to float noise), other averages and ratios to a
 * relative 1e-9, quantiles within 1% of the exact nearest-rank value (the API's sketches guarantee
 * that). Each function lists the differences in words; an empty list means the answer is right.
 */
import type { OracleHourOfWeek, OracleOperationsBucket, OracleZoneFlows } from './operations-oracle';
import type { OracleFareBucket, OraclePeakHours } from './tlc-oracle';

/** Averages of exact cent sums: anything beyond float noise is a wrong sum. */
const MONEY_TOLERANCE = 1e-9;
/** Averages and ratios of exact sums (durations, distances, passengers, card tips): float noise only. */
const RATIO_RELATIVE_TOLERANCE = 1e-9;
/** The quantile sketch's guarantee. */
const QUANTILE_RELATIVE_TOLERANCE = 0.01;
const MAX_LISTED = 5;

export function peakHoursDifferences(actual: OraclePeakHours | undefined, expected: OraclePeakHours): string[] {
  if (!actual) return ['no answer'];
  const differences: string[] = [];
  if (actual.totalTrips !== expected.totalTrips) differences.push(`totalTrips ${actual.totalTrips}, expected ${expected.totalTrips}`);
  expected.byHourOfDay.forEach(({ hourOfDay, trips }) => {
    const got = actual.byHourOfDay.find((entry) => entry.hourOfDay === hourOfDay)?.trips;
    if (got !== trips) differences.push(`hour of day ${hourOfDay}: ${got} trips, expected ${trips}`);
  });
  const top = (answer: OraclePeakHours) => answer.top.map(({ hourStart, trips }) => `${hourStart}=${trips}`).join(', ');
  if (top(actual) !== top(expected)) differences.push(`top hours [${top(actual)}], expected [${top(expected)}]`);
  return differences.slice(0, MAX_LISTED);
}

export function fareTrendDifferences(actual: readonly OracleFareBucket[] | undefined, expected: readonly OracleFareBucket[]): string[] {
  if (!actual) return ['no answer'];
  const differences: string[] = [];
  const starts = (buckets: readonly OracleFareBucket[]) => buckets.map((bucket) => bucket.start).join(', ');
  if (starts(actual) !== starts(expected)) {
    differences.push(`${actual.length} buckets, expected ${expected.length} (first different start: ${firstDifferent(actual, expected)})`);
    return differences;
  }
  actual.forEach((bucket, index) => {
    const want = expected[index];
    const wrong: string[] = [];
    if (bucket.trips !== want.trips) wrong.push(`trips ${bucket.trips} vs ${want.trips}`);
    for (const field of ['averageFare', 'averageTotal', 'averageTip'] as const) {
      if (!(Math.abs(bucket[field] - want[field]) < MONEY_TOLERANCE)) wrong.push(`${field} ${bucket[field]} vs ${want[field]}`);
    }
    if (
      want.averageFarePerMile === null
        ? bucket.averageFarePerMile !== null
        : !(relative(bucket.averageFarePerMile, want.averageFarePerMile) < MONEY_TOLERANCE)
    ) {
      wrong.push(`averageFarePerMile ${bucket.averageFarePerMile} vs ${want.averageFarePerMile}`);
    }
    for (const field of ['medianFare', 'p90Fare'] as const) {
      const ok = want[field] === 0 ? bucket[field] === 0 : relative(bucket[field], want[field]) <= QUANTILE_RELATIVE_TOLERANCE;
      if (!ok) wrong.push(`${field} ${bucket[field]} vs ${want[field]}`);
    }
    if (wrong.length > 0) differences.push(`${bucket.start}: ${wrong.join('; ')}`);
  });
  return differences.slice(0, MAX_LISTED);
}

/**
 * operations buckets: the same starts; per bucket trips and the payment mix exactly, revenue to the cent,
 * averages and ratios to a relative 1e-9 (null exactly where the oracle has null), duration quantiles
 * within 1% (a zero exactly).
 */
export function operationsDifferences(
  actual: readonly OracleOperationsBucket[] | undefined,
  expected: readonly OracleOperationsBucket[],
): string[] {
  if (!actual) return ['no answer'];
  const differences: string[] = [];
  const starts = (buckets: readonly { start: string }[]) => buckets.map((bucket) => bucket.start).join(', ');
  if (starts(actual) !== starts(expected)) {
    return [`${actual.length} buckets, expected ${expected.length} (first different start: ${firstDifferent(actual, expected)})`];
  }
  actual.forEach((bucket, index) => {
    const want = expected[index];
    const wrong: string[] = [];
    if (bucket.trips !== want.trips) wrong.push(`trips ${bucket.trips} vs ${want.trips}`);
    if (!(Math.abs(bucket.revenue - want.revenue) < 0.005)) wrong.push(`revenue ${bucket.revenue} vs ${want.revenue}`);
    for (const field of ['averageDurationMinutes', 'averageSpeedMph', 'averagePassengers', 'cardTipRate'] as const) {
      if (!sameRatio(bucket[field], want[field])) wrong.push(`${field} ${bucket[field]} vs ${want[field]}`);
    }
    for (const field of ['medianDurationMinutes', 'p90DurationMinutes'] as const) {
      if (!withinQuantileTolerance(bucket[field], want[field])) wrong.push(`${field} ${bucket[field]} vs ${want[field]}`);
    }
    const mix = (entries: OracleOperationsBucket['paymentMix']) =>
      entries.map(({ paymentType, trips }) => `${paymentType}=${trips}`).join(' ');
    if (mix(bucket.paymentMix) !== mix(want.paymentMix)) wrong.push(`paymentMix ${mix(bucket.paymentMix)} vs ${mix(want.paymentMix)}`);
    if (wrong.length > 0) differences.push(`${bucket.start}: ${wrong.join('; ')}`);
  });
  return differences.slice(0, MAX_LISTED);
}

/** zoneFlows: the same zones in the same order, each with its name, borough and counts exactly, and the totals. */
export function zoneFlowsDifferences(actual: OracleZoneFlows | undefined, expected: OracleZoneFlows): string[] {
  if (!actual) return ['no answer'];
  const differences: string[] = [];
  for (const field of ['totalPickups', 'totalDropoffs'] as const) {
    if (actual[field] !== expected[field]) differences.push(`${field} ${actual[field]}, expected ${expected[field]}`);
  }
  const ids = (answer: OracleZoneFlows) => answer.zones.map((zone) => zone.zoneId).join(', ');
  if (ids(actual) !== ids(expected)) {
    const missing = expected.zones.filter((zone) => !actual.zones.some((other) => other.zoneId === zone.zoneId)).map((zone) => zone.zoneId);
    const extra = actual.zones.filter((zone) => !expected.zones.some((other) => other.zoneId === zone.zoneId)).map((zone) => zone.zoneId);
    differences.push(`zones differ (missing [${missing.join(', ')}], unexpected [${extra.join(', ')}], or out of zoneId order)`);
  }
  const byId = new Map(actual.zones.map((zone) => [zone.zoneId, zone]));
  for (const want of expected.zones) {
    const got = byId.get(want.zoneId);
    if (!got) continue;
    const wrong = (['zoneName', 'borough', 'pickups', 'dropoffs', 'net'] as const)
      .filter((field) => got[field] !== want[field])
      .map((field) => `${field} ${got[field]} vs ${want[field]}`);
    if (wrong.length > 0) differences.push(`zone ${want.zoneId}: ${wrong.join('; ')}`);
  }
  return differences.slice(0, MAX_LISTED);
}

/** peakHours.byHourOfWeek: exactly 168 entries, Monday 00 first, each count exactly. */
export function byHourOfWeekDifferences(actual: readonly OracleHourOfWeek[] | undefined, expected: readonly OracleHourOfWeek[]): string[] {
  if (!actual) return ['no answer'];
  const differences: string[] = [];
  if (actual.length !== expected.length) differences.push(`${actual.length} entries, expected ${expected.length}`);
  expected.forEach((want, index) => {
    const got = actual[index];
    if (got?.dayOfWeek !== want.dayOfWeek || got?.hourOfDay !== want.hourOfDay || got?.trips !== want.trips) {
      differences.push(
        `entry ${index}: ${got ? `day ${got.dayOfWeek} hour ${got.hourOfDay} ${got.trips} trips` : 'none'}, expected day ${want.dayOfWeek} hour ${want.hourOfDay} ${want.trips} trips`,
      );
    }
  });
  return differences.slice(0, MAX_LISTED);
}

/** Null exactly where expected is null; 0 exactly where expected is 0; otherwise within RATIO_RELATIVE_TOLERANCE. */
function sameRatio(actual: number | null, expected: number | null): boolean {
  if (expected === null || actual === null) return actual === expected;
  if (expected === 0) return actual === 0;
  return relative(actual, expected) <= RATIO_RELATIVE_TOLERANCE;
}

function withinQuantileTolerance(actual: number, expected: number): boolean {
  return expected === 0 ? actual === 0 : relative(actual, expected) <= QUANTILE_RELATIVE_TOLERANCE;
}

function relative(actual: number | null, expected: number): number {
  return actual === null ? Number.POSITIVE_INFINITY : Math.abs(actual - expected) / Math.abs(expected);
}

function firstDifferent(actual: readonly { start: string }[], expected: readonly { start: string }[]): string {
  for (let index = 0; index < Math.max(actual.length, expected.length); index++) {
    if (actual[index]?.start !== expected[index]?.start) return `${actual[index]?.start ?? 'none'} vs ${expected[index]?.start ?? 'none'}`;
  }
  return 'none';
}
