import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { publishMany } from '@ates/event-bus';
import type { AnyEvent } from '@ates/schema-registry';
import type { AccountingDb } from '../db.js';
import { accepted, accountingEnvelopes } from '../events.js';
import { decidePricing } from './decide.js';
import { drawPrices, type Drawn, type TaskPrices } from './prices.js';
import { findPrices, insertPricesIfAbsent } from './store.js';

/**
 * A3: every task named by `causes` (task id → the first event that named it here) has its prices
 * after this, in `tx`: those it had, or new ones drawn at random, saved and announced by
 * Task.Priced (caused by that event). Answers the prices of all of them.
 */
export const priceTasks = async (
  tx: Kysely<AccountingDb>,
  causes: ReadonlyMap<string, AnyEvent>,
  now: Date,
  draw: () => Drawn = () => drawPrices(randomInt),
): Promise<Map<string, TaskPrices>> => {
  const prices = await findPrices(tx, [...causes.keys()]);
  const fresh = [...causes.keys()]
    .map((taskId) => ({
      taskId,
      ...accepted(decidePricing({ priced: prices.get(taskId) }, { taskId, drawn: draw() }, now)),
    }))
    .filter((d) => d.events.length > 0);
  if (fresh.length === 0) return prices;
  // Insert if absent, then publish only what this transaction inserted: a task priced meanwhile
  // by a concurrent transaction keeps those prices, and its Task.Priced is that transaction's.
  const inserted = await insertPricesIfAbsent(
    tx,
    fresh.map((d) => d.state),
  );
  const ours = fresh.filter((d) => inserted.has(d.taskId));
  await publishMany(
    tx,
    ours.flatMap((d) => accountingEnvelopes(d.events, now, causes.get(d.taskId))),
  );
  for (const d of ours) prices.set(d.taskId, d.state);
  const raced = fresh.filter((d) => !inserted.has(d.taskId)).map((d) => d.taskId);
  for (const [taskId, p] of await findPrices(tx, raced)) prices.set(taskId, p);
  return prices;
};
