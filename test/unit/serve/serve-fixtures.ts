/**
 * Small inputs for the serve layer's unit tests: valid trips from submissions, and a GraphQL error's
 * code and argument.
 */
import { GraphQLError } from 'graphql';
import { validateTrip, type Trip, type TripSubmission } from '../../../src/domain/trip';

let next = 0;

/** A valid trip (zone 74, East Harlem North, Manhattan, on 2023-02-01 08:15 New York time unless overridden). */
export function validTrip(overrides: Partial<TripSubmission> = {}): Trip {
  const validation = validateTrip({
    tripId: `trip-${++next}`,
    pickupAt: '2023-02-01T08:15:00',
    dropoffAt: '2023-02-01T08:35:00',
    pickupZoneId: 74,
    dropoffZoneId: 75,
    tripDistanceMiles: 2.5,
    fareAmount: 12.5,
    tipAmount: 2,
    totalAmount: 16,
    ...overrides,
  });
  if (!validation.ok) throw new Error(`not a valid trip: ${validation.rejection.message}`);
  return validation.trip;
}

/** `extensions.code` and `extensions.argument` of what `work` throws (a GraphQLError). */
export async function userErrorOf(work: () => Promise<unknown>): Promise<{ code: unknown; argument: unknown; message: string }> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { code: error.extensions.code, argument: error.extensions.argument, message: error.message };
  }
  throw new Error('expected a GraphQLError, got an answer');
}
