import fc from 'fast-check';
import {
  addTripOperations,
  emptyOperations,
  mergeOperations,
  PAYMENT_TYPES,
  paymentTypeIndex,
  paymentTypeOf,
  tripDurationMs,
} from '../../../src/domain/operations-figures';
import { DURATION_SKETCH } from '../../../src/domain/quantile-sketch';
import { validTrip } from '../../support/trip-factory';

describe('PAYMENT_TYPES', () => {
  it('lists the seven types in the contract order, each at its TLC code', () => {
    expect(PAYMENT_TYPES).toEqual(['FLEX_FARE', 'CARD', 'CASH', 'NO_CHARGE', 'DISPUTE', 'UNKNOWN', 'VOIDED']);
    expect([0, 1, 2, 3, 4, 5, 6].map(paymentTypeIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('paymentTypeOf', () => {
  it.each([
    [0, 'FLEX_FARE'],
    [1, 'CARD'],
    [2, 'CASH'],
    [3, 'NO_CHARGE'],
    [4, 'DISPUTE'],
    [5, 'UNKNOWN'],
    [6, 'VOIDED'],
  ])('names TLC code %p %s', (code, type) => {
    expect(paymentTypeOf(code)).toBe(type);
  });

  it.each([undefined, 7, 99, -1, 1.5, Number.NaN])('counts the code %p as UNKNOWN', (code) => {
    expect(paymentTypeOf(code)).toBe('UNKNOWN');
  });
});

describe('tripDurationMs', () => {
  it('is exactly 0 for a trip dropped off when picked up', () => {
    expect(tripDurationMs(validTrip({ pickupAt: '2023-02-01T08:15:00', dropoffAt: '2023-02-01T08:15:00' }))).toBe(0);
  });

  it('keeps the milliseconds an API time carries', () => {
    const trip = validTrip({ pickupAt: '2023-02-01T08:15:00.250-05:00', dropoffAt: '2023-02-01T08:15:01.125-05:00' });
    expect(tripDurationMs(trip)).toBe(875);
  });

  it('measures elapsed time, not wall-clock difference, across the fall-back hour', () => {
    // 01:50 EDT to 01:10 EST is 20 minutes, though the wall clock went back 40.
    const trip = validTrip({ pickupAt: '2023-11-05T01:50:00-04:00', dropoffAt: '2023-11-05T01:10:00-05:00' });
    expect(tripDurationMs(trip)).toBe(20 * 60_000);
  });
});

describe('addTripOperations', () => {
  it('adds duration, sketch, passengers, payment type and the card tip and fare of a card trip', () => {
    // Prepare
    const trip = validTrip({ dropoffAt: '2023-02-01T08:40:30', passengerCount: 2, paymentType: 1, fareAmount: 14.2, tipAmount: 3 });

    // Act
    const figures = addTripOperations(emptyOperations(), trip);

    // Assess
    const durationMs = (25 * 60 + 30) * 1000;
    expect(figures).toEqual({
      durationMs,
      durationSketch: new Map([[DURATION_SKETCH.bucketOf(durationMs), 1]]),
      passengerSum: 2,
      tripsWithPassengers: 1,
      tripsByPaymentType: [0, 1, 0, 0, 0, 0, 0],
      cardTipCents: 300,
      cardFareCents: 1420,
    });
  });

  it('leaves the card sums alone for a cash trip, even one with a tip', () => {
    const figures = addTripOperations(emptyOperations(), validTrip({ paymentType: 2, tipAmount: 1 }));
    expect(figures.tripsByPaymentType).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(figures.cardTipCents).toBe(0);
    expect(figures.cardFareCents).toBe(0);
  });

  it('counts a trip without a passenger count out of the passenger average, and one with 0 passengers in it', () => {
    // Act
    const figures = [validTrip({ passengerCount: null }), validTrip({ passengerCount: 0 }), validTrip({ passengerCount: 3 })].reduce(
      addTripOperations,
      emptyOperations(),
    );

    // Assess
    expect(figures.passengerSum).toBe(3);
    expect(figures.tripsWithPassengers).toBe(2);
  });

  it('counts missing and unusual payment codes as UNKNOWN', () => {
    const figures = [validTrip({ paymentType: null }), validTrip({ paymentType: 5 }), validTrip({ paymentType: 9 })].reduce(
      addTripOperations,
      emptyOperations(),
    );
    expect(figures.tripsByPaymentType).toEqual([0, 0, 0, 0, 0, 3, 0]);
  });

  it('puts a zero duration in sketch bucket 0', () => {
    const figures = addTripOperations(emptyOperations(), validTrip({ dropoffAt: '2023-02-01T08:15:00' }));
    expect(figures.durationMs).toBe(0);
    expect(figures.durationSketch).toEqual(new Map([[0, 1]]));
  });
});

describe('mergeOperations', () => {
  const trips = fc.array(
    fc
      .record({
        seconds: fc.integer({ min: 0, max: 7200 }),
        passengerCount: fc.option(fc.integer({ min: 0, max: 9 })),
        paymentType: fc.option(fc.integer({ min: -1, max: 8 })),
        tipCents: fc.integer({ min: 0, max: 5000 }),
        fareCents: fc.integer({ min: 0, max: 20000 }),
      })
      .map(({ seconds, passengerCount, paymentType, tipCents, fareCents }) =>
        validTrip({
          pickupAt: '2023-02-01T08:00:00',
          dropoffAt: new Date(Date.parse('2023-02-01T13:00:00Z') + seconds * 1000).toISOString(),
          passengerCount,
          paymentType,
          tipAmount: tipCents / 100,
          fareAmount: fareCents / 100,
          totalAmount: (fareCents + tipCents) / 100,
        }),
      ),
  );

  it('gives the figures of all the trips, however they were split', () => {
    fc.assert(
      fc.property(trips, trips, (left, right) => {
        // Act
        const merged = mergeOperations(
          left.reduce(addTripOperations, emptyOperations()),
          right.reduce(addTripOperations, emptyOperations()),
        );

        // Assess
        expect(merged).toEqual([...left, ...right].reduce(addTripOperations, emptyOperations()));
      }),
      { numRuns: 200 },
    );
  });
});
