/**
 * The public numbers (docs/insights-contract.md) computed from stored aggregates. Pure:
 * the repository reads the items, these functions decide what they mean.
 */
import { emptyAggregate, hoursOfDay, mergeAggregate, type FareAggregate } from './aggregate';
import { storedGranularitiesOf, type AggregateScope, type StoredGranularity } from './scope';
import { quantilesFromCounts } from './quantile-sketch';
import { bucketKey, bucketKeySpanInRange, bucketStart, dayKeySpan, dayKeyToBucket, isoWeekdayOfDayKey, type Granularity } from './time';

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

/** Trips at one local hour of one ISO weekday (1 = Monday .. 7 = Sunday), summed over the range's days. */
export interface HourOfWeekCount {
  dayOfWeek: number;
  hourOfDay: number;
  trips: number;
}

export interface PeakHoursResult {
  top: HourCount[];
  byHourOfDay: Array<{ hourOfDay: number; trips: number }>;
  /** Exactly 168 entries, Monday 00 first, Sunday 23 last: the week's shape. */
  byHourOfWeek: HourOfWeekCount[];
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
 * [fromMs, toMs); ties in `top` go to the earlier hour. The week's shape groups the same hours by the
 * ISO weekday of their local date: the spring-forward Sunday has no 02:00 to count, and the fall-back
 * Sunday's 01:00 holds both passes, as its HOUR bucket does.
 */
export function computePeakHours(days: readonly DayHourCounts[], fromMs: number, toMs: number, limit: number): PeakHoursResult {
  const hours: HourCount[] = [];
  const byHourOfDay = new Array<number>(24).fill(0);
  const byHourOfWeek = new Array<number>(7 * 24).fill(0);
  let totalTrips = 0;
  for (const { bucketKey: dayKey, tripsByHourOfDay } of days) {
    let weekdayOffset: number | undefined;
    tripsByHourOfDay.forEach((trips, hourOfDay) => {
      if (trips === 0) return;
      const hourStartMs = bucketStart(`${dayKey}T${String(hourOfDay).padStart(2, '0')}`, 'HOUR');
      if (hourStartMs < fromMs || hourStartMs >= toMs) return;
      hours.push({ hourStartMs, trips });
      byHourOfDay[hourOfDay] += trips;
      weekdayOffset ??= (isoWeekdayOfDayKey(dayKey) - 1) * 24;
      byHourOfWeek[weekdayOffset + hourOfDay] += trips;
      totalTrips += trips;
    });
  }
  hours.sort((a, b) => b.trips - a.trips || a.hourStartMs - b.hourStartMs);
  return {
    top: hours.slice(0, limit),
    byHourOfDay: byHourOfDay.map((trips, hourOfDay) => ({ hourOfDay, trips })),
    byHourOfWeek: byHourOfWeek.map((trips, index) => ({ dayOfWeek: Math.floor(index / 24) + 1, hourOfDay: index % 24, trips })),
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
  return aggregatesByBucket(items, granularity, fromMs, toMs).map(({ startMs, aggregate }) => fareBucket(startMs, aggregate));
}

/**
 * The stored items read for a granularity, merged into its buckets: one per bucket that starts in
 * [fromMs, toMs) and has trips, in time order. DAY items with hourly detail stand for their hours when
 * hours are asked for; WEEK and MONTH buckets merge the DAY items they contain. fareTrend and operations
 * share it, so both always bucket alike.
 */
export function aggregatesByBucket(
  items: readonly BucketAggregate[],
  granularity: Granularity,
  fromMs: number,
  toMs: number,
): Array<{ startMs: number; aggregate: FareAggregate }> {
  const buckets = new Map<string, FareAggregate>();
  const sources =
    granularity === 'HOUR' ? items.flatMap((item) => (item.aggregate.hourly ? hoursOfDay(item.bucketKey, item.aggregate) : [item])) : items;
  for (const { bucketKey: key, aggregate } of sources) {
    const target = granularity === 'HOUR' || granularity === 'DAY' ? key : dayKeyToBucket(key, granularity);
    const merged = buckets.get(target) ?? emptyAggregate('HOUR');
    buckets.set(target, mergeAggregate(merged, aggregate));
  }
  const results: Array<{ startMs: number; aggregate: FareAggregate }> = [];
  for (const key of [...buckets.keys()].sort()) {
    const aggregate = buckets.get(key)!;
    const startMs = bucketStart(key, granularity);
    if (aggregate.trips === 0 || startMs < fromMs || startMs >= toMs) continue;
    results.push({ startMs, aggregate });
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
