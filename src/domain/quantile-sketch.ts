/**
 * A mergeable quantile sketch for fares in integer cents (DDSketch style), behind medianFare and
 * p90Fare (docs/insights-contract.md, fareTrend). Values fall into logarithmic buckets,
 * so every bucket's representative is within SKETCH_RELATIVE_ACCURACY of each value in it, and the
 * sketch of a bucket is just counts: a plain map of bucket index -> count that stores as DynamoDB
 * number attributes and merges by addition, in any order, across hours, days and processors.
 * Pure: no I/O.
 */

/**
 * Half the contract's 1% tolerance: the representative of a bucket is within this relative error
 * of every value in it, leaving headroom for floating point.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.005;

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);

/** A value or quantile the sketch cannot take; a programming error upstream. */
export class QuantileSketchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuantileSketchError';
  }
}

/** Upper bound of bucket k (k >= 1): bucket k holds the values in (gamma^(k-2), gamma^(k-1)]. */
function upperBound(bucket: number): number {
  return Math.pow(GAMMA, bucket - 1);
}

/**
 * The bucket of a non-negative integer cents value: 0 for 0 cents, else ceil(log_gamma(v)) + 1, so
 * 1 cent is bucket 1 and $10,000 (the largest valid fare) is bucket 1383. The logarithm can land a
 * hair off at exact powers of gamma, so the index is nudged until the value lies in
 * (gamma^(k-2), gamma^(k-1)] by the same Math.pow the representative uses. Throws QuantileSketchError for a negative, fractional or
 * non-finite value (money is integer cents inside the pipeline).
 */
export function sketchBucketOf(cents: number): number {
  if (!Number.isInteger(cents) || cents < 0) {
    throw new QuantileSketchError(`sketch values are non-negative integer cents, got ${cents}`);
  }
  if (cents === 0) return 0;
  let bucket = Math.ceil(Math.log(cents) / LN_GAMMA) + 1;
  while (cents > upperBound(bucket)) bucket += 1;
  while (bucket > 1 && cents <= upperBound(bucket - 1)) bucket -= 1;
  return bucket;
}

/**
 * The value (cents, may be fractional) that stands for every value in a bucket: 0 for bucket 0,
 * else 2 * gamma^(k-1) / (gamma + 1), the point whose relative distance to both ends of
 * (gamma^(k-2), gamma^(k-1)] is exactly SKETCH_RELATIVE_ACCURACY.
 */
export function sketchBucketValue(bucket: number): number {
  if (bucket === 0) return 0;
  return (2 * upperBound(bucket)) / (GAMMA + 1);
}

/**
 * The nearest-rank quantile q in (0, 1] of the values counted: rank ceil(q * n), found by walking
 * the buckets in ascending order, answered with that bucket's representative in cents. q * n is
 * snapped to an integer when it is one up to floating-point noise (0.7 * 10 is 7.000000000000001),
 * so the rank matches the exact definition. Zero and negative counts are ignored. Returns undefined
 * when nothing is counted; throws QuantileSketchError when q is outside (0, 1].
 */
export function quantileFromCounts(counts: ReadonlyMap<number, number>, q: number): number | undefined {
  return quantilesFromCounts(counts, [q])[0];
}

/**
 * Several nearest-rank quantiles of the same counts, answered in the order asked, each exactly as
 * quantileFromCounts answers it. The buckets are sorted once and walked once for all the ranks:
 * sorting is the cost, and fareTrend asks a median and a p90 of every bucket it returns. Undefined
 * answers when nothing is counted; throws QuantileSketchError when any q is outside (0, 1].
 */
export function quantilesFromCounts(counts: ReadonlyMap<number, number>, qs: readonly number[]): Array<number | undefined> {
  for (const q of qs) {
    if (!(q > 0 && q <= 1)) throw new QuantileSketchError(`quantile must be in (0, 1], got ${q}`);
  }
  const buckets = [...counts.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  let total = 0;
  for (const [, count] of buckets) total += count;
  if (total === 0) return qs.map(() => undefined);
  const ranks = qs.map((q) => nearestRank(q, total));
  // Visit the ranks in ascending order so that one walk over the buckets answers them all.
  const byRank = ranks.map((_, index) => index).sort((a, b) => ranks[a] - ranks[b]);
  const answers = new Array<number>(qs.length);
  let next = 0;
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    for (; next < byRank.length && seen >= ranks[byRank[next]]; next++) answers[byRank[next]] = sketchBucketValue(bucket);
    if (next === byRank.length) return answers;
  }
  // Unreachable: every rank <= total. Kept so the function has a total answer under rounding surprises.
  for (; next < byRank.length; next++) answers[byRank[next]] = sketchBucketValue(buckets[buckets.length - 1][0]);
  return answers;
}

/** Rank ceil(q * n), with q * n snapped to the nearest integer when it is one up to floating-point noise. */
function nearestRank(q: number, total: number): number {
  const exactRank = q * total;
  const nearestInteger = Math.round(exactRank);
  return Math.abs(exactRank - nearestInteger) <= 1e-9 * exactRank ? nearestInteger : Math.ceil(exactRank);
}

/**
 * Adds the counts of b into a, bucket by bucket, and returns a (mutated). Merging is plain addition,
 * which is why sketches of hours roll up into days and months with no loss beyond the bucket width.
 */
export function mergeCounts(a: Map<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
  for (const [bucket, count] of b) a.set(bucket, (a.get(bucket) ?? 0) + count);
  return a;
}
