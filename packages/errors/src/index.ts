/**
 * The small set of coded errors every layer throws. Domain code and packages throw these;
 * the HTTP edge (`@ates/http`) maps them once to RFC 9457 problem details, the CLI to one line.
 * Anything else that escapes is a bug and becomes a 500.
 */
export const errorCodes = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_event: 422,
  config: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One offending input: a field (JSON pointer or variable name) and what is wrong with it. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor(code: ErrorCode, message: string, options: { issues?: readonly FieldIssue[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues ?? [];
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const validationError = (issues: readonly FieldIssue[], message?: string): AppError =>
  new AppError('validation', message ?? `Invalid input: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, {
    issues,
  });
export const forbidden = (message: string): AppError => new AppError('forbidden', message);
export const notFound = (message: string): AppError => new AppError('not_found', message);
export const conflict = (message: string): AppError => new AppError('conflict', message);
export const unauthenticated = (message: string): AppError => new AppError('unauthenticated', message);
export const configError = (message: string): AppError => new AppError('config', message);
