/**
 * How a fare aggregate is laid out as a DynamoDB item: one number attribute per sum, per hour of day
 * (DAY items) and per fare-sketch bucket, so that every part can be added to with ADD.
 */
import { emptyAggregate, type FareAggregate } from '../domain/aggregate';
import { sketchBucketOf } from '../domain/quantile-sketch';
import type { StoredGranularity } from '../domain/scope';
import { bucketKey, splitHourKey } from '../domain/time';
import type { Trip } from '../domain/trip';

const SKETCH_PREFIX = 'q';
const HOUR_PREFIX = 'h';
const HOUR_ATTRIBUTES = Array.from({ length: 24 }, (_, hour) => `${HOUR_PREFIX}${String(hour).padStart(2, '0')}`);

/** What one trip adds to an aggregate item of a granularity. */
export function tripIncrements(trip: Trip, granularity: StoredGranularity): Map<string, number> {
  const increments = new Map<string, number>([
    ['trips', 1],
    ['fareCents', trip.fareCents],
    ['totalCents', trip.totalCents],
    ['tipCents', trip.tipCents],
    ['distanceHundredths', trip.distanceHundredths],
    [`${SKETCH_PREFIX}${sketchBucketOf(trip.fareCents)}`, 1],
  ]);
  if (granularity === 'DAY') {
    const { hourOfDay } = splitHourKey(bucketKey(trip.pickupAtMs, 'HOUR'));
    increments.set(HOUR_ATTRIBUTES[hourOfDay], 1);
  }
  return increments;
}

/** Reads an aggregate item back into the domain's shape. */
export function aggregateFromItem(item: Record<string, unknown>, granularity: StoredGranularity): FareAggregate {
  const aggregate = emptyAggregate(granularity);
  aggregate.trips = numberOf(item.trips);
  aggregate.fareCents = numberOf(item.fareCents);
  aggregate.totalCents = numberOf(item.totalCents);
  aggregate.tipCents = numberOf(item.tipCents);
  aggregate.distanceHundredths = numberOf(item.distanceHundredths);
  if (aggregate.tripsByHourOfDay) {
    HOUR_ATTRIBUTES.forEach((name, hour) => (aggregate.tripsByHourOfDay![hour] = numberOf(item[name])));
  }
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(SKETCH_PREFIX) && /^q\d+$/.test(name)) aggregate.fareSketch.set(Number(name.slice(1)), numberOf(value));
  }
  return aggregate;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
