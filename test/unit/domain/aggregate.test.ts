import { addTrip, emptyAggregate, mergeAggregate } from '../../../src/domain/aggregate';
import { addTripOperations, emptyOperations } from '../../../src/domain/operations-figures';
import { validTrip } from '../../support/trip-factory';

describe('aggregates with operations figures', () => {
  const morning = validTrip({ pickupAt: '2023-02-01T08:15:00', dropoffAt: '2023-02-01T08:40:00', paymentType: 1 });
  const evening = validTrip({ pickupAt: '2023-02-01T18:05:00', dropoffAt: '2023-02-01T18:06:00', paymentType: 2, passengerCount: null });

  it('add every trip to the day and to the hour of its pickup', () => {
    // Act
    const aggregate = [morning, evening].reduce(addTrip, emptyAggregate('DAY', true));

    // Assess
    expect(aggregate.operations).toEqual([morning, evening].reduce(addTripOperations, emptyOperations()));
    expect(aggregate.hourly![8].operations).toEqual(addTripOperations(emptyOperations(), morning));
    expect(aggregate.hourly![18].operations).toEqual(addTripOperations(emptyOperations(), evening));
    expect(aggregate.hourly![9].operations).toEqual(emptyOperations());
  });

  it('merge by adding every figure', () => {
    // Prepare
    const withOperations = addTrip(emptyAggregate('HOUR'), evening);

    // Act
    const merged = mergeAggregate(addTrip(emptyAggregate('HOUR'), morning), withOperations);
    const intoEmpty = mergeAggregate(emptyAggregate('HOUR'), withOperations);

    // Assess
    expect(merged.operations).toEqual([morning, evening].reduce(addTripOperations, emptyOperations()));
    expect(intoEmpty.operations).toEqual(addTripOperations(emptyOperations(), evening));
    expect(intoEmpty.trips).toBe(1);
  });
});
