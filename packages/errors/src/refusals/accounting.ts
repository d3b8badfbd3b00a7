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
  'transaction.not_found': { category: 'not_found', message: 'There is no such transaction.' },
  'transaction.already_reversed': {
    category: 'conflict',
    message: 'This transaction has been reversed already: a transaction is reversed at most once.',
  },
  'transaction.not_reversible': {
    category: 'conflict',
    message: 'Only a fee or a reward can be reversed: a payout was paid, and a reversal is final.',
  },
  'transaction.reverse_not_allowed': {
    category: 'forbidden',
    message: 'Correcting the ledger is for admins and accountants.',
  },
} as const satisfies Record<string, RefusalSpec>;
