import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

const levels: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const isLogLevel = (value: string): value is LevelWithSilent => (levels as readonly string[]).includes(value);

/**
 * JSON logs, one line per event, each carrying the service name so that a supervisor or a log
 * shipper can tell services apart. The access token is never logged: `redact` removes it.
 */
export const createLogger = (service: string, level: LevelWithSilent = 'info'): Logger =>
  pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', 'token'], censor: '[redacted]' },
  });
