import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshAccountingDb, newId, type TestAccountingDb } from '../testing/fixtures.js';
import { insertPricesIfAbsent } from './store.js';

let t: TestAccountingDb;

beforeAll(async () => {
  t = await freshAccountingDb();
});
afterAll(() => t.close());

const pricesOf = (taskIds: readonly string[]) =>
  taskIds.map((task_id) => ({ task_id, assignment_fee: 1000, completion_reward: 2000, priced_at: new Date() }));

describe('insertPricesIfAbsent', () => {
  // Two ledger batches meeting the same new tasks (a reassign's) in different orders used to
  // deadlock on task_prices' unique index, each waiting for the other's uncommitted rows.
  it('prices the same new tasks from concurrent transactions in any order without a deadlock', async () => {
    for (let round = 0; round < 5; round += 1) {
      const tasks = Array.from({ length: 2_000 }, () => newId());
      // Both transactions begun before either inserts, so that the two statements overlap.
      let begun = 0;
      const bothBegun = async () => {
        begun += 1;
        while (begun < 2) await new Promise((resolve) => setTimeout(resolve, 1));
      };
      const inserted = await Promise.all(
        [tasks, [...tasks].reverse()].map((order) =>
          t.db.transaction().execute(async (tx) => {
            await sql`select pg_current_xact_id()`.execute(tx);
            await bothBegun();
            return insertPricesIfAbsent(tx, pricesOf(order));
          }),
        ),
      );
      // Every task priced once: by whichever transaction got there first.
      expect(inserted.reduce((n, ids) => n + ids.size, 0)).toBe(tasks.length);
    }
  });
});
