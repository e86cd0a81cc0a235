import { addTrip, emptyAggregate, targetsOfTrip, type FareAggregate } from '../../../src/domain/aggregate';
import {
  computeFareTrend,
  computePeakHours,
  fareTrendReadSpan,
  type BucketAggregate,
  type DayHourCounts,
} from '../../../src/domain/insights';
import { parseDateTime } from '../../../src/domain/time';
import { CITY_SCOPE } from '../../../src/domain/scope';
import { validateTrip, type Trip } from '../../../src/domain/trip';

function trip(pickupAt: string, fareAmount = 10, tripDistanceMiles = 2): Trip {
  const result = validateTrip({
    tripId: pickupAt,
    pickupAt,
    dropoffAt: pickupAt,
    pickupZoneId: 132,
    dropoffZoneId: 1,
    tripDistanceMiles,
    fareAmount,
    totalAmount: fareAmount + 1,
  });
  if (!result.ok) throw new Error(result.rejection.message);
  return result.trip;
}

/** Aggregates the trips the way the processor does, then returns the city items of one granularity. */
function cityItems(trips: Trip[], granularity: 'HOUR' | 'DAY'): BucketAggregate[] {
  const byKey = new Map<string, FareAggregate>();
  for (const t of trips) {
    const target = targetsOfTrip(t).find((candidate) => candidate.scope.kind === 'CITY' && candidate.granularity === granularity)!;
    byKey.set(target.bucketKey, addTrip(byKey.get(target.bucketKey) ?? emptyAggregate(granularity), t));
  }
  return [...byKey].map(([bucketKey, aggregate]) => ({ bucketKey, aggregate }));
}

/** The city DAY items of the trips as a peak-hours read returns them: trips per hour of day only. */
function cityHourCounts(trips: Trip[]): DayHourCounts[] {
  return cityItems(trips, 'DAY').map(({ bucketKey, aggregate }) => ({ bucketKey, tripsByHourOfDay: aggregate.tripsByHourOfDay! }));
}

const ms = (text: string) => parseDateTime(text)!;

describe('computePeakHours', () => {
  it('ranks hours by trips with ties to the earlier hour and sums hours of day', () => {
    // Prepare
    const trips = [
      trip('2023-02-01T08:10:00'),
      trip('2023-02-01T08:20:00'),
      trip('2023-02-02T09:00:00'),
      trip('2023-02-02T08:05:00'),
      trip('2023-02-01T07:00:00'),
    ];

    // Act
    const result = computePeakHours(cityHourCounts(trips), ms('2023-02-01T00:00:00'), ms('2023-03-01T00:00:00'), 3);

    // Assess
    expect(result.top).toEqual([
      { hourStartMs: ms('2023-02-01T08:00:00'), trips: 2 },
      { hourStartMs: ms('2023-02-01T07:00:00'), trips: 1 },
      { hourStartMs: ms('2023-02-02T08:00:00'), trips: 1 },
    ]);
    expect(result.byHourOfDay).toHaveLength(24);
    expect(result.byHourOfDay[8]).toEqual({ hourOfDay: 8, trips: 3 });
    expect(result.totalTrips).toBe(5);
  });

  it('counts only hours whose start is in the half-open range', () => {
    const trips = [trip('2023-02-01T07:59:59'), trip('2023-02-01T08:00:00'), trip('2023-02-01T09:00:00')];
    const result = computePeakHours(cityHourCounts(trips), ms('2023-02-01T08:00:00'), ms('2023-02-01T09:00:00'), 10);
    expect(result.totalTrips).toBe(1);
  });

  it('puts both passes of the fall-back hour into one 01:00 bucket at its first offset', () => {
    const trips = [trip('2023-11-05T05:30:00Z'), trip('2023-11-05T06:30:00Z')];
    const result = computePeakHours(cityHourCounts(trips), ms('2023-11-05T00:00:00'), ms('2023-11-06T00:00:00'), 10);
    expect(result.top).toEqual([{ hourStartMs: ms('2023-11-05T01:00:00-04:00'), trips: 2 }]);
  });
});

describe('computePeakHours byHourOfWeek', () => {
  it('lists 168 hours, Monday 00 first and Sunday 23 last, summing each weekday and hour over the range', () => {
    // Prepare: Wednesday 2023-02-01 and 2023-02-08 at 08:00, Sunday 2023-02-05 at 23:00, Monday 2023-02-06 at 00:00
    const trips = [
      trip('2023-02-01T08:10:00'),
      trip('2023-02-08T08:20:00'),
      trip('2023-02-08T08:40:00'),
      trip('2023-02-05T23:59:59'),
      trip('2023-02-06T00:00:00'),
    ];

    // Act
    const { byHourOfWeek } = computePeakHours(cityHourCounts(trips), ms('2023-02-01T00:00:00'), ms('2023-03-01T00:00:00'), 3);

    // Assess
    expect(byHourOfWeek).toHaveLength(168);
    expect(byHourOfWeek[0]).toEqual({ dayOfWeek: 1, hourOfDay: 0, trips: 1 });
    expect(byHourOfWeek[167]).toEqual({ dayOfWeek: 7, hourOfDay: 23, trips: 1 });
    expect(byHourOfWeek[2 * 24 + 8]).toEqual({ dayOfWeek: 3, hourOfDay: 8, trips: 3 });
    expect(byHourOfWeek.reduce((sum, entry) => sum + entry.trips, 0)).toBe(5);
    expect(byHourOfWeek.map(({ dayOfWeek, hourOfDay }) => `${dayOfWeek}-${hourOfDay}`)).toEqual(
      Array.from({ length: 168 }, (_, index) => `${Math.floor(index / 24) + 1}-${index % 24}`),
    );
  });

  it('counts only hours whose start is in the range, as the other fields do', () => {
    const trips = [trip('2023-02-01T07:59:59'), trip('2023-02-01T08:00:00')];
    const result = computePeakHours(cityHourCounts(trips), ms('2023-02-01T08:00:00'), ms('2023-02-01T09:00:00'), 10);
    expect(result.byHourOfWeek.filter((entry) => entry.trips > 0)).toEqual([{ dayOfWeek: 3, hourOfDay: 8, trips: 1 }]);
  });

  it('puts both passes of the fall-back hour in Sunday 01:00 and nothing in the missing spring-forward hour', () => {
    // Prepare: Sunday 2023-11-05 01:30 EDT and 01:30 EST; Sunday 2023-03-12 02:30 (no such time: read as 03:30 EDT)
    const trips = [trip('2023-11-05T05:30:00Z'), trip('2023-11-05T06:30:00Z'), trip('2023-03-12T02:30:00')];

    // Act
    const { byHourOfWeek } = computePeakHours(cityHourCounts(trips), ms('2023-03-01T00:00:00'), ms('2023-12-01T00:00:00'), 10);

    // Assess
    expect(byHourOfWeek.filter((entry) => entry.trips > 0)).toEqual([
      { dayOfWeek: 7, hourOfDay: 1, trips: 2 },
      { dayOfWeek: 7, hourOfDay: 3, trips: 1 },
    ]);
  });
});

describe('computeFareTrend', () => {
  it('merges DAY items into ISO weeks and months whose start is in range', () => {
    // Prepare: Sunday 2023-01-01 belongs to the week of Monday 2022-12-26, which starts before the range
    const trips = [
      trip('2023-01-01T10:00:00', 10),
      trip('2023-01-02T10:00:00', 20),
      trip('2023-01-08T10:00:00', 30),
      trip('2023-01-09T10:00:00', 40),
    ];
    const from = ms('2023-01-01T00:00:00');
    const to = ms('2023-02-01T00:00:00');

    // Act
    const weeks = computeFareTrend(cityItems(trips, 'DAY'), 'WEEK', from, to);
    const months = computeFareTrend(cityItems(trips, 'DAY'), 'MONTH', from, to);

    // Assess
    expect(weeks.map((bucket) => [bucket.startMs, bucket.trips, bucket.averageFare])).toEqual([
      [ms('2023-01-02T00:00:00'), 2, 25],
      [ms('2023-01-09T00:00:00'), 1, 40],
    ]);
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ trips: 4, averageFare: 25, averageTotal: 26, averageTip: 0, averageFarePerMile: 12.5 });
  });

  it('splits zone DAY items into their hours for an hourly trend', () => {
    // Prepare: a zone-day aggregate with hourly detail, as the processor builds it
    const day = [trip('2023-02-01T08:10:00', 10), trip('2023-02-01T08:50:00', 30), trip('2023-02-01T09:05:00', 20)].reduce(
      (aggregate, t) => addTrip(aggregate, t),
      emptyAggregate('DAY', true),
    );

    // Act
    const hours = computeFareTrend(
      [{ bucketKey: '2023-02-01', aggregate: day }],
      'HOUR',
      ms('2023-02-01T09:00:00'),
      ms('2023-02-02T00:00:00'),
    );
    const days = computeFareTrend(
      [{ bucketKey: '2023-02-01', aggregate: day }],
      'DAY',
      ms('2023-02-01T00:00:00'),
      ms('2023-02-02T00:00:00'),
    );

    // Assess
    expect(hours.map((bucket) => [bucket.startMs, bucket.trips, bucket.averageFare])).toEqual([[ms('2023-02-01T09:00:00'), 1, 20]]);
    expect(days[0]).toMatchObject({ trips: 3, averageFare: 20 });
  });

  it('gives a null fare per mile when no distance was driven', () => {
    const [bucket] = computeFareTrend(
      cityItems([trip('2023-02-01T08:00:00', 10, 0)], 'HOUR'),
      'HOUR',
      ms('2023-02-01T00:00:00'),
      ms('2023-02-02T00:00:00'),
    );
    expect(bucket.averageFarePerMile).toBeNull();
  });

  it('estimates the median and p90 fare within 1% of the exact nearest rank', () => {
    const fares = Array.from({ length: 101 }, (_, index) => 2.5 + index * 0.7);
    const [bucket] = computeFareTrend(
      cityItems(
        fares
          .map((fare, index) => trip(`2023-02-01T08:${String(index % 60).padStart(2, '0')}:00`, fare))
          .map((t, i) => ({ ...t, tripId: `f${i}` })),
        'HOUR',
      ),
      'HOUR',
      ms('2023-02-01T00:00:00'),
      ms('2023-02-02T00:00:00'),
    );
    expect(Math.abs(bucket.medianFare - fares[50]) / fares[50]).toBeLessThanOrEqual(0.01);
    expect(Math.abs(bucket.p90Fare - fares[90]) / fares[90]).toBeLessThanOrEqual(0.01);
  });
});

describe('fareTrendReadSpan', () => {
  it('reads the DAY items of every month that starts in the range, up to its last day', () => {
    expect(fareTrendReadSpan(ms('2023-02-15T00:00:00'), ms('2023-03-10T00:00:00'), 'MONTH', CITY_SCOPE)).toEqual({
      stored: 'DAY',
      span: ['2023-03-01', '2023-03-31'],
    });
  });

  it('reads the DAY items of a zone for its hourly trend, since zones keep hours inside days', () => {
    expect(fareTrendReadSpan(ms('2023-02-01T22:00:00'), ms('2023-02-02T02:00:00'), 'HOUR', { kind: 'ZONE', zoneId: 132 })).toEqual({
      stored: 'DAY',
      span: ['2023-02-01', '2023-02-02'],
    });
  });

  it('reads HOUR items for hourly trends and nothing when no bucket starts in the range', () => {
    expect(fareTrendReadSpan(ms('2023-02-01T08:00:00'), ms('2023-02-01T10:00:00'), 'HOUR', CITY_SCOPE)).toEqual({
      stored: 'HOUR',
      span: ['2023-02-01T08', '2023-02-01T09'],
    });
    expect(fareTrendReadSpan(ms('2023-02-01T08:30:00'), ms('2023-02-01T08:45:00'), 'HOUR', CITY_SCOPE)).toBeUndefined();
  });
});
