import fc from 'fast-check';
import { median, robustSd, winsorisedMean } from '../../../../src/domain/forecast/robust';

/** The median by the book: sort, take the middle (or the mean of the middle two). */
function sortedMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe('median', () => {
  it('is the middle of the sorted values, ties and all, for any length', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => median(values) === sortedMedian(values)));
  });

  it('is NaN for no values, and leaves its input alone', () => {
    expect(median([])).toBeNaN();
    const values = [5, 1, 4, 2, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });
});

describe('robustSd and winsorisedMean', () => {
  it('are hardly moved by one wild value', () => {
    const values = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10];
    const wild = [...values.slice(0, -1), 1_000];
    expect(robustSd(wild)).toBeCloseTo(robustSd(values), 0);
    expect(
      winsorisedMean(
        wild,
        wild.map(() => 1),
        3,
      ),
    ).toBeLessThan(11);
  });
});
