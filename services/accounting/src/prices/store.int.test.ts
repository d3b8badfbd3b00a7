import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import type { AccountingDb } from '../db.js';
import { freshAccountingDb, newId, type TestAccountingDb } from '../testing/fixtures.js';
import { insertPricesIfAbsent } from './store.js';

let t: TestAccountingDb;

beforeAll(async () => {
  t = await freshAccountingDb();
});
afterAll(() => t.close());

const pricesOf = (taskIds: readonly string[]) =>
  taskIds.map((task_id) => ({ task_id, assignment_fee: 1000, completion_reward: 2000, priced_at: new Date() }));

/**
 * Runs the writers in transactions of their own that have all begun before any of them writes,
 * so that their statements overlap.
 */
const atOnce = async <T>(writers: ReadonlyArray<(tx: Transaction<AccountingDb>) => Promise<T>>): Promise<T[]> => {
  let begun = 0;
  const allBegun = async () => {
    begun += 1;
    while (begun < writers.length) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  return Promise.all(
    writers.map((write) =>
      t.db.transaction().execute(async (tx) => {
        await sql`select pg_current_xact_id()`.execute(tx);
        await allBegun();
        return write(tx);
      }),
    ),
  );
};

// Two batches meeting the same new tasks in different orders used to deadlock on task_prices'
// unique index, each waiting for the other's uncommitted rows; PostgreSQL then failed one of them.
describe('pricing the same new tasks from concurrent transactions', () => {
  it('two ledger-sized inserts in opposite orders: no deadlock, every task priced once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const tasks = Array.from({ length: 2_000 }, () => newId());
      const inserted = await atOnce(
        [tasks, [...tasks].reverse()].map((order) => (tx) => insertPricesIfAbsent(tx, pricesOf(order))),
      );
      expect(inserted.reduce((n, ids) => n + ids.size, 0)).toBe(tasks.length);
    }
  });
});
