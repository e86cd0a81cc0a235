/**
 * Calendar arithmetic on DAY keys for the forecasts: day numbers (days since 1970-01-01 on the local
 * calendar), weekdays, and how long each local hour of a day really is (DST). Pure.
 */
import { bucketStart, nextBucketKey } from '../time';

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a DAY key ('1970-01-01' is 0); calendar arithmetic only, no time zone. */
export function dayNumberOf(dayKey: string): number {
  const match = DAY_KEY.exec(dayKey);
  if (match === null) throw new RangeError(`not a DAY key: ${dayKey.slice(0, 20)}`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY);
}

/** The DAY key of a day number. */
export function dayKeyOf(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a day number, Monday = 0 .. Sunday = 6 (day 0 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** The HOUR key of a day and local hour of day. */
export function hourKeyOf(dayKey: string, hourOfDay: number): string {
  return `${dayKey}T${String(hourOfDay).padStart(2, '0')}`;
}

const lengthsCache = new Map<string, readonly number[]>();

/**
 * How many real hours each local hour bucket of a day holds: 1 on most days; on the spring-forward
 * day the 02 bucket does not exist (0); on the fall-back day the 01 bucket holds both passes (2).
 * Forecasts learn per real hour and give each bucket its length's worth.
 */
export function localHourLengths(dayKey: string): readonly number[] {
  const cached = lengthsCache.get(dayKey);
  if (cached) return cached;
  const starts: number[] = [];
  for (let hour = 0; hour < 24; hour += 1) starts.push(bucketStart(hourKeyOf(dayKey, hour), 'HOUR'));
  starts.push(bucketStart(hourKeyOf(nextBucketKey(dayKey, 'DAY'), 0), 'HOUR'));
  const lengths = Object.freeze(starts.slice(0, 24).map((start, hour) => Math.round((starts[hour + 1] - start) / MS_PER_HOUR)));
  if (lengthsCache.size > 10_000) lengthsCache.clear();
  lengthsCache.set(dayKey, lengths);
  return lengths;
}
