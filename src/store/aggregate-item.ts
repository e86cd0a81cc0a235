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
const HOURLY_SUM_ATTRIBUTES = { f: 'fareCents', t: 'totalCents', p: 'tipCents', d: 'distanceHundredths' } as const;

/** The attributes of a DAY item that count its trips per hour of day, `h00`..`h23`, indexed by hour. */
export const HOUR_COUNT_ATTRIBUTES: readonly string[] = HOURS.map((hour) => `h${hour}`);

const SKETCH_PREFIX = 'q'.charCodeAt(0);
const HOUR_SEPARATOR = '_'.charCodeAt(0);
const DIGIT_0 = '0'.charCodeAt(0);
const DIGIT_9 = '9'.charCodeAt(0);

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
  const { hourOfDay } = splitHourKey(bucketKey(trip.pickupAtMs, 'HOUR'));
  const hour = HOURS[hourOfDay];
  increments.set(HOUR_COUNT_ATTRIBUTES[hourOfDay], 1);
  if (!hourlyDetail) {
    increments.set(`q${sketchBucket}`, 1);
    return increments;
  }
  for (const [prefix, field] of Object.entries(HOURLY_SUM_ATTRIBUTES)) increments.set(`${prefix}${hour}`, trip[field]);
  increments.set(`q${hour}_${sketchBucket}`, 1);
  return increments;
}

/**
 * Trips per hour of day (index 0..23) of a DAY item; 0 for an hour the item has no attribute for.
 * Needs only HOUR_COUNT_ATTRIBUTES, so it also reads an item projected to them.
 */
export function hourCountsFromItem(item: Record<string, unknown>): number[] {
  return HOUR_COUNT_ATTRIBUTES.map((name) => numberOf(item[name]));
}

/**
 * Reads an aggregate item back into the domain's shape. Sketch attributes are recognised by plain
 * character checks, not a regular expression: this runs on every attribute of every item the API
 * reads (several hundred on a zone DAY item), and with a regular expression it stood out in the API's
 * CPU profile (docs/benchmarks-analysis.md, section 3, R4).
 */
export function aggregateFromItem(item: Record<string, unknown>, granularity: StoredGranularity, hourlyDetail: boolean): FareAggregate {
  const aggregate = emptyAggregate(granularity, hourlyDetail);
  aggregate.trips = numberOf(item.trips);
  aggregate.fareCents = numberOf(item.fareCents);
  aggregate.totalCents = numberOf(item.totalCents);
  aggregate.tipCents = numberOf(item.tipCents);
  aggregate.distanceHundredths = numberOf(item.distanceHundredths);
  if (aggregate.tripsByHourOfDay) aggregate.tripsByHourOfDay = hourCountsFromItem(item);
  aggregate.hourly?.forEach((hourly, hourOfDay) => {
    hourly.trips = aggregate.tripsByHourOfDay![hourOfDay];
    for (const [prefix, field] of Object.entries(HOURLY_SUM_ATTRIBUTES)) hourly[field] = numberOf(item[`${prefix}${HOURS[hourOfDay]}`]);
  });
  for (const name of Object.keys(item)) {
    if (name.charCodeAt(0) !== SKETCH_PREFIX) continue;
    if (isHourSketchAttribute(name)) {
      // Only items with hourly detail have hours; elsewhere (or past hour 23) the attribute is not a sketch.
      aggregate.hourly?.[Number(name.slice(1, 3))]?.fareSketch.set(Number(name.slice(4)), numberOf(item[name]));
    } else if (isDigits(name, 1, name.length)) {
      aggregate.fareSketch.set(Number(name.slice(1)), numberOf(item[name]));
    }
  }
  for (const hourly of aggregate.hourly ?? []) mergeCounts(aggregate.fareSketch, hourly.fareSketch);
  return aggregate;
}

/** `q<hh>_<k>`: two digits of hour, an underscore, at least one digit of bucket. */
function isHourSketchAttribute(name: string): boolean {
  return name.length > 4 && name.charCodeAt(3) === HOUR_SEPARATOR && isDigits(name, 1, 3) && isDigits(name, 4, name.length);
}

/** Whether name[from..to) is one or more ASCII digits (what `\d+` matches). */
function isDigits(name: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let index = from; index < to; index++) {
    const code = name.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return true;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
