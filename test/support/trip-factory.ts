/**
 * Valid trips for unit tests, built through the domain's own validation (so they are exactly what the
 * processor sees): a plain green-taxi ride, changed where a test needs it.
 */
import { validateTrip, type Trip, type TripSubmission } from '../../src/domain/trip';

let nextId = 0;

/** A valid trip from a submission with these overrides; throws if the overrides make it invalid. */
export function validTrip(overrides: Partial<TripSubmission> = {}): Trip {
  const result = validateTrip({
    tripId: `trip-${++nextId}`,
    pickupAt: '2023-02-01T08:15:00',
    dropoffAt: '2023-02-01T08:40:00',
    pickupZoneId: 74,
    dropoffZoneId: 75,
    passengerCount: 1,
    paymentType: 1,
    tripDistanceMiles: 2.5,
    fareAmount: 14.2,
    tipAmount: 3,
    tollsAmount: 0,
    totalAmount: 19.7,
    ...overrides,
  });
  if (!result.ok) throw new Error(`not a valid trip: ${result.rejection.message}`);
  return result.trip;
}
