import { Type } from '@sinclair/typebox';
import { addDays, isBusinessDay, type BusinessDay } from '@ates/business-days';
import { validationError } from '@ates/errors';

/** An amount of money in a response: integer cents. */
export const Cents = (description: string) => Type.Integer({ description: `${description}, in cents` });

/** A business day in a path or query: YYYY-MM-DD by the schema, a real date by this check. */
export const DayString = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'A business day, YYYY-MM-DD.',
});

export const checkedDay = (value: string, field: string): BusinessDay => {
  if (!isBusinessDay(value)) throw validationError([{ field, message: 'is not a date' }], { code: 'day.invalid' });
  return value;
};

export const maxRangeDays = 366;

/**
 * A range of days from a query: both ends checked, `to` defaulting to `today` and `from` to 30
 * days before it, at most a year long.
 */
export const dayRange = (
  query: { readonly from?: string; readonly to?: string },
  today: BusinessDay,
): { from: BusinessDay; to: BusinessDay } => {
  const to = query.to === undefined ? today : checkedDay(query.to, 'querystring.to');
  const from = query.from === undefined ? addDays(to, -29) : checkedDay(query.from, 'querystring.from');
  if (from > to)
    throw validationError([{ field: 'querystring.from', message: 'must not be after to' }], { code: 'day.invalid' });
  if (addDays(from, maxRangeDays - 1) < to)
    throw validationError([{ field: 'querystring.from', message: `must be at most ${maxRangeDays} days before to` }], {
      code: 'day.invalid',
    });
  return { from, to };
};
