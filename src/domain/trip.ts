/**
 * The trip model and its validation: the single place that decides which trips count
 * (docs/insights-contract.md, "Which trips count"). Pure: no I/O.
 */
import { dollarsToCents, milesToHundredths } from './money';
import { parseDateTime, localToInstant } from './time';
import { findZone } from './zones';

/** A trip as submitted: the GraphQL `TripInput`, dollars and date-time strings. */
export interface TripSubmission {
  tripId: string;
  vendorId?: number | null;
  pickupAt: string;
  dropoffAt: string;
  pickupZoneId: number;
  dropoffZoneId: number;
  passengerCount?: number | null;
  rateCodeId?: number | null;
  paymentType?: number | null;
  tripDistanceMiles: number;
  fareAmount: number;
  tipAmount?: number | null;
  tollsAmount?: number | null;
  totalAmount: number;
}

/** A valid trip, normalised: instants in epoch milliseconds, money in integer cents. */
export interface Trip {
  tripId: string;
  vendorId?: number;
  pickupAtMs: number;
  dropoffAtMs: number;
  pickupZoneId: number;
  dropoffZoneId: number;
  passengerCount?: number;
  rateCodeId?: number;
  paymentType?: number;
  distanceHundredths: number;
  fareCents: number;
  tipCents: number;
  tollsCents: number;
  totalCents: number;
}

export const REJECTION_REASONS = [
  'INVALID_TRIP_ID',
  'INVALID_TIME',
  'PICKUP_BEFORE_2009',
  'DROPOFF_BEFORE_PICKUP',
  'TRIP_LONGER_THAN_24_HOURS',
  'UNKNOWN_ZONE',
  'DISTANCE_OUT_OF_RANGE',
  'AMOUNT_OUT_OF_RANGE',
  'NEGATIVE_AMOUNT',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export function isRejectionReason(value: unknown): value is RejectionReason {
  return typeof value === 'string' && (REJECTION_REASONS as readonly string[]).includes(value);
}

/** Why a submission is not a valid trip: the first rule it breaks, in the contract's order. */
export interface Rejection {
  reason: RejectionReason;
  field: keyof TripSubmission;
  message: string;
}

export type TripValidation = { ok: true; trip: Trip } | { ok: false; rejection: Rejection };

export const MAX_TRIP_ID_LENGTH = 128;
const MAX_TRIP_DURATION_MS = 24 * 60 * 60 * 1000;
const MAX_DISTANCE_MILES = 500;
const MAX_AMOUNT_DOLLARS = 10_000;
/** TLC records start in 2009: 2009-01-01 00:00 New York local time. */
export const EARLIEST_PICKUP_MS = localToInstant({
  year: 2009,
  month: 1,
  day: 1,
  hour: 0,
  minute: 0,
  second: 0,
  millisecond: 0,
});

function reject(reason: RejectionReason, field: keyof TripSubmission, message: string): TripValidation {
  return { ok: false, rejection: { reason, field, message } };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function optionalInteger(value: number | null | undefined): number | undefined {
  return isFiniteNumber(value) && Number.isInteger(value) ? value : undefined;
}

/**
 * Checks a submission against the contract's rules, in the contract's order, and normalises it.
 * Optional descriptive fields (vendor, passengers, rate code, payment type) never reject a trip:
 * TLC leaves them blank in real rows; a non-integer there is dropped.
 */
export function validateTrip(input: TripSubmission): TripValidation {
  if (typeof input.tripId !== 'string' || input.tripId.length === 0 || input.tripId.length > MAX_TRIP_ID_LENGTH) {
    return reject('INVALID_TRIP_ID', 'tripId', `tripId must be 1..${MAX_TRIP_ID_LENGTH} characters`);
  }
  const pickupAtMs = typeof input.pickupAt === 'string' ? parseDateTime(input.pickupAt) : undefined;
  if (pickupAtMs === undefined) {
    return reject('INVALID_TIME', 'pickupAt', `pickupAt is not an ISO-8601 date-time: ${String(input.pickupAt).slice(0, 40)}`);
  }
  const dropoffAtMs = typeof input.dropoffAt === 'string' ? parseDateTime(input.dropoffAt) : undefined;
  if (dropoffAtMs === undefined) {
    return reject('INVALID_TIME', 'dropoffAt', `dropoffAt is not an ISO-8601 date-time: ${String(input.dropoffAt).slice(0, 40)}`);
  }
  if (pickupAtMs < EARLIEST_PICKUP_MS) {
    return reject('PICKUP_BEFORE_2009', 'pickupAt', 'pickupAt is before 2009-01-01 00:00 New York time');
  }
  if (dropoffAtMs < pickupAtMs) {
    return reject('DROPOFF_BEFORE_PICKUP', 'dropoffAt', 'dropoffAt is before pickupAt');
  }
  if (dropoffAtMs - pickupAtMs > MAX_TRIP_DURATION_MS) {
    return reject('TRIP_LONGER_THAN_24_HOURS', 'dropoffAt', 'dropoffAt is more than 24 hours after pickupAt');
  }
  if (!findZone(input.pickupZoneId)) {
    return reject('UNKNOWN_ZONE', 'pickupZoneId', `pickupZoneId ${input.pickupZoneId} is not a TLC taxi zone (1..265)`);
  }
  if (!findZone(input.dropoffZoneId)) {
    return reject('UNKNOWN_ZONE', 'dropoffZoneId', `dropoffZoneId ${input.dropoffZoneId} is not a TLC taxi zone (1..265)`);
  }
  if (!isFiniteNumber(input.tripDistanceMiles) || input.tripDistanceMiles < 0 || input.tripDistanceMiles > MAX_DISTANCE_MILES) {
    return reject('DISTANCE_OUT_OF_RANGE', 'tripDistanceMiles', `tripDistanceMiles must be within 0..${MAX_DISTANCE_MILES}`);
  }
  for (const field of ['fareAmount', 'totalAmount'] as const) {
    const amount = input[field];
    if (!isFiniteNumber(amount) || amount < 0 || amount > MAX_AMOUNT_DOLLARS) {
      return reject('AMOUNT_OUT_OF_RANGE', field, `${field} must be within 0..${MAX_AMOUNT_DOLLARS} dollars`);
    }
  }
  for (const field of ['tipAmount', 'tollsAmount'] as const) {
    const amount = input[field];
    if (amount !== undefined && amount !== null && (!isFiniteNumber(amount) || amount < 0)) {
      return reject('NEGATIVE_AMOUNT', field, `${field} must not be negative`);
    }
  }
  return {
    ok: true,
    trip: {
      tripId: input.tripId,
      vendorId: optionalInteger(input.vendorId),
      pickupAtMs,
      dropoffAtMs,
      pickupZoneId: input.pickupZoneId,
      dropoffZoneId: input.dropoffZoneId,
      passengerCount: optionalInteger(input.passengerCount),
      rateCodeId: optionalInteger(input.rateCodeId),
      paymentType: optionalInteger(input.paymentType),
      distanceHundredths: milesToHundredths(input.tripDistanceMiles),
      fareCents: dollarsToCents(input.fareAmount),
      tipCents: dollarsToCents(input.tipAmount ?? 0),
      tollsCents: dollarsToCents(input.tollsAmount ?? 0),
      totalCents: dollarsToCents(input.totalAmount),
    },
  };
}
