/**
 * Aggregates: what one bucket of one scope knows about its trips, fare figures and operations figures.
 * Additive (sums, counts, sketch bucket counts), so contributions can
 * be summed within a batch and applied with ADD, and DAY aggregates can be merged into WEEK and MONTH at
 * read time. Pure.
 */
import { addTripOperations, emptyOperations, mergeOperations, type OperationsFigures } from './operations-figures';
import { sketchBucketOf, mergeCounts } from './quantile-sketch';
import { scopesOfPickupZone, storedGranularitiesOf, type AggregateScope, type StoredGranularity } from './scope';
import { bucketKey, splitHourKey } from './time';
import type { Trip } from './trip';

export interface FareAggregate {
  trips: number;
  fareCents: number;
  totalCents: number;
  tipCents: number;
  distanceHundredths: number;
  /** DAY aggregates only: trips per local hour of day (index 0..23), for peak hours without HOUR reads. */
  tripsByHourOfDay?: number[];
  /** Fare quantile sketch: bucket index -> trips. */
  fareSketch: Map<number, number>;
  /** Durations, passengers, payment types and card tips (the `operations` insight). */
  operations: OperationsFigures;
  /** Zone DAY aggregates only: the same figures for each local hour of day (index 0..23). */
  hourly?: FareAggregate[];
}

/** Which aggregate a trip contributes to: a scope, a stored granularity, a bucket. */
export interface AggregateTarget {
  readonly scope: AggregateScope;
  readonly granularity: StoredGranularity;
  readonly bucketKey: string;
}

/**
 * An aggregate with no trips; DAY aggregates count trips per hour of day, `hourlyDetail` ones keep each
 * hour's figures.
 */
export function emptyAggregate(granularity: StoredGranularity, hourlyDetail = false): FareAggregate {
  return {
    trips: 0,
    fareCents: 0,
    totalCents: 0,
    tipCents: 0,
    distanceHundredths: 0,
    tripsByHourOfDay: granularity === 'DAY' ? new Array<number>(24).fill(0) : undefined,
    fareSketch: new Map(),
    operations: emptyOperations(),
    hourly: hourlyDetail ? Array.from({ length: 24 }, () => emptyAggregate('HOUR')) : undefined,
  };
}

/** The aggregates a valid trip counts in: city and borough HOUR and DAY, zone DAY, of its pickup. */
export function targetsOfTrip(trip: Trip): AggregateTarget[] {
  const targets: AggregateTarget[] = [];
  for (const scope of scopesOfPickupZone(trip.pickupZoneId)) {
    for (const granularity of storedGranularitiesOf(scope)) {
      targets.push({ scope, granularity, bucketKey: bucketKey(trip.pickupAtMs, granularity) });
    }
  }
  return targets;
}

/** A string identity of a target, for grouping contributions in memory. */
export function targetId(target: AggregateTarget): string {
  const { scope } = target;
  const scopePart = scope.kind === 'CITY' ? 'CITY' : scope.kind === 'BOROUGH' ? `B:${scope.borough}` : `Z:${scope.zoneId}`;
  return `${scopePart}|${target.granularity}|${target.bucketKey}`;
}

/** Adds one trip to an aggregate (mutates it), fare and operations figures. */
export function addTrip(aggregate: FareAggregate, trip: Trip): FareAggregate {
  aggregate.trips += 1;
  aggregate.fareCents += trip.fareCents;
  aggregate.totalCents += trip.totalCents;
  aggregate.tipCents += trip.tipCents;
  aggregate.distanceHundredths += trip.distanceHundredths;
  addTripOperations(aggregate.operations, trip);
  if (aggregate.tripsByHourOfDay) {
    const { hourOfDay } = splitHourKey(bucketKey(trip.pickupAtMs, 'HOUR'));
    aggregate.tripsByHourOfDay[hourOfDay] += 1;
    if (aggregate.hourly) addTrip(aggregate.hourly[hourOfDay], trip);
  }
  const bucket = sketchBucketOf(trip.fareCents);
  aggregate.fareSketch.set(bucket, (aggregate.fareSketch.get(bucket) ?? 0) + 1);
  return aggregate;
}

/** Adds `from` into `into` (mutates `into`). */
export function mergeAggregate(into: FareAggregate, from: FareAggregate): FareAggregate {
  into.trips += from.trips;
  into.fareCents += from.fareCents;
  into.totalCents += from.totalCents;
  into.tipCents += from.tipCents;
  into.distanceHundredths += from.distanceHundredths;
  mergeOperations(into.operations, from.operations);
  if (from.tripsByHourOfDay) {
    into.tripsByHourOfDay ??= new Array<number>(24).fill(0);
    from.tripsByHourOfDay.forEach((trips, hour) => (into.tripsByHourOfDay![hour] += trips));
  }
  mergeCounts(into.fareSketch, from.fareSketch);
  return into;
}

/** The hour aggregates of a DAY aggregate with hourly detail, keyed by HOUR bucket key. */
export function hoursOfDay(dayKey: string, aggregate: FareAggregate): Array<{ bucketKey: string; aggregate: FareAggregate }> {
  return (aggregate.hourly ?? []).flatMap((hour, hourOfDay) =>
    hour.trips > 0 ? [{ bucketKey: `${dayKey}T${String(hourOfDay).padStart(2, '0')}`, aggregate: hour }] : [],
  );
}
