import { HourlyTripCounts, scopeIdOf } from '../../../../src/domain/forecast/hourly-counts';
import { validateTrip, type Trip } from '../../../../src/domain/trip';

function trip(pickupAt: string, pickupZoneId: number): Trip {
  const validation = validateTrip({
    tripId: `t-${pickupAt}-${pickupZoneId}`,
    pickupAt,
    dropoffAt: pickupAt,
    pickupZoneId,
    dropoffZoneId: 1,
    tripDistanceMiles: 1,
    fareAmount: 5,
    totalAmount: 6,
  });
  if (!validation.ok) throw new Error(validation.rejection.message);
  return validation.trip;
}

describe('HourlyTripCounts', () => {
  it('counts a trip in the city, its pickup borough and its pickup zone, at its local pickup hour', () => {
    const counts = new HourlyTripCounts();
    counts.add(trip('2023-02-01T08:15:00', 74));
    counts.add(trip('2023-02-01T08:59:59', 74));
    counts.add(trip('2023-02-01T13:40:00Z', 132)); // 08:40 in New York
    const expected = (trips: number) => [
      { bucketKey: '2023-02-01', tripsByHourOfDay: Array.from({ length: 24 }, (_, hour) => (hour === 8 ? trips : 0)) },
    ];
    expect(counts.days('city')).toEqual(expected(3));
    expect(counts.days('borough:MANHATTAN')).toEqual(expected(2));
    expect(counts.days('zone:132')).toEqual(expected(1));
    expect(counts.days('zone:1')).toEqual([]);
    expect(
      counts
        .scopes()
        .map((scope) => scope.id)
        .sort(),
    ).toEqual(['borough:MANHATTAN', 'borough:QUEENS', 'city', 'zone:132', 'zone:74']);
  });

  it('names scopes the way --scope reads them', () => {
    expect(scopeIdOf({ kind: 'CITY' })).toBe('city');
    expect(scopeIdOf({ kind: 'BOROUGH', borough: 'STATEN_ISLAND' })).toBe('borough:STATEN_ISLAND');
    expect(scopeIdOf({ kind: 'ZONE', zoneId: 7 })).toBe('zone:7');
  });
});
