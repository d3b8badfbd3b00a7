import { sql, type Kysely } from 'kysely';
import type { AccountingDb } from '../db.js';
import type { Original, Reversal } from './decide.js';

/** The transaction, and whether a reversal of it exists. */
export const findOriginal = async (
  db: Kysely<AccountingDb>,
  transactionId: string,
): Promise<{ original: Original | undefined; reversed: boolean }> => {
  const { rows } = await sql<Original & { reversed: boolean }>`
    select t.transaction_id, t.account_id, t.kind, t.amount, t.task_id,
           exists (select 1 from transactions r where r.reverses_transaction_id = t.transaction_id) as reversed
    from transactions t where t.transaction_id = ${transactionId}::uuid`.execute(db);
  const row = rows[0];
  if (!row) return { original: undefined, reversed: false };
  const { reversed, ...original } = row;
  return { original, reversed };
};

/** Appends the reversal and sets its account's balance; the unique indexes refuse a second one. */
export const appendReversal = async (db: Kysely<AccountingDb>, reversal: Reversal, recordedAt: Date): Promise<void> => {
  await db
    .insertInto('transactions')
    .values({
      transaction_id: reversal.transaction_id,
      idempotency_key: reversal.idempotency_key,
      account_id: reversal.account_id,
      kind: 'reversal',
      amount: reversal.amount,
      balance_after: reversal.balance_after,
      account_version: reversal.account_version,
      task_id: reversal.task_id,
      business_day: reversal.business_day,
      occurred_at: reversal.occurred_at,
      recorded_at: recordedAt,
      reverses_transaction_id: reversal.reverses.transaction_id,
      reverses_kind: reversal.reverses.kind,
      reason: reversal.reason,
    })
    .execute();
  await db
    .updateTable('balances')
    .set({ balance: reversal.balance_after, version: reversal.account_version, updated_at: recordedAt })
    .where('account_id', '=', reversal.account_id)
    .execute();
};
