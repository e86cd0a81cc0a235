/**
 * The forecasting model: a robust weekly profile of trips per real hour, pooled across weekdays as
 * far as the data shows they are alike, times the recent level. Fitted on whole days of history
 * (`PastDay`s, oldest first, ending the day before the forecast's first day); gives, for a weekday
 * and hour, the expected trips and the predictive variance. docs/forecast.md explains each step.
 * Pure, and cheap: a fit over 16 weeks of 24 hours takes a few milliseconds.
 */
import type { PastDay } from './past-counts';
import { MAD_TO_SD, median } from './robust';

export interface WeeklyProfileOptions {
  /** Weight of a day halves every this many weeks back; null: all weeks alike. */
  recencyHalfLifeWeeks: number | null;
}

export interface WeeklyProfileFit {
  /** Expected trips in one real hour of `hourIndex` (an index into the history's hours of day) on a weekday. */
  mean(weekday: number, hourIndex: number): number;
  /** Predictive variance of that hour's count: Poisson, extra-Poisson, estimation and level-change parts. */
  variance(weekday: number, hourIndex: number): number;
}

/** Days whose level differs from their weekday's by more than this many robust sds are left out (holidays). */
const SCREEN_SDS = 3;
/** Half-width, in hours, of the window over which weekday-to-weekday differences are judged. */
const BIAS_WINDOW_HOURS = 2;
/** The recent level is a weighted mean of daily levels whose weight halves every week. */
const LEVEL_HALF_LIFE_DAYS = 7;
/** z of the 90th percentile of a normal distribution. */
export const Z_90 = 1.2815515655446004;
// Student t 90th percentiles for 1..16 degrees of freedom.
const T_90 = [3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356, 1.35, 1.345, 1.341, 1.337];

/**
 * How much wider an 80% interval must be when a variance is estimated from `degreesOfFreedom`
 * weeks instead of known: (t / z)^2, the Student t correction.
 */
export function estimatedVarianceFactor(degreesOfFreedom: number): number {
  const t = T_90[Math.min(Math.max(1, Math.floor(degreesOfFreedom)), T_90.length) - 1];
  return (t / Z_90) ** 2;
}

/** Fills hours that do not exist (null) with the median of that weekday and hour, so that day totals compare. */
function completeMatrix(days: readonly PastDay[], hours: number): number[][] {
  const fill: number[][] = Array.from({ length: 7 }, (_, weekday) =>
    Array.from({ length: hours }, (_, hour) => {
      const values = days.filter((day) => day.weekday === weekday && day.perHour[hour] !== null).map((day) => day.perHour[hour] as number);
      return values.length > 0 ? median(values) : 0;
    }),
  );
  return days.map((day) => day.perHour.map((value, hour) => value ?? fill[day.weekday][hour]));
}

/**
 * Fits the profile; undefined when there are no days. Steps: day totals and each day's level against
 * its weekday's median day; each week's level (median of its days'); days far from their week's level
 * left out; per weekday and hour a recency-weighted mean of level-normalised counts; each weekday's
 * profile combined with the other weekdays' on the square-root scale with weights 1 / (squared
 * difference beyond noise + noise), judged over a few neighbouring hours (empirical Bayes pooling);
 * times the recent level (an exponentially weighted mean of daily levels, each clipped to its week's).
 */
export function fitWeeklyProfile(days: readonly PastDay[], hours: number, options: WeeklyProfileOptions): WeeklyProfileFit | undefined {
  const n = days.length;
  if (n === 0) return undefined;
  const counts = completeMatrix(days, hours);
  const totals = counts.map((row) => row.reduce((sum, value) => sum + value, 0));
  const weekOf = (index: number): number => Math.floor((n - 1 - index) / 7);
  const weekCount = weekOf(0) + 1;

  const indicesByWeekday: number[][] = Array.from({ length: 7 }, () => []);
  days.forEach((day, index) => indicesByWeekday[day.weekday].push(index));
  const typicalTotal = indicesByWeekday.map((indices) => median(indices.map((index) => totals[index])));
  // +1 keeps the ratio finite and calm for sparse scopes with empty days.
  const dayLevel = days.map((day, index) => (totals[index] + 1) / (typicalTotal[day.weekday] + 1));
  const weekLevel = Array.from({ length: weekCount }, (_, week) => median(dayLevel.filter((_, index) => weekOf(index) === week)));

  // Holidays and odd days: a day whose level is far from its week's is left out of the profile.
  const deviation = dayLevel.map((level, index) => Math.log(level / weekLevel[weekOf(index)]));
  const deviationSd = median(deviation.map(Math.abs)) * MAD_TO_SD;
  const screenLimit = (weekday: number): number => SCREEN_SDS * Math.max(deviationSd, 1 / Math.sqrt(typicalTotal[weekday] + 1));
  const kept = days.map((day, index) => Math.abs(deviation[index]) <= screenLimit(day.weekday));

  const halfLife = options.recencyHalfLifeWeeks;
  const weight = (index: number): number => (halfLife === null ? 1 : 0.5 ** (weekOf(index) / halfLife));
  const profile: number[][] = [];
  const effectiveDays: number[] = [];
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const indices = indicesByWeekday[weekday].filter((index) => kept[index]);
    const weights = indices.map(weight);
    const weightSum = weights.reduce((sum, value) => sum + value, 0);
    const squareSum = weights.reduce((sum, value) => sum + value * value, 0);
    effectiveDays.push(squareSum > 0 ? (weightSum * weightSum) / squareSum : 0);
    profile.push(
      Array.from({ length: hours }, (_, hour) =>
        weightSum > 0
          ? indices.reduce((sum, index, at) => sum + (weights[at] * counts[index][hour]) / weekLevel[weekOf(index)], 0) / weightSum
          : 0,
      ),
    );
  }

  // Extra-Poisson variation: variance = mean + dispersion x mean^2, by moments over weekdays and hours.
  let excess = 0;
  let meanSquares = 0;
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const indices = indicesByWeekday[weekday].filter((index) => kept[index]);
    if (indices.length < 2) continue;
    for (let hour = 0; hour < hours; hour += 1) {
      const mean = profile[weekday][hour];
      const spread =
        indices.reduce((sum, index) => sum + (counts[index][hour] / weekLevel[weekOf(index)] - mean) ** 2, 0) / (indices.length - 1);
      excess += spread - mean;
      meanSquares += mean * mean;
    }
  }
  const dispersion = meanSquares > 0 ? Math.max(0, excess / meanSquares) : 0;
  // Sampling variance of the square root of a weekday-hour mean.
  const noise = (weekday: number, hour: number): number =>
    (1 + dispersion * profile[weekday][hour]) / (4 * Math.max(1, effectiveDays[weekday]));
  const roots = profile.map((row) => row.map(Math.sqrt));
  const overWindow = (hour: number, value: (hour: number) => number): number => {
    let sum = 0;
    let count = 0;
    for (let at = Math.max(0, hour - BIAS_WINDOW_HOURS); at <= Math.min(hours - 1, hour + BIAS_WINDOW_HOURS); at += 1) {
      sum += value(at);
      count += 1;
    }
    return sum / count;
  };

  const pooledRoot: number[][] = Array.from({ length: 7 }, () => new Array<number>(hours).fill(0));
  const pooledRootVariance: number[][] = Array.from({ length: 7 }, () => new Array<number>(hours).fill(0));
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const hasOwn = effectiveDays[weekday] > 0;
    for (let hour = 0; hour < hours; hour += 1) {
      let weightSum = 0;
      let rootSum = 0;
      for (let other = 0; other < 7; other += 1) {
        if (effectiveDays[other] === 0) continue;
        let otherWeight: number;
        if (other === weekday) {
          otherWeight = 1 / noise(weekday, hour);
        } else {
          // How different the other weekday really is here: squared difference less what noise explains.
          const bias = hasOwn
            ? Math.max(
                0,
                overWindow(hour, (at) => (roots[weekday][at] - roots[other][at]) ** 2 - noise(weekday, at) - noise(other, at)),
              )
            : 0;
          otherWeight = 1 / (bias + overWindow(hour, (at) => noise(other, at)));
        }
        weightSum += otherWeight;
        rootSum += otherWeight * roots[other][hour];
      }
      pooledRoot[weekday][hour] = weightSum > 0 ? rootSum / weightSum : 0;
      pooledRootVariance[weekday][hour] = weightSum > 0 ? 1 / weightSum : 0;
    }
  }

  // The recent level: an exponentially weighted mean of daily levels, each first clipped to its week's
  // level +- the screening limit, so that a holiday counts as an ordinary day of its week but a
  // lasting change (every day of a week higher) comes through in full.
  let levelSum = 0;
  let levelWeightSum = 0;
  days.forEach((day, index) => {
    const limit = screenLimit(day.weekday);
    const clipped = Math.min(Math.max(deviation[index], -limit), limit);
    const weight = 0.5 ** ((n - 1 - index) / LEVEL_HALF_LIFE_DAYS);
    levelSum += weight * weekLevel[weekOf(index)] * Math.exp(clipped);
    levelWeightSum += weight;
  });
  const level = levelWeightSum > 0 && Number.isFinite(levelSum) ? levelSum / levelWeightSum : 1;

  // Week-to-week level changes beyond what Poisson noise in weekly totals explains.
  let levelChanges = 0;
  let changeCount = 0;
  for (let week = 0; week + 1 < weekCount; week += 1) {
    levelChanges += Math.log(weekLevel[week] / weekLevel[week + 1]) ** 2;
    changeCount += 1;
  }
  const tripsPerWeek = totals.reduce((sum, total) => sum + total, 0) / (n / 7);
  const levelChangeVariance = changeCount > 0 ? Math.max(0, levelChanges / changeCount - 2 / Math.max(1, tripsPerWeek)) : 0;
  const estimatedFactor = estimatedVarianceFactor(Math.floor(n / 7) - 1);

  return {
    mean(weekday, hourIndex) {
      return pooledRoot[weekday][hourIndex] ** 2 * level;
    },
    variance(weekday, hourIndex) {
      const mean = pooledRoot[weekday][hourIndex] ** 2 * level;
      // Poisson and the uncertainty of the mean follow from the model; the extra-Poisson and level-change
      // variances are estimated from a few weeks, so they are widened as a Student t would be.
      const poisson = mean;
      const ofTheMean = 4 * mean * pooledRootVariance[weekday][hourIndex] * level;
      const extra = dispersion * mean * mean + levelChangeVariance * mean * mean;
      return poisson + ofTheMean + estimatedFactor * extra;
    },
  };
}
