/**
 * An 80% prediction interval for a count, from its predictive mean and variance: a negative binomial
 * (a Poisson when there is no extra variance) for moderate means, a normal beyond. Counts are whole
 * numbers, so no interval holds exactly 80%: of the central interval and the ones a step narrower,
 * the one whose probability is closest to 80% is given. Taking always the wider one would cover
 * 90-100% of the hours of a sparse zone, whose counts are mostly 0 or 1. Pure.
 */
import { Z_90 } from './weekly-profile';

export interface CountInterval {
  low: number;
  high: number;
}

const TARGET = 0.8;
/** Above this mean the normal approximation is as good as exact sums (and the sums would be long). */
const NORMAL_FROM_MEAN = 400;

/** The probabilities of 0, 1, 2, ... up to where the tail is negligible. */
function countProbabilities(mean: number, variance: number): number[] {
  const limit = Math.ceil(mean + 12 * Math.sqrt(variance) + 20);
  const probabilities: number[] = [];
  if (variance <= mean * (1 + 1e-9)) {
    let p = Math.exp(-mean);
    for (let k = 0; k <= limit; k += 1) {
      probabilities.push(p);
      p = (p * mean) / (k + 1);
    }
  } else {
    // Negative binomial with this mean and variance: size r, success probability q.
    const r = (mean * mean) / (variance - mean);
    const q = r / (r + mean);
    let p = Math.exp(r * Math.log(q));
    for (let k = 0; k <= limit; k += 1) {
      probabilities.push(p);
      p = (p * (k + r) * (1 - q)) / (k + 1);
    }
  }
  return probabilities;
}

/**
 * The 80% interval [low, high] of a count with this predictive mean and variance (whole numbers,
 * 0 <= low <= high). A mean of 0 gives [0, 0].
 */
export function countInterval(mean: number, variance: number): CountInterval {
  if (!(mean > 0)) return { low: 0, high: 0 };
  const safeVariance = Math.max(variance, mean);
  if (mean > NORMAL_FROM_MEAN) {
    const spread = Z_90 * Math.sqrt(safeVariance);
    return { low: Math.max(0, Math.round(mean - spread)), high: Math.round(mean + spread) };
  }
  const probabilities = countProbabilities(mean, safeVariance);
  const cumulative: number[] = [];
  let sum = 0;
  for (const p of probabilities) cumulative.push((sum += p));
  const quantile = (level: number): number => {
    const index = cumulative.findIndex((value) => value >= level * sum);
    return index === -1 ? cumulative.length - 1 : index;
  };
  const probability = (low: number, high: number): number => (cumulative[high] - (low > 0 ? cumulative[low - 1] : 0)) / sum;
  const low = quantile((1 - TARGET) / 2);
  const high = quantile(1 - (1 - TARGET) / 2);
  let best = { low, high };
  let bestGap = Math.abs(probability(low, high) - TARGET);
  for (const candidate of [
    { low: low + 1, high },
    { low, high: high - 1 },
    { low: low + 1, high: high - 1 },
  ]) {
    if (candidate.low > candidate.high) continue;
    const gap = Math.abs(probability(candidate.low, candidate.high) - TARGET);
    if (gap < bestGap) {
      best = candidate;
      bestGap = gap;
    }
  }
  return best;
}
