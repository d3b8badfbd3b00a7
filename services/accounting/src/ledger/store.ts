import { sql, type Kysely } from 'kysely';
import type { AccountingDb } from '../db.js';
import type { Balance, Entry } from './ledger.js';

// The ledger's SQL. Everything is set-based: a batch of 500 postings is a handful of statements,
// whatever the number of accounts it touches.

/**
 * Locks the balances of `accountIds` for the rest of the transaction (creating the missing ones
 * at zero), in id order so that two transactions never wait for each other in a circle.
 */
export const lockBalances = async (
  db: Kysely<AccountingDb>,
  accountIds: readonly string[],
): Promise<Map<string, Balance>> => {
  if (accountIds.length === 0) return new Map();
  const ids = [...new Set(accountIds)].sort();
  await sql`insert into balances (account_id) select unnest(${ids}::uuid[]) on conflict (account_id) do nothing`.execute(
    db,
  );
  const { rows } = await sql<{ account_id: string; balance: number; version: number }>`
    select account_id, balance, version from balances where account_id = any(${ids}::uuid[])
    order by account_id for update`.execute(db);
  return new Map(rows.map((r) => [r.account_id, { balance: r.balance, version: r.version }]));
};

/** Which of these idempotency keys are in the ledger already. */
export const postedKeys = async (db: Kysely<AccountingDb>, keys: readonly string[]): Promise<Set<string>> => {
  if (keys.length === 0) return new Set();
  const { rows } = await sql<{ idempotency_key: string }>`
    select idempotency_key from transactions where idempotency_key = any(${keys}::text[])`.execute(db);
  return new Set(rows.map((r) => r.idempotency_key));
};

/**
 * Appends the entries and sets the balances they lead to, in two statements. A key posted
 * meanwhile (it cannot be: the balances are locked) would fail the unique index and roll the
 * whole transaction back — the index, not the lock, is what makes a fact count once.
 */
export const appendEntries = async (
  db: Kysely<AccountingDb>,
  entries: readonly Entry[],
  balances: ReadonlyMap<string, Balance>,
): Promise<void> => {
  if (entries.length === 0) return;
  const column = <K extends keyof Entry>(key: K): Entry[K][] => entries.map((e) => e[key]);
  await sql`
    insert into transactions (transaction_id, idempotency_key, account_id, kind, amount, balance_after,
                              account_version, task_id, business_day, occurred_at, recorded_at)
    select * from unnest(${column('transaction_id')}::uuid[], ${column('idempotency_key')}::text[],
                         ${column('account_id')}::uuid[], ${column('kind')}::text[], ${column('amount')}::bigint[],
                         ${column('balance_after')}::bigint[], ${column('account_version')}::integer[],
                         ${column('task_id')}::uuid[], ${column('business_day')}::date[],
                         ${column('occurred_at')}::timestamptz[], ${column('recorded_at')}::timestamptz[])`.execute(db);
  const accounts = [...balances.keys()];
  await sql`
    update balances b set balance = v.balance, version = v.version, updated_at = now()
    from unnest(${accounts}::uuid[], ${accounts.map((a) => balances.get(a)?.balance)}::bigint[],
                ${accounts.map((a) => balances.get(a)?.version)}::integer[]) as v(account_id, balance, version)
    where b.account_id = v.account_id`.execute(db);
};
