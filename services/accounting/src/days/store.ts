import { sql, type Kysely } from 'kysely';
import type { BusinessDay } from '@ates/business-days';
import type { AccountingDb } from '../db.js';
import type { DayStatus, DaySummary } from './day.js';

/**
 * A posting's guard against a close of the same day: the rows of `days` (created open if new)
 * are locked FOR SHARE until the posting commits, so a close that starts meanwhile waits for it,
 * and a posting that comes after a close began sees the day closing. Answers the latest day that
 * is closing or closed, read after the locks.
 */
export const shareDays = async (
  db: Kysely<AccountingDb>,
  days: readonly BusinessDay[],
): Promise<BusinessDay | null> => {
  const sorted = [...new Set(days)].sort();
  if (sorted.length > 0) {
    await sql`insert into business_days (day) select unnest(${sorted}::date[]) on conflict (day) do nothing`.execute(
      db,
    );
    await sql`select day from business_days where day = any(${sorted}::date[]) order by day for share`.execute(db);
  }
  return lastClosedDay(db);
};

/** The latest day that is closing or closed: days close in order, so every earlier one is too. */
export const lastClosedDay = async (db: Kysely<AccountingDb>): Promise<BusinessDay | null> => {
  const { rows } = await sql<{ day: string | null }>`
    select max(day)::text as day from business_days where status <> 'open'`.execute(db);
  return rows[0]?.day ?? null;
};

/** The day's row locked FOR UPDATE (created open if new): a close holds it while it changes the day's status. */
export const lockDay = async (db: Kysely<AccountingDb>, day: BusinessDay): Promise<DayStatus> => {
  await sql`insert into business_days (day) values (${day}::date) on conflict (day) do nothing`.execute(db);
  const { rows } = await sql<{ status: DayStatus }>`
    select status from business_days where day = ${day}::date for update`.execute(db);
  return rows[0]?.status ?? 'open';
};

export const setDayStatus = async (db: Kysely<AccountingDb>, day: BusinessDay, status: DayStatus): Promise<void> => {
  await sql`
    update business_days set status = ${status},
      closing_started_at = case when ${status} = 'closing' then now() else closing_started_at end,
      closed_at = case when ${status} = 'closed' then now() else closed_at end
    where day = ${day}::date`.execute(db);
};

/** The accounts of a close's next chunk (ids after `after`), locked FOR UPDATE, in id order. */
export const lockChunk = async (
  db: Kysely<AccountingDb>,
  after: string | null,
  size: number,
): Promise<Array<{ account_id: string; balance: number; version: number }>> =>
  (
    await sql<{ account_id: string; balance: number; version: number }>`
      select account_id, balance, version from balances
      where ${after}::uuid is null or account_id > ${after}::uuid
      order by account_id limit ${size} for update`.execute(db)
  ).rows;

/**
 * What was posted to each of these accounts on days after `day`: facts that arrived after the
 * day ended, which its payout must not include. Read after the balances are locked, so the two agree.
 */
export const laterSums = async (
  db: Kysely<AccountingDb>,
  day: BusinessDay,
  accountIds: readonly string[],
): Promise<Map<string, number>> => {
  if (accountIds.length === 0) return new Map();
  const { rows } = await sql<{ account_id: string; later: number }>`
    select account_id, sum(amount)::bigint as later from transactions
    where business_day > ${day}::date and account_id = any(${accountIds}::uuid[])
    group by account_id`.execute(db);
  return new Map(rows.map((r) => [r.account_id, r.later]));
};

/** Writes the payout emails, one per payout, in the transaction that makes the payouts. */
export const insertMails = async (
  db: Kysely<AccountingDb>,
  mails: ReadonlyArray<{ idempotency_key: string; account_id: string; subject: string; body: string }>,
): Promise<void> => {
  if (mails.length === 0) return;
  await sql`
    insert into mails (idempotency_key, account_id, subject, body)
    select * from unnest(${mails.map((m) => m.idempotency_key)}::text[], ${mails.map((m) => m.account_id)}::uuid[],
                         ${mails.map((m) => m.subject)}::text[], ${mails.map((m) => m.body)}::text[])`.execute(db);
};

/** The balance at the end of `day` of every account: its balance less what later days added. */
const endOfDay = (day: BusinessDay) => sql`
  select b.account_id, b.balance - coalesce(l.later, 0) as end_balance
  from balances b
  left join (select account_id, sum(amount) as later from transactions where business_day > ${day}::date group by account_id) l
    using (account_id)`;

/** A day's figures from the ledger (A5, A7), and the accounts still owed a payout for it. */
export const dayFigures = async (
  db: Kysely<AccountingDb>,
  day: BusinessDay,
): Promise<{
  fees: number;
  rewards: number;
  payouts: number;
  payout_count: number;
  negative_accounts: number;
  unpaid: number;
}> => {
  const { rows } = await sql<{
    fees: number;
    rewards: number;
    payouts: number;
    payout_count: number;
    negative_accounts: number;
    unpaid: number;
  }>`
    with day_entries as (
      select coalesce(-sum(amount) filter (where fact_kind = 'fee'), 0)::bigint as fees,
             coalesce(sum(amount) filter (where fact_kind = 'reward'), 0)::bigint as rewards,
             coalesce(-sum(amount) filter (where fact_kind = 'payout'), 0)::bigint as payouts,
             count(*) filter (where kind = 'payout')::integer as payout_count
      from transactions where business_day = ${day}::date
    ),
    ends as (${endOfDay(day)})
    select day_entries.*,
           (select count(*)::integer from ends where end_balance < 0) as negative_accounts,
           (select count(*)::integer from ends where end_balance > 0) as unpaid
    from day_entries`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('no figures');
  return row;
};

/**
 * Accounts whose balance is not where their ledger says (the last entry's balance and version):
 * a close refuses to pay from balances it cannot trust.
 */
export const inconsistentBalances = async (db: Kysely<AccountingDb>): Promise<number> => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::integer as n from balances b
    left join lateral (
      select balance_after, account_version from transactions t
      where t.account_id = b.account_id order by account_version desc limit 1
    ) last on true
    where b.balance <> coalesce(last.balance_after, 0) or b.version <> coalesce(last.account_version, 0)`.execute(db);
  return rows[0]?.n ?? 0;
};

export const findSummary = async (db: Kysely<AccountingDb>, day: BusinessDay): Promise<DaySummary | undefined> => {
  const { rows } = await sql<DaySummary>`
    select day::text as business_day, fees, rewards, management_earnings, payouts, payout_count, negative_accounts, closed_at
    from day_summaries where day = ${day}::date`.execute(db);
  return rows[0];
};

export const insertSummary = async (db: Kysely<AccountingDb>, summary: DaySummary): Promise<void> => {
  await sql`
    insert into day_summaries (day, fees, rewards, management_earnings, payouts, payout_count, negative_accounts, closed_at)
    values (${summary.business_day}::date, ${summary.fees}, ${summary.rewards}, ${summary.management_earnings},
            ${summary.payouts}, ${summary.payout_count}, ${summary.negative_accounts}, ${summary.closed_at})`.execute(
    db,
  );
};

/** Days before `day` that are not closed yet, in order: a close closes them first. */
export const unclosedDaysBefore = async (db: Kysely<AccountingDb>, day: BusinessDay): Promise<BusinessDay[]> =>
  (
    await sql<{ day: string }>`
      select day::text as day from business_days where day < ${day}::date and status <> 'closed' order by day`.execute(
      db,
    )
  ).rows.map((r) => r.day);
