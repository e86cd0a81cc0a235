/**
 * The records on the trip stream: what ingest writes and the processor reads. One JSON object per
 * Kinesis record, partition key = tripId so that every submission of a trip lands in one shard, in order.
 *
 * Decoding is strict: anything that is not exactly a record of this shape is poison, with a reason,
 * so that the processor can keep it aside instead of failing the shard.
 */
import { isRejectionReason, type RejectionReason, type Trip, type TripSubmission } from '../domain/trip';
import { findZone } from '../domain/zones';

export const STREAM_RECORD_VERSION = 1;

/** A validated trip on its way to the aggregates. */
export interface TripStreamRecord {
  v: typeof STREAM_RECORD_VERSION;
  type: 'trip';
  /** When the API accepted it (epoch ms): processing lag is measured from here. */
  submittedAtMs: number;
  trip: Trip;
}

/** A rejected submission, on its way to be kept and counted by reason. */
export interface RejectionStreamRecord {
  v: typeof STREAM_RECORD_VERSION;
  type: 'rejection';
  submittedAtMs: number;
  tripId: string;
  reason: RejectionReason;
  field: string;
  message: string;
  /** The submission as received, for whoever investigates. */
  submission: Partial<TripSubmission>;
}

export type StreamRecord = TripStreamRecord | RejectionStreamRecord;

export type DecodeResult = { ok: true; record: StreamRecord } | { ok: false; reason: string };

/** The partition key of a record: its tripId. */
export function partitionKeyOf(record: StreamRecord): string {
  return record.type === 'trip' ? record.trip.tripId : record.tripId;
}

export function encodeStreamRecord(record: StreamRecord): Uint8Array {
  return Buffer.from(JSON.stringify(record), 'utf8');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes the base64 `data` of a Kinesis event record. */
export function decodeBase64StreamRecord(base64: string): DecodeResult {
  if (typeof base64 !== 'string' || base64.length % 4 !== 0 || !BASE64.test(base64)) {
    return { ok: false, reason: 'data is not valid base64' };
  }
  return decodeStreamRecord(Buffer.from(base64, 'base64'));
}

/** Decodes and checks the bytes of one record. */
export function decodeStreamRecord(bytes: Uint8Array): DecodeResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'data is not UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'data is not JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: 'record is not a JSON object' };
  if (value.v !== STREAM_RECORD_VERSION) return { ok: false, reason: `unsupported record version ${String(value.v)}` };
  if (!isInteger(value.submittedAtMs)) return { ok: false, reason: 'submittedAtMs must be an integer' };
  if (value.type === 'trip') return decodeTrip(value);
  if (value.type === 'rejection') return decodeRejection(value);
  return { ok: false, reason: `unknown record type ${JSON.stringify(value.type)}` };
}

function decodeTrip(value: Record<string, unknown>): DecodeResult {
  const trip = value.trip;
  if (!isObject(trip)) return { ok: false, reason: 'trip must be an object' };
  if (!isTripId(trip.tripId)) return { ok: false, reason: 'trip.tripId must be a non-empty string' };
  const integers = [
    'pickupAtMs',
    'dropoffAtMs',
    'pickupZoneId',
    'dropoffZoneId',
    'distanceHundredths',
    'fareCents',
    'tipCents',
    'tollsCents',
    'totalCents',
  ] as const;
  for (const field of integers) {
    if (!isInteger(trip[field])) return { ok: false, reason: `trip.${field} must be an integer` };
  }
  for (const field of ['vendorId', 'passengerCount', 'rateCodeId', 'paymentType'] as const) {
    if (trip[field] !== undefined && !isInteger(trip[field])) {
      return { ok: false, reason: `trip.${field} must be an integer when present` };
    }
  }
  if (!findZone(trip.pickupZoneId as number) || !findZone(trip.dropoffZoneId as number)) {
    return { ok: false, reason: 'trip zone ids must be TLC taxi zones 1..265' };
  }
  for (const field of ['distanceHundredths', 'fareCents', 'tipCents', 'tollsCents', 'totalCents'] as const) {
    if ((trip[field] as number) < 0) return { ok: false, reason: `trip.${field} must not be negative` };
  }
  return { ok: true, record: value as unknown as TripStreamRecord };
}

function decodeRejection(value: Record<string, unknown>): DecodeResult {
  if (!isTripId(value.tripId)) return { ok: false, reason: 'tripId must be a non-empty string' };
  if (!isRejectionReason(value.reason)) return { ok: false, reason: `unknown rejection reason ${JSON.stringify(value.reason)}` };
  if (typeof value.field !== 'string' || typeof value.message !== 'string') {
    return { ok: false, reason: 'field and message must be strings' };
  }
  if (!isObject(value.submission)) return { ok: false, reason: 'submission must be an object' };
  return { ok: true, record: value as unknown as RejectionStreamRecord };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isTripId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 256;
}
