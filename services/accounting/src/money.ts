import { money } from '@ates/ui';

/** Cents, as people read dollars: `$12`, `−$5`, `$12.50` (money is integer cents everywhere else). */
export const dollars = (cents: number): string => money(cents / 100);
