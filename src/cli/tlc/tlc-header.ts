/**
 * The TLC header styles and which column feeds which `TripSubmission` field
 * (docs/insights-contract.md, "A trip"). The one place column names are spelled.
 */
import type { TripSubmission } from '../../domain/trip';
import { UnknownTlcHeaderError } from './tlc-errors';

/** Every TripInput field a TLC row carries; tripId is not in the files, the reader derives it. */
export type TlcField = Exclude<keyof TripSubmission, 'tripId'>;

/** Which naming a file uses: original yellow (tpep_*), original green (lpep_*), or renamed snake_case samples. */
export type TlcHeaderStyle = 'yellow' | 'green' | 'renamed';

const SHARED_ORIGINAL_COLUMNS = {
  vendorId: 'VendorID',
  pickupZoneId: 'PULocationID',
  dropoffZoneId: 'DOLocationID',
  passengerCount: 'passenger_count',
  rateCodeId: 'RatecodeID',
  paymentType: 'payment_type',
  tripDistanceMiles: 'trip_distance',
  fareAmount: 'fare_amount',
  tipAmount: 'tip_amount',
  tollsAmount: 'tolls_amount',
  totalAmount: 'total_amount',
} as const;

/** Column name of every field, per style, as the TLC (or the sample's publisher) spells it. */
export const TLC_HEADER_STYLES = {
  yellow: { ...SHARED_ORIGINAL_COLUMNS, pickupAt: 'tpep_pickup_datetime', dropoffAt: 'tpep_dropoff_datetime' },
  green: { ...SHARED_ORIGINAL_COLUMNS, pickupAt: 'lpep_pickup_datetime', dropoffAt: 'lpep_dropoff_datetime' },
  renamed: {
    vendorId: 'vendor_id',
    pickupAt: 'pickup_datetime',
    dropoffAt: 'dropoff_datetime',
    pickupZoneId: 'pickup_location_id',
    dropoffZoneId: 'dropoff_location_id',
    passengerCount: 'passenger_count',
    rateCodeId: 'rate_code_id',
    paymentType: 'payment_type',
    tripDistanceMiles: 'trip_distance',
    fareAmount: 'fare_amount',
    tipAmount: 'tip_amount',
    tollsAmount: 'tolls_amount',
    totalAmount: 'total_amount',
  },
} as const satisfies Record<TlcHeaderStyle, Record<TlcField, string>>;

export const TLC_FIELDS = Object.keys(TLC_HEADER_STYLES.yellow) as readonly TlcField[];

/** A header matched to a style: for every field, its column's name (as the file spells it) and position. */
export interface TlcHeaderMapping {
  style: TlcHeaderStyle;
  columnOf: Readonly<Record<TlcField, string>>;
  indexOf: Readonly<Record<TlcField, number>>;
}

// TLC spelled some columns differently over the years (RateCodeID in 2015, RatecodeID later) and
// exports sometimes lower-case or pad them: names are compared trimmed and case-insensitively.
function normalise(column: string): string {
  return column.trim().toLowerCase();
}

function missingColumnsOf(style: TlcHeaderStyle, present: ReadonlyMap<string, number>): string[] {
  return Object.values(TLC_HEADER_STYLES[style]).filter((column) => !present.has(normalise(column)));
}

/**
 * Matches a file's column names to a TLC header style and locates every field's column. The style
 * whose columns are all present wins; extra columns (extra, mta_tax, congestion_surcharge...) are
 * ignored. Throws UnknownTlcHeaderError naming the columns the closest style misses, rather than
 * guessing, because a wrongly mapped column would corrupt every trip silently.
 */
export function detectTlcHeader(path: string, columns: readonly string[]): TlcHeaderMapping {
  const present = new Map<string, number>();
  columns.forEach((column, index) => {
    if (!present.has(normalise(column))) present.set(normalise(column), index);
  });
  const styles = Object.keys(TLC_HEADER_STYLES) as TlcHeaderStyle[];
  const missingByStyle = styles.map((style) => ({ style, missing: missingColumnsOf(style, present) }));
  const closest = missingByStyle.reduce((best, candidate) => (candidate.missing.length < best.missing.length ? candidate : best));
  if (closest.missing.length > 0) {
    throw new UnknownTlcHeaderError(path, closest.style, closest.missing, columns);
  }
  const expected = TLC_HEADER_STYLES[closest.style];
  const indexOf = Object.fromEntries(TLC_FIELDS.map((field) => [field, present.get(normalise(expected[field])) as number])) as Record<
    TlcField,
    number
  >;
  // The file's own spelling, so messages about a row name the column the user sees.
  const columnOf = Object.fromEntries(TLC_FIELDS.map((field) => [field, columns[indexOf[field]].trim()])) as Record<TlcField, string>;
  return { style: closest.style, columnOf, indexOf };
}
