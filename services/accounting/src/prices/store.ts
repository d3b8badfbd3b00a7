import { sql, type Kysely } from 'kysely';
import type { AccountingDb } from '../db.js';
import type { TaskPrices } from './prices.js';

/** The prices of these tasks, those that have them. */
export const findPrices = async (
  db: Kysely<AccountingDb>,
  taskIds: readonly string[],
): Promise<Map<string, TaskPrices>> => {
  if (taskIds.length === 0) return new Map();
  const rows = await db.selectFrom('task_prices').selectAll().where('task_id', 'in', taskIds).execute();
  return new Map(rows.map((r) => [r.task_id, r]));
};

/**
 * Saves prices unless the task has some already (a concurrent transaction may have priced it
 * since we read): answers the task ids this statement inserted, whose Task.Priced is ours to publish.
 *
 * Rows go in in task-id order: two batches meeting the same new tasks (a reassign's, in the two
 * ledger transactions at once) then wait for each other in one direction, where in arrival order
 * each could hold a row the other waits for — a deadlock, and the batch retried.
 */
export const insertPricesIfAbsent = async (
  db: Kysely<AccountingDb>,
  unordered: readonly TaskPrices[],
): Promise<Set<string>> => {
  if (unordered.length === 0) return new Set();
  const prices = [...unordered].sort((a, b) => (a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0));
  const { rows } = await sql<{ task_id: string }>`
    insert into task_prices (task_id, assignment_fee, completion_reward, priced_at)
    select * from unnest(${prices.map((p) => p.task_id)}::uuid[], ${prices.map((p) => p.assignment_fee)}::integer[],
                         ${prices.map((p) => p.completion_reward)}::integer[], ${prices.map((p) => p.priced_at)}::timestamptz[])
    on conflict (task_id) do nothing
    returning task_id`.execute(db);
  return new Set(rows.map((r) => r.task_id));
};
