import { isAppError } from '@ates/errors';

// sysexits(3): a supervisor does not restart a service that exits with EX_CONFIG.
export const exitCodes = { ok: 0, failure: 1, unavailable: 69, config: 78 } as const;

/** Prints one line for a known error (no stack trace) and returns the exit code to use. */
export const reportFatal = (prefix: string, error: unknown): number => {
  if (isAppError(error)) {
    console.error(`${prefix}: ${error.message}`);
    return error.category === 'unavailable' ? exitCodes.unavailable : exitCodes.config;
  }
  console.error(`${prefix}: unexpected error`, error);
  return exitCodes.failure;
};
