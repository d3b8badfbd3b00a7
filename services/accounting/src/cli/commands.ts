import { sql, type Kysely } from 'kysely';
import { businessDayEnv, calendarOf, isBusinessDay } from '@ates/business-days';
import { readConfig } from '@ates/config';
import { createDb, createPool, explainConnectionError } from '@ates/db';
import { configError, refuse } from '@ates/errors';
import { maxReasonLength, reverseTransaction } from '../corrections/commands.js';
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
  await withAccountingDb(ctx, async (db) => {
    const summaries =
      options.date === undefined
        ? await closeEndedDays(db, { calendar })
        : await closeDaysThrough(db, options.date, { calendar });
    for (const s of summaries) ctx.print(`Closed ${describeSummary(s)}`);
  });
};

/**
 * `ates accounting reverse <transaction-id> --reason R`: corrects the ledger by a reversing
 * transaction (A2), posted to today's open day, with the same rule and event as the API's.
 */
export const reverse = async (
  ctx: CommandContext,
  transactionId: string,
  options: { reason: string },
): Promise<void> => {
  if (!isUuid(transactionId))
    throw refuse('cli.invalid_arguments', `The transaction id must be a UUID, not ${JSON.stringify(transactionId)}.`);
  const reason = options.reason.trim();
  if (reason === '' || reason.length > maxReasonLength)
    throw refuse('cli.invalid_arguments', `--reason says why, in 1 to ${maxReasonLength} characters.`);
  const calendar = calendarOf(readConfig(businessDayEnv, ctx.env));
  await withAccountingDb(ctx, async (db) => {
    const r = await reverseTransaction(db, { transactionId, reason }, calendar);
    ctx.print(
      `Reversed the ${r.reverses.kind} ${r.reverses.transaction_id}: ${dollars(r.amount)} to ${r.account_id} on ${r.business_day}, balance now ${dollars(r.balance_after)}.`,
    );
  });
};

/** Runs `work` on its own connection to a migrated accounting database, and closes it. */
const withAccountingDb = async (
  ctx: CommandContext,
  work: (db: Kysely<AccountingDb>) => Promise<void>,
): Promise<void> => {
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
    await work(db);
  } finally {
    await db.destroy();
  }
};

const isUuid = (s: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
