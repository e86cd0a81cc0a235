/**
 * How a fare aggregate is laid out as a DynamoDB item: one number attribute per sum, per hour of day
 * (DAY items) and per fare-sketch bucket, so that every part can be added to with ADD.
 *
 * City and borough items: `trips fareCents totalCents tipCents distanceHundredths`, sketch `q<k>`,
 * and on DAY items trips per hour `h00`..`h23`.
 * Zone DAY items (hourly detail): the day sums and `h<hh>`, plus each hour's sums `f<hh> t<hh> p<hh>
 * d<hh>` and sketch `q<hh>_<k>`; the day's sketch is the merge of its hours' sketches.
 */
import { emptyAggregate, type FareAggregate } from '../domain/aggregate';
import { mergeCounts, sketchBucketOf } from '../domain/quantile-sketch';
import type { StoredGranularity } from '../domain/scope';
import { bucketKey, splitHourKey } from '../domain/time';
import type { Trip } from '../domain/trip';

const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));
const SKETCH_ATTRIBUTE = /^q(?:(\d\d)_)?(\d+)$/;
const HOURLY_SUM_ATTRIBUTES = { f: 'fareCents', t: 'totalCents', p: 'tipCents', d: 'distanceHundredths' } as const;

/** What one trip adds to an aggregate item of a granularity (with or without hourly detail). */
export function tripIncrements(trip: Trip, granularity: StoredGranularity, hourlyDetail: boolean): Map<string, number> {
  const increments = new Map<string, number>([
    ['trips', 1],
    ['fareCents', trip.fareCents],
    ['totalCents', trip.totalCents],
    ['tipCents', trip.tipCents],
    ['distanceHundredths', trip.distanceHundredths],
  ]);
  const sketchBucket = sketchBucketOf(trip.fareCents);
  if (granularity !== 'DAY') {
    increments.set(`q${sketchBucket}`, 1);
    return increments;
  }
  const hour = HOURS[splitHourKey(bucketKey(trip.pickupAtMs, 'HOUR')).hourOfDay];
  increments.set(`h${hour}`, 1);
  if (!hourlyDetail) {
    increments.set(`q${sketchBucket}`, 1);
    return increments;
  }
  for (const [prefix, field] of Object.entries(HOURLY_SUM_ATTRIBUTES)) increments.set(`${prefix}${hour}`, trip[field]);
  increments.set(`q${hour}_${sketchBucket}`, 1);
  return increments;
}

/** Reads an aggregate item back into the domain's shape. */
export function aggregateFromItem(item: Record<string, unknown>, granularity: StoredGranularity, hourlyDetail: boolean): FareAggregate {
  const aggregate = emptyAggregate(granularity, hourlyDetail);
  aggregate.trips = numberOf(item.trips);
  aggregate.fareCents = numberOf(item.fareCents);
  aggregate.totalCents = numberOf(item.totalCents);
  aggregate.tipCents = numberOf(item.tipCents);
  aggregate.distanceHundredths = numberOf(item.distanceHundredths);
  if (aggregate.tripsByHourOfDay) {
    HOURS.forEach((hour, index) => (aggregate.tripsByHourOfDay![index] = numberOf(item[`h${hour}`])));
  }
  if (aggregate.hourly) {
    HOURS.forEach((hour, index) => {
      const hourly = aggregate.hourly![index];
      hourly.trips = aggregate.tripsByHourOfDay![index];
      for (const [prefix, field] of Object.entries(HOURLY_SUM_ATTRIBUTES)) hourly[field] = numberOf(item[`${prefix}${hour}`]);
    });
  }
  for (const [name, value] of Object.entries(item)) {
    const match = SKETCH_ATTRIBUTE.exec(name);
    if (!match) continue;
    const [, hour, bucket] = match;
    const sketch = hour === undefined ? aggregate.fareSketch : aggregate.hourly?.[Number(hour)]?.fareSketch;
    sketch?.set(Number(bucket), numberOf(value));
  }
  for (const hourly of aggregate.hourly ?? []) mergeCounts(aggregate.fareSketch, hourly.fareSketch);
  return aggregate;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
