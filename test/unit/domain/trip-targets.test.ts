import fc from 'fast-check';
import { targetsOfTrip } from '../../../src/domain/aggregate';
import { tripTargetId, tripTargets } from '../../../src/domain/trip-targets';
import { validTrip } from '../../support/trip-factory';

describe('tripTargets', () => {
  it('lists the five pickup aggregates, then the flow buckets of pickup and drop-off', () => {
    // Prepare
    const trip = validTrip({ pickupAt: '2023-02-01T08:50:00', dropoffAt: '2023-02-01T09:05:00', pickupZoneId: 74, dropoffZoneId: 236 });

    // Act
    const ids = tripTargets(trip).map(tripTargetId);

    // Assess
    expect(ids).toEqual([
      'CITY|HOUR|2023-02-01T08',
      'CITY|DAY|2023-02-01',
      'B:MANHATTAN|HOUR|2023-02-01T08',
      'B:MANHATTAN|DAY|2023-02-01',
      'Z:74|DAY|2023-02-01',
      'FLOW|HOUR|2023-02-01T08',
      'FLOW|HOUR|2023-02-01T09',
      'FLOW|DAY|2023-02-01',
    ]);
    expect(
      tripTargets(trip)
        .filter((target) => target.kind === 'AGGREGATE')
        .map(({ scope, granularity, bucketKey }) => ({ scope, granularity, bucketKey })),
    ).toEqual(targetsOfTrip(trip));
  });

  it('never sends one trip to the same item twice', () => {
    const minutes = fc.integer({ min: 0, max: 24 * 60 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        minutes,
        fc.integer({ min: 1, max: 265 }),
        fc.integer({ min: 1, max: 265 }),
        (start, length, pickupZoneId, dropoffZoneId) => {
          // Prepare: pickups through 2023 (both DST changes), rides of up to 24 hours.
          const pickupMs = Date.parse('2023-01-01T05:00:00Z') + start * 60_000;
          const trip = validTrip({
            pickupAt: new Date(pickupMs).toISOString(),
            dropoffAt: new Date(pickupMs + length * 60_000).toISOString(),
            pickupZoneId,
            dropoffZoneId,
          });

          // Act
          const ids = tripTargets(trip).map(tripTargetId);

          // Assess
          expect(new Set(ids).size).toBe(ids.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
