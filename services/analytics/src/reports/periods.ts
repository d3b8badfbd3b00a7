import { addDays, daysBetween, type BusinessDay } from '@ates/business-days';
import type { DayRange } from './queries.js';

export const periods = ['day', 'week', 'month'] as const;
export type Period = (typeof periods)[number];

/** The longest range a query may ask for: a year, leap day included. */
export const maxRangeDays = 366;

/**
 * N3: the days of the period that contains `date`: the day itself, its ISO week (Monday to
 * Sunday), or its calendar month.
 */
export const periodRange = (period: Period, date: BusinessDay): DayRange => {
  if (period === 'day') return { from: date, to: date };
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (period === 'week') {
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7; // Monday = 0
    const from = addDays(date, -weekday);
    return { from, to: addDays(from, 6) };
  }
  const from = `${date.slice(0, 8)}01`;
  return { from, to: addDays(addDays(from, 31).slice(0, 8) + '01', -1) };
};

/** How many days a range holds, both ends included. */
export const rangeLength = (range: DayRange): number => daysBetween(range.from, range.to).length;
