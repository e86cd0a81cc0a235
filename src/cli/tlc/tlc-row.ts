/**
 * One TLC row -> one `TripSubmission`, or an unreadable row saying which field and why. Decides only
 * whether a row can be expressed as a GraphQL TripInput; whether the trip is valid (negative fares,
 * pickups before 2009...) is the API's call, so such rows are passed through to be rejected and counted.
 */
import { parseDateTime } from '../../domain/time';
import type { TripSubmission } from '../../domain/trip';
import type { TlcField, TlcHeaderMapping } from './tlc-header';

/** A cell as a source yields it: text from CSV; numbers, bigints or nulls from Parquet. */
export type TlcCell = string | number | bigint | null | undefined;

/** A row that became a trip. `row` is the 1-based data row number (header and blank lines not counted). */
export interface TlcTripRow {
  kind: 'trip';
  row: number;
  trip: TripSubmission;
}

/** A row that cannot be a TripInput: reported by the replay, never silently dropped. */
export interface TlcUnreadableRow {
  kind: 'unreadable';
  row: number;
  field: TlcField;
  column: string;
  reason: string;
}

export type TlcRow = TlcTripRow | TlcUnreadableRow;

type CellReading = { kind: 'blank' } | { kind: 'number'; value: number } | { kind: 'invalid'; reason: string };

// Decimal notation only: Number() would also take '0x1F', 'Infinity' and '' (as 0), none of which is TLC data.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d{1,9})?$/;
// GraphQL Int is a signed 32-bit integer; anything else in an Int field fails the whole call.
const MAX_GRAPHQL_INT = 2 ** 31 - 1;
const MIN_GRAPHQL_INT = -(2 ** 31);

const REQUIRED_INTEGER_FIELDS = ['pickupZoneId', 'dropoffZoneId'] as const satisfies readonly TlcField[];
const REQUIRED_DECIMAL_FIELDS = ['tripDistanceMiles', 'fareAmount', 'totalAmount'] as const satisfies readonly TlcField[];
const OPTIONAL_INTEGER_FIELDS = ['vendorId', 'passengerCount', 'rateCodeId', 'paymentType'] as const satisfies readonly TlcField[];
const OPTIONAL_DECIMAL_FIELDS = ['tipAmount', 'tollsAmount'] as const satisfies readonly TlcField[];

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

function readNumber(cell: TlcCell): CellReading {
  if (cell === null || cell === undefined) return { kind: 'blank' };
  if (typeof cell === 'bigint') return { kind: 'number', value: Number(cell) };
  if (typeof cell === 'number') {
    return Number.isFinite(cell) ? { kind: 'number', value: cell } : { kind: 'invalid', reason: `not a number: ${cell}` };
  }
  const text = cell.trim();
  if (text === '') return { kind: 'blank' };
  if (!DECIMAL.test(text)) return { kind: 'invalid', reason: `not a number: ${quote(text)}` };
  const value = Number(text);
  return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'invalid', reason: `not a finite number: ${quote(text)}` };
}

function isGraphQLInt(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_GRAPHQL_INT && value <= MAX_GRAPHQL_INT;
}

/**
 * A TLC time cell as the API's local date-time text, 'YYYY-MM-DDTHH:MM:SS' (a fraction is kept
 * when the source has one), or why it is not one. TLC times are New York wall-clock times: they are
 * passed on as they are, never shifted. Impossible dates (2023-02-30) are caught here, because a
 * DateTime the API cannot parse would fail the whole call, not just this trip.
 */
export function toLocalDateTimeText(cell: TlcCell): { text: string } | { reason: string } {
  if (cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '')) return { reason: 'blank' };
  if (typeof cell !== 'string') return { reason: `not a date-time: ${String(cell)}` };
  const match = LOCAL_DATE_TIME.exec(cell.trim());
  const text = match && `${match[1]}T${match[2]}${match[3] ?? ':00'}${match[4] ?? ''}`;
  if (!text || parseDateTime(text) === undefined) return { reason: `not a date-time: ${quote(cell)}` };
  return { text };
}

/**
 * Builds the trip of one row from its cells (looked up through the header mapping), or the first
 * reason it cannot be one. Required fields (times, zones, distance, fare, total) must be present and
 * numeric; zones must be integers. Blank optional fields become null. An optional integer field
 * holding a fraction becomes null too (the API drops such values, and GraphQL Int cannot carry them),
 * but text that is not a number at all marks the row unreadable: it usually means shifted columns.
 */
export function toTlcRow(cells: (field: TlcField) => TlcCell, header: TlcHeaderMapping, row: number, tripId: string): TlcRow {
  const unreadable = (field: TlcField, reason: string): TlcUnreadableRow => ({
    kind: 'unreadable',
    row,
    field,
    column: header.columnOf[field],
    reason: `${header.columnOf[field]} is ${reason}`,
  });

  const pickupAt = toLocalDateTimeText(cells('pickupAt'));
  if ('reason' in pickupAt) return unreadable('pickupAt', pickupAt.reason);
  const dropoffAt = toLocalDateTimeText(cells('dropoffAt'));
  if ('reason' in dropoffAt) return unreadable('dropoffAt', dropoffAt.reason);

  const numbers = {} as Record<TlcField, number | null>;
  for (const field of REQUIRED_INTEGER_FIELDS) {
    const reading = readNumber(cells(field));
    if (reading.kind === 'blank') return unreadable(field, 'blank');
    if (reading.kind === 'invalid') return unreadable(field, reading.reason);
    if (!isGraphQLInt(reading.value)) return unreadable(field, `not an integer: ${reading.value}`);
    numbers[field] = reading.value;
  }
  for (const field of REQUIRED_DECIMAL_FIELDS) {
    const reading = readNumber(cells(field));
    if (reading.kind === 'blank') return unreadable(field, 'blank');
    if (reading.kind === 'invalid') return unreadable(field, reading.reason);
    numbers[field] = reading.value;
  }
  for (const field of OPTIONAL_INTEGER_FIELDS) {
    const reading = readNumber(cells(field));
    if (reading.kind === 'invalid') return unreadable(field, reading.reason);
    numbers[field] = reading.kind === 'number' && isGraphQLInt(reading.value) ? reading.value : null;
  }
  for (const field of OPTIONAL_DECIMAL_FIELDS) {
    const reading = readNumber(cells(field));
    if (reading.kind === 'invalid') return unreadable(field, reading.reason);
    numbers[field] = reading.kind === 'number' ? reading.value : null;
  }

  return {
    kind: 'trip',
    row,
    trip: {
      tripId,
      vendorId: numbers.vendorId,
      pickupAt: pickupAt.text,
      dropoffAt: dropoffAt.text,
      pickupZoneId: numbers.pickupZoneId as number,
      dropoffZoneId: numbers.dropoffZoneId as number,
      passengerCount: numbers.passengerCount,
      rateCodeId: numbers.rateCodeId,
      paymentType: numbers.paymentType,
      tripDistanceMiles: numbers.tripDistanceMiles as number,
      fareAmount: numbers.fareAmount as number,
      tipAmount: numbers.tipAmount,
      tollsAmount: numbers.tollsAmount,
      totalAmount: numbers.totalAmount as number,
    },
  };
}
