/**
 * Accounting's business days, shared by accounting (which closes them) and analytics (which
 * reports by them): `businessDayOf(instant)`, `dayEnd(day)`, and the two variables that define
 * them, ACCOUNTING_TIMEZONE and ACCOUNTING_DAY_END.
 */
export { addDays, businessDayOf, dayEnd, dayStart, daysBetween, isBusinessDay } from './calendar.js';
export type { BusinessCalendar, BusinessDay } from './calendar.js';
export { businessDayEnv, calendarOf } from './env.js';
export type { BusinessDayConfig } from './env.js';
