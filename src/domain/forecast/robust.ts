/**
 * Robust summaries the forecasts are built from: medians, median absolute deviations and a
 * winsorised weighted mean. One odd value (a holiday, a storm, a street fair) moves none of them far.
 * Pure.
 */

// A scratch buffer for medians: a typed array sorts numerically without a comparator call per step,
// and reusing it spares an allocation per median (demandPressure takes thousands of small medians).
let scratch = new Float64Array(256);

/** The median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const count = values.length;
  if (count === 0) return Number.NaN;
  if (count === 1) return values[0];
  if (scratch.length < count) scratch = new Float64Array(count * 2);
  let sorted: Float64Array;
  if (count <= 32) {
    // Insertion sort: for the small arrays the model mostly takes medians of (a weekday's days, a week's days) it beats any library sort.
    for (let index = 0; index < count; index += 1) {
      const value = values[index];
      let at = index - 1;
      while (at >= 0 && scratch[at] > value) {
        scratch[at + 1] = scratch[at];
        at -= 1;
      }
      scratch[at + 1] = value;
    }
    sorted = scratch;
  } else {
    for (let index = 0; index < count; index += 1) scratch[index] = values[index];
    sorted = scratch.subarray(0, count).sort();
  }
  const middle = count >> 1;
  return count % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Scale of a normal distribution's MAD: MAD x 1.4826 estimates the standard deviation. */
export const MAD_TO_SD = 1.4826;

/** The median absolute deviation from the median, scaled to estimate a standard deviation. */
export function robustSd(values: readonly number[]): number {
  const centre = median(values);
  return median(values.map((value) => Math.abs(value - centre))) * MAD_TO_SD;
}

/**
 * A weighted mean after clipping every value to median +- `limit` robust standard deviations
 * (winsorising): as efficient as a mean on ordinary data, but an outlier counts only as an edge
 * value. NaN when the weights sum to 0.
 */
export function winsorisedMean(values: readonly number[], weights: readonly number[], limit: number): number {
  const centre = median(values);
  const spread = robustSd(values) * limit;
  let sum = 0;
  let weightSum = 0;
  values.forEach((value, index) => {
    sum += weights[index] * Math.min(Math.max(value, centre - spread), centre + spread);
    weightSum += weights[index];
  });
  return weightSum > 0 ? sum / weightSum : Number.NaN;
}
