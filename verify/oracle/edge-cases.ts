/**
 * The edge cases of the operations insight that a test on real files must cover (issue 10): DST days,
 * rides across a DST change, drop-offs in a later hour, day or month than the pickup, missing and
 * unusual payment codes, missing or zero passenger counts, zero-duration rides. Found in the oracle's
 * valid trips of a file (so only rows the pipeline counts), each with its count and the first rows
 * that show it, by row number and local times: a test can assert that its files still hold them.
 */
import { nyInstant, nyParts, type OracleTrip } from './tlc-oracle';

export interface EdgeCaseExample {
  /** Data row in the file, 1-based. */
  row: number;
  pickup: string;
  dropoff: string;
  note?: string;
}

export interface EdgeCase {
  name: string;
  description: string;
  count: number;
  examples: EdgeCaseExample[];
}

const MAX_EXAMPLES = 3;
const HOUR_MS = 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');
type Local = OracleTrip['local'];

function localText({ y, m, d, h }: Local, ms: number): string {
  const [, , , , minute, second] = nyParts(ms);
  return `${y}-${pad(m)}-${pad(d)} ${pad(h)}:${pad(minute)}:${pad(second)}`;
}

/** Hours in a local calendar day: 23 on the spring-forward day, 25 on the fall-back day, else 24. */
function hoursInDay({ y, m, d }: Local): number {
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return (nyInstant([next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, 0]) - nyInstant([y, m, d, 0, 0, 0])) / HOUR_MS;
}

/** New York's UTC offset at an instant, minutes. */
function offsetMinutes(ms: number): number {
  const [y, m, d, h, minute, second] = nyParts(ms);
  return Math.round((Date.UTC(y, m - 1, d, h, minute, second) - ms) / 60_000);
}

/** The edge cases among the valid trips of one file, in a fixed order, with counts and first examples. */
export function findEdgeCases(trips: readonly OracleTrip[]): EdgeCase[] {
  const cases: Array<{
    name: string;
    description: string;
    test: (trip: OracleTrip, pickupMs: number, dropoffMs: number) => string | boolean;
  }> = [
    {
      name: 'spring-forward day',
      description: 'picked up or dropped off on a 23-hour local day (no 02:00 hour)',
      test: (trip) => hoursInDay(trip.local) === 23 || hoursInDay(trip.dropoffLocal) === 23,
    },
    {
      name: 'fall-back day',
      description: 'picked up or dropped off on a 25-hour local day (01:00 twice)',
      test: (trip) => hoursInDay(trip.local) === 25 || hoursInDay(trip.dropoffLocal) === 25,
    },
    {
      name: 'in the spring-forward gap',
      description: 'a local time that does not exist (02:xx on the spring-forward day), read an hour later',
      test: (trip) => trip.inSpringForwardGap,
    },
    {
      name: 'in the repeated fall-back hour',
      description: 'picked up or dropped off in the 01:00 hour of a 25-hour day (read as its first pass)',
      test: (trip) =>
        (hoursInDay(trip.local) === 25 && trip.local.h === 1) || (hoursInDay(trip.dropoffLocal) === 25 && trip.dropoffLocal.h === 1),
    },
    {
      name: 'across a DST change',
      description: "New York's offset at the drop-off differs from the pickup's",
      test: (_, pickupMs, dropoffMs) => offsetMinutes(pickupMs) !== offsetMinutes(dropoffMs),
    },
    {
      name: 'drop-off in a later hour',
      description: 'the local hour of the drop-off is not the pickup hour (same day)',
      test: (trip) => sameDay(trip.local, trip.dropoffLocal) && trip.local.h !== trip.dropoffLocal.h,
    },
    {
      name: 'drop-off on a later day',
      description: 'the local date of the drop-off is after the pickup date (same month)',
      test: (trip) =>
        !sameDay(trip.local, trip.dropoffLocal) && trip.local.m === trip.dropoffLocal.m && trip.local.y === trip.dropoffLocal.y,
    },
    {
      name: 'drop-off in a later month',
      description: 'the drop-off is in a later calendar month than the pickup',
      test: (trip) => trip.local.m !== trip.dropoffLocal.m || trip.local.y !== trip.dropoffLocal.y,
    },
    { name: 'missing payment code', description: 'payment_type blank (UNKNOWN)', test: (trip) => trip.paymentType === undefined },
    {
      name: 'unusual payment code',
      description:
        'payment_type other than 1 (card), 2 (cash), 3 (no charge) or 4 (dispute): 0 flex fare, 5 unknown, 6 voided, or any other',
      test: (trip) => trip.paymentType !== undefined && !(trip.paymentType >= 1 && trip.paymentType <= 4) && `code ${trip.paymentType}`,
    },
    { name: 'missing passenger count', description: 'passenger_count blank', test: (trip) => trip.passengerCount === undefined },
    {
      name: 'zero passengers',
      description: 'passenger_count 0 (counts in the passenger average)',
      test: (trip) => trip.passengerCount === 0,
    },
    { name: 'zero duration', description: 'dropped off at the pickup time', test: (trip) => trip.durationMs === 0 },
  ];
  const found = cases.map(({ name, description }) => ({ name, description, count: 0, examples: [] as EdgeCaseExample[] }));
  for (const trip of trips) {
    const pickupMs = trip.pickupMs;
    const dropoffMs = pickupMs + trip.durationMs;
    cases.forEach(({ test }, index) => {
      const outcome = test(trip, pickupMs, dropoffMs);
      if (outcome === false) return;
      const edge = found[index];
      edge.count++;
      if (edge.examples.length < MAX_EXAMPLES) {
        edge.examples.push({
          row: trip.row,
          pickup: localText(trip.local, pickupMs),
          dropoff: localText(trip.dropoffLocal, dropoffMs),
          ...(typeof outcome === 'string' ? { note: outcome } : {}),
        });
      }
    });
  }
  return found;
}

function sameDay(a: Local, b: Local): boolean {
  return a.y === b.y && a.m === b.m && a.d === b.d;
}
