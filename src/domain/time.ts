/**
 * New York time: instants <-> local wall clock, parsing, formatting and the time buckets of the
 * insights contract (docs/insights-contract.md, "Time buckets"). Pure: no I/O.
 *
 * Intl is the only source of time-zone rules (no hard-coded DST dates), but it is slow, so the
 * offset is asked once per UTC hour and cached: every New York offset change since 1883 happens on
 * a UTC hour boundary, so one answer holds for the whole hour. Calendar arithmetic is done on day
 * numbers (days since 1970-01-01) so that no Date object is built per trip.
 */

/** Local wall-clock parts; month is 1-12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export type Granularity = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

export const GRANULARITIES: readonly Granularity[] = Object.freeze(['HOUR', 'DAY', 'WEEK', 'MONTH'] as const);

/** A bucket key or range that cannot be read; a programming error, not bad user data. */
export class TimeBucketError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TimeBucketError';
  }
}

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** No zone is more than 14 hours from UTC, so these probes sit on both sides of any transition. */
const PROBE_MS = 14 * MS_PER_HOUR;
/** About 11 years of hours; trips arrive roughly in time order, so clearing now and then is cheap. */
const MAX_CACHED_HOURS = 100_000;

const NEW_YORK_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  era: 'short',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const offsetByUtcHour = new Map<number, number>();
// The last hit is checked before the map: consecutive trips usually share their hour.
let lastUtcHour = Number.NaN;
let lastOffset = 0;

// Day number <-> civil date, proleptic Gregorian (H. Hinnant's algorithms); exact for any year.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The wall clock read as if it were UTC: the instant it names when the offset is zero. */
function localAsUtcMs(local: LocalDateTime): number {
  return (
    daysFromCivil(local.year, local.month, local.day) * MS_PER_DAY +
    local.hour * MS_PER_HOUR +
    local.minute * MS_PER_MINUTE +
    local.second * MS_PER_SECOND +
    local.millisecond
  );
}

function offsetFromIntl(utcHourStartMs: number): number {
  const fields: Record<string, string> = {};
  for (const part of NEW_YORK_FORMAT.formatToParts(utcHourStartMs)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  // en-US counts years before 1 AD backwards ("1 BC" is ISO year 0).
  const year = fields.era === 'BC' || fields.era === 'B' ? 1 - yearOfEra : yearOfEra;
  const wallClockMs = localAsUtcMs({
    year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
    millisecond: 0,
  });
  return (wallClockMs - utcHourStartMs) / MS_PER_MINUTE;
}

/**
 * New York's UTC offset in minutes at an instant: -300 under EST, -240 under EDT. The first call in
 * each UTC hour asks Intl; later calls in that hour are answered from a cache, which is what makes
 * per-trip conversion cheap. Throws a RangeError (from Intl) for a non-finite instant.
 */
export function newYorkOffsetMinutes(epochMs: number): number {
  const utcHour = Math.floor(epochMs / MS_PER_HOUR);
  if (utcHour === lastUtcHour) return lastOffset;
  let offset = offsetByUtcHour.get(utcHour);
  if (offset === undefined) {
    offset = offsetFromIntl(utcHour * MS_PER_HOUR);
    if (offsetByUtcHour.size >= MAX_CACHED_HOURS) offsetByUtcHour.clear();
    offsetByUtcHour.set(utcHour, offset);
  }
  lastUtcHour = utcHour;
  lastOffset = offset;
  return offset;
}

/**
 * The New York wall clock at an instant, to the millisecond (a fractional instant is floored). In
 * the fall-back hour two instants an hour apart give the same wall clock; that is the point.
 */
export function instantToLocal(epochMs: number): LocalDateTime {
  const localMs = Math.floor(epochMs) + Math.round(newYorkOffsetMinutes(epochMs) * MS_PER_MINUTE);
  const days = Math.floor(localMs / MS_PER_DAY);
  const msOfDay = localMs - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(msOfDay / MS_PER_HOUR),
    minute: Math.floor((msOfDay % MS_PER_HOUR) / MS_PER_MINUTE),
    second: Math.floor((msOfDay % MS_PER_MINUTE) / MS_PER_SECOND),
    millisecond: msOfDay % MS_PER_SECOND,
  };
}

/**
 * The instant a New York wall-clock time names, with the 'compatible' rule of Temporal and java.time:
 * a time that occurs twice (fall-back overlap) is its earlier instant; a time that never occurs
 * (spring-forward gap) is moved forward by the gap, so 02:30 becomes 03:30 EDT. The offsets 14 hours
 * either side are the only ones that can apply; an instant is valid when its own offset agrees.
 * Out-of-range parts (hour 25) roll over by plain arithmetic.
 */
export function localToInstant(local: LocalDateTime): number {
  const localMs = localAsUtcMs(local);
  const offsetBefore = newYorkOffsetMinutes(localMs - PROBE_MS);
  const offsetAfter = newYorkOffsetMinutes(localMs + PROBE_MS);
  let best: number | undefined;
  for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
    const candidate = localMs - offset * MS_PER_MINUTE;
    if (newYorkOffsetMinutes(candidate) === offset && (best === undefined || candidate < best)) best = candidate;
  }
  // In a gap no offset fits; reading the time with the offset from before the gap moves it forward.
  return best ?? localMs - offsetBefore * MS_PER_MINUTE;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function isValidCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** '+05:30', '-0400', '+05' or 'Z' -> minutes east of UTC, or undefined when out of range. */
function parseOffsetMinutes(text: string): number | undefined {
  if (text === 'Z') return 0;
  const hours = Number(text.slice(1, 3));
  const minutes = text.length > 3 ? Number(text.slice(-2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (text[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Reads a date-time from the API or a TLC file. With an offset (Z, +hh:mm, -hhmm, +hh) the text
 * names that instant; without one it is New York local time (TLC files carry none), read with
 * localToInstant. Accepts 'T' or one space between date and time, optional seconds, a fraction of
 * 1-9 digits (truncated to milliseconds) and a bare date (local midnight). Anything else, including
 * impossible calendar values such as 2023-02-30 or hour 24, and surrounding whitespace, gives
 * undefined: callers turn that into a rejection reason, so this never throws.
 */
export function parseDateTime(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText, offsetText] = match;
  const local: LocalDateTime = {
    year: Number(yearText),
    month: Number(monthText),
    day: Number(dayText),
    hour: hourText === undefined ? 0 : Number(hourText),
    minute: minuteText === undefined ? 0 : Number(minuteText),
    second: secondText === undefined ? 0 : Number(secondText),
    millisecond: fractionText === undefined ? 0 : Number(fractionText.padEnd(3, '0').slice(0, 3)),
  };
  if (!isValidCalendarDate(local.year, local.month, local.day)) return undefined;
  if (local.hour > 23 || local.minute > 59 || local.second > 59) return undefined;
  if (offsetText === undefined) return localToInstant(local);
  const offsetMinutes = parseOffsetMinutes(offsetText);
  if (offsetMinutes === undefined) return undefined;
  return localAsUtcMs(local) - offsetMinutes * MS_PER_MINUTE;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatDayParts(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function formatDayNumber(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return formatDayParts(year, month, day);
}

/**
 * An instant as ISO-8601 with New York's offset at that instant, to the second
 * (2023-02-01T08:00:00-05:00): the form the API returns bucket starts in. Milliseconds are dropped,
 * not rounded, so the text never names a later second than the instant.
 */
export function formatNewYork(epochMs: number): string {
  const wholeSecondMs = Math.floor(epochMs / MS_PER_SECOND) * MS_PER_SECOND;
  const local = instantToLocal(wholeSecondMs);
  const offset = Math.round(newYorkOffsetMinutes(wholeSecondMs));
  const sign = offset < 0 ? '-' : '+';
  const offsetText = `${sign}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
  return (
    `${formatDayParts(local.year, local.month, local.day)}T` +
    `${pad(local.hour, 2)}:${pad(local.minute, 2)}:${pad(local.second, 2)}${offsetText}`
  );
}

/** ISO weekday with Monday = 0; day 0 (1970-01-01) was a Thursday. */
function mondayOf(days: number): number {
  return days - ((((days + 3) % 7) + 7) % 7);
}

/**
 * The key of the bucket holding an instant, in New York local time: HOUR 'YYYY-MM-DDTHH', DAY
 * 'YYYY-MM-DD', WEEK the ISO week's Monday 'YYYY-MM-DD', MONTH 'YYYY-MM'. Keys are fixed-width so
 * string order is time order (storage sort keys rely on it), and being wall-clock based, both passes
 * of the fall-back 01:00 hour share one HOUR key.
 */
export function bucketKey(epochMs: number, granularity: Granularity): string {
  const local = instantToLocal(epochMs);
  switch (granularity) {
    case 'HOUR':
      return `${formatDayParts(local.year, local.month, local.day)}T${pad(local.hour, 2)}`;
    case 'DAY':
      return formatDayParts(local.year, local.month, local.day);
    case 'WEEK':
      return formatDayNumber(mondayOf(daysFromCivil(local.year, local.month, local.day)));
    case 'MONTH':
      return `${pad(local.year, 4)}-${pad(local.month, 2)}`;
  }
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;

interface KeyParts {
  year: number;
  month: number;
  day: number;
  hour: number;
}

function parseKey(key: string, granularity: Granularity): KeyParts {
  const pattern = granularity === 'HOUR' ? HOUR_KEY : granularity === 'MONTH' ? MONTH_KEY : DAY_KEY;
  const match = typeof key === 'string' ? pattern.exec(key) : null;
  if (match !== null) {
    const parts: KeyParts = {
      year: Number(match[1]),
      month: Number(match[2]),
      day: granularity === 'MONTH' ? 1 : Number(match[3]),
      hour: granularity === 'HOUR' ? Number(match[4]) : 0,
    };
    const valid =
      isValidCalendarDate(parts.year, parts.month, parts.day) &&
      parts.hour <= 23 &&
      (granularity !== 'WEEK' ||
        mondayOf(daysFromCivil(parts.year, parts.month, parts.day)) === daysFromCivil(parts.year, parts.month, parts.day));
    if (valid) return parts;
  }
  throw new TimeBucketError(`not a ${granularity} bucket key: ${String(key).slice(0, 40)}`);
}

function localMidnight(year: number, month: number, day: number, hour = 0): LocalDateTime {
  return { year, month, day, hour, minute: 0, second: 0, millisecond: 0 };
}

/**
 * The instant a bucket starts: its local start read with the compatible rule, so the fall-back
 * 01:00 hour starts at its first pass (-04:00). Throws TimeBucketError for a malformed key or a
 * WEEK key that is not a Monday.
 */
export function bucketStart(key: string, granularity: Granularity): number {
  const { year, month, day, hour } = parseKey(key, granularity);
  return localToInstant(localMidnight(year, month, day, hour));
}

/** Whether the local hour occurs at all: the spring-forward hour reads back as the hour after it. */
function hourExists(days: number, hour: number): boolean {
  const { year, month, day } = civilFromDays(days);
  const local = instantToLocal(localToInstant(localMidnight(year, month, day, hour)));
  return local.hour === hour && daysFromCivil(local.year, local.month, local.day) === days;
}

/**
 * The key of the bucket after this one, by calendar arithmetic on the key. HOUR keys skip hours
 * that do not exist locally (after 2023-03-12T01 comes T03) and name the repeated fall-back hour
 * once (after 2023-11-05T01 comes T02), matching the keys bucketKey produces.
 */
export function nextBucketKey(key: string, granularity: Granularity): string {
  const { year, month, day, hour } = parseKey(key, granularity);
  const days = daysFromCivil(year, month, day);
  switch (granularity) {
    case 'HOUR': {
      let nextDays = days;
      let nextHour = hour;
      // A gap is at most a few hours long; the bound only guards against an impossible zone rule.
      for (let step = 0; step < 48; step += 1) {
        nextHour += 1;
        if (nextHour === 24) {
          nextHour = 0;
          nextDays += 1;
        }
        if (hourExists(nextDays, nextHour)) return `${formatDayNumber(nextDays)}T${pad(nextHour, 2)}`;
      }
      throw new TimeBucketError(`no existing local hour after ${key}`);
    }
    case 'DAY':
      return formatDayNumber(days + 1);
    case 'WEEK':
      return formatDayNumber(days + 7);
    case 'MONTH':
      return month === 12 ? `${pad(year + 1, 4)}-01` : `${pad(year, 4)}-${pad(month + 1, 2)}`;
  }
}

/**
 * The keys of every bucket whose start lies in the half-open range [fromMs, toMs), in time order:
 * the contract's rule for which buckets a query range covers. The bucket holding fromMs is included
 * only when it starts exactly there or later. Throws TimeBucketError for a non-finite bound.
 */
export function bucketKeysInRange(fromMs: number, toMs: number, granularity: Granularity): string[] {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new TimeBucketError(`range bounds must be finite: [${fromMs}, ${toMs})`);
  }
  const keys: string[] = [];
  if (fromMs >= toMs) return keys;
  let key = bucketKey(fromMs, granularity);
  if (bucketStart(key, granularity) < fromMs) key = nextBucketKey(key, granularity);
  while (bucketStart(key, granularity) < toMs) {
    keys.push(key);
    key = nextBucketKey(key, granularity);
  }
  return keys;
}

/**
 * The first and last keys of the buckets whose start lies in [fromMs, toMs), without listing the ones
 * between: the same bounds as bucketKeysInRange (buckets are contiguous, so the last is the one that
 * holds toMs - 1), in constant time, which is what a cost estimate made before every query needs.
 * Undefined when no bucket starts in the range. Throws TimeBucketError for a non-finite bound.
 */
export function bucketKeySpanInRange(fromMs: number, toMs: number, granularity: Granularity): [string, string] | undefined {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new TimeBucketError(`range bounds must be finite: [${fromMs}, ${toMs})`);
  }
  if (fromMs >= toMs) return undefined;
  let first = bucketKey(fromMs, granularity);
  if (bucketStart(first, granularity) < fromMs) first = nextBucketKey(first, granularity);
  const last = bucketKey(toMs - 1, granularity);
  // Keys are fixed-width, so string order is time order.
  return first <= last ? [first, last] : undefined;
}

/**
 * How many stored items an inclusive span of HOUR or DAY keys can hold, in constant time: exact for
 * DAY keys; for HOUR keys the hours elapsed between the first and last key's starts, plus one, which
 * is exact except that it counts one too many for each autumn fall-back day inside (its repeated
 * hour is one key). An upper bound, never less than the keys there are: what cost estimates need.
 */
export function keysInSpanAtMost([first, last]: readonly [string, string], granularity: 'HOUR' | 'DAY'): number {
  if (last < first) return 0;
  if (granularity === 'DAY') {
    const from = parseKey(first, 'DAY');
    const to = parseKey(last, 'DAY');
    return daysFromCivil(to.year, to.month, to.day) - daysFromCivil(from.year, from.month, from.day) + 1;
  }
  return Math.round((bucketStart(last, 'HOUR') - bucketStart(first, 'HOUR')) / MS_PER_HOUR) + 1;
}

/**
 * The DAY, WEEK or MONTH key that contains a DAY key: coarser buckets are rolled up from days, and
 * this is the one place that knows which day belongs where. Throws TimeBucketError for a bad key.
 */
export function dayKeyToBucket(dayKey: string, granularity: Exclude<Granularity, 'HOUR'>): string {
  const { year, month, day } = parseKey(dayKey, 'DAY');
  switch (granularity) {
    case 'DAY':
      return dayKey;
    case 'WEEK':
      return formatDayNumber(mondayOf(daysFromCivil(year, month, day)));
    case 'MONTH':
      return `${pad(year, 4)}-${pad(month, 2)}`;
  }
}

/**
 * The ISO weekday of a DAY key, 1 = Monday .. 7 = Sunday: the weekday of that local calendar date,
 * which is what weekday x hour profiles group by. Throws TimeBucketError for a bad key.
 */
export function isoWeekdayOfDayKey(dayKey: string): number {
  const { year, month, day } = parseKey(dayKey, 'DAY');
  return daysFromCivil(year, month, day) - mondayOf(daysFromCivil(year, month, day)) + 1;
}

/**
 * Splits an HOUR key into its DAY key and local hour of day ('2023-02-01T08' -> '2023-02-01', 8),
 * which is what hour-of-day profiles group by. Throws TimeBucketError for a bad key.
 */
export function splitHourKey(hourKey: string): { dayKey: string; hourOfDay: number } {
  const { year, month, day, hour } = parseKey(hourKey, 'HOUR');
  return { dayKey: formatDayParts(year, month, day), hourOfDay: hour };
}

function firstAndLastDay(key: string, granularity: Granularity): [number, number] {
  const { year, month, day } = parseKey(key, granularity);
  const first = daysFromCivil(year, month, day);
  switch (granularity) {
    case 'HOUR':
    case 'DAY':
      return [first, first];
    case 'WEEK':
      return [first, first + 6];
    case 'MONTH':
      return [first, first + daysInMonth(year, month) - 1];
  }
}

/**
 * The inclusive span of days the listed buckets cover, from the earliest bucket's first day to the
 * latest bucket's last day (for HOUR keys, the days of those hours): the DAY keys to read when
 * coarser buckets are built from daily ones. Keys need not be sorted; undefined for an empty list.
 */
export function dayKeySpan(keys: readonly string[], granularity: Granularity): [string, string] | undefined {
  if (keys.length === 0) return undefined;
  let earliest = keys[0];
  let latest = keys[0];
  for (const key of keys) {
    if (key < earliest) earliest = key;
    if (key > latest) latest = key;
  }
  return [formatDayNumber(firstAndLastDay(earliest, granularity)[0]), formatDayNumber(firstAndLastDay(latest, granularity)[1])];
}

/**
 * The instants a query may name: New York local time from 1900-01-01 up to 9999-01-01. ISO-8601 lets a
 * client write year 0000, or 9999-12-31 with an offset that is year 10000 in New York, and bucket keys
 * are four-digit years; the queries look up to a few months back (forecast history) and a week
 * forward (whole weeks) from what they are given, which stays within four digits from these bounds.
 */
export const EARLIEST_QUERY_INSTANT_MS = localToInstant({ year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
export const LATEST_QUERY_INSTANT_MS = localToInstant({ year: 9999, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });

/** Whether a query may name this instant (EARLIEST_QUERY_INSTANT_MS .. LATEST_QUERY_INSTANT_MS, both included). */
export function isQueryableInstant(epochMs: number): boolean {
  return epochMs >= EARLIEST_QUERY_INSTANT_MS && epochMs <= LATEST_QUERY_INSTANT_MS;
}

/** What a client is told when isQueryableInstant refuses its `argument`. */
export function queryableInstantRule(argument: string): string {
  return `${argument} must be between 1900-01-01 and 9999-01-01, New York time`;
}
