/**
 * How an API answer is judged against the oracle: counts exactly, money to the cent (sums are exact
 * integers of cents on both sides, so averages agree to float noise), quantiles within 1% of the exact
 * nearest-rank value (the API's sketch guarantees that). Each function lists the differences in words;
 * an empty list means the answer is right.
 */
import type { OracleFareBucket, OraclePeakHours } from './tlc-oracle';

/** Averages of exact cent sums: anything beyond float noise is a wrong sum. */
const MONEY_TOLERANCE = 1e-9;
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

function relative(actual: number | null, expected: number): number {
  return actual === null ? Number.POSITIVE_INFINITY : Math.abs(actual - expected) / Math.abs(expected);
}

function firstDifferent(actual: readonly OracleFareBucket[], expected: readonly OracleFareBucket[]): string {
  for (let index = 0; index < Math.max(actual.length, expected.length); index++) {
    if (actual[index]?.start !== expected[index]?.start) return `${actual[index]?.start ?? 'none'} vs ${expected[index]?.start ?? 'none'}`;
  }
  return 'none';
}
