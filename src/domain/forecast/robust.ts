/**
 * Robust summaries the forecasts are built from: medians, median absolute deviations and a
 * winsorised weighted mean. One odd value (a holiday, a storm, a street fair) moves none of them far.
 * Pure.
 */

/** The median of the values (mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
