import { sql, type Kysely } from 'kysely';

// A2, A4: the ledger and the balances it adds up to. Amounts are cents, signed as they change
// the employee's account (a fee or a payout is negative, a reward positive).
//
// - `transactions` is append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, so the audit
//   log cannot be rewritten; a mistake is corrected by a new transaction.
// - `idempotency_key` names the business fact (`fee:<Task.Assigned event_id>`,
//   `reward:<task_id>`, `payout:<account>:<day>`): however often a fact is delivered or a close
//   is re-run, it is posted once — the unique index, not a lock, guarantees it.
// - `balances` holds each account's balance and version, changed only in the transaction that
//   appends the entries; (account_id, account_version) is unique, so two writers that read the
//   same version cannot both append after it.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create function ates_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'restrict_violation';
    end $$`.execute(db);
  await sql`
    create table transactions (
      id bigint generated always as identity primary key,
      transaction_id uuid not null unique,
      idempotency_key text not null unique,
      account_id uuid not null,
      kind text not null check (kind in ('fee', 'reward', 'payout')),
      amount bigint not null check (amount <> 0),
      balance_after bigint not null,
      account_version integer not null check (account_version >= 1),
      task_id uuid,
      business_day date not null,
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      unique (account_id, account_version),
      check ((kind = 'payout') = (task_id is null))
    )`.execute(db);
  // The audit log reads an account's entries day by day; the day figures read a day's entries.
  await sql`create index transactions_account on transactions (account_id, business_day, id)`.execute(db);
  await sql`create index transactions_day on transactions (business_day, kind)`.execute(db);
  await sql`
    create trigger transactions_append_only before update or delete on transactions
    for each row execute function ates_refuse_change()`.execute(db);
  await sql`
    create trigger transactions_no_truncate before truncate on transactions
    for each statement execute function ates_refuse_change()`.execute(db);
  await sql`
    create table balances (
      account_id uuid primary key,
      balance bigint not null default 0,
      version integer not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);
};
