/**
 * The public numbers of `zoneFlows` (docs/insights-contract.md, "zoneFlows") from the
 * city-wide flow aggregates: which DAY and HOUR flow items a range needs, and the per-zone pickups,
 * drop-offs and net they add up to. A local hour counts when its start is in the range; a DAY item
 * stands for its hours only when all of them start in the range, so a day-aligned range reads one item
 * per day and any other range adds the hours of its partial first and last days. Pure.
 */
import type { BoroughCode } from './borough';
import { emptyFlows, mergeFlows, type FlowCounts } from './flows';
import { bucketKey, bucketKeysInRange, bucketStart, nextBucketKey } from './time';
import { findZone } from './zones';

/** A stored flow aggregate as read back: its HOUR or DAY key and the counts of every zone. */
export interface FlowBucket {
  bucketKey: string;
  flows: FlowCounts;
}

/**
 * The flow items a range needs, as inclusive key spans: the whole days (at most one span of DAY keys)
 * and the hours of the partial days before and after them (at most two spans of HOUR keys).
 */
export interface ZoneFlowsReadPlan {
  days?: [string, string];
  hours: Array<[string, string]>;
}

export interface ZoneFlowResult {
  zoneId: number;
  zoneName: string;
  borough: BoroughCode;
  pickups: number;
  dropoffs: number;
  /** dropoffs - pickups: positive where cabs pile up, negative where demand outruns arrivals. */
  net: number;
}

export interface ZoneFlowsResult {
  /** Zones with a pickup or a drop-off in the range (and the borough, when given), by zoneId. */
  zones: ZoneFlowResult[];
  totalPickups: number;
  totalDropoffs: number;
}

/** Whether every local hour of a day starts in [fromMs, toMs): its midnight and its 23:00 (which every New York day has). */
function isWholeDayInRange(dayKey: string, fromMs: number, toMs: number): boolean {
  return bucketStart(dayKey, 'DAY') >= fromMs && bucketStart(`${dayKey}T23`, 'HOUR') < toMs;
}

/** The keys of the hours that start in [fromMs, toMs) as one inclusive span, or none. */
function hourSpan(fromMs: number, toMs: number): Array<[string, string]> {
  const keys = bucketKeysInRange(fromMs, toMs, 'HOUR');
  return keys.length === 0 ? [] : [[keys[0], keys[keys.length - 1]]];
}

/**
 * Which flow items zoneFlows over [fromMs, toMs) reads: DAY items for the days all of whose hours start
 * in the range, HOUR items for the hours that start in the range on the other days. A day-aligned year
 * reads its 365 or 366 DAY items and nothing else; any range reads at most 2 x 23 HOUR items besides.
 */
export function zoneFlowsReadPlan(fromMs: number, toMs: number): ZoneFlowsReadPlan {
  if (!(fromMs < toMs)) return { hours: [] };
  const wholeDays = bucketKeysInRange(fromMs, toMs, 'DAY').filter((dayKey) => isWholeDayInRange(dayKey, fromMs, toMs));
  if (wholeDays.length === 0) return { hours: hourSpan(fromMs, toMs) };
  const firstDay = wholeDays[0];
  const lastDay = wholeDays[wholeDays.length - 1];
  // Whole days are consecutive: a day between two whole days has all its hours in the range too.
  return {
    days: [firstDay, lastDay],
    hours: [...hourSpan(fromMs, bucketStart(firstDay, 'DAY')), ...hourSpan(bucketStart(nextBucketKey(lastDay, 'DAY'), 'DAY'), toMs)],
  };
}

/**
 * Per-zone pickups, drop-offs and net over [fromMs, toMs) from the flow items read for it (see
 * zoneFlowsReadPlan). Items the range does not cover are ignored, as are hours of days a DAY item
 * already counts, so a wider read cannot count twice. With `borough`, only that borough's zones.
 */
export function computeZoneFlows(
  days: readonly FlowBucket[],
  hours: readonly FlowBucket[],
  fromMs: number,
  toMs: number,
  borough?: BoroughCode,
): ZoneFlowsResult {
  const total = emptyFlows();
  const countedDays = new Set<string>();
  for (const day of days) {
    if (countedDays.has(day.bucketKey) || !isWholeDayInRange(day.bucketKey, fromMs, toMs)) continue;
    countedDays.add(day.bucketKey);
    mergeFlows(total, day.flows);
  }
  const countedHours = new Set<string>();
  for (const hour of hours) {
    const startMs = bucketStart(hour.bucketKey, 'HOUR');
    if (startMs < fromMs || startMs >= toMs || countedHours.has(hour.bucketKey)) continue;
    if (countedDays.has(bucketKey(startMs, 'DAY'))) continue;
    countedHours.add(hour.bucketKey);
    mergeFlows(total, hour.flows);
  }
  const zoneIds = new Set([...total.pickups.keys(), ...total.dropoffs.keys()]);
  const zones: ZoneFlowResult[] = [];
  for (const zoneId of [...zoneIds].sort((a, b) => a - b)) {
    const zone = findZone(zoneId);
    if (!zone || (borough !== undefined && zone.borough !== borough)) continue;
    const pickups = total.pickups.get(zoneId) ?? 0;
    const dropoffs = total.dropoffs.get(zoneId) ?? 0;
    if (pickups === 0 && dropoffs === 0) continue;
    zones.push({ zoneId, zoneName: zone.name, borough: zone.borough, pickups, dropoffs, net: dropoffs - pickups });
  }
  return {
    zones,
    totalPickups: zones.reduce((sum, zone) => sum + zone.pickups, 0),
    totalDropoffs: zones.reduce((sum, zone) => sum + zone.dropoffs, 0),
  };
}
