/**
 * Zone flows: where trips start and where cabs end up (docs/insights-contract.md,
 * "zoneFlows"). A trip is a pickup in its pickup zone, counted in the local hour (and day) of its
 * pickup, and a drop-off in its drop-off zone, counted in the local hour (and day) of its drop-off:
 * two different buckets whenever the ride crosses an hour. The counts of all zones for one bucket
 * live together in one city-wide flow aggregate, so a year of zoneFlows is a year of DAY flow items,
 * not 263 zones times 365 days. Additive, like every aggregate. Pure.
 */
import type { StoredGranularity } from './scope';
import { bucketKey } from './time';
import type { Trip } from './trip';

/** Pickups and drop-offs per taxi zone (zone id -> trips) in one HOUR or DAY bucket, city-wide. */
export interface FlowCounts {
  pickups: Map<number, number>;
  dropoffs: Map<number, number>;
}

/**
 * A city-wide flow bucket a trip counts in, and what it counts there: its pickup zone when the bucket
 * holds its pickup hour (or day), its drop-off zone when it holds its drop-off hour (or day), both when
 * the trip starts and ends in the bucket. One target per bucket, so that a record contributes to an
 * item at most once (an item's exactly-once mark advances once per record).
 */
export interface FlowTarget {
  readonly kind: 'FLOW';
  readonly granularity: StoredGranularity;
  readonly bucketKey: string;
  readonly pickupZoneId?: number;
  readonly dropoffZoneId?: number;
}

const FLOW_GRANULARITIES: readonly StoredGranularity[] = ['HOUR', 'DAY'];

/**
 * The flow buckets of a valid trip: for HOUR and for DAY, the bucket of its pickup time and the bucket of
 * its drop-off time (New York local), merged into one target when they are the same bucket. Two to four
 * targets.
 */
export function flowTargetsOfTrip(trip: Trip): FlowTarget[] {
  const targets: FlowTarget[] = [];
  for (const granularity of FLOW_GRANULARITIES) {
    const pickupKey = bucketKey(trip.pickupAtMs, granularity);
    const dropoffKey = bucketKey(trip.dropoffAtMs, granularity);
    if (pickupKey === dropoffKey) {
      targets.push({ kind: 'FLOW', granularity, bucketKey: pickupKey, pickupZoneId: trip.pickupZoneId, dropoffZoneId: trip.dropoffZoneId });
    } else {
      targets.push({ kind: 'FLOW', granularity, bucketKey: pickupKey, pickupZoneId: trip.pickupZoneId });
      targets.push({ kind: 'FLOW', granularity, bucketKey: dropoffKey, dropoffZoneId: trip.dropoffZoneId });
    }
  }
  return targets;
}

/** Flow counts of no trips. */
export function emptyFlows(): FlowCounts {
  return { pickups: new Map(), dropoffs: new Map() };
}

/** Adds what one trip counts in a flow target (mutates and returns `counts`). */
export function addFlow(counts: FlowCounts, target: FlowTarget): FlowCounts {
  if (target.pickupZoneId !== undefined) increment(counts.pickups, target.pickupZoneId, 1);
  if (target.dropoffZoneId !== undefined) increment(counts.dropoffs, target.dropoffZoneId, 1);
  return counts;
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function mergeFlows(into: FlowCounts, from: FlowCounts): FlowCounts {
  for (const [zoneId, trips] of from.pickups) increment(into.pickups, zoneId, trips);
  for (const [zoneId, trips] of from.dropoffs) increment(into.dropoffs, zoneId, trips);
  return into;
}

function increment(counts: Map<number, number>, zoneId: number, trips: number): void {
  counts.set(zoneId, (counts.get(zoneId) ?? 0) + trips);
}
