/**
 * The days on which New York taxi demand does not follow its weekday, computed by rule (no table to
 * keep up to date, no dependency): the US federal holidays with their observed dates (5 U.S.C. 6103
 * and the OPM rule: a holiday on a Saturday is observed the Friday before, on a Sunday the Monday
 * after), and the days around them when demand is known to shift: the day after Thanksgiving,
 * Christmas Eve, New Year's Eve, and a working day squeezed between a holiday and a weekend (a
 * "bridge" day many take off). The forecasts leave these days out of the history they learn a
 * weekday's shape from, and forecast them with a day-off profile and wider intervals. Pure.
 */
import { dayKeyOf, dayNumberOf, weekdayOf } from './calendar';

/**
 * HOLIDAY: a federal holiday (or its observed date): offices, schools and banks closed, a day off
 * for most; on a weekday its daytime looks like a Sunday's. EVE: the day after Thanksgiving,
 * Christmas Eve, New Year's Eve and bridge days: a working day for some, off for many, often busy at
 * night; on a weekday its daytime looks like a Saturday's. PERIOD: a day of a holiday period, the
 * weekdays between Christmas and New Year's Eve and the weekend days of a long weekend: shaped like
 * its own weekday, but quieter (many are away).
 */
export type SpecialDayKind = 'HOLIDAY' | 'EVE' | 'PERIOD';

/** When two rules name the same day, the stronger kind wins. */
const KIND_RANK: Record<SpecialDayKind, number> = { HOLIDAY: 3, EVE: 2, PERIOD: 1 };

export interface SpecialDay {
  /** The local date, YYYY-MM-DD. */
  readonly dayKey: string;
  readonly name: string;
  readonly kind: SpecialDayKind;
}

/** Federal holidays began in 1870; the rules here (Monday holidays since 1971, MLK since 1986, Juneteenth since 2021) hold from 1986 on. */
const FIRST_YEAR_OF_RULES = 1986;
const MONDAY = 0;
const TUESDAY = 1;
const THURSDAY = 3;
const FRIDAY = 4;
const SATURDAY = 5;
const SUNDAY = 6;

function dayNumber(year: number, month: number, day: number): number {
  return dayNumberOf(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

/** The `nth` (1-based) given ISO weekday (Monday = 0) of a month, as a day number. */
function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (nth - 1);
}

/** The last given ISO weekday of a month, as a day number. */
function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const nextMonthFirst = month === 12 ? dayNumber(year + 1, 1, 1) : dayNumber(year, month + 1, 1);
  const last = nextMonthFirst - 1;
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** A fixed-date holiday and, when it falls on a weekend, the weekday it is observed on. */
function fixedDate(day: number): number[] {
  const weekday = weekdayOf(day);
  if (weekday === SATURDAY) return [day, day - 1];
  if (weekday === SUNDAY) return [day, day + 1];
  return [day];
}

/** The federal holidays of a year by their own rules, each with its observed date when that differs. */
function federalHolidays(year: number): Array<{ day: number; name: string }> {
  const holidays: Array<{ day: number; name: string }> = [];
  const fixed = (month: number, date: number, name: string) => {
    const [actual, observed] = fixedDate(dayNumber(year, month, date));
    holidays.push({ day: actual, name });
    if (observed !== undefined) holidays.push({ day: observed, name: `${name} (observed)` });
  };
  fixed(1, 1, "New Year's Day");
  holidays.push({ day: nthWeekdayOfMonth(year, 1, MONDAY, 3), name: 'Martin Luther King Jr. Day' });
  holidays.push({ day: nthWeekdayOfMonth(year, 2, MONDAY, 3), name: "Washington's Birthday" });
  holidays.push({ day: lastWeekdayOfMonth(year, 5, MONDAY), name: 'Memorial Day' });
  if (year >= 2021) fixed(6, 19, 'Juneteenth');
  fixed(7, 4, 'Independence Day');
  holidays.push({ day: nthWeekdayOfMonth(year, 9, MONDAY, 1), name: 'Labor Day' });
  holidays.push({ day: nthWeekdayOfMonth(year, 10, MONDAY, 2), name: 'Columbus Day' });
  fixed(11, 11, 'Veterans Day');
  holidays.push({ day: nthWeekdayOfMonth(year, 11, THURSDAY, 4), name: 'Thanksgiving Day' });
  fixed(12, 25, 'Christmas Day');
  return holidays;
}

const byYear = new Map<number, ReadonlyMap<number, SpecialDay>>();

/** The special days made by the rules from one year's holidays (some fall in the year before or after). */
function specialDaysFromYear(year: number, days: Map<number, SpecialDay>): void {
  const add = (day: number, name: string, kind: SpecialDayKind) => {
    const existing = days.get(day);
    if (existing && KIND_RANK[existing.kind] >= KIND_RANK[kind]) return;
    days.set(day, Object.freeze({ dayKey: dayKeyOf(day), name, kind }));
  };
  const holidays = federalHolidays(year);
  for (const { day, name } of holidays) add(day, name, 'HOLIDAY');
  add(nthWeekdayOfMonth(year, 11, THURSDAY, 4) + 1, 'Day after Thanksgiving', 'EVE');
  add(dayNumber(year, 12, 24), 'Christmas Eve', 'EVE');
  add(dayNumber(year, 12, 31), "New Year's Eve", 'EVE');
  for (let date = 26; date <= 30; date += 1) add(dayNumber(year, 12, date), 'Christmas week', 'PERIOD');
  // A working day between a weekday holiday and the weekend: Friday after a Thursday holiday, Monday before a Tuesday one.
  for (const { day, name } of holidays) {
    if (weekdayOf(day) === THURSDAY) add(day + 1, `Bridge day after ${name}`, 'EVE');
    if (weekdayOf(day) === TUESDAY) add(day - 1, `Bridge day before ${name}`, 'EVE');
  }
}

/**
 * Every special day whose date falls in `year`, keyed by day number: the rules applied to the years
 * around it too (observed dates and weekends cross the new year), then the weekend next to a day off
 * (a Friday or Monday holiday or eve) marked as a long weekend. When two rules name a day, the
 * stronger kind wins (31 December observed as New Year's Day is a HOLIDAY, not an EVE).
 */
function specialDaysOfYear(year: number): ReadonlyMap<number, SpecialDay> {
  const cached = byYear.get(year);
  if (cached) return cached;
  const days = new Map<number, SpecialDay>();
  if (year >= FIRST_YEAR_OF_RULES) {
    for (const around of [year - 1, year, year + 1]) specialDaysFromYear(around, days);
    for (const [day, special] of [...days]) {
      if (special.kind === 'PERIOD') continue;
      const weekend = weekdayOf(day) === MONDAY ? [day - 2, day - 1] : weekdayOf(day) === FRIDAY ? [day + 1, day + 2] : [];
      for (const weekendDay of weekend) {
        if (!days.has(weekendDay))
          days.set(weekendDay, Object.freeze({ dayKey: dayKeyOf(weekendDay), name: 'Long weekend', kind: 'PERIOD' }));
      }
    }
  }
  const ofYear = new Map([...days].filter(([day]) => yearOf(day) === year));
  if (byYear.size > 1_000) byYear.clear();
  byYear.set(year, ofYear);
  return ofYear;
}

const MS_PER_DAY = 86_400_000;

/** The calendar year of a day number, without building a date string (the model asks for every day it sees). */
function yearOf(day: number): number {
  let year = 1970 + Math.floor(day / 365.2425);
  while (Date.UTC(year, 0, 1) / MS_PER_DAY > day) year -= 1;
  while (Date.UTC(year + 1, 0, 1) / MS_PER_DAY <= day) year += 1;
  return year;
}

// Day number -> its special day, or null for an ordinary day: the forecasts ask about each day of
// their history many times per call, demandPressure for hundreds of zones.
const byDay = new Map<number, SpecialDay | null>();

/** The special day on a date (YYYY-MM-DD), or undefined for an ordinary day. */
export function specialDayOn(dayKey: string): SpecialDay | undefined {
  return specialDayOfNumber(dayNumberOf(dayKey));
}

/** The special day of a day number (days since 1970-01-01), or undefined for an ordinary day. */
export function specialDayOfNumber(day: number): SpecialDay | undefined {
  const known = byDay.get(day);
  if (known !== undefined) return known ?? undefined;
  const special = specialDaysOfYear(yearOf(day)).get(day);
  if (byDay.size > 100_000) byDay.clear();
  byDay.set(day, special ?? null);
  return special;
}

/** Every special day of a year, in date order. */
export function specialDaysIn(year: number): SpecialDay[] {
  return [...specialDaysOfYear(year).entries()].sort(([a], [b]) => a - b).map(([, day]) => day);
}

/** Local hours before this belong to the night that began the evening before; from it on, to the day itself. */
export const DAYTIME_FROM_HOUR = 6;

/**
 * The weekday (Monday = 0) whose daytime a day's daytime looks like: its own on an ordinary day and
 * at weekends; Sunday for a holiday on a weekday (a day off before a working day); Saturday for an
 * eve on a weekday (off for many, out at night).
 */
export function daytimeRole(day: number): number {
  const weekday = weekdayOf(day);
  if (weekday >= SATURDAY) return weekday;
  const special = specialDayOfNumber(day);
  if (special === undefined || special.kind === 'PERIOD') return weekday;
  return special.kind === 'HOLIDAY' ? SUNDAY : SATURDAY;
}

/**
 * The weekday whose night hours (before DAYTIME_FROM_HOUR) a day's night hours look like: those of the
 * day after the previous day's role. On ordinary days that is the day's own weekday; after New Year's
 * Eve (a Saturday-like day) it is Sunday's (Saturday night out); after a weekday holiday (a
 * Sunday-like day) it is Monday's.
 */
export function nightRole(day: number): number {
  return (daytimeRole(day - 1) + 1) % 7;
}

/** The weekday whose profile the local hour `hourOfDay` of `day` follows (daytimeRole or nightRole). */
export function hourRole(day: number, hourOfDay: number): number {
  return hourOfDay < DAYTIME_FROM_HOUR ? nightRole(day) : daytimeRole(day);
}
