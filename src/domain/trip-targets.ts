/**
 * Every stored aggregate a valid trip contributes to in table format 3 (docs/table-design.md, "Format
 * 3"), in domain terms: the pickup's city, borough and zone aggregates, which carry all its fare and
 * operations figures, and the city-wide flow buckets of its pickup and of its drop-off. Pure.
 */
import { targetId, targetsOfTrip, type AggregateTarget } from './aggregate';
import { flowTargetsOfTrip, type FlowTarget } from './flows';
import type { Trip } from './trip';

/** A pickup aggregate: all of the trip's figures, in the bucket and scopes of its pickup. */
export interface PickupAggregateTarget extends AggregateTarget {
  readonly kind: 'AGGREGATE';
}

/** Where a trip counts: a pickup aggregate or a flow bucket. */
export type TripTarget = PickupAggregateTarget | FlowTarget;

/**
 * The targets of a valid trip: five pickup aggregates (city and borough HOUR and DAY, zone DAY) and two
 * to four flow buckets (HOUR and DAY of its pickup and of its drop-off). No two share a tripTargetId:
 * each stored item gets at most one contribution per trip, which the exactly-once marks require (an
 * item's mark moves once per stream record).
 */
export function tripTargets(trip: Trip): TripTarget[] {
  return [...targetsOfTrip(trip).map((target): PickupAggregateTarget => ({ kind: 'AGGREGATE', ...target })), ...flowTargetsOfTrip(trip)];
}

/**
 * A string identity of the item a target lands in, for grouping a batch's contributions in memory.
 * Pickup aggregates keep the identity targetId gives them; flow buckets are `FLOW|<granularity>|<key>`.
 */
export function tripTargetId(target: TripTarget): string {
  return target.kind === 'FLOW' ? `FLOW|${target.granularity}|${target.bucketKey}` : targetId(target);
}
