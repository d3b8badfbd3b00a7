/** Formatting shared by every dashboard, so figures and dates read the same everywhere. */

const minus = '\u2212';
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Dollars as people read them: `$12`, `$1,250`, `−$5` (a real minus sign, U+2212), `$12.50` when
 * there are cents. Not-a-number renders as an em dash rather than breaking a page.
 */
export const money = (amount: number): string => {
  if (!Number.isFinite(amount)) return '—';
  const rounded = Math.round(amount * 100) / 100;
  if (rounded === 0) return '$0';
  const magnitude = Math.abs(rounded);
  const digits = Number.isInteger(magnitude) ? whole.format(magnitude) : cents.format(magnitude);
  return `${rounded < 0 ? minus : ''}$${digits}`;
};

/** Like `money`, with an explicit `+` on positive amounts (for credits and debits in a log). */
export const signedMoney = (amount: number): string =>
  Number.isFinite(amount) && Math.round(amount * 100) > 0 ? `+${money(amount)}` : money(amount);

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');

const toDate = (value: string | Date): Date | undefined => {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** `3 Mar 2026` (UTC). An unparsable value is returned as given. */
export const formatDate = (value: string | Date): string => {
  const d = toDate(value);
  return d ? `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}` : String(value);
};

/** `3 Mar 2026, 14:05 UTC`. An unparsable value is returned as given. */
export const formatDateTime = (value: string | Date): string => {
  const d = toDate(value);
  return d ? `${formatDate(d)}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC` : String(value);
};
