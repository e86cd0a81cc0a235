/**
 * Dates and times as the page handles them: plain New York local calendar dates (`2023-02-01`) for
 * the filters, and the API's DateTime strings (`2023-02-06T18:00:00-05:00`, already New York local
 * wall-clock time with its offset) for display. No time-zone arithmetic happens in the browser: the
 * viewer's own zone never shifts a bucket.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** True for a real calendar date `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** `date` plus `days` (negative to go back), as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (dates). */
export function daysBetween(from: string, to: string): number {
  const utc = (date: string) => {
    const [year, month, day] = date.split('-').map(Number);
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/** The first and last day of the month that `date` (or a DateTime) falls in. */
export function monthOf(date: string): { first: string; last: string } {
  const [year, month] = date.slice(0, 7).split('-').map(Number);
  const first = `${date.slice(0, 7)}-01`;
  const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  return { first, last };
}

/** The first day of the month before. */
export function previousMonth(firstOfMonth: string): string {
  return monthOf(addDays(firstOfMonth, -1)).first;
}

/** ISO weekday of a date, 1 = Monday .. 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

/** Monday..Sunday for dayOfWeek 1..7. */
export function weekdayName(dayOfWeek: number): string {
  return WEEKDAYS[dayOfWeek - 1] ?? String(dayOfWeek);
}

/** `1 Feb 2023` */
export function formatDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** `1–28 Feb 2023`, `30 Jan – 5 Feb 2023`, `1 Dec 2022 – 31 Jan 2023` for an inclusive range of dates. */
export function formatDateRange(from: string, through: string): string {
  if (from === through) return formatDate(from);
  const [fromYear, fromMonth, fromDay] = from.split('-').map(Number);
  if (from.slice(0, 7) === through.slice(0, 7)) return `${fromDay}–${formatDate(through)}`;
  if (from.slice(0, 4) === through.slice(0, 4)) return `${fromDay} ${MONTHS[fromMonth - 1]} – ${formatDate(through)}`;
  return `${formatDate(`${fromYear}-${String(fromMonth).padStart(2, '0')}-${String(fromDay).padStart(2, '0')}`)} – ${formatDate(through)}`;
}

/** The New York local wall-clock parts of an API DateTime. */
export function localParts(dateTime: string): { date: string; hour: number; minute: number } {
  const match = DATE_TIME.exec(dateTime);
  if (!match) return { date: dateTime.slice(0, 10), hour: 0, minute: 0 };
  return { date: `${match[1]}-${match[2]}-${match[3]}`, hour: Number(match[4]), minute: Number(match[5]) };
}

/** A bucket start as a label for its granularity: `Mon 6 Feb 18:00`, `Mon 6 Feb`, `w/c 6 Feb 2023`, `Feb 2023`. */
export function formatBucket(start: string, granularity: string): string {
  const { date, hour } = localParts(start);
  const [year, month, day] = date.split('-').map(Number);
  const weekday = WEEKDAYS[weekdayOf(date) - 1];
  switch (granularity) {
    case 'HOUR':
      return `${weekday} ${day} ${MONTHS[month - 1]} ${String(hour).padStart(2, '0')}:00`;
    case 'DAY':
      return `${weekday} ${day} ${MONTHS[month - 1]}`;
    case 'WEEK':
      return `w/c ${day} ${MONTHS[month - 1]} ${year}`;
    default:
      return `${MONTHS[month - 1]} ${year}`;
  }
}

/** `Fri 3 Feb 2023 18:00` for an API DateTime (New York local). */
export function formatDateTime(dateTime: string): string {
  const { date, hour, minute } = localParts(dateTime);
  return `${WEEKDAYS[weekdayOf(date) - 1]} ${formatDate(date)} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * How long ago an instant was, for a wall screen: `just now` under 5 s, then `12 s ago`, `4 min ago`,
 * `3 h ago`, `2 days ago` (whole units, rounded down). A moment in the future (clocks a little apart)
 * is `just now`.
 */
export function formatElapsed(thenMs: number, nowMs: number): string {
  const seconds = Math.floor((nowMs - thenMs) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}
