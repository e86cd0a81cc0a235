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
 * for most; demand looks like a Sunday's. EVE: the day after Thanksgiving, Christmas Eve, New Year's
 * Eve and bridge days: a working day for some, off for many, often busy at night; demand looks like
 * a Saturday's.
 */
export type SpecialDayKind = 'HOLIDAY' | 'EVE';

export interface SpecialDay {
  /** The local date, YYYY-MM-DD. */
  readonly dayKey: string;
  readonly name: string;
  readonly kind: SpecialDayKind;
}

/** Federal holidays began in 1870; the rules here (Monday holidays since 1971, MLK since 1986, Juneteenth since 2021) hold from 1986 on. */
const FIRST_YEAR_OF_RULES = 1986;
const MONDAY = 0;
const THURSDAY = 3;
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

/**
 * Every special day whose date falls in `year` (the observed New Year's Day of the next year, Friday
 * 31 December, is listed in its own year), keyed by day number. A day that is both (31 December
 * observed as New Year's Day) is a HOLIDAY.
 */
function specialDaysOfYear(year: number): ReadonlyMap<number, SpecialDay> {
  const cached = byYear.get(year);
  if (cached) return cached;
  const days = new Map<number, SpecialDay>();
  const add = (day: number, name: string, kind: SpecialDayKind) => {
    const dayKey = dayKeyOf(day);
    if (Number(dayKey.slice(0, 4)) !== year) return;
    const existing = days.get(day);
    if (existing && (existing.kind === 'HOLIDAY' || kind === 'EVE')) return;
    days.set(day, Object.freeze({ dayKey, name, kind }));
  };
  if (year >= FIRST_YEAR_OF_RULES) {
    // Holidays of the year before and after too: their observed dates can cross into this year.
    const holidays = [year - 1, year, year + 1].flatMap(federalHolidays);
    for (const { day, name } of holidays) add(day, name, 'HOLIDAY');
    const isHoliday = (day: number) => holidays.some((holiday) => holiday.day === day);
    const thanksgiving = nthWeekdayOfMonth(year, 11, THURSDAY, 4);
    add(thanksgiving + 1, 'Day after Thanksgiving', 'EVE');
    add(dayNumber(year, 12, 24), 'Christmas Eve', 'EVE');
    add(dayNumber(year, 12, 31), "New Year's Eve", 'EVE');
    // A working day between a weekday holiday and the weekend: Friday after a Thursday holiday, Monday before a Tuesday one.
    for (const { day, name } of holidays) {
      const weekday = weekdayOf(day);
      if (weekday === THURSDAY && !isHoliday(day + 1)) add(day + 1, `Bridge day after ${name}`, 'EVE');
      if (weekday === MONDAY + 1 && !isHoliday(day - 1)) add(day - 1, `Bridge day before ${name}`, 'EVE');
    }
  }
  byYear.set(year, days);
  return days;
}

/** The special day on a date (YYYY-MM-DD), or undefined for an ordinary day. */
export function specialDayOn(dayKey: string): SpecialDay | undefined {
  const day = dayNumberOf(dayKey);
  return specialDaysOfYear(Number(dayKey.slice(0, 4))).get(day);
}

/** The special day of a day number, or undefined. */
export function specialDayOfNumber(day: number): SpecialDay | undefined {
  return specialDayOn(dayKeyOf(day));
}

/** Every special day of a year, in date order. */
export function specialDaysIn(year: number): SpecialDay[] {
  return [...specialDaysOfYear(year).entries()].sort(([a], [b]) => a - b).map(([, day]) => day);
}
