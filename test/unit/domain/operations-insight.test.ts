import { addTrip, emptyAggregate, targetsOfTrip, type FareAggregate } from '../../../src/domain/aggregate';
import type { BucketAggregate } from '../../../src/domain/insights';
import { computeOperations, operationsReadSpan } from '../../../src/domain/operations-insight';
import { hasHourlyDetail, type AggregateScope } from '../../../src/domain/scope';
import { parseDateTime } from '../../../src/domain/time';
import type { Trip, TripSubmission } from '../../../src/domain/trip';
import { validTrip } from '../../support/trip-factory';

const ms = (text: string) => parseDateTime(text)!;

/** The stored items of one scope and granularity, built as the processor builds them (with operations figures). */
function itemsOf(trips: readonly Trip[], scopeKind: AggregateScope['kind'], granularity: 'HOUR' | 'DAY'): BucketAggregate[] {
  const byKey = new Map<string, FareAggregate>();
  for (const trip of trips) {
    const target = targetsOfTrip(trip).find((candidate) => candidate.scope.kind === scopeKind && candidate.granularity === granularity)!;
    const aggregate = byKey.get(target.bucketKey) ?? emptyAggregate(granularity, hasHourlyDetail(target.scope, granularity));
    byKey.set(target.bucketKey, addTrip(aggregate, trip));
  }
  return [...byKey].map(([bucketKey, aggregate]) => ({ bucketKey, aggregate }));
}

function ride(pickupAt: string, minutes: number, overrides: Partial<TripSubmission> = {}): Trip {
  const dropoffMs = ms(pickupAt) + minutes * 60_000;
  return validTrip({ pickupAt, dropoffAt: new Date(dropoffMs).toISOString(), ...overrides });
}

describe('computeOperations', () => {
  it('answers every figure of a bucket from its sums, counts and sketch', () => {
    // Prepare: three trips of one hour
    const trips = [
      ride('2023-02-01T08:00:00', 30, {
        tripDistanceMiles: 6,
        fareAmount: 20,
        tipAmount: 4,
        totalAmount: 26.5,
        paymentType: 1,
        passengerCount: 1,
      }),
      ride('2023-02-01T08:10:00', 10, {
        tripDistanceMiles: 2,
        fareAmount: 10,
        tipAmount: 0,
        totalAmount: 12,
        paymentType: 2,
        passengerCount: 3,
      }),
      ride('2023-02-01T08:20:00', 20, {
        tripDistanceMiles: 4,
        fareAmount: 30,
        tipAmount: 3,
        totalAmount: 35,
        paymentType: 1,
        passengerCount: null,
      }),
    ];

    // Act
    const [bucket] = computeOperations(itemsOf(trips, 'CITY', 'HOUR'), 'HOUR', ms('2023-02-01T00:00:00'), ms('2023-02-02T00:00:00'));

    // Assess
    expect(bucket.startMs).toBe(ms('2023-02-01T08:00:00'));
    expect(bucket.trips).toBe(3);
    expect(bucket.revenue).toBe(73.5);
    expect(bucket.averageDurationMinutes).toBe(20);
    // 12 miles in 1 hour of driving.
    expect(bucket.averageSpeedMph).toBeCloseTo(12, 12);
    expect(bucket.averagePassengers).toBe(2);
    expect(bucket.paymentMix).toEqual([
      { paymentType: 'FLEX_FARE', trips: 0 },
      { paymentType: 'CARD', trips: 2 },
      { paymentType: 'CASH', trips: 1 },
      { paymentType: 'NO_CHARGE', trips: 0 },
      { paymentType: 'DISPUTE', trips: 0 },
      { paymentType: 'UNKNOWN', trips: 0 },
      { paymentType: 'VOIDED', trips: 0 },
    ]);
    // Card trips only: (4 + 3) / (20 + 30).
    expect(bucket.cardTipRate).toBeCloseTo(0.14, 15);
    expect(Math.abs(bucket.medianDurationMinutes - 20) / 20).toBeLessThanOrEqual(0.01);
    expect(Math.abs(bucket.p90DurationMinutes - 30) / 30).toBeLessThanOrEqual(0.01);
  });

  it('answers null speed, passengers and tip rate when their denominators are 0, and a zero median exactly 0', () => {
    // Prepare: zero-duration cash trips without a passenger count
    const trips = [
      ride('2023-02-01T08:00:00', 0, { paymentType: 2, passengerCount: null }),
      ride('2023-02-01T08:05:00', 0, { paymentType: null, passengerCount: null }),
    ];

    // Act
    const [bucket] = computeOperations(itemsOf(trips, 'CITY', 'DAY'), 'DAY', ms('2023-02-01T00:00:00'), ms('2023-02-02T00:00:00'));

    // Assess
    expect(bucket).toMatchObject({
      trips: 2,
      averageDurationMinutes: 0,
      medianDurationMinutes: 0,
      p90DurationMinutes: 0,
      averageSpeedMph: null,
      averagePassengers: null,
      cardTipRate: null,
    });
    expect(bucket.paymentMix.map((entry) => entry.trips)).toEqual([0, 0, 1, 0, 0, 1, 0]);
  });

  it('answers a null tip rate when card trips exist but their fares sum to 0', () => {
    const [bucket] = computeOperations(
      itemsOf([ride('2023-02-01T08:00:00', 5, { paymentType: 1, fareAmount: 0, tipAmount: 0, totalAmount: 0 })], 'CITY', 'DAY'),
      'DAY',
      ms('2023-02-01T00:00:00'),
      ms('2023-02-02T00:00:00'),
    );
    expect(bucket.cardTipRate).toBeNull();
  });

  it('buckets like fareTrend: weeks and months from DAY items, hours from a zone DAY item', () => {
    // Prepare: Sunday 2023-01-01 (week of 2022-12-26, before the range), Monday 2023-01-02, Monday 2023-01-09
    const trips = [
      ride('2023-01-01T10:00:00', 10),
      ride('2023-01-02T10:00:00', 20),
      ride('2023-01-02T11:30:00', 40),
      ride('2023-01-09T10:00:00', 30),
    ];
    const from = ms('2023-01-01T00:00:00');
    const to = ms('2023-02-01T00:00:00');

    // Act
    const weeks = computeOperations(itemsOf(trips, 'CITY', 'DAY'), 'WEEK', from, to);
    const months = computeOperations(itemsOf(trips, 'CITY', 'DAY'), 'MONTH', from, to);
    const zoneHours = computeOperations(itemsOf(trips, 'ZONE', 'DAY'), 'HOUR', ms('2023-01-02T00:00:00'), ms('2023-01-03T00:00:00'));

    // Assess
    expect(weeks.map((bucket) => [bucket.startMs, bucket.trips, bucket.averageDurationMinutes])).toEqual([
      [ms('2023-01-02T00:00:00'), 2, 30],
      [ms('2023-01-09T00:00:00'), 1, 30],
    ]);
    expect(months.map((bucket) => [bucket.trips, bucket.averageDurationMinutes])).toEqual([[4, 25]]);
    expect(zoneHours.map((bucket) => [bucket.startMs, bucket.trips, bucket.averageDurationMinutes])).toEqual([
      [ms('2023-01-02T10:00:00'), 1, 20],
      [ms('2023-01-02T11:00:00'), 1, 40],
    ]);
  });
});

describe('operationsReadSpan', () => {
  it("reads what fareTrend reads: a year of DAY items for a yearly query, a zone's DAY items for its hours", () => {
    expect(operationsReadSpan(ms('2023-01-01T00:00:00'), ms('2024-01-01T00:00:00'), 'MONTH', { kind: 'CITY' })).toEqual({
      stored: 'DAY',
      span: ['2023-01-01', '2023-12-31'],
    });
    expect(operationsReadSpan(ms('2023-02-01T22:00:00'), ms('2023-02-02T02:00:00'), 'HOUR', { kind: 'ZONE', zoneId: 74 })).toEqual({
      stored: 'DAY',
      span: ['2023-02-01', '2023-02-02'],
    });
  });
});
