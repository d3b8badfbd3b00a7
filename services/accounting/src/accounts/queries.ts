import { sql, type Kysely } from 'kysely';
import type { BusinessDay } from '@ates/business-days';
import type { AccountingDb } from '../db.js';
import type { Kind } from '../ledger/ledger.js';
import type { Reversible } from '../corrections/decide.js';

// What the API and the dashboard read about accounts (A1, A2, A7): an account's balance, its
// audit log with the task each entry was for, its figures day by day, and everyone's balances.

export interface AccountSummary {
  readonly account_id: string;
  readonly full_name: string | null;
  readonly email: string | null;
  readonly role: string | null;
  readonly balance: number;
  readonly version: number;
}

/** An account's balance and who it is (as far as the copy of accounts knows), or undefined when accounting has never heard of it. */
export const findAccount = async (db: Kysely<AccountingDb>, accountId: string): Promise<AccountSummary | undefined> =>
  (
    await sql<AccountSummary>`
      select id as account_id, a.full_name, a.email, a.role, coalesce(b.balance, 0) as balance, coalesce(b.version, 0) as version
      from (select ${accountId}::uuid as id) q
      left join accounts a on a.public_id = q.id
      left join balances b on b.account_id = q.id
      where a.public_id is not null or b.account_id is not null`.execute(db)
  ).rows[0];

export interface AuditEntry {
  readonly transaction_id: string;
  readonly kind: Kind | 'reversal';
  /** For a reversal: the transaction it undoes, its kind, and why. */
  readonly reverses: { readonly transaction_id: string; readonly kind: Reversible; readonly reason: string } | null;
  readonly amount: number;
  readonly balance_after: number;
  readonly business_day: BusinessDay;
  readonly occurred_at: Date;
  readonly recorded_at: Date;
  readonly task: {
    readonly id: string;
    readonly title: string | null;
    readonly jira_id: string | null;
    readonly description: string | null;
  } | null;
}

/**
 * A2: an account's entries, newest day first (and newest first within a day), each with the task
 * it was for as the copy of tasks knows it — null fields until the task's Task.Created arrives.
 */
export const auditLog = async (
  db: Kysely<AccountingDb>,
  accountId: string,
  query: { readonly day?: BusinessDay; readonly page: number; readonly pageSize: number },
): Promise<{ items: AuditEntry[]; total: number }> => {
  const dayFilter = query.day === undefined ? sql`` : sql`and t.business_day = ${query.day}::date`;
  const [rows, count] = await Promise.all([
    sql<
      Omit<AuditEntry, 'task' | 'reverses'> & {
        reverses_transaction_id: string | null;
        reverses_kind: Reversible | null;
        reason: string | null;
        task_id: string | null;
        title: string | null;
        jira_id: string | null;
        description: string | null;
      }
    >`
      select t.transaction_id, t.kind, t.amount, t.balance_after, t.business_day::text as business_day, t.occurred_at,
             t.recorded_at, t.reverses_transaction_id, t.reverses_kind, t.reason, t.task_id, k.title, k.jira_id,
             k.description
      from transactions t left join tasks k on k.public_id = t.task_id
      where t.account_id = ${accountId}::uuid ${dayFilter}
      order by t.business_day desc, t.id desc
      limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`.execute(db),
    sql<{ n: number }>`
      select count(*)::integer as n from transactions t where t.account_id = ${accountId}::uuid ${dayFilter}`.execute(
      db,
    ),
  ]);
  return {
    items: rows.rows.map(
      ({ task_id, title, jira_id, description, reverses_transaction_id, reverses_kind, reason, ...entry }) => ({
        ...entry,
        reverses:
          reverses_transaction_id === null || reverses_kind === null
            ? null
            : { transaction_id: reverses_transaction_id, kind: reverses_kind, reason: reason ?? '' },
        task: task_id === null ? null : { id: task_id, title, jira_id, description },
      }),
    ),
    total: count.rows[0]?.n ?? 0,
  };
};

export interface AccountDay {
  readonly business_day: BusinessDay;
  /** Fees debited that day (positive). */
  readonly fees: number;
  /** Rewards credited that day. */
  readonly rewards: number;
  /** What the account earned that day: rewards − fees. */
  readonly earned: number;
  /** Paid out at the day's close. */
  readonly payout: number;
}

/** A7 for one account: its figures for each day from `from` to `to`, newest first. */
export const accountDays = async (
  db: Kysely<AccountingDb>,
  accountId: string,
  range: { readonly from: BusinessDay; readonly to: BusinessDay },
): Promise<AccountDay[]> =>
  (
    await sql<AccountDay>`
      select d.day::date::text as business_day,
             coalesce(-sum(t.amount) filter (where t.fact_kind = 'fee'), 0)::bigint as fees,
             coalesce(sum(t.amount) filter (where t.fact_kind = 'reward'), 0)::bigint as rewards,
             coalesce(sum(t.amount) filter (where t.fact_kind <> 'payout'), 0)::bigint as earned,
             coalesce(-sum(t.amount) filter (where t.fact_kind = 'payout'), 0)::bigint as payout
      from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d(day)
      left join transactions t on t.account_id = ${accountId}::uuid and t.business_day = d.day::date
      group by d.day order by d.day desc`.execute(db)
  ).rows;

/** A1 for admins and accountants: every account accounting knows, with its balance; lowest balance first. */
export const listAccounts = async (
  db: Kysely<AccountingDb>,
  query: { readonly page: number; readonly pageSize: number },
): Promise<{ items: AccountSummary[]; total: number }> => {
  const all = sql`
    select coalesce(a.public_id, b.account_id) as account_id, a.full_name, a.email, a.role,
           coalesce(b.balance, 0) as balance, coalesce(b.version, 0) as version
    from accounts a full join balances b on b.account_id = a.public_id`;
  const [rows, count] = await Promise.all([
    sql<AccountSummary>`select * from (${all}) x order by balance, full_name nulls last, account_id
                        limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`.execute(db),
    sql<{ n: number }>`select count(*)::integer as n from (${all}) x`.execute(db),
  ]);
  return { items: rows.rows, total: count.rows[0]?.n ?? 0 };
};
