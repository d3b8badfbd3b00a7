import { Type } from '@sinclair/typebox';
import { isBusinessDay, type BusinessDay } from '@ates/business-days';
import { validationError } from '@ates/errors';
import { maxRangeDays, periodRange, rangeLength, type Period } from './reports/periods.js';
import type { DayRange } from './reports/queries.js';

/** An amount in a response: integer cents. */
export const Cents = (description: string) => Type.Integer({ description: `${description}, in cents` });

/** A day in a query: YYYY-MM-DD by the schema; `dayOf` checks it is a real date. */
export const DayQuery = (description: string) =>
  Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: `${description} (YYYY-MM-DD)` });

/** `value` as a business day, or 400 naming `field` (e.g. 2026-02-30 passes the pattern but is no date). */
export const dayOf = (value: string | undefined, field: string, fallback: BusinessDay): BusinessDay => {
  if (value === undefined) return fallback;
  if (!isBusinessDay(value))
    throw validationError([{ field, message: 'is not a date' }], { code: 'analytics.invalid_day' });
  return value;
};

/** A range that the queries accept: `from` not after `to`, at most a year; else 400 naming `from`. */
export const checkedRange = (range: DayRange): DayRange => {
  const refuse = (message: string) =>
    validationError([{ field: 'querystring.from', message }], { code: 'analytics.invalid_range' });
  if (range.from > range.to) throw refuse('must not be after to');
  if (rangeLength(range) > maxRangeDays) throw refuse(`must be at most ${maxRangeDays} days before to, both included`);
  return range;
};

export interface RangeQuery {
  readonly from?: string;
  readonly to?: string;
  readonly period?: Period;
  readonly date?: string;
}

/**
 * The days a report covers: `?period=day|week|month&date=` (date defaulting to today), or
 * `?from=&to=` (to defaulting to today, from to `to`), never both ways at once.
 */
export const rangeOf = (query: RangeQuery, today: BusinessDay): DayRange => {
  if (query.period !== undefined) {
    const mixed = (['from', 'to'] as const).filter((f) => query[f] !== undefined);
    if (mixed.length > 0)
      throw validationError(
        mixed.map((f) => ({ field: `querystring.${f}`, message: 'must not be given with period' })),
        { code: 'analytics.invalid_range' },
      );
    return periodRange(query.period, dayOf(query.date, 'querystring.date', today));
  }
  if (query.date !== undefined)
    throw validationError([{ field: 'querystring.date', message: 'is only read with period' }], {
      code: 'analytics.invalid_range',
    });
  const to = dayOf(query.to, 'querystring.to', today);
  return checkedRange({ from: dayOf(query.from, 'querystring.from', to), to });
};
