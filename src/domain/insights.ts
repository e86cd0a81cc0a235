/**
 * The public numbers (docs/insights-contract.md) computed from stored aggregates. Pure:
 * the repository reads the items, these functions decide what they mean.
 */
import { emptyAggregate, hoursOfDay, mergeAggregate, type FareAggregate } from './aggregate';
import { storedGranularitiesOf, type AggregateScope, type StoredGranularity } from './scope';
import { quantilesFromCounts } from './quantile-sketch';
import { bucketKey, bucketKeySpanInRange, bucketStart, dayKeySpan, dayKeyToBucket, type Granularity } from './time';

/** A stored aggregate as read back: its bucket key and figures. */
export interface BucketAggregate {
  bucketKey: string;
  aggregate: FareAggregate;
}

/** A DAY item's trips per local hour of day (index 0..23): all that peak hours read of it. */
export interface DayHourCounts {
  bucketKey: string;
  tripsByHourOfDay: readonly number[];
}

export interface HourCount {
  hourStartMs: number;
  trips: number;
}

export interface PeakHoursResult {
  top: HourCount[];
  byHourOfDay: Array<{ hourOfDay: number; trips: number }>;
  totalTrips: number;
}

export interface FareBucketResult {
  startMs: number;
  trips: number;
  averageFare: number;
  averageTotal: number;
  averageTip: number;
  averageFarePerMile: number | null;
  medianFare: number;
  p90Fare: number;
}

/** The DAY keys to read for peak hours over [fromMs, toMs): every day that has an hour in range. */
export function peakHoursDaySpan(fromMs: number, toMs: number): [string, string] {
  return [bucketKey(fromMs, 'DAY'), bucketKey(toMs - 1, 'DAY')];
}

/**
 * Peak hours from the trips per local hour of day of DAY items. An hour counts when its start is in
 * [fromMs, toMs); ties in `top` go to the earlier hour.
 */
export function computePeakHours(days: readonly DayHourCounts[], fromMs: number, toMs: number, limit: number): PeakHoursResult {
  const hours: HourCount[] = [];
  const byHourOfDay = new Array<number>(24).fill(0);
  let totalTrips = 0;
  for (const { bucketKey: dayKey, tripsByHourOfDay } of days) {
    tripsByHourOfDay.forEach((trips, hourOfDay) => {
      if (trips === 0) return;
      const hourStartMs = bucketStart(`${dayKey}T${String(hourOfDay).padStart(2, '0')}`, 'HOUR');
      if (hourStartMs < fromMs || hourStartMs >= toMs) return;
      hours.push({ hourStartMs, trips });
      byHourOfDay[hourOfDay] += trips;
      totalTrips += trips;
    });
  }
  hours.sort((a, b) => b.trips - a.trips || a.hourStartMs - b.hourStartMs);
  return {
    top: hours.slice(0, limit),
    byHourOfDay: byHourOfDay.map((trips, hourOfDay) => ({ hourOfDay, trips })),
    totalTrips,
  };
}

/**
 * Which stored items a fare trend needs: HOUR items for HOUR where the scope keeps them (zones keep
 * hours inside their DAY items), DAY items otherwise (WEEK and MONTH buckets extend past the range's
 * end when their start is inside it). Undefined when no bucket starts in the range.
 */
export function fareTrendReadSpan(
  fromMs: number,
  toMs: number,
  granularity: Granularity,
  scope: AggregateScope,
): { stored: StoredGranularity; span: [string, string] } | undefined {
  // The first and last bucket bound the span: listing every bucket between them (a quarter of hours)
  // would cost more than the read for short answers, and the cost estimate calls this per field.
  const keys = bucketKeySpanInRange(fromMs, toMs, granularity);
  if (!keys) return undefined;
  if (granularity === 'HOUR' && storedGranularitiesOf(scope).includes('HOUR')) return { stored: 'HOUR', span: keys };
  const span = dayKeySpan(keys, granularity);
  return span && { stored: 'DAY', span };
}

/**
 * Fare buckets of a granularity from the stored items read for it: one per bucket that starts in
 * [fromMs, toMs) and has trips, in time order.
 */
export function computeFareTrend(
  items: readonly BucketAggregate[],
  granularity: Granularity,
  fromMs: number,
  toMs: number,
): FareBucketResult[] {
  const buckets = new Map<string, FareAggregate>();
  // DAY items with hourly detail stand for their hours when hours are asked for.
  const sources =
    granularity === 'HOUR' ? items.flatMap((item) => (item.aggregate.hourly ? hoursOfDay(item.bucketKey, item.aggregate) : [item])) : items;
  for (const { bucketKey: key, aggregate } of sources) {
    const target = granularity === 'HOUR' || granularity === 'DAY' ? key : dayKeyToBucket(key, granularity);
    const merged = buckets.get(target) ?? emptyAggregate('HOUR');
    buckets.set(target, mergeAggregate(merged, aggregate));
  }
  const results: FareBucketResult[] = [];
  for (const key of [...buckets.keys()].sort()) {
    const aggregate = buckets.get(key)!;
    const startMs = bucketStart(key, granularity);
    if (aggregate.trips === 0 || startMs < fromMs || startMs >= toMs) continue;
    results.push(fareBucket(startMs, aggregate));
  }
  return results;
}

function fareBucket(startMs: number, aggregate: FareAggregate): FareBucketResult {
  const { trips } = aggregate;
  const [median, p90] = quantilesFromCounts(aggregate.fareSketch, [0.5, 0.9]);
  return {
    startMs,
    trips,
    averageFare: aggregate.fareCents / 100 / trips,
    averageTotal: aggregate.totalCents / 100 / trips,
    averageTip: aggregate.tipCents / 100 / trips,
    // Cents per hundredth of a mile equals dollars per mile.
    averageFarePerMile: aggregate.distanceHundredths === 0 ? null : aggregate.fareCents / aggregate.distanceHundredths,
    medianFare: (median ?? 0) / 100,
    p90Fare: (p90 ?? 0) / 100,
  };
}
