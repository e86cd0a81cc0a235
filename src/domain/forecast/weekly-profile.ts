/**
 * The forecasting model: a robust weekly profile of trips per real hour, pooled across weekdays and
 * neighbouring hours as far as the data shows they are alike, times the recent level; holidays, eves
 * and holiday periods (holidays.ts) set aside and forecast as the days they look like, at a learned
 * factor. Fitted on whole consecutive days of history (`PastDay`s, oldest first, ending the day before
 * the forecast's first day); gives, for a day and hour, the expected trips and the predictive
 * variance. docs/forecast.md explains each step. Pure, and cheap: a fit over 16 weeks of 24 hours
 * takes a few milliseconds, over 16 weeks of one hour a tenth of one.
 */
import { DAYTIME_FROM_HOUR, hourRole, specialDayOfNumber, type SpecialDayKind } from './holidays';
import type { PastDay } from './past-counts';
import { MAD_TO_SD, median } from './robust';

export interface WeeklyProfileOptions {
  /** Weight of a day halves every this many weeks back; null: all weeks alike. */
  recencyHalfLifeWeeks: number | null;
}

export interface WeeklyProfileFit {
  /**
   * Expected trips in one real hour of `hourIndex` (an index into the history's hours of day) on a
   * day (a day number after the history): the profile of the weekday the hour looks like
   * (`hourRole`: its own, or Sunday's / Saturday's on holidays and eves) times the recent level, and
   * on a holiday or eve times the learned special-day factor.
   */
  mean(day: number, hourIndex: number): number;
  /** Predictive variance of that hour's count: Poisson, extra-Poisson, estimation, level-change and special-day parts. */
  variance(day: number, hourIndex: number): number;
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

/**
 * Fills hours that are not usable (null: hours that do not exist, and the night hours after a
 * weekday holiday or eve, which belong to that day) with the median of that weekday and hour over
 * ordinary days, so that day totals compare.
 */
function completeMatrix(
  values: readonly (readonly (number | null)[])[],
  weekdays: readonly number[],
  ordinary: readonly boolean[],
  hours: number,
): (readonly number[])[] {
  // Filled lazily: most histories have no hour to fill, and a fill is a median over the weekday's days.
  const fill = new Map<number, number>();
  const fillOf = (weekday: number, hour: number): number => {
    const key = weekday * hours + hour;
    let value = fill.get(key);
    if (value === undefined) {
      const usable: number[] = [];
      values.forEach((row, index) => {
        if (weekdays[index] === weekday && ordinary[index] && row[hour] !== null) usable.push(row[hour] as number);
      });
      value = usable.length > 0 ? median(usable) : 0;
      fill.set(key, value);
    }
    return value;
  };
  return values.map((row, index) =>
    row.includes(null) ? row.map((value, hour) => value ?? fillOf(weekdays[index], hour)) : (row as number[]),
  );
}

/** What a history's days are, whatever their counts: shared by every series over the same days. */
interface HistoryCalendar {
  weekdays: readonly number[];
  specials: readonly (SpecialDayKind | undefined)[];
  /** Not a holiday or eve (those follow other rules and are kept out of the profile and the level). */
  ordinary: readonly boolean[];
  /** The day after a holiday or eve: its night hours may belong to that day. */
  nightAfterSpecial: readonly boolean[];
  /** Indices of the ordinary days of each weekday. */
  indicesByWeekday: readonly (readonly number[])[];
  /** Indices of the special days of each kind. */
  indicesByKind: ReadonlyMap<SpecialDayKind, readonly number[]>;
  /** Weight of each day in the recent level (halving every LEVEL_HALF_LIFE_DAYS back from the last day). */
  levelWeights: readonly number[];
}

const calendars = new Map<string, HistoryCalendar>();

/**
 * The calendar of consecutive days (as PastCounts holds them), memoised by first day and length:
 * demandPressure fits hundreds of series over the same 112 days, the backtest thousands.
 */
function calendarOf(days: readonly PastDay[]): HistoryCalendar {
  const key = `${days[0].dayNumber}:${days.length}`;
  const cached = calendars.get(key);
  if (cached && cached.weekdays.length === days.length) return cached;
  const weekdays = days.map((day) => day.weekday);
  const specials = days.map((day) => specialDayOfNumber(day.dayNumber)?.kind);
  // Days of holiday periods (long weekends, Christmas week) stay unless they are odd: many are hardly different.
  const ordinary = specials.map((kind) => kind === undefined || kind === 'PERIOD');
  const nightAfterSpecial = days.map(
    (day, index) => index === 0 || !ordinary[index - 1] || day.dayNumber !== days[index - 1].dayNumber + 1,
  );
  const indicesByWeekday: number[][] = Array.from({ length: 7 }, () => []);
  days.forEach((day, index) => {
    if (ordinary[index]) indicesByWeekday[day.weekday].push(index);
  });
  const indicesByKind = new Map<SpecialDayKind, number[]>();
  specials.forEach((kind, index) => {
    if (kind !== undefined) indicesByKind.set(kind, [...(indicesByKind.get(kind) ?? []), index]);
  });
  const levelWeights = days.map((_, index) => 0.5 ** ((days.length - 1 - index) / LEVEL_HALF_LIFE_DAYS));
  const calendar = { weekdays, specials, ordinary, nightAfterSpecial, indicesByWeekday, indicesByKind, levelWeights };
  if (calendars.size > 1_000) calendars.clear();
  calendars.set(key, calendar);
  return calendar;
}

/**
 * Fits the profile; undefined when there are no days. Steps: holidays and eves (holidays.ts) set
 * aside; day totals and each day's level against its weekday's median day; each week's level (median
 * of its days'); days far from their week's level left out; per weekday and hour a recency-weighted
 * mean of level-normalised counts; each weekday's profile combined with the other weekdays' on the
 * square-root scale with weights 1 / (squared difference beyond noise + noise), judged over a few
 * neighbouring hours (empirical Bayes pooling); times the recent level (an exponentially weighted
 * mean of daily levels, each clipped to its week's); the special days set aside teach how far a
 * holiday or eve falls below the day it looks like.
 */
export function fitWeeklyProfile(
  days: readonly PastDay[],
  hoursOfDay: readonly number[],
  options: WeeklyProfileOptions,
): WeeklyProfileFit | undefined {
  const n = days.length;
  if (n === 0) return undefined;
  const hours = hoursOfDay.length;
  const { weekdays, ordinary, nightAfterSpecial, indicesByWeekday, indicesByKind, levelWeights } = calendarOf(days);
  // The night hours after a weekday holiday or eve belong to it (New Year's night is not a Sunday night).
  const usable = days.map((day, index) =>
    nightAfterSpecial[index]
      ? day.perHour.map((value, hour) =>
          hoursOfDay[hour] < DAYTIME_FROM_HOUR && hourRole(day.dayNumber, hoursOfDay[hour]) !== day.weekday ? null : value,
        )
      : day.perHour,
  );
  const counts = completeMatrix(usable, weekdays, ordinary, hours);
  const totals = counts.map((row) => row.reduce((sum, value) => sum + value, 0));
  const weekOf = (index: number): number => Math.floor((n - 1 - index) / 7);
  const weekCount = weekOf(0) + 1;

  const typicalTotal = indicesByWeekday.map((indices) => median(indices.map((index) => totals[index])));
  // +1 keeps the ratio finite and calm for sparse scopes with empty days.
  const dayLevel = days.map(
    (day, index) => (totals[index] + 1) / ((Number.isNaN(typicalTotal[day.weekday]) ? totals[index] : typicalTotal[day.weekday]) + 1),
  );
  const levelsByWeek: number[][] = Array.from({ length: weekCount }, () => []);
  dayLevel.forEach((level, index) => {
    if (ordinary[index]) levelsByWeek[weekOf(index)].push(level);
  });
  const weekLevel = levelsByWeek.map((levels) => (levels.length > 0 ? median(levels) : 1));

  // Odd days the calendar does not know (storms, marathons): a day whose level is far from its week's is left out of the profile.
  const deviation = dayLevel.map((level, index) => Math.log(level / weekLevel[weekOf(index)]));
  const deviationSd = median(deviation.filter((_, index) => ordinary[index]).map(Math.abs)) * MAD_TO_SD || 0;
  const screenLimit = (weekday: number): number => SCREEN_SDS * Math.max(deviationSd, 1 / Math.sqrt((typicalTotal[weekday] || 0) + 1));
  const kept = days.map((day, index) => ordinary[index] && Math.abs(deviation[index]) <= screenLimit(day.weekday));

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

  // A whole day of hours: neighbouring hours are alike too.
  if (hours === 24) smoothAcrossHours(pooledRoot, pooledRootVariance);

  // The recent level: an exponentially weighted mean of the ordinary days' levels, each first clipped to its
  // week's level +- the screening limit, so that an odd day counts as an ordinary day of its week but a
  // lasting change (every day of a week higher) comes through in full.
  let levelSum = 0;
  let levelWeightSum = 0;
  days.forEach((day, index) => {
    if (!ordinary[index]) return;
    const limit = screenLimit(day.weekday);
    const clipped = Math.min(Math.max(deviation[index], -limit), limit);
    levelSum += levelWeights[index] * weekLevel[weekOf(index)] * Math.exp(clipped);
    levelWeightSum += levelWeights[index];
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

  const effects = new Map(
    SPECIAL_DAY_KINDS.map((kind) => [
      kind,
      specialDayEffect(
        kind,
        indicesByKind.get(kind) ?? [],
        days,
        hoursOfDay,
        (index, hour) => pooledRoot[hourRole(days[index].dayNumber, hoursOfDay[hour])][hour] ** 2 * weekLevel[weekOf(index)],
        dispersion,
      ),
    ]),
  );
  /** The special-day effect on an hour: on the daytime hours of holidays, eves and period days. */
  const effectOn = (day: number, hourIndex: number): SpecialDayEffect | undefined => {
    const special = specialDayOfNumber(day);
    return special === undefined || !isAffectedHour(special.kind, hoursOfDay[hourIndex]) ? undefined : effects.get(special.kind);
  };

  const meanOf = (day: number, hourIndex: number): number => {
    const base = pooledRoot[hourRole(day, hoursOfDay[hourIndex])][hourIndex] ** 2 * level;
    return base * (effectOn(day, hourIndex)?.factor ?? 1);
  };
  return {
    mean: meanOf,
    variance(day, hourIndex) {
      const role = hourRole(day, hoursOfDay[hourIndex]);
      const mean = meanOf(day, hourIndex);
      // Poisson and the uncertainty of the mean follow from the model; the extra-Poisson and level-change
      // variances are estimated from a few weeks, so they are widened as a Student t would be.
      const poisson = mean;
      const ofTheMean = 4 * mean * pooledRootVariance[role][hourIndex] * level;
      const extra = dispersion * mean * mean + levelChangeVariance * mean * mean;
      const specialDay = (effectOn(day, hourIndex)?.logVariance ?? 0) * mean * mean;
      return poisson + ofTheMean + estimatedFactor * extra + specialDay;
    },
  };
}

const SPECIAL_DAY_KINDS: readonly SpecialDayKind[] = ['HOLIDAY', 'EVE', 'PERIOD'];

/**
 * The hours a special day changes: all of a period day's (fewer people in town, day and night); the
 * daytime of a holiday or eve (its night hours belong to the evening before, an ordinary one).
 */
function isAffectedHour(kind: SpecialDayKind, hourOfDay: number): boolean {
  return kind === 'PERIOD' || hourOfDay >= DAYTIME_FROM_HOUR;
}

/** Prior sd of the mean log effect of a kind of special day against the day it looks like (0: just like it). */
const SPECIAL_EFFECT_PRIOR_SD = 0.25;
/** How much one special day's log effect differs from another's of the same kind (sd). */
const SPECIAL_EFFECT_SPREAD_SD = 0.25;

interface SpecialDayEffect {
  /** Expected trips on such a day's daytime hours, against the day it looks like. */
  factor: number;
  /** Variance of the log of the factor for a day to come (how unsure it is). */
  logVariance: number;
}

/**
 * How far the special days of a kind fall below the day they look like (their role's profile at
 * their week's level), learned from the days of that kind in the history and shrunk toward "just
 * like it" (factor 1): the kind's mean log effect has a normal prior (sd SPECIAL_EFFECT_PRIOR_SD),
 * each day's effect spreads around it (SPECIAL_EFFECT_SPREAD_SD), and each is observed through its
 * daytime counts with Poisson and extra-Poisson noise.
 */
function specialDayEffect(
  kind: SpecialDayKind,
  indices: readonly number[],
  days: readonly PastDay[],
  hoursOfDay: readonly number[],
  expectedOf: (dayIndex: number, hourIndex: number) => number,
  dispersion: number,
): SpecialDayEffect {
  const spread = SPECIAL_EFFECT_SPREAD_SD ** 2;
  let precision = 1 / SPECIAL_EFFECT_PRIOR_SD ** 2;
  let weighted = 0;
  for (const index of indices) {
    const day = days[index];
    let expected = 0;
    let expectedSquares = 0;
    let actual = 0;
    day.perHour.forEach((value, hour) => {
      if (value === null || !isAffectedHour(kind, hoursOfDay[hour])) return;
      const mean = expectedOf(index, hour);
      expected += mean;
      expectedSquares += mean * mean;
      actual += value;
    });
    if (expected === 0 && actual === 0) continue;
    const observed = Math.log((actual + 0.5) / (expected + 0.5));
    const noise = 1 / (expected + 0.5) + (dispersion * expectedSquares) / (expected + 0.5) ** 2;
    precision += 1 / (spread + noise);
    weighted += observed / (spread + noise);
  }
  return { factor: Math.exp(weighted / precision), logVariance: spread + 1 / precision };
}

/**
 * Neighbouring hours of a weekday are alike too: each hour's square-root value is combined with the
 * mean of the hours on either side, as far as the profile's observed roughness beyond noise allows
 * (empirical Bayes over all weekdays and hours). Sparse scopes, whose single hours are mostly noise,
 * borrow from their neighbours; busy ones keep their sharp peaks.
 */
function smoothAcrossHours(roots: number[][], variances: number[][]): void {
  const hours = roots[0].length;
  let roughness = 0;
  let count = 0;
  for (const [weekday, row] of roots.entries()) {
    for (let hour = 1; hour + 1 < hours; hour += 1) {
      const neighbours = (row[hour - 1] + row[hour + 1]) / 2;
      const noise = variances[weekday][hour] + (variances[weekday][hour - 1] + variances[weekday][hour + 1]) / 4;
      roughness += (row[hour] - neighbours) ** 2 - noise;
      count += 1;
    }
  }
  const signal = Math.max(0, roughness / Math.max(1, count));
  for (const [weekday, row] of roots.entries()) {
    const original = [...row];
    const originalVariance = [...variances[weekday]];
    for (let hour = 0; hour < hours; hour += 1) {
      // Hour 0 follows the previous weekday's last hour; the last hour is followed by the next weekday's first.
      const before = hour > 0 ? original[hour - 1] : roots[(weekday + 6) % 7][hours - 1];
      const after = hour + 1 < hours ? original[hour + 1] : roots[(weekday + 1) % 7][0];
      const neighbours = (before + after) / 2;
      const neighboursVariance =
        ((hour > 0 ? originalVariance[hour - 1] : variances[(weekday + 6) % 7][hours - 1]) +
          (hour + 1 < hours ? originalVariance[hour + 1] : variances[(weekday + 1) % 7][0])) /
        4;
      const own = originalVariance[hour];
      const shrink = own / (own + signal + neighboursVariance);
      row[hour] = (1 - shrink) * original[hour] + shrink * neighbours;
      variances[weekday][hour] = (1 - shrink) ** 2 * own + shrink ** 2 * (neighboursVariance + signal);
    }
  }
}
