/**
 * A prototype of table format 3's items (docs/table-design.md, "Format 3"), written before the store
 * writes them so that their cost can be estimated: the key and the attribute increments of every
 * target of a trip (src/domain/trip-targets.ts). Format 2's own encoding is the store's
 * (src/store/aggregate-item.ts), used as it is. Phase 2 of issue 10 moves this encoding into src/store
 * (the flow keys into keys.ts, the one place keys are built) and points the estimate at it.
 */
import { hasHourlyDetail } from '../../src/domain/scope';
import { CARD_PAYMENT_INDEX, paymentTypeIndex, tripDurationMs } from '../../src/domain/operations-figures';
import { DURATION_SKETCH, FARE_SKETCH } from '../../src/domain/quantile-sketch';
import { bucketKey, splitHourKey } from '../../src/domain/time';
import type { Trip } from '../../src/domain/trip';
import { targetsOfTrip } from '../../src/domain/aggregate';
import { tripTargets, type TripTarget } from '../../src/domain/trip-targets';
import { tripIncrements } from '../../src/store/aggregate-item';
import { aggregateKey, type ItemKey } from '../../src/store/keys';

/** One item a trip adds to, and what it adds: attribute name -> amount (zero amounts left out). */
export interface ItemIncrement {
  readonly key: ItemKey;
  readonly increments: ReadonlyMap<string, number>;
}

/** The items of an item layout that one trip adds to, at most one entry per item. */
export type ItemLayout = (trip: Trip) => ItemIncrement[];

/** Format 2, as the store writes it today: five pickup aggregates. */
export const format2Layout: ItemLayout = (trip) =>
  targetsOfTrip(trip).map((target) => ({
    key: aggregateKey(target.scope, target.granularity, target.bucketKey),
    increments: tripIncrements(trip, target.granularity, hasHourlyDetail(target.scope, target.granularity)),
  }));

/** Prototype key of a format 3 target (phase 2: src/store/keys.ts). Flow items are `FLOW#HOUR` / `FLOW#DAY`. */
export function format3Key(target: TripTarget): ItemKey {
  return target.kind === 'FLOW'
    ? { pk: `FLOW#${target.granularity}`, sk: target.bucketKey }
    : aggregateKey(target.scope, target.granularity, target.bucketKey);
}

const pad2 = (hour: number) => String(hour).padStart(2, '0');

/**
 * What a trip adds to a format 3 item. Pickup aggregates: format 2's fare figures (zone DAY items only
 * per hour, their day sums being the sums of the hours) and the operations figures, stored so that the
 * common case adds nothing: `dm` duration ms, `u<k>` duration sketch, `px` passengers minus one over
 * trips with a count and `np` trips without one, `y<t>` trips of each payment type but CARD, `nt` / `nf`
 * tips and fares of the non-card trips; zone DAY items carry each per hour (`dm<hh>`, `u<hh>_<k>`,
 * `px<hh>`, `np<hh>`, `y<hh>_<t>`, `nt<hh>`, `nf<hh>`). Flow items: `p<zone>` pickups, `d<zone>` drop-offs.
 */
export function format3Increments(trip: Trip, target: TripTarget): Map<string, number> {
  const increments = new Map<string, number>();
  const add = (name: string, amount: number) => {
    if (amount !== 0) increments.set(name, (increments.get(name) ?? 0) + amount);
  };
  if (target.kind === 'FLOW') {
    if (target.pickupZoneId !== undefined) add(`p${target.pickupZoneId}`, 1);
    if (target.dropoffZoneId !== undefined) add(`d${target.dropoffZoneId}`, 1);
    return increments;
  }
  const hourly = hasHourlyDetail(target.scope, target.granularity);
  const { hourOfDay } = splitHourKey(bucketKey(trip.pickupAtMs, 'HOUR'));
  // Zone DAY items name every figure by hour; other items hold one bucket's figures.
  const hh = hourly ? pad2(hourOfDay) : '';
  const keyed = (prefix: string, key: number) => (hourly ? `${prefix}${hh}_${key}` : `${prefix}${key}`);
  if (hourly) {
    add(`f${hh}`, trip.fareCents);
    add(`t${hh}`, trip.totalCents);
    add(`p${hh}`, trip.tipCents);
    add(`d${hh}`, trip.distanceHundredths);
  } else {
    add('trips', 1);
    add('fareCents', trip.fareCents);
    add('totalCents', trip.totalCents);
    add('tipCents', trip.tipCents);
    add('distanceHundredths', trip.distanceHundredths);
  }
  if (target.granularity === 'DAY') add(`h${pad2(hourOfDay)}`, 1);
  add(keyed('q', FARE_SKETCH.bucketOf(trip.fareCents)), 1);
  const durationMs = tripDurationMs(trip);
  add(`dm${hh}`, durationMs);
  add(keyed('u', DURATION_SKETCH.bucketOf(durationMs)), 1);
  if (trip.passengerCount === undefined) add(`np${hh}`, 1);
  else add(`px${hh}`, trip.passengerCount - 1);
  const payment = paymentTypeIndex(trip.paymentType);
  if (payment !== CARD_PAYMENT_INDEX) {
    add(keyed('y', payment), 1);
    add(`nt${hh}`, trip.tipCents);
    add(`nf${hh}`, trip.fareCents);
  }
  return increments;
}

/** Format 3: the pickup aggregates and the flow buckets of a trip, one entry per item (tripTargets guarantees it). */
export const format3Layout: ItemLayout = (trip) =>
  tripTargets(trip).map((target) => ({ key: format3Key(target), increments: format3Increments(trip, target) }));
