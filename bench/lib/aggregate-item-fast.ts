/**
 * A what-if for src/store/aggregate-item.ts's aggregateFromItem, to measure the gain before anyone
 * changes src/: the same result (checked item by item against the original), without a regular
 * expression per attribute name and with the hourly sketches merged once. Not used by the project.
 */
import { emptyAggregate, type FareAggregate } from '../../src/domain/aggregate';
import type { StoredGranularity } from '../../src/domain/scope';

const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'));
const HOURLY_SUM_ATTRIBUTES = { f: 'fareCents', t: 'totalCents', p: 'tipCents', d: 'distanceHundredths' } as const;

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function isDigits(name: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let index = from; index < to; index++) {
    const code = name.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

export function aggregateFromItemFast(item: Record<string, unknown>, granularity: StoredGranularity, hourlyDetail: boolean): FareAggregate {
  const aggregate = emptyAggregate(granularity, hourlyDetail);
  aggregate.trips = numberOf(item.trips);
  aggregate.fareCents = numberOf(item.fareCents);
  aggregate.totalCents = numberOf(item.totalCents);
  aggregate.tipCents = numberOf(item.tipCents);
  aggregate.distanceHundredths = numberOf(item.distanceHundredths);
  const byHour = aggregate.tripsByHourOfDay;
  if (byHour) for (let hour = 0; hour < 24; hour++) byHour[hour] = numberOf(item[`h${HOURS[hour]}`]);
  if (aggregate.hourly) {
    for (let hour = 0; hour < 24; hour++) {
      const hourly = aggregate.hourly[hour];
      hourly.trips = byHour![hour];
      for (const [prefix, field] of Object.entries(HOURLY_SUM_ATTRIBUTES)) hourly[field] = numberOf(item[`${prefix}${HOURS[hour]}`]);
    }
  }
  const day = aggregate.fareSketch;
  for (const name in item) {
    if (name.charCodeAt(0) !== 113 /* q */) continue;
    const value = numberOf(item[name]);
    // q<k> or q<hh>_<k>
    if (name.length > 4 && name.charCodeAt(3) === 95 /* _ */ && isDigits(name, 1, 3) && isDigits(name, 4, name.length)) {
      const bucket = Number(name.slice(4));
      const hourly = aggregate.hourly?.[Number(name.slice(1, 3))];
      if (hourly) {
        hourly.fareSketch.set(bucket, value);
        day.set(bucket, (day.get(bucket) ?? 0) + value);
      }
    } else if (isDigits(name, 1, name.length)) {
      day.set(Number(name.slice(1)), (day.get(Number(name.slice(1))) ?? 0) + value);
    }
  }
  return aggregate;
}
