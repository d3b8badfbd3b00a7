import type { RefusalSpec } from '../categories.js';

/** Refusals of analytics (N1–N3). */
export const analyticsRefusals = {
  'analytics.admins_only': {
    category: 'forbidden',
    message: "Analytics — management's earnings and the most expensive tasks — is for admins only.",
  },
  'analytics.invalid_day': {
    category: 'validation',
    message: 'A day is a real date written YYYY-MM-DD.',
  },
  'analytics.invalid_range': {
    category: 'validation',
    message: 'A range of days runs from `from` to `to`, both included: `from` not after `to`, at most 366 days.',
  },
} as const satisfies Record<string, RefusalSpec>;
