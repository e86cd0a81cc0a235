/**
 * Robust summaries the forecasts are built from: medians, median absolute deviations and a
 * winsorised weighted mean. One odd value (a holiday, a storm, a street fair) moves none of them far.
 * Pure.
 */

// A scratch buffer for medians: reusing it spares an allocation per median (demandPressure takes
// thousands of them, most over a weekday's or a week's days).
let scratch = new Float64Array(256);

/** The k-th smallest (0-based) of scratch[0, count), rearranging it (Hoare's selection: linear on average). */
function selectInScratch(count: number, k: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const pivot = scratch[(low + high) >> 1];
    let left = low;
    let right = high;
    while (left <= right) {
      while (scratch[left] < pivot) left += 1;
      while (scratch[right] > pivot) right -= 1;
      if (left <= right) {
        const swap = scratch[left];
        scratch[left] = scratch[right];
        scratch[right] = swap;
        left += 1;
        right -= 1;
      }
    }
    if (k <= right) high = right;
    else if (k >= left) low = left;
    else return scratch[k];
  }
  return scratch[k];
}

/** The median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const count = values.length;
  if (count === 0) return Number.NaN;
  if (count === 1) return values[0];
  if (scratch.length < count) scratch = new Float64Array(count * 2);
  for (let index = 0; index < count; index += 1) scratch[index] = values[index];
  const middle = count >> 1;
  const upper = selectInScratch(count, middle);
  if (count % 2 === 1) return upper;
  // The largest of the lower half: after the selection every value below `middle` is <= upper.
  let lower = scratch[0];
  for (let index = 1; index < middle; index += 1) if (scratch[index] > lower) lower = scratch[index];
  return (lower + upper) / 2;
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
