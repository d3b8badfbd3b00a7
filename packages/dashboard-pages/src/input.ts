import { isAppError, type AppError } from '@ates/errors';

// Reading what a dashboard request carries: the form parser (registerDashboardPages) leaves a
// flat object of strings, the query string may repeat a name (an array) or leave it out.

/** A query or form value as text; undefined when it is absent or not one string. */
export const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A form field's text, '' when the form has none. */
export const formField = (body: unknown, name: string): string =>
  textOf((body as Readonly<Record<string, unknown>> | undefined)?.[name]) ?? '';

/** A `?page=` number from 1 to `max`; 1 when it is absent or not a number. */
export const pageNumberOf = (value: unknown, max: number): number =>
  Math.max(1, Math.min(max, Number.parseInt(textOf(value) ?? '1', 10) || 1));

/**
 * A refusal by the rules (an AppError below 500), for a route to show on the page it came from
 * (a form again, with its fields marked); anything else is rethrown, for the error handler.
 */
export const shownRefusal = (error: unknown): AppError => {
  if (isAppError(error) && error.status < 500) return error;
  throw error;
};
