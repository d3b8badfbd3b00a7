import type { Category, RefusalSpec } from './categories.js';
import { accountingRefusals } from './refusals/accounting.js';
import { analyticsRefusals } from './refusals/analytics.js';
import { authRefusals } from './refusals/auth.js';
import { platformRefusals } from './refusals/platform.js';
import { taskRefusals } from './refusals/tasks.js';

/**
 * Every refusal aTES can answer with, once: a stable code (`<domain>.<what>`, never reused or
 * renamed — clients and dashboards switch on it), its category (hence its HTTP status) and the
 * sentence a person is shown. Each domain keeps its part in refusals/<domain>.ts; docs/errors.md
 * lists them all and a unit test keeps the two in step (`npm run docs:errors` rewrites it).
 */
export const catalogue = {
  ...platformRefusals,
  ...authRefusals,
  ...taskRefusals,
  ...accountingRefusals,
  ...analyticsRefusals,
} as const satisfies Record<string, RefusalSpec>;

export type RefusalCode = keyof typeof catalogue;

/** Codes whose category is `C`. */
export type CodeOf<C extends Category> = {
  [K in RefusalCode]: (typeof catalogue)[K]['category'] extends C ? K : never;
}[RefusalCode];

export const isRefusalCode = (value: unknown): value is RefusalCode =>
  typeof value === 'string' && Object.hasOwn(catalogue, value);
