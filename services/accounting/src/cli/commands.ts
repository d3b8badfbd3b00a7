import { sql } from 'kysely';
import { businessDayEnv, calendarOf, isBusinessDay } from '@ates/business-days';
import { readConfig } from '@ates/config';
import { createDb, createPool, explainConnectionError } from '@ates/db';
import { configError, refuse } from '@ates/errors';
import type { AccountingDb } from '../db.js';
import { closeDaysThrough, closeEndedDays } from '../days/commands.js';
import type { DaySummary } from '../days/day.js';
import { dollars } from '../money.js';

/**
 * `ates accounting …`: what an operator does to the accounting database directly. Each command
 * opens its own connection, does its work with the same rules and events as the service, and
 * closes. ACCOUNTING_TIMEZONE and ACCOUNTING_DAY_END must be those the service runs with.
 */
export interface CommandContext {
  /** The accounting database; the CLI resolves it from DATABASE_URL or the running `npm start`. */
  readonly databaseUrl: string;
  readonly env: NodeJS.ProcessEnv;
  readonly print: (line: string) => void;
}

export const describeSummary = (s: DaySummary): string =>
  `${s.business_day}: fees ${dollars(s.fees)}, rewards ${dollars(s.rewards)}, management earned ${dollars(s.management_earnings)}; ` +
  `paid ${dollars(s.payouts)} to ${s.payout_count} ${s.payout_count === 1 ? 'account' : 'accounts'}, ${s.negative_accounts} in the negative.`;

/**
 * `ates accounting close-day [--date D]`: closes day D (and every earlier day still open) now,
 * or without --date every day that has ended — what the service's scheduler does every 30 s.
 * Safe to run at any time, also while the service runs: nobody is paid twice.
 */
export const closeDay = async (ctx: CommandContext, options: { date?: string }): Promise<void> => {
  if (options.date !== undefined && !isBusinessDay(options.date))
    throw refuse(
      'cli.invalid_arguments',
      `--date must be a business day written YYYY-MM-DD, not ${JSON.stringify(options.date)}.`,
    );
  const calendar = calendarOf(readConfig(businessDayEnv, ctx.env));
  const db = createDb<AccountingDb>(createPool(ctx.databaseUrl, { max: 2, applicationName: 'ates-accounting-cli' }));
  try {
    let migrated: boolean;
    try {
      const { rows } = await sql<{ ok: boolean }>`select to_regclass('business_days') is not null as ok`.execute(db);
      migrated = rows[0]?.ok === true;
    } catch (error) {
      throw explainConnectionError(ctx.databaseUrl, error);
    }
    if (!migrated)
      throw configError(
        'The accounting database is not set up yet: start the accounting service once (npm start, or ates serve accounting) and try again.',
      );
    const summaries =
      options.date === undefined
        ? await closeEndedDays(db, { calendar })
        : await closeDaysThrough(db, options.date, { calendar });
    for (const s of summaries) ctx.print(`Closed ${describeSummary(s)}`);
  } finally {
    await db.destroy();
  }
};
