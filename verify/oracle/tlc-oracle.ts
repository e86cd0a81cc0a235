/**
 * The oracle: a plain, independent computation of the contract's numbers straight from a raw TLC
 * file. It deliberately shares no code with src/ (its own file parsing, its own time-zone arithmetic
 * via Intl, exact quantiles by sorting), so that a bug in the pipeline cannot hide in both. It lives
 * outside src/ and test/ because both the tests and `npm run chaos` judge the pipeline with it.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';

export interface OracleTrip {
  /** Data row of the file it came from, 1-based (the header is not a row). */
  row: number;
  /** The pickup instant (epoch ms) its local time names, by the 'compatible' rule. */
  pickupMs: number;
  /** Local wall clock of the pickup after the 'compatible' rule: [y, m, d, h]. */
  local: { y: number; m: number; d: number; h: number };
  /** Local wall clock of the drop-off, the same way. */
  dropoffLocal: { y: number; m: number; d: number; h: number };
  pickupZoneId: number;
  dropoffZoneId: number;
  /** dropoff - pickup as instants, milliseconds. */
  durationMs: number;
  /** Whether the pickup's or the drop-off's local time does not exist (the spring-forward gap: read an hour later). */
  inSpringForwardGap: boolean;
  /** passenger_count when the row has an integer there. */
  passengerCount?: number;
  /** payment_type when the row has an integer there (any integer: the contract maps the unusual ones). */
  paymentType?: number;
  fareCents: number;
  totalCents: number;
  tipCents: number;
  distance: number;
  fare: number;
}

const COLUMN_ALIASES: Record<string, string[]> = {
  pickup: ['tpep_pickup_datetime', 'lpep_pickup_datetime', 'pickup_datetime'],
  dropoff: ['tpep_dropoff_datetime', 'lpep_dropoff_datetime', 'dropoff_datetime'],
  pu: ['PULocationID', 'pickup_location_id'],
  do: ['DOLocationID', 'dropoff_location_id'],
  distance: ['trip_distance'],
  fare: ['fare_amount'],
  tip: ['tip_amount'],
  tolls: ['tolls_amount'],
  total: ['total_amount'],
  passengers: ['passenger_count'],
  payment: ['payment_type'],
};

/** Rows of a CSV, CSV.gz or Parquet file as plain string/number/Date records. */
export async function readRawRows(path: string): Promise<Record<string, unknown>[]> {
  if (path.endsWith('.parquet')) {
    const { parquetReadObjects } = await import('hyparquet');
    const buffer = readFileSync(path);
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    return (await parquetReadObjects({ file })) as Record<string, unknown>[];
  }
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, unknown>[];
}

function pick(row: Record<string, unknown>, name: string): unknown {
  for (const alias of COLUMN_ALIASES[name]) if (alias in row) return row[alias];
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const number = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function asInteger(value: unknown): number | undefined {
  const number = asNumber(value);
  return number !== undefined && Number.isInteger(number) ? number : undefined;
}

function asLocalParts(value: unknown): number[] | undefined {
  if (value instanceof Date) {
    // Parquet timestamps are zone-less local wall clock, shown by readers as UTC.
    return [
      value.getUTCFullYear(),
      value.getUTCMonth() + 1,
      value.getUTCDate(),
      value.getUTCHours(),
      value.getUTCMinutes(),
      value.getUTCSeconds(),
    ];
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(value ?? ''));
  return match ? match.slice(1).map(Number) : undefined;
}

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** New York wall clock of an instant, straight from Intl. */
export function nyParts(ms: number): number[] {
  const parts = Object.fromEntries(offsetFormat.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second].map(Number);
}

/** Instant of a New York local wall-clock time: earliest matching offset; in a gap, the later one. */
const instantCache = new Map<string, number>();

export function nyInstant(parts: number[]): number {
  const id = parts.join();
  let ms = instantCache.get(id);
  if (ms === undefined) instantCache.set(id, (ms = computeNyInstant(parts)));
  return ms;
}

function computeNyInstant(parts: number[]): number {
  const asUtc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4] ?? 0, parts[5] ?? 0);
  const matches = [4, 5]
    .map((hours) => asUtc + hours * 3600_000)
    .filter((ms) => nyParts(ms).join() === [...parts, 0, 0].slice(0, 6).join());
  if (matches.length > 0) return Math.min(...matches);
  return asUtc + 5 * 3600_000; // spring-forward gap: read with the standard offset, i.e. one hour later
}

/** The valid trips of a raw file, by the contract's rules; rows with blank required fields are skipped. */
export async function validTrips(path: string): Promise<OracleTrip[]> {
  const trips: OracleTrip[] = [];
  const rows = await readRawRows(path);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    const pickup = asLocalParts(pick(row, 'pickup'));
    const dropoff = asLocalParts(pick(row, 'dropoff'));
    const pu = asNumber(pick(row, 'pu'));
    const dz = asNumber(pick(row, 'do'));
    const distance = asNumber(pick(row, 'distance'));
    const fare = asNumber(pick(row, 'fare'));
    const total = asNumber(pick(row, 'total'));
    const tip = asNumber(pick(row, 'tip'));
    const tolls = asNumber(pick(row, 'tolls'));
    if (!pickup || !dropoff || pu === undefined || dz === undefined || distance === undefined || fare === undefined || total === undefined)
      continue;
    if (pickup[0] < 2009) continue;
    const pickupMs = nyInstant(pickup);
    const dropoffMs = nyInstant(dropoff);
    if (dropoffMs < pickupMs || dropoffMs - pickupMs > 24 * 3600_000) continue;
    if (![pu, dz].every((zone) => Number.isInteger(zone) && zone >= 1 && zone <= 265)) continue;
    if (distance < 0 || distance > 500) continue;
    if (fare < 0 || fare > 10000 || total < 0 || total > 10000) continue;
    if ((tip !== undefined && tip < 0) || (tolls !== undefined && tolls < 0)) continue;
    const local = nyParts(pickupMs);
    const dropoffLocal = nyParts(dropoffMs);
    trips.push({
      row: index + 1,
      pickupMs,
      local: { y: local[0], m: local[1], d: local[2], h: local[3] },
      dropoffLocal: { y: dropoffLocal[0], m: dropoffLocal[1], d: dropoffLocal[2], h: dropoffLocal[3] },
      pickupZoneId: pu,
      dropoffZoneId: dz,
      durationMs: dropoffMs - pickupMs,
      inSpringForwardGap: local[3] !== pickup[3] || dropoffLocal[3] !== dropoff[3],
      passengerCount: asInteger(pick(row, 'passengers')),
      paymentType: asInteger(pick(row, 'payment')),
      fareCents: Math.round(fare * 100),
      totalCents: Math.round(total * 100),
      tipCents: Math.round((tip ?? 0) * 100),
      distance,
      fare,
    });
  }
  return trips;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO-8601 with New York's offset of a local wall-clock start (the earlier instant when ambiguous). */
export function formatLocalStart(y: number, m: number, d: number, h: number): string {
  const ms = nyInstant([y, m, d, h, 0, 0]);
  const offsetMinutes = Math.round(
    (Date.UTC(...(nyParts(ms).map((v, i) => (i === 1 ? v - 1 : v)) as [number, number, number, number, number, number])) - ms) / 60000,
  );
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${y}-${pad(m)}-${pad(d)}T${pad(h)}:00:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Start (local y, m, d) of a trip's bucket. */
export function bucketOf(trip: OracleTrip, granularity: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH'): [number, number, number, number] {
  const { y, m, d, h } = trip.local;
  if (granularity === 'HOUR') return [y, m, d, h];
  if (granularity === 'DAY') return [y, m, d, 0];
  if (granularity === 'MONTH') return [y, m, 1, 0];
  const date = new Date(Date.UTC(y, m - 1, d));
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - sinceMonday);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0];
}

export interface OracleFareBucket {
  start: string;
  trips: number;
  averageFare: number;
  averageTotal: number;
  averageTip: number;
  averageFarePerMile: number | null;
  medianFare: number;
  p90Fare: number;
}

/** The nearest-rank quantile q of ascending values: the value at rank ceil(q * n). */
export function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** fareTrend over trips whose bucket start lies in [fromMs, toMs). */
export function oracleFareTrend(
  trips: OracleTrip[],
  granularity: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH',
  fromMs: number,
  toMs: number,
): OracleFareBucket[] {
  const groups = new Map<string, { key: number[]; trips: OracleTrip[] }>();
  for (const trip of trips) {
    const key = bucketOf(trip, granularity);
    const startMs = nyInstant([...key, 0, 0]);
    if (startMs < fromMs || startMs >= toMs) continue;
    const id = key.join('-');
    if (!groups.has(id)) groups.set(id, { key, trips: [] });
    groups.get(id)!.trips.push(trip);
  }
  return [...groups.values()]
    .sort((a, b) => nyInstant([...a.key, 0, 0]) - nyInstant([...b.key, 0, 0]))
    .map(({ key, trips: bucket }) => {
      const fares = bucket.map((trip) => trip.fare).sort((a, b) => a - b);
      const distance = bucket.reduce((sum, trip) => sum + trip.distance, 0);
      const fareCents = bucket.reduce((sum, trip) => sum + trip.fareCents, 0);
      return {
        start: formatLocalStart(key[0], key[1], key[2], key[3]),
        trips: bucket.length,
        averageFare: fareCents / 100 / bucket.length,
        averageTotal: bucket.reduce((sum, trip) => sum + trip.totalCents, 0) / 100 / bucket.length,
        averageTip: bucket.reduce((sum, trip) => sum + trip.tipCents, 0) / 100 / bucket.length,
        averageFarePerMile: distance === 0 ? null : fareCents / 100 / distance,
        medianFare: nearestRank(fares, 0.5),
        p90Fare: nearestRank(fares, 0.9),
      };
    });
}

export interface OraclePeakHours {
  top: Array<{ hourStart: string; trips: number }>;
  byHourOfDay: Array<{ hourOfDay: number; trips: number }>;
  totalTrips: number;
}

/** peakHours over trips whose hour starts in [fromMs, toMs). */
export function oraclePeakHours(trips: OracleTrip[], fromMs: number, toMs: number, limit: number): OraclePeakHours {
  const hours = new Map<string, { startMs: number; start: string; trips: number }>();
  const byHourOfDay = new Array<number>(24).fill(0);
  let totalTrips = 0;
  for (const trip of trips) {
    const [y, m, d, h] = bucketOf(trip, 'HOUR');
    const startMs = nyInstant([y, m, d, h, 0, 0]);
    if (startMs < fromMs || startMs >= toMs) continue;
    const id = `${y}-${m}-${d}-${h}`;
    if (!hours.has(id)) hours.set(id, { startMs, start: formatLocalStart(y, m, d, h), trips: 0 });
    hours.get(id)!.trips++;
    byHourOfDay[h]++;
    totalTrips++;
  }
  const top = [...hours.values()].sort((a, b) => b.trips - a.trips || a.startMs - b.startMs).slice(0, limit);
  return {
    top: top.map(({ start, trips: count }) => ({ hourStart: start, trips: count })),
    byHourOfDay: byHourOfDay.map((count, hourOfDay) => ({ hourOfDay, trips: count })),
    totalTrips,
  };
}
