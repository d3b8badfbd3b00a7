import { sql, type Kysely } from 'kysely';

// Corrections by reversal (A2): a transaction is never edited; a reversal is a new transaction of
// the opposite amount that names the one it undoes. `fact_kind` is what a transaction counts as
// in the day's figures — its own kind, or for a reversal the kind it undoes — so that a reversed
// fee nets out of the fees of the day the reversal is posted to (closed days never change).
// At most one reversal per transaction: the unique index (and the idempotency key) say so.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    alter table transactions
      add column reverses_transaction_id uuid references transactions (transaction_id),
      add column reverses_kind text check (reverses_kind in ('fee', 'reward', 'payout')),
      add column reason text,
      add column fact_kind text generated always as (coalesce(reverses_kind, kind)) stored,
      drop constraint transactions_kind_check,
      drop constraint transactions_check,
      add constraint transactions_kind_check check (kind in ('fee', 'reward', 'payout', 'reversal')),
      add constraint transactions_task_check check ((fact_kind = 'payout') = (task_id is null)),
      add constraint transactions_reversal_check check (
        (kind = 'reversal') = (reverses_transaction_id is not null and reverses_kind is not null and reason is not null))`.execute(
    db,
  );
  await sql`
    create unique index transactions_reversed_once on transactions (reverses_transaction_id)
    where reverses_transaction_id is not null`.execute(db);
};
