/**
 * When each trip of a paced replay is sent: trips keep their pickup-time spacing, compressed by the
 * speedup (3600 = one hour of trips per second). Pure functions, so the schedule is tested without
 * timers; replay-files.ts only sleeps until each group's time.
 */

/**
 * The longest stretch of pickup time, between two consecutive trips, that a paced replay waits out.
 * TLC files hold a few pickups years away from the month (2008-12-31 in a 2020 file); without a cap
 * one of them would hold the replay for hours.
 */
export const DEFAULT_MAX_PICKUP_GAP_MS = 3_600_000;

/** Trips sent together: positions [start, end) of the sorted schedule, due at `atMs` after the start. */
export interface SendGroup {
  atMs: number;
  start: number;
  end: number;
}

/**
 * The send offset of every trip, in milliseconds after the replay starts, in input order: the
 * earliest pickup goes at 0 and each later trip at (its pickup - the earliest) / speedup, except that
 * every gap between consecutive pickups is first capped at `maxGapMs` of pickup time, so outliers are
 * sent soon after their neighbours instead of waited for. Input need not be sorted; equal pickups get
 * equal offsets. Throws RangeError for a speedup that is not a positive finite number or a non-finite pickup.
 */
export function pacingOffsets(pickupsMs: readonly number[], speedup: number, maxGapMs = DEFAULT_MAX_PICKUP_GAP_MS): number[] {
  if (!Number.isFinite(speedup) || speedup <= 0) throw new RangeError(`speedup must be a positive number, got ${speedup}`);
  if (!(maxGapMs >= 0)) throw new RangeError(`maxGapMs must be >= 0, got ${maxGapMs}`);
  const badPickup = pickupsMs.find((pickup) => !Number.isFinite(pickup));
  if (badPickup !== undefined) throw new RangeError(`pickup times must be finite, got ${badPickup}`);

  const order = pickupsMs.map((_, index) => index).sort((a, b) => pickupsMs[a] - pickupsMs[b] || a - b);
  const offsets = new Array<number>(pickupsMs.length);
  let elapsedPickupMs = 0;
  let previousPickup = order.length > 0 ? pickupsMs[order[0]] : 0;
  for (const index of order) {
    elapsedPickupMs += Math.min(pickupsMs[index] - previousPickup, maxGapMs);
    previousPickup = pickupsMs[index];
    offsets[index] = elapsedPickupMs / speedup;
  }
  return offsets;
}

/**
 * Splits a sorted (ascending) list of send offsets into calls: a group starts at the first trip not yet
 * sent and takes every trip due within `tickMs` of it, at most `maxGroupSize`; it is sent when its last
 * trip is due, so no trip leaves before its time and none more than `tickMs` late (while the stack keeps
 * up). Grouping is what keeps a fast replay at a few calls per second instead of one call per trip.
 */
export function sendGroups(sortedOffsetsMs: readonly number[], tickMs: number, maxGroupSize: number): SendGroup[] {
  if (!(tickMs >= 0)) throw new RangeError(`tickMs must be >= 0, got ${tickMs}`);
  if (!Number.isInteger(maxGroupSize) || maxGroupSize < 1)
    throw new RangeError(`maxGroupSize must be a positive integer, got ${maxGroupSize}`);
  const groups: SendGroup[] = [];
  let start = 0;
  while (start < sortedOffsetsMs.length) {
    const windowEnd = sortedOffsetsMs[start] + tickMs;
    let end = start + 1;
    while (end < sortedOffsetsMs.length && end - start < maxGroupSize && sortedOffsetsMs[end] <= windowEnd) end += 1;
    groups.push({ atMs: sortedOffsetsMs[end - 1], start, end });
    start = end;
  }
  return groups;
}
