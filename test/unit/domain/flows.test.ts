import { addFlow, emptyFlows, flowTargetsOfTrip, mergeFlows } from '../../../src/domain/flows';
import { validTrip } from '../../support/trip-factory';

describe('flowTargetsOfTrip', () => {
  it('counts a ride within one hour as pickup and drop-off of one HOUR and one DAY bucket', () => {
    // Act
    const targets = flowTargetsOfTrip(validTrip({ pickupAt: '2023-02-01T08:15:00', dropoffAt: '2023-02-01T08:40:00' }));

    // Assess
    expect(targets).toEqual([
      { kind: 'FLOW', granularity: 'HOUR', bucketKey: '2023-02-01T08', pickupZoneId: 74, dropoffZoneId: 75 },
      { kind: 'FLOW', granularity: 'DAY', bucketKey: '2023-02-01', pickupZoneId: 74, dropoffZoneId: 75 },
    ]);
  });

  it('counts the drop-off in the next hour when the ride crosses the hour', () => {
    const targets = flowTargetsOfTrip(validTrip({ pickupAt: '2023-02-01T08:50:00', dropoffAt: '2023-02-01T09:05:00' }));
    expect(targets).toEqual([
      { kind: 'FLOW', granularity: 'HOUR', bucketKey: '2023-02-01T08', pickupZoneId: 74 },
      { kind: 'FLOW', granularity: 'HOUR', bucketKey: '2023-02-01T09', dropoffZoneId: 75 },
      { kind: 'FLOW', granularity: 'DAY', bucketKey: '2023-02-01', pickupZoneId: 74, dropoffZoneId: 75 },
    ]);
  });

  it('counts the drop-off in the next day and month when the ride crosses midnight at the month end', () => {
    const targets = flowTargetsOfTrip(validTrip({ pickupAt: '2023-02-28T23:50:00', dropoffAt: '2023-03-01T00:04:00' }));
    expect(
      targets.map(({ granularity, bucketKey: key, pickupZoneId, dropoffZoneId }) => [granularity, key, pickupZoneId, dropoffZoneId]),
    ).toEqual([
      ['HOUR', '2023-02-28T23', 74, undefined],
      ['HOUR', '2023-03-01T00', undefined, 75],
      ['DAY', '2023-02-28', 74, undefined],
      ['DAY', '2023-03-01', undefined, 75],
    ]);
  });

  it('keeps both passes of the fall-back hour in its one 01:00 bucket', () => {
    // Picked up 01:50 EDT, dropped off 01:10 EST: 20 minutes later, the same local hour.
    const targets = flowTargetsOfTrip(validTrip({ pickupAt: '2023-11-05T01:50:00-04:00', dropoffAt: '2023-11-05T01:10:00-05:00' }));
    expect(targets[0]).toEqual({ kind: 'FLOW', granularity: 'HOUR', bucketKey: '2023-11-05T01', pickupZoneId: 74, dropoffZoneId: 75 });
    expect(targets).toHaveLength(2);
  });

  it('skips the missing 02:00 hour of the spring-forward day', () => {
    const targets = flowTargetsOfTrip(validTrip({ pickupAt: '2023-03-12T01:50:00', dropoffAt: '2023-03-12T03:10:00' }));
    expect(targets.filter((target) => target.granularity === 'HOUR').map((target) => target.bucketKey)).toEqual([
      '2023-03-12T01',
      '2023-03-12T03',
    ]);
  });
});

describe('addFlow and mergeFlows', () => {
  it('count pickups and drop-offs per zone, and merge by addition', () => {
    // Prepare
    const trips = [
      validTrip({ pickupZoneId: 74, dropoffZoneId: 75 }),
      validTrip({ pickupZoneId: 74, dropoffZoneId: 74 }),
      validTrip({ pickupZoneId: 41, dropoffZoneId: 75 }),
    ];
    const dayTargets = trips.map((trip) => flowTargetsOfTrip(trip).find((target) => target.granularity === 'DAY')!);

    // Act
    const first = addFlow(emptyFlows(), dayTargets[0]);
    const rest = dayTargets.slice(1).reduce(addFlow, emptyFlows());
    const merged = mergeFlows(first, rest);

    // Assess
    expect(merged.pickups).toEqual(
      new Map([
        [74, 2],
        [41, 1],
      ]),
    );
    expect(merged.dropoffs).toEqual(
      new Map([
        [75, 2],
        [74, 1],
      ]),
    );
  });
});
