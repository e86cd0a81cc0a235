import fc from 'fast-check';
import {
  DURATION_SKETCH,
  DURATION_SKETCH_RELATIVE_ACCURACY,
  FARE_SKETCH,
  QuantileSketchError,
  SKETCH_RELATIVE_ACCURACY,
  mergeCounts,
  quantileSketchScale,
  quantileFromCounts,
  quantilesFromCounts,
  sketchBucketOf,
  sketchBucketValue,
} from '../../../src/domain/quantile-sketch';

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const MAX_FARE_CENTS = 1_000_000;

function countsOf(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) {
    const bucket = sketchBucketOf(value);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

/** The exact nearest-rank quantile for q = numerator / 10, in integer arithmetic. */
function exactNearestRank(values: readonly number[], tenths: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((tenths * sorted.length) / 10);
  return sorted[Math.max(1, rank) - 1];
}

function relativeError(approx: number, exact: number): number {
  return exact === 0 ? Math.abs(approx) : Math.abs(approx - exact) / exact;
}

// Fares cluster: many identical flat fares, some zeros, a long tail up to the contract's maximum.
const cents = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 250, 5_200, 7_000) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_FARE_CENTS }) },
);
const fares = fc.array(cents, { minLength: 1, maxLength: 400 });
const duplicateHeavyFares = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 300 }))
  .map(([distinct, picks]) => picks.map((pick) => distinct[pick % distinct.length]));

describe('sketchBucketOf', () => {
  it('puts 0 cents in bucket 0 and 1 cent in bucket 1', () => {
    // Act / Assess
    expect(sketchBucketOf(0)).toBe(0);
    expect(sketchBucketOf(1)).toBe(1);
  });

  it('keeps the largest valid fare below bucket 1500', () => {
    // Act
    const bucket = sketchBucketOf(MAX_FARE_CENTS);
    // Assess
    expect(bucket).toBeLessThan(1500);
  });

  it('places every value in (gamma^(k-2), gamma^(k-1)] of its bucket k, up to $10,000', () => {
    // Prepare
    const misplaced: number[] = [];
    // Act
    for (let value = 1; value <= MAX_FARE_CENTS; value += 1) {
      const k = sketchBucketOf(value);
      if (!(value > Math.pow(GAMMA, k - 2) && value <= Math.pow(GAMMA, k - 1))) misplaced.push(value);
    }
    // Assess
    expect(misplaced).toEqual([]);
  });

  it('never decreases as the value grows', () => {
    fc.assert(
      fc.property(fc.nat({ max: MAX_FARE_CENTS }), fc.nat({ max: MAX_FARE_CENTS }), (a, b) => {
        // Prepare
        const [low, high] = a <= b ? [a, b] : [b, a];
        // Act / Assess
        expect(sketchBucketOf(low)).toBeLessThanOrEqual(sketchBucketOf(high));
      }),
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p, which is not integer cents', (value) => {
    // Act / Assess
    expect(() => sketchBucketOf(value)).toThrow(QuantileSketchError);
  });
});

describe('sketchBucketValue', () => {
  it('represents bucket 0 by 0', () => {
    // Act / Assess
    expect(sketchBucketValue(0)).toBe(0);
  });

  it('represents every value within the relative accuracy', () => {
    // Prepare
    let worst = 0;
    // Act
    for (let value = 1; value <= MAX_FARE_CENTS; value += 1) {
      worst = Math.max(worst, relativeError(sketchBucketValue(sketchBucketOf(value)), value));
    }
    // Assess
    expect(worst).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-12);
  });
});

describe('quantileFromCounts', () => {
  it('returns undefined when nothing is counted', () => {
    // Act / Assess
    expect(quantileFromCounts(new Map(), 0.5)).toBeUndefined();
    expect(quantileFromCounts(new Map([[7, 0]]), 0.5)).toBeUndefined();
  });

  it('answers 0 when the rank falls among zero fares', () => {
    // Prepare
    const counts = countsOf([0, 0, 0, 1_250]);
    // Act / Assess
    expect(quantileFromCounts(counts, 0.5)).toBe(0);
    expect(relativeError(quantileFromCounts(counts, 0.9) ?? Number.NaN, 1_250)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
  });

  it('uses rank ceil(q * n) even when q * n carries floating-point noise', () => {
    // Prepare: 0.7 * 10 is 7.000000000000001 in binary floating point; the 7th value is 100.
    const values = [100, 100, 100, 100, 100, 100, 100, 10_000, 10_000, 10_000];
    // Act
    const result = quantileFromCounts(countsOf(values), 0.7);
    // Assess
    expect(relativeError(result ?? Number.NaN, 100)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
  });

  it('gives the maximum for q = 1', () => {
    // Prepare
    const values = [300, 1_000, 99_999];
    // Act
    const result = quantileFromCounts(countsOf(values), 1);
    // Assess
    expect(relativeError(result ?? Number.NaN, 99_999)).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
  });

  it.each([0, -0.1, 1.01, Number.NaN])('rejects the quantile %p', (q) => {
    // Act / Assess
    expect(() => quantileFromCounts(countsOf([100]), q)).toThrow(QuantileSketchError);
  });

  it.each([
    ['the median', 5],
    ['the 90th percentile', 9],
  ])('finds %s within the relative accuracy of the exact nearest-rank value', (_name, tenths) => {
    fc.assert(
      fc.property(fc.oneof(fares, duplicateHeavyFares), (values) => {
        // Act
        const approx = quantileFromCounts(countsOf(values), tenths / 10);
        // Assess
        expect(approx).toBeDefined();
        expect(relativeError(approx as number, exactNearestRank(values, tenths))).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-12);
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on the order buckets were inserted in', () => {
    fc.assert(
      fc.property(fares, (values) => {
        // Prepare
        const counts = countsOf(values);
        const reversed = new Map([...counts.entries()].reverse());
        // Act / Assess
        expect(quantileFromCounts(reversed, 0.9)).toBe(quantileFromCounts(counts, 0.9));
      }),
    );
  });
});

/** The per-quantile walk as it was before quantilesFromCounts: an independent reference for it. */
function referenceQuantile(counts: ReadonlyMap<number, number>, q: number): number | undefined {
  const buckets = [...counts.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const exactRank = q * total;
  const rank = Math.abs(exactRank - Math.round(exactRank)) <= 1e-9 * exactRank ? Math.round(exactRank) : Math.ceil(exactRank);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return sketchBucketValue(bucket);
  }
  return sketchBucketValue(buckets[buckets.length - 1][0]);
}

// Sketches as stored: any buckets (inserted in any order), counts including zeros and the odd negative.
const sketches = fc.oneof(
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 1_500 }), fc.integer({ min: -2, max: 60 })), { maxLength: 60 })
    .map((entries) => new Map(entries)),
  fares.map(countsOf),
  duplicateHeavyFares.map(countsOf),
  fc.constantFrom(
    new Map<number, number>(),
    new Map([[7, 0]]),
    new Map([[0, 3]]),
    new Map([[412, 1]]),
    new Map([
      [3, -1],
      [9, 0],
    ]),
  ),
);
// Quantiles with floating-point noise in q * n (tenths), the extremes, and anything in (0, 1].
const quantile = fc.oneof(
  fc.integer({ min: 1, max: 10 }).map((tenths) => tenths / 10),
  fc.constantFrom(0.5, 0.9, 0.99, 1, Number.MIN_VALUE),
  fc.double({ min: 0, max: 1, noNaN: true }).filter((q) => q > 0),
);

describe('quantilesFromCounts', () => {
  it('answers every quantile as quantileFromCounts does, in the order asked', () => {
    fc.assert(
      fc.property(sketches, fc.array(quantile, { maxLength: 6 }), (counts, qs) => {
        // Act
        const answers = quantilesFromCounts(counts, qs);
        // Assess
        expect(answers).toEqual(qs.map((q) => quantileFromCounts(counts, q)));
        expect(answers).toEqual(qs.map((q) => referenceQuantile(counts, q)));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers the median and p90 of fareTrend as two separate walks would', () => {
    fc.assert(
      fc.property(sketches, (counts) => {
        // Act
        const [median, p90] = quantilesFromCounts(counts, [0.5, 0.9]);
        // Assess
        expect(median).toBe(referenceQuantile(counts, 0.5));
        expect(p90).toBe(referenceQuantile(counts, 0.9));
      }),
      { numRuns: 1000 },
    );
  });

  it('answers undefined for each quantile when nothing is counted', () => {
    // Act / Assess
    expect(quantilesFromCounts(new Map(), [0.5, 0.9])).toEqual([undefined, undefined]);
    expect(
      quantilesFromCounts(
        new Map([
          [7, 0],
          [9, -1],
        ]),
        [0.5],
      ),
    ).toEqual([undefined]);
  });

  it('answers the single bucket for every quantile', () => {
    // Act / Assess
    expect(quantilesFromCounts(new Map([[412, 5]]), [0.9, 0.1, 1])).toEqual([
      sketchBucketValue(412),
      sketchBucketValue(412),
      sketchBucketValue(412),
    ]);
  });

  it('snaps q * n to an integer rank as quantileFromCounts does', () => {
    // Prepare: 0.7 * 10 is 7.000000000000001; rank 7 is the last 100, rank 8 would be 10,000.
    const counts = countsOf([100, 100, 100, 100, 100, 100, 100, 10_000, 10_000, 10_000]);
    // Act
    const [p70, median] = quantilesFromCounts(counts, [0.7, 0.5]);
    // Assess
    expect(p70).toBe(sketchBucketValue(sketchBucketOf(100)));
    expect(median).toBe(sketchBucketValue(sketchBucketOf(100)));
  });

  it('answers an empty list with an empty list', () => {
    // Act / Assess
    expect(quantilesFromCounts(countsOf([100]), [])).toEqual([]);
  });

  it.each([0, -0.1, 1.01, Number.NaN])('rejects the quantile %p even next to valid ones', (q) => {
    // Act / Assess
    expect(() => quantilesFromCounts(countsOf([100]), [0.5, q])).toThrow(QuantileSketchError);
    expect(() => quantilesFromCounts(new Map(), [q])).toThrow(QuantileSketchError);
  });
});

describe('mergeCounts', () => {
  it('adds counts bucket by bucket into the first map and returns it', () => {
    // Prepare
    const a = new Map([
      [1, 2],
      [5, 1],
    ]);
    const b = new Map([
      [5, 3],
      [9, 4],
    ]);
    // Act
    const result = mergeCounts(a, b);
    // Assess
    expect(result).toBe(a);
    expect(result).toEqual(
      new Map([
        [1, 2],
        [5, 4],
        [9, 4],
      ]),
    );
    expect(b).toEqual(
      new Map([
        [5, 3],
        [9, 4],
      ]),
    );
  });

  it('equals the sketch of the concatenated values', () => {
    fc.assert(
      fc.property(fc.array(cents), fc.array(cents), (left, right) => {
        // Act
        const merged = mergeCounts(countsOf(left), countsOf(right));
        // Assess
        expect(merged).toEqual(countsOf([...left, ...right]));
      }),
    );
  });

  it('keeps quantiles within the relative accuracy after merging many parts', () => {
    fc.assert(
      fc.property(fc.array(fares, { minLength: 1, maxLength: 12 }), (parts) => {
        // Prepare
        const all = parts.flat();
        // Act
        const merged = parts.reduce((acc, part) => mergeCounts(acc, countsOf(part)), new Map<number, number>());
        // Assess
        for (const tenths of [5, 9]) {
          const approx = quantileFromCounts(merged, tenths / 10) as number;
          expect(relativeError(approx, exactNearestRank(all, tenths))).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-12);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('quantileSketchScale', () => {
  it.each([0, 1, -0.1, Number.NaN])('refuses the relative accuracy %p', (accuracy) => {
    expect(() => quantileSketchScale(accuracy)).toThrow(QuantileSketchError);
  });

  it('numbers fare buckets as every stored fare sketch does (the q<k> attributes must never move)', () => {
    // Prepare: bucket k = ceil(log_gamma(v)) + 1 from the stored format's gamma, away from bucket edges.
    const values = [1, 99, 250, 1_234, 5_200, 100_000, 1_000_000];
    const expected = values.map((value) => Math.ceil(Math.log(value) / Math.log(GAMMA)) + 1);

    // Act
    const buckets = values.map((value) => FARE_SKETCH.bucketOf(value));

    // Assess
    expect(buckets).toEqual(expected);
    expect(buckets).toEqual(values.map(sketchBucketOf));
    expect(buckets).toEqual([1, 461, 554, 713, 857, 1153, 1383]);
  });
});

describe('DURATION_SKETCH', () => {
  const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
  // Durations: whole seconds as in TLC files, milliseconds as the API may send, zeros, up to 24 hours.
  const durationMs = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 3_600 }).map((seconds) => seconds * 1000) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_DURATION_MS }) },
  );

  function durationCounts(values: readonly number[]): Map<number, number> {
    const counts = new Map<number, number>();
    for (const value of values) {
      const bucket = DURATION_SKETCH.bucketOf(value);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
    return counts;
  }

  it("stays inside the contract's 1%", () => {
    expect(DURATION_SKETCH.relativeAccuracy).toBe(DURATION_SKETCH_RELATIVE_ACCURACY);
    expect(DURATION_SKETCH.relativeAccuracy).toBeLessThan(0.01);
  });

  it('keeps a zero duration exactly 0', () => {
    // Act
    const [median, p90] = DURATION_SKETCH.quantiles(durationCounts([0, 0, 0, 60_000]), [0.5, 0.75]);

    // Assess
    expect(DURATION_SKETCH.bucketOf(0)).toBe(0);
    expect(median).toBe(0);
    expect(p90).toBe(0);
  });

  it('numbers the buckets of one second, one minute, one hour and 24 hours as stored', () => {
    expect([1_000, 60_000, 3_600_000, MAX_DURATION_MS].map((value) => DURATION_SKETCH.bucketOf(value))).toEqual([385, 613, 840, 1017]);
  });

  it('tells a millisecond from a zero duration', () => {
    expect(DURATION_SKETCH.bucketOf(1)).toBe(1);
    expect(DURATION_SKETCH.valueOf(1)).toBeGreaterThan(0);
  });

  it('represents every duration up to 24 hours within its accuracy', () => {
    fc.assert(
      fc.property(durationMs, (value) => {
        const approx = DURATION_SKETCH.valueOf(DURATION_SKETCH.bucketOf(value));
        expect(relativeError(approx, value)).toBeLessThanOrEqual(DURATION_SKETCH_RELATIVE_ACCURACY + 1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('answers nearest-rank median and p90 within its accuracy of the exact ones, after merging parts', () => {
    fc.assert(
      fc.property(fc.array(fc.array(durationMs, { minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }), (parts) => {
        // Prepare
        const all = parts.flat();

        // Act
        const merged = parts.reduce((acc, part) => mergeCounts(acc, durationCounts(part)), new Map<number, number>());
        const [median, p90] = DURATION_SKETCH.quantiles(merged, [0.5, 0.9]) as number[];

        // Assess
        expect(relativeError(median, exactNearestRank(all, 5))).toBeLessThanOrEqual(DURATION_SKETCH_RELATIVE_ACCURACY + 1e-12);
        expect(relativeError(p90, exactNearestRank(all, 9))).toBeLessThanOrEqual(DURATION_SKETCH_RELATIVE_ACCURACY + 1e-12);
      }),
      { numRuns: 300 },
    );
  });
});
