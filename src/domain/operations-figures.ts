/**
 * What a trip adds to the operations figures of a bucket (docs/insights-contract.md,
 * "operations"): its duration, a duration sketch bucket, its passengers, its payment type, and for card
 * trips the tip and fare that make the card tip rate. Every figure is a sum or a count, so a batch's
 * trips add up in memory, items add up with DynamoDB's ADD, and days merge into weeks and months when
 * read. Trips, revenue (total cents) and distance are the fare figures' own sums. Pure.
 */
import { DURATION_SKETCH, mergeCounts } from './quantile-sketch';
import type { Trip } from './trip';

/**
 * Payment types in the contract's fixed order. A type's position is its TLC code (0..6), which is why
 * UNKNOWN, TLC's 5, sits between DISPUTE and VOIDED.
 */
export const PAYMENT_TYPES = ['FLEX_FARE', 'CARD', 'CASH', 'NO_CHARGE', 'DISPUTE', 'UNKNOWN', 'VOIDED'] as const;

export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** Position of UNKNOWN in PAYMENT_TYPES: where a missing code and any code outside 0..6 are counted. */
export const UNKNOWN_PAYMENT_INDEX = PAYMENT_TYPES.indexOf('UNKNOWN');
/** Position of CARD in PAYMENT_TYPES: the trips whose tips TLC records. */
export const CARD_PAYMENT_INDEX = PAYMENT_TYPES.indexOf('CARD');

/**
 * The position in PAYMENT_TYPES of a TLC payment code: the code itself for 0..6, UNKNOWN for a missing
 * code and for any other (negative, 7 and above, or not an integer).
 */
export function paymentTypeIndex(code: number | undefined): number {
  return code !== undefined && Number.isInteger(code) && code >= 0 && code < PAYMENT_TYPES.length ? code : UNKNOWN_PAYMENT_INDEX;
}

/** The payment type of a TLC payment code (see paymentTypeIndex). */
export function paymentTypeOf(code: number | undefined): PaymentType {
  return PAYMENT_TYPES[paymentTypeIndex(code)];
}

/**
 * A trip's duration in integer milliseconds: exact for TLC's whole seconds and for API times with
 * milliseconds (instants are integer milliseconds), and exactly 0 for a trip dropped off when picked up.
 */
export function tripDurationMs(trip: Pick<Trip, 'pickupAtMs' | 'dropoffAtMs'>): number {
  return trip.dropoffAtMs - trip.pickupAtMs;
}

/** The operations figures of a bucket's trips (trips, revenue and distance are the fare figures'). */
export interface OperationsFigures {
  /** Sum of durations, integer milliseconds. */
  durationMs: number;
  /** Duration quantile sketch (DURATION_SKETCH): bucket index -> trips. */
  durationSketch: Map<number, number>;
  /** Sum of passengerCount over the trips that have one. */
  passengerSum: number;
  /** Trips that have a passengerCount (0 passengers included). */
  tripsWithPassengers: number;
  /** Trips per payment type, indexed as PAYMENT_TYPES (always 7 entries). */
  tripsByPaymentType: number[];
  /** Tips of CARD trips, cents. */
  cardTipCents: number;
  /** Fares of CARD trips, cents. */
  cardFareCents: number;
}

/** Operations figures of no trips. */
export function emptyOperations(): OperationsFigures {
  return {
    durationMs: 0,
    durationSketch: new Map(),
    passengerSum: 0,
    tripsWithPassengers: 0,
    tripsByPaymentType: new Array<number>(PAYMENT_TYPES.length).fill(0),
    cardTipCents: 0,
    cardFareCents: 0,
  };
}

/** Adds one valid trip's figures (mutates and returns `figures`). */
export function addTripOperations(figures: OperationsFigures, trip: Trip): OperationsFigures {
  const durationMs = tripDurationMs(trip);
  figures.durationMs += durationMs;
  const bucket = DURATION_SKETCH.bucketOf(durationMs);
  figures.durationSketch.set(bucket, (figures.durationSketch.get(bucket) ?? 0) + 1);
  if (trip.passengerCount !== undefined) {
    figures.passengerSum += trip.passengerCount;
    figures.tripsWithPassengers += 1;
  }
  const payment = paymentTypeIndex(trip.paymentType);
  figures.tripsByPaymentType[payment] += 1;
  if (payment === CARD_PAYMENT_INDEX) {
    figures.cardTipCents += trip.tipCents;
    figures.cardFareCents += trip.fareCents;
  }
  return figures;
}

/** Adds `from` into `into` (mutates and returns `into`). */
export function mergeOperations(into: OperationsFigures, from: OperationsFigures): OperationsFigures {
  into.durationMs += from.durationMs;
  mergeCounts(into.durationSketch, from.durationSketch);
  into.passengerSum += from.passengerSum;
  into.tripsWithPassengers += from.tripsWithPassengers;
  from.tripsByPaymentType.forEach((trips, index) => (into.tripsByPaymentType[index] += trips));
  into.cardTipCents += from.cardTipCents;
  into.cardFareCents += from.cardFareCents;
  return into;
}
