/**
 * Mergeable quantile sketches of non-negative integers (DDSketch style): fares in integer cents behind
 * medianFare and p90Fare, trip durations in integer milliseconds behind medianDurationMinutes and
 * p90DurationMinutes (docs/insights-contract.md, fareTrend and operations). Values fall into
 * logarithmic buckets, so every bucket's representative is within the scale's relative accuracy of each
 * value in it, and the sketch of a bucket is just counts: a plain map of bucket index -> count that
 * stores as DynamoDB number attributes and merges by addition, in any order, across hours, days and
 * processors. A scale fixes the bucket numbering; a stored sketch can only be read with its own scale.
 * Pure: no I/O.
 */

/**
 * The fare sketch's accuracy: half the contract's 1% tolerance. Its bucket numbering is stored (the
 * `q<k>` attributes of every table format), so it never changes.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.005;

/**
 * The duration sketch's accuracy: 0.9%, just inside the contract's 1%. The representative of a bucket
 * is within it of every value in the bucket, exactly at the edges and less inside; the 0.1% left over
 * dwarfs floating-point noise (1e-15). Coarser than the fare sketch on purpose: durations are spread
 * wider than fares (which cluster on the meter's steps), and each bucket is an attribute DynamoDB bills
 * by the byte on every update, so 0.9% instead of 0.5% makes a day's duration sketch about 45% smaller.
 */
export const DURATION_SKETCH_RELATIVE_ACCURACY = 0.009;

/** A value or quantile a sketch cannot take, or an accuracy no sketch can have; a programming error upstream. */
export class QuantileSketchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuantileSketchError';
  }
}

/** The bucket numbering of one relative accuracy, and the quantiles of counts kept in it. */
export interface QuantileSketchScale {
  /** The largest relative error of a bucket's representative against any value in the bucket. */
  readonly relativeAccuracy: number;
  /**
   * The bucket of a non-negative integer: 0 for 0, else ceil(log_gamma(v)) + 1, so 1 is bucket 1.
   * Throws QuantileSketchError for a negative, fractional or non-finite value.
   */
  bucketOf(value: number): number;
  /** The value (may be fractional) that stands for every value in a bucket: 0 for bucket 0. */
  valueOf(bucket: number): number;
  /**
   * Nearest-rank quantiles q in (0, 1] of the counts, answered in the order asked with the
   * representative of the bucket holding rank ceil(q * n); undefined when nothing is counted.
   */
  quantiles(counts: ReadonlyMap<number, number>, qs: readonly number[]): Array<number | undefined>;
}

/**
 * The scale of a relative accuracy alpha in (0, 1): gamma = (1 + alpha) / (1 - alpha), bucket k >= 1
 * holds the values in (gamma^(k-2), gamma^(k-1)], and its representative 2 * gamma^(k-1) / (gamma + 1)
 * is within alpha of both ends. Throws QuantileSketchError for an accuracy outside (0, 1).
 */
export function quantileSketchScale(relativeAccuracy: number): QuantileSketchScale {
  if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
    throw new QuantileSketchError(`relative accuracy must be in (0, 1), got ${relativeAccuracy}`);
  }
  const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
  const lnGamma = Math.log(gamma);
  /** Upper bound of bucket k (k >= 1). */
  const upperBound = (bucket: number) => Math.pow(gamma, bucket - 1);

  const bucketOf = (value: number): number => {
    if (!Number.isInteger(value) || value < 0) {
      throw new QuantileSketchError(`sketch values are non-negative integers, got ${value}`);
    }
    if (value === 0) return 0;
    // The logarithm can land a hair off at exact powers of gamma, so the index is nudged until the
    // value lies in (gamma^(k-2), gamma^(k-1)] by the same Math.pow the representative uses.
    let bucket = Math.ceil(Math.log(value) / lnGamma) + 1;
    while (value > upperBound(bucket)) bucket += 1;
    while (bucket > 1 && value <= upperBound(bucket - 1)) bucket -= 1;
    return bucket;
  };
  const valueOf = (bucket: number): number => (bucket === 0 ? 0 : (2 * upperBound(bucket)) / (gamma + 1));
  return { relativeAccuracy, bucketOf, valueOf, quantiles: (counts, qs) => quantilesOfCounts(counts, qs, valueOf) };
}

/** Fares in integer cents: 1 cent is bucket 1 and $10,000 (the largest valid fare) bucket 1383. */
export const FARE_SKETCH: QuantileSketchScale = quantileSketchScale(SKETCH_RELATIVE_ACCURACY);

/**
 * Trip durations in integer milliseconds (exact for TLC's whole seconds and for API times with
 * milliseconds; 0 ms is bucket 0, so a zero duration comes out exactly 0): one second is bucket 385,
 * an hour bucket 840, 24 hours (the longest valid trip) bucket 1017.
 */
export const DURATION_SKETCH: QuantileSketchScale = quantileSketchScale(DURATION_SKETCH_RELATIVE_ACCURACY);

/** The fare sketch's bucket of a cents value (FARE_SKETCH.bucketOf). */
export function sketchBucketOf(cents: number): number {
  return FARE_SKETCH.bucketOf(cents);
}

/** The cents that stand for a fare sketch bucket (FARE_SKETCH.valueOf). */
export function sketchBucketValue(bucket: number): number {
  return FARE_SKETCH.valueOf(bucket);
}

/**
 * The nearest-rank quantile q in (0, 1] of fare sketch counts: rank ceil(q * n), found by walking the
 * buckets in ascending order, answered with that bucket's representative in cents. q * n is snapped to
 * an integer when it is one up to floating-point noise (0.7 * 10 is 7.000000000000001), so the rank
 * matches the exact definition. Zero and negative counts are ignored. Returns undefined when nothing is
 * counted; throws QuantileSketchError when q is outside (0, 1].
 */
export function quantileFromCounts(counts: ReadonlyMap<number, number>, q: number): number | undefined {
  return FARE_SKETCH.quantiles(counts, [q])[0];
}

/**
 * Several nearest-rank quantiles of the same fare sketch counts, answered in the order asked, each
 * exactly as quantileFromCounts answers it.
 */
export function quantilesFromCounts(counts: ReadonlyMap<number, number>, qs: readonly number[]): Array<number | undefined> {
  return FARE_SKETCH.quantiles(counts, qs);
}

/**
 * The buckets are sorted once and walked once for all the ranks: sorting is the cost, and fareTrend and
 * operations ask a median and a p90 of every bucket they return.
 */
function quantilesOfCounts(
  counts: ReadonlyMap<number, number>,
  qs: readonly number[],
  valueOf: (bucket: number) => number,
): Array<number | undefined> {
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
    for (; next < byRank.length && seen >= ranks[byRank[next]]; next++) answers[byRank[next]] = valueOf(bucket);
    if (next === byRank.length) return answers;
  }
  // Unreachable: every rank <= total. Kept so the function has a total answer under rounding surprises.
  for (; next < byRank.length; next++) answers[byRank[next]] = valueOf(buckets[buckets.length - 1][0]);
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
 * Both must be of the same scale.
 */
export function mergeCounts(a: Map<number, number>, b: ReadonlyMap<number, number>): Map<number, number> {
  for (const [bucket, count] of b) a.set(bucket, (a.get(bucket) ?? 0) + count);
  return a;
}
