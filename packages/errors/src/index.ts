/**
 * The errors every layer throws: an `AppError` carries one stable code from the catalogue
 * (catalogue.ts), whose category decides the HTTP status. Domain code and packages throw these;
 * the HTTP edge (`@ates/http`) maps them once to RFC 9457 problem details, the CLI to one line
 * and an exit code. Anything else that escapes is a bug and becomes a 500.
 */
import { categories, type Category } from './categories.js';
import { catalogue, type CodeOf, type RefusalCode } from './catalogue.js';

export { categories } from './categories.js';
export type { Category, RefusalSpec } from './categories.js';
export { catalogue, isRefusalCode } from './catalogue.js';
export type { CodeOf, RefusalCode } from './catalogue.js';
export { errorsTable } from './docs.js';

/** One offending input: a field (`body.title`, a variable name) and what is wrong with it. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly issues?: readonly FieldIssue[];
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: RefusalCode;
  readonly category: Category;
  readonly issues: readonly FieldIssue[];

  /** `detail` defaults to the catalogue's sentence for `code`; give one when there is more to say. */
  constructor(code: RefusalCode, detail?: string, options: AppErrorOptions = {}) {
    super(detail ?? catalogue[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.category = catalogue[code].category;
    this.issues = options.issues ?? [];
  }

  get status(): number {
    return categories[this.category];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** The refusal `code`, with a specific detail when there is one (an email, an id). */
export const refuse = (code: RefusalCode, detail?: string, options?: AppErrorOptions): AppError =>
  new AppError(code, detail, options);

/** Bad input, each offending field named. The message lists them unless one is given. */
export const validationError = (
  issues: readonly FieldIssue[],
  options: { readonly code?: CodeOf<'validation'>; readonly message?: string } = {},
): AppError =>
  new AppError(
    options.code ?? 'request.invalid',
    options.message ?? `Invalid input: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`,
    { issues },
  );

/**
 * The one way to say that the configuration is wrong: a variable, a port, a data directory. The
 * message names the culprit and what to do; the command line prints it and exits 78.
 */
export const configError = (message: string, cause?: unknown): AppError =>
  new AppError('config.invalid', message, { cause });

/** A dependency (a database, the broker, the auth service) does not answer; exit 69, or 503. */
export const unavailable = (message: string, cause?: unknown): AppError =>
  new AppError('dependency.unavailable', message, { cause });

/**
 * What a dashboard tells a person about a refusal: the specific detail, or — when the refusal
 * names fields, which the page marks one by one — the catalogue's sentence for its code.
 */
export const refusalMessage = (error: AppError): string =>
  error.issues.length > 0 ? catalogue[error.code].message : error.message;
