import type { ConfigOf, Variable } from '@ates/config';
import type { BusinessCalendar } from './calendar.js';

const invalid = (): never => {
  throw new Error('invalid');
};

const timeZone: Variable<string> = {
  description:
    "IANA time zone of accounting's business days (e.g. `Europe/Berlin`): the local date a day is named by and its end are read in it.",
  default: 'UTC',
  expected: 'an IANA time zone name such as UTC or Europe/Berlin',
  parse: (raw) => {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
    } catch {
      return invalid();
    }
  },
};

const dayEndMinutes: Variable<number> = {
  description:
    'Local time at which business day D ends, on date D (`24:00` is midnight at its end). Payouts follow within a minute.',
  default: '24:00',
  expected: 'a time HH:MM from 00:01 to 24:00',
  parse: (raw) => {
    const match = /^(\d{2}):(\d{2})$/.exec(raw);
    const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
    return match && Number(match[2]) < 60 && minutes >= 1 && minutes <= 1440 ? minutes : invalid();
  },
};

/**
 * The variables of a service that reckons in business days (accounting, and analytics, which
 * must read them exactly as accounting does); spread into its definition's `env`.
 */
export const businessDayEnv = { ACCOUNTING_TIMEZONE: timeZone, ACCOUNTING_DAY_END: dayEndMinutes };

export type BusinessDayConfig = ConfigOf<typeof businessDayEnv>;

export const calendarOf = (config: BusinessDayConfig): BusinessCalendar => ({
  timeZone: config.ACCOUNTING_TIMEZONE,
  dayEndMinutes: config.ACCOUNTING_DAY_END,
});
