/**
 * Accounting's business days (REQUIREMENTS A6, A7). Business day D ends at `dayEnd` local time
 * on date D in `timeZone` — 24:00 (the default) is midnight at the end of D — so a day is the
 * half-open interval [end of D−1, end of D). A day is written `YYYY-MM-DD`.
 *
 * Daylight-saving changes are handled as the wall clock sees them: a 23- or 25-hour day is one
 * day; a day end that falls in a skipped hour is taken at the first instant after the gap.
 */
export interface BusinessCalendar {
  /** An IANA time zone name, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Minutes after local midnight at which a day ends, 1–1440 (1440 = 24:00). */
  readonly dayEndMinutes: number;
}

export type BusinessDay = string;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const minuteMs = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly minutes: number;
  readonly seconds: number;
}

const wallClock = (instant: Date, timeZone: string): WallClock => {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    seconds: Number(parts.second) + (instant.getTime() % 1000) / 1000,
  };
};

/** The wall clock at `instant`, as if it were UTC, in milliseconds. */
const wallMs = (instant: number, timeZone: string): number => {
  const w = wallClock(new Date(instant), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes, Math.floor(w.seconds)) + (((instant % 1000) + 1000) % 1000);
};

const format = (year: number, month: number, day: number): BusinessDay => {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
};

const parse = (day: BusinessDay): { year: number; month: number; day: number } => {
  const match = dayPattern.exec(day);
  if (!match) throw new RangeError(`not a business day: ${JSON.stringify(day)} (expected YYYY-MM-DD)`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (format(year, month, date) !== day) throw new RangeError(`not a date: ${day}`);
  return { year, month, day: date };
};

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export const isBusinessDay = (value: unknown): value is BusinessDay => {
  if (typeof value !== 'string') return false;
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
};

/** The day `days` after (or, negative, before) `day`. */
export const addDays = (day: BusinessDay, days: number): BusinessDay => {
  const d = parse(day);
  return format(d.year, d.month, d.day + days);
};

/**
 * The instant the wall clock of `timeZone` first shows `minutes` after midnight of `date`: the
 * earlier one when the clock goes back and shows it twice, and the first instant after the gap
 * when the clock jumps over it.
 */
const instantOfWallTime = (date: BusinessDay, minutes: number, timeZone: string): number => {
  const d = parse(date);
  const wall = Date.UTC(d.year, d.month - 1, d.day, 0, minutes);
  const hour = 3_600_000;
  const offsets = [...new Set([-36, -12, 0, 12, 36].map((h) => wallMs(wall + h * hour, timeZone) - (wall + h * hour)))];
  const exact = offsets.map((o) => wall - o).filter((t) => wallMs(t, timeZone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > minuteMs) {
    const middle = before + Math.floor((after - before) / 2 / minuteMs) * minuteMs;
    if (wallMs(middle, timeZone) >= wall) after = middle;
    else before = middle;
  }
  return after;
};

const ends = new Map<string, number>();

/** The instant business day `day` ends: the first instant of the next day. */
export const dayEnd = (day: BusinessDay, calendar: BusinessCalendar): Date => {
  const key = `${calendar.timeZone} ${calendar.dayEndMinutes} ${day}`;
  let end = ends.get(key);
  if (end === undefined) {
    end = instantOfWallTime(day, calendar.dayEndMinutes, calendar.timeZone);
    if (ends.size > 10_000) ends.clear();
    ends.set(key, end);
  }
  return new Date(end);
};

/** The first instant of business day `day`. */
export const dayStart = (day: BusinessDay, calendar: BusinessCalendar): Date => dayEnd(addDays(day, -1), calendar);

/**
 * Answers of `businessDayOf` by calendar and instant: a batch of thousands of postings asks for the
 * same few instants (a reassign's events share one), and each answer takes several
 * `Intl.DateTimeFormat` calls. Bounded; started over when full.
 */
const dayOfMemo = new Map<string, BusinessDay>();
const dayOfMemoSize = 10_000;

/** The business day `instant` belongs to: the day of its local date, or the next one once that day has ended. */
export const businessDayOf = (instant: Date, calendar: BusinessCalendar): BusinessDay => {
  const key = `${calendar.timeZone}|${calendar.dayEndMinutes}|${instant.getTime()}`;
  const known = dayOfMemo.get(key);
  if (known !== undefined) return known;
  const w = wallClock(instant, calendar.timeZone);
  const local = format(w.year, w.month, w.day);
  const day = instant.getTime() >= dayEnd(local, calendar).getTime() ? addDays(local, 1) : local;
  if (dayOfMemo.size >= dayOfMemoSize) dayOfMemo.clear();
  dayOfMemo.set(key, day);
  return day;
};

/** The days from `from` to `to`, both included, in order. */
export const daysBetween = (from: BusinessDay, to: BusinessDay): BusinessDay[] => {
  const days: BusinessDay[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
};
