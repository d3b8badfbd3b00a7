import type { RefusalSpec } from '../categories.js';

/** Refusals of accounting (A1, A6, A7). */
export const accountingRefusals = {
  'account.not_visible': {
    category: 'forbidden',
    message: "Only admins and accountants see other people's accounts; you see your own.",
  },
  'figures.company_only': {
    category: 'forbidden',
    message: "The company's figures are for admins and accountants.",
  },
  'day.not_ended': {
    category: 'conflict',
    message: 'This business day has not ended yet: it can be closed once it is over.',
  },
  'day.close_not_allowed': {
    category: 'forbidden',
    message: 'Closing a business day is for admins and accountants.',
  },
  'day.invalid': {
    category: 'validation',
    message: 'A business day is a date written YYYY-MM-DD.',
  },
} as const satisfies Record<string, RefusalSpec>;
