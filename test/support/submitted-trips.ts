/**
 * Trips an app submits through `ingestTrips` with what no shipped TLC file holds: payment codes 0
 * (FLEX_FARE) and 6 (VOIDED), codes outside 0..6, a local time in the spring-forward gap, rides across
 * both DST changes and into the next month, alongside missing and zero passenger counts and zero
 * durations. The same trips are also written as a TLC CSV file, so that the oracle reads them with its
 * own parsing (tlc-oracle.ts) and computes its answers over exactly what was submitted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SubmittedTrip {
  tripId: string;
  /** New York local wall clock, as TLC files and API inputs without an offset carry it. */
  pickupAt: string;
  dropoffAt: string;
  pickupZoneId: number;
  dropoffZoneId: number;
  passengerCount?: number;
  paymentType?: number;
  tripDistanceMiles: number;
  fareAmount: number;
  tipAmount: number;
  totalAmount: number;
}

type Spec = [
  pickupAt: string,
  dropoffAt: string,
  pickupZoneId: number,
  dropoffZoneId: number,
  passengers: number | undefined,
  payment: number | undefined,
  miles: number,
  fare: number,
  tip: number,
];

/** Two DST days of 2022 and the end of November, in zones of three boroughs; every payment code 0..7, -1 and missing. */
const SPECS: Spec[] = [
  // Spring forward, Sunday 2022-03-13: 02:00-02:59 does not exist (02:30 is read as 03:30 EDT).
  ['2022-03-13 01:40:00', '2022-03-13 03:10:00', 161, 236, 1, 0, 3.1, 15.5, 0],
  ['2022-03-13 02:30:00', '2022-03-13 02:50:00', 161, 132, 2, 1, 17.2, 52, 10.4],
  ['2022-03-13 03:05:00', '2022-03-13 03:05:00', 132, 132, 0, 6, 0, 0, 0],
  ['2022-03-13 09:15:00', '2022-03-13 09:40:00', 161, 230, undefined, 7, 2.2, 12, 0],
  ['2022-03-13 09:20:00', '2022-03-13 10:05:00', 236, 161, 3, 1, 4.8, 22.5, 5],
  ['2022-03-13 23:45:00', '2022-03-14 00:20:00', 138, 61, 1, 2, 11.4, 38, 0],
  // Fall back, Sunday 2022-11-06: 01:00-01:59 happens twice; a local 01:xx is its first pass (EDT).
  ['2022-11-06 00:50:00', '2022-11-06 01:20:00', 161, 236, 1, 0, 2.5, 14, 0],
  ['2022-11-06 01:10:00', '2022-11-06 01:50:00', 230, 132, 1, 1, 16.9, 52, 11.25],
  ['2022-11-06 01:55:00', '2022-11-06 02:15:00', 132, 138, 5, 6, 9.8, 0, 0],
  ['2022-11-06 07:00:00', '2022-11-06 07:00:00', 161, 161, undefined, undefined, 0, 3, 0],
  ['2022-11-06 07:30:00', '2022-11-06 08:10:00', 161, 61, 0, 5, 8.3, 30, 0],
  ['2022-11-06 07:45:00', '2022-11-06 08:00:00', 236, 161, 2, -1, 1.4, 9, 0],
  ['2022-11-06 18:00:00', '2022-11-06 18:35:00', 61, 161, 1, 3, 6.2, 25, 0],
  ['2022-11-06 18:10:00', '2022-11-06 18:25:00', 161, 230, 1, 4, 1.1, 7.5, 0],
  ['2022-11-06 18:20:00', '2022-11-06 18:50:00', 230, 161, 4, 1, 2.9, 16, 0],
  // Into the next day and the next month.
  ['2022-11-30 23:40:00', '2022-12-01 00:25:00', 132, 236, 1, 0, 18.4, 52, 0],
  ['2022-11-30 23:55:00', '2022-12-01 00:05:00', 161, 162, undefined, 1, 1.9, 10.5, 2.5],
  ['2022-11-30 12:00:00', '2022-11-30 12:00:00', 162, 162, 1, 6, 0, 0, 0],
];

/** The submitted trips, with ids unique to this set. */
export const SUBMITTED_TRIPS: readonly SubmittedTrip[] = SPECS.map(
  ([pickupAt, dropoffAt, pickupZoneId, dropoffZoneId, passengerCount, paymentType, tripDistanceMiles, fareAmount, tipAmount], index) => ({
    tripId: `submitted-edge-${index}`,
    pickupAt,
    dropoffAt,
    pickupZoneId,
    dropoffZoneId,
    passengerCount,
    paymentType,
    tripDistanceMiles,
    fareAmount,
    tipAmount,
    // TLC's total here: fare + tip + the $0.50 MTA tax and $0.30 improvement surcharge.
    totalAmount: Math.round((fareAmount + tipAmount + 0.8) * 100) / 100,
  }),
);

/** The trips as `ingestTrips` takes them (missing counts and codes left out, as an app would). */
export function tripInputsOf(trips: readonly SubmittedTrip[]): Array<Record<string, unknown>> {
  return trips.map((trip) => Object.fromEntries(Object.entries(trip).filter(([, value]) => value !== undefined)));
}

/** Writes the trips as a TLC CSV (yellow `tpep_*` header, blank fields where a value is missing); returns its path. */
export function writeAsTlcCsv(trips: readonly SubmittedTrip[], directory: string): string {
  const header =
    'VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount';
  const rows = trips.map((trip) =>
    [
      1,
      trip.pickupAt,
      trip.dropoffAt,
      trip.passengerCount ?? '',
      trip.tripDistanceMiles,
      1,
      'N',
      trip.pickupZoneId,
      trip.dropoffZoneId,
      trip.paymentType ?? '',
      trip.fareAmount,
      0,
      0.5,
      trip.tipAmount,
      0,
      0.3,
      trip.totalAmount,
    ].join(','),
  );
  const path = join(directory, 'submitted-trips.csv');
  writeFileSync(path, `${[header, ...rows].join('\n')}\n`);
  return path;
}
