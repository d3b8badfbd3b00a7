import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { businessDayOf, type BusinessCalendar, type BusinessDay } from '@ates/business-days';
import { publishMany } from '@ates/event-bus';
import type { AccountingDb } from '../db.js';
import { accepted, accountingEnvelopes } from '../events.js';
import { appendEntries, postedKeys } from '../ledger/store.js';
import { keys } from '../ledger/ledger.js';
import { payoutMail } from '../mail/payout-mail.js';
import type { DaySummary } from './day.js';
import { decideCloseStart, decidePayouts, decideSummary, type AccountAtClose } from './decide.js';
import {
  dayFigures,
  findSummary,
  inconsistentBalances,
  insertMails,
  insertSummary,
  laterSums,
  lockChunk,
  lockDay,
  setDayStatus,
  unclosedDaysBefore,
} from './store.js';

export interface CloseOptions {
  readonly calendar: BusinessCalendar;
  /** Accounts paid per transaction. */
  readonly chunkSize?: number;
  readonly now?: () => Date;
}

const defaultChunkSize = 1_000;

/**
 * Step 1 of a close, in one transaction: the day's row locked FOR UPDATE — postings of the day
 * that began earlier have committed, later ones will see it closing — the rule checked (the day
 * has ended), and the day marked `closing`. Refuses to go on when balances disagree with the ledger.
 */
const startClose = (db: Kysely<AccountingDb>, day: BusinessDay, options: CloseOptions) =>
  db.transaction().execute(async (tx) => {
    const status = await lockDay(tx, day);
    const next = accepted(decideCloseStart({ status, calendar: options.calendar }, { day }, (options.now ?? now)()));
    if (next.state === 'closed') return next.state;
    const broken = await inconsistentBalances(tx);
    if (broken > 0) throw new Error(`${broken} balances disagree with their ledger; the close of ${day} stops here`);
    if (next.state !== status) await setDayStatus(tx, day, next.state);
    return next.state;
  });

/**
 * Step 2, one transaction per chunk of accounts (in id order, after `after`): each account whose
 * balance at the end of the day is positive is paid it, with its email and its events, in the
 * chunk's transaction. A close killed between chunks is resumed by running it again: accounts
 * already paid are skipped by their payout key.
 */
const payChunk = (db: Kysely<AccountingDb>, day: BusinessDay, after: string | null, options: CloseOptions) =>
  db.transaction().execute(async (tx) => {
    const locked = await lockChunk(tx, after, options.chunkSize ?? defaultChunkSize);
    const ids = locked.map((a) => a.account_id);
    const later = await laterSums(tx, day, ids);
    const accounts: AccountAtClose[] = locked.map((a) => ({
      account_id: a.account_id,
      balance: { balance: a.balance, version: a.version },
      later: later.get(a.account_id) ?? 0,
    }));
    const paid = await postedKeys(
      tx,
      ids.map((id) => keys.payout(id, day)),
    );
    const at = (options.now ?? now)();
    const { state, events } = accepted(
      decidePayouts({ day, accounts, paid }, { transactionIds: new Map(ids.map((id) => [id, randomUUID()])) }, at),
    );
    await appendEntries(tx, state.entries, state.balances);
    await insertMails(
      tx,
      state.entries.map((e) => ({
        idempotency_key: e.idempotency_key,
        account_id: e.account_id,
        ...payoutMail({ amount: -e.amount, day }),
      })),
    );
    // Each payout's Transaction.Applied and Payout.Made are one chain: the second caused by the first.
    await publishMany(
      tx,
      state.entries.flatMap((_, i) => accountingEnvelopes(events.slice(2 * i, 2 * i + 2), at)),
    );
    return locked.length === 0 ? null : (ids.at(-1) ?? null);
  });

/** Step 3: the day's figures are final — the immutable summary and BusinessDay.Closed, with the day closed. */
const finishClose = (db: Kysely<AccountingDb>, day: BusinessDay, options: CloseOptions) =>
  db.transaction().execute(async (tx): Promise<DaySummary> => {
    const status = await lockDay(tx, day);
    const existing = status === 'closed' ? await findSummary(tx, day) : undefined;
    if (existing) return existing;
    const { unpaid, ...figures } = await dayFigures(tx, day);
    const at = (options.now ?? now)();
    const { state, events } = accepted(decideSummary({ figures: { business_day: day, ...figures }, unpaid }, {}, at));
    await insertSummary(tx, state);
    await setDayStatus(tx, day, 'closed');
    await publishMany(tx, accountingEnvelopes(events, at));
    return state;
  });

const now = (): Date => new Date();

/**
 * A6: closes one business day — resumable, each step idempotent: run it again after any failure
 * (or at the same time on another instance) and each account is still paid at most once, by the
 * unique payout key. Answers the day's summary.
 */
export const closeDay = async (
  db: Kysely<AccountingDb>,
  day: BusinessDay,
  options: CloseOptions,
): Promise<DaySummary> => {
  const status = await startClose(db, day, options);
  if (status !== 'closed') {
    for (let after: string | null = null; ;) {
      const last = await payChunk(db, day, after, options);
      if (last === null) break;
      after = last;
    }
  }
  return finishClose(db, day, options);
};

/**
 * Closes `day` and, first, every earlier day that is not closed yet, in order (days close in
 * order: a day's payout must come after the payouts of the days before it). Answers their summaries.
 */
export const closeDaysThrough = async (
  db: Kysely<AccountingDb>,
  day: BusinessDay,
  options: CloseOptions,
): Promise<DaySummary[]> => {
  const summaries: DaySummary[] = [];
  for (const d of [...(await unclosedDaysBefore(db, day)), day]) summaries.push(await closeDay(db, d, options));
  return summaries;
};

/**
 * Every day that has ended and is not closed yet, closed in order (what the scheduler runs). A
 * day nothing was posted to has no row and nothing to pay: it is left alone.
 */
export const closeEndedDays = async (db: Kysely<AccountingDb>, options: CloseOptions): Promise<DaySummary[]> => {
  const today = businessDayOf((options.now ?? now)(), options.calendar);
  const summaries: DaySummary[] = [];
  for (const day of await unclosedDaysBefore(db, today)) summaries.push(await closeDay(db, day, options));
  return summaries;
};
