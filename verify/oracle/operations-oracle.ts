/**
 * The oracle for the operational-efficiency insight (issue 10): `operations`, `zoneFlows` and
 * `peakHours.byHourOfWeek`, computed straight from the oracle's trips (tlc-oracle.ts: its own parsing
 * and time-zone arithmetic, nothing from src/). Plain arithmetic on every trip: exact sums, exact
 * nearest-rank duration quantiles from sorted durations, weekdays from the calendar date.
 */
import { bucketOf, formatLocalStart, nearestRank, nyInstant, type OracleTrip } from './tlc-oracle';
import type { LookupZone } from './tlc-zones';

type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/** The contract's payment types in its order; TLC code c (0..6) is PAYMENT_TYPE_NAMES[c]. */
export const PAYMENT_TYPE_NAMES = ['FLEX_FARE', 'CARD', 'CASH', 'NO_CHARGE', 'DISPUTE', 'UNKNOWN', 'VOIDED'] as const;

/** The contract's payment type of a row: its code's name for 0..6, UNKNOWN for a missing or any other code. */
export function paymentTypeName(code: number | undefined): string {
  return code !== undefined && code >= 0 && code <= 6 ? PAYMENT_TYPE_NAMES[code] : 'UNKNOWN';
}

export interface OracleOperationsBucket {
  start: string;
  trips: number;
  revenue: number;
  averageDurationMinutes: number;
  medianDurationMinutes: number;
  p90DurationMinutes: number;
  averageSpeedMph: number | null;
  averagePassengers: number | null;
  paymentMix: Array<{ paymentType: string; trips: number }>;
  cardTipRate: number | null;
}

/** operations over trips whose pickup bucket starts in [fromMs, toMs), one entry per bucket with trips, in time order. */
export function oracleOperations(
  trips: readonly OracleTrip[],
  granularity: Granularity,
  fromMs: number,
  toMs: number,
): OracleOperationsBucket[] {
  const groups = new Map<string, { startMs: number; key: number[]; trips: OracleTrip[] }>();
  for (const trip of trips) {
    const key = bucketOf(trip, granularity);
    const startMs = nyInstant([...key, 0, 0]);
    if (startMs < fromMs || startMs >= toMs) continue;
    const id = key.join('-');
    if (!groups.has(id)) groups.set(id, { startMs, key, trips: [] });
    groups.get(id)!.trips.push(trip);
  }
  return [...groups.values()]
    .sort((a, b) => a.startMs - b.startMs)
    .map(({ key, trips: bucket }) => {
      const durations = bucket.map((trip) => trip.durationMs).sort((a, b) => a - b);
      const durationMs = durations.reduce((sum, duration) => sum + duration, 0);
      const distance = bucket.reduce((sum, trip) => sum + trip.distance, 0);
      const withPassengers = bucket.filter((trip) => trip.passengerCount !== undefined);
      const card = bucket.filter((trip) => paymentTypeName(trip.paymentType) === 'CARD');
      const cardFareCents = card.reduce((sum, trip) => sum + trip.fareCents, 0);
      return {
        start: formatLocalStart(key[0], key[1], key[2], key[3]),
        trips: bucket.length,
        revenue: bucket.reduce((sum, trip) => sum + trip.totalCents, 0) / 100,
        averageDurationMinutes: durationMs / 60_000 / bucket.length,
        medianDurationMinutes: nearestRank(durations, 0.5) / 60_000,
        p90DurationMinutes: nearestRank(durations, 0.9) / 60_000,
        averageSpeedMph: durationMs === 0 ? null : distance / (durationMs / 3_600_000),
        averagePassengers:
          withPassengers.length === 0 ? null : withPassengers.reduce((sum, trip) => sum + trip.passengerCount!, 0) / withPassengers.length,
        paymentMix: PAYMENT_TYPE_NAMES.map((paymentType) => ({
          paymentType,
          trips: bucket.filter((trip) => paymentTypeName(trip.paymentType) === paymentType).length,
        })),
        cardTipRate: cardFareCents === 0 ? null : card.reduce((sum, trip) => sum + trip.tipCents, 0) / cardFareCents,
      };
    });
}

export interface OracleZoneFlow {
  zoneId: number;
  zoneName: string;
  borough: string;
  pickups: number;
  dropoffs: number;
  net: number;
}

export interface OracleZoneFlows {
  zones: OracleZoneFlow[];
  totalPickups: number;
  totalDropoffs: number;
}

/** Start instant of a local hour. */
function hourStartMs({ y, m, d, h }: OracleTrip['local']): number {
  return nyInstant([y, m, d, h, 0, 0]);
}

/**
 * zoneFlows over [fromMs, toMs): pickups by the local hour of the pickup, drop-offs by the local hour of
 * the drop-off, each counted when that hour starts in the range; zones of `borough` only when given.
 */
export function oracleZoneFlows(
  trips: readonly OracleTrip[],
  fromMs: number,
  toMs: number,
  zones: ReadonlyMap<number, LookupZone>,
  borough?: string,
): OracleZoneFlows {
  const inRange = (ms: number) => ms >= fromMs && ms < toMs;
  const pickups = new Map<number, number>();
  const dropoffs = new Map<number, number>();
  for (const trip of trips) {
    if (inRange(hourStartMs(trip.local))) pickups.set(trip.pickupZoneId, (pickups.get(trip.pickupZoneId) ?? 0) + 1);
    if (inRange(hourStartMs(trip.dropoffLocal))) dropoffs.set(trip.dropoffZoneId, (dropoffs.get(trip.dropoffZoneId) ?? 0) + 1);
  }
  const listed: OracleZoneFlow[] = [];
  for (let zoneId = 1; zoneId <= 265; zoneId++) {
    const zone = zones.get(zoneId);
    const pickupCount = pickups.get(zoneId) ?? 0;
    const dropoffCount = dropoffs.get(zoneId) ?? 0;
    if (!zone || (pickupCount === 0 && dropoffCount === 0) || (borough !== undefined && zone.borough !== borough)) continue;
    listed.push({
      zoneId,
      zoneName: zone.name,
      borough: zone.borough,
      pickups: pickupCount,
      dropoffs: dropoffCount,
      net: dropoffCount - pickupCount,
    });
  }
  return {
    zones: listed,
    totalPickups: listed.reduce((sum, zone) => sum + zone.pickups, 0),
    totalDropoffs: listed.reduce((sum, zone) => sum + zone.dropoffs, 0),
  };
}

export interface OracleHourOfWeek {
  dayOfWeek: number;
  hourOfDay: number;
  trips: number;
}

/** peakHours.byHourOfWeek over trips whose pickup hour starts in [fromMs, toMs): 168 entries, Monday 00 first. */
export function oracleByHourOfWeek(trips: readonly OracleTrip[], fromMs: number, toMs: number): OracleHourOfWeek[] {
  const counts = new Array<number>(168).fill(0);
  for (const trip of trips) {
    const startMs = hourStartMs(trip.local);
    if (startMs < fromMs || startMs >= toMs) continue;
    const { y, m, d, h } = trip.local;
    // getUTCDay: Sunday 0 .. Saturday 6; ISO: Monday 1 .. Sunday 7.
    const dayOfWeek = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
    counts[(dayOfWeek - 1) * 24 + h]++;
  }
  return counts.map((count, index) => ({ dayOfWeek: Math.floor(index / 24) + 1, hourOfDay: index % 24, trips: count }));
}
