import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { outboxEvents } from '@ates/event-bus/testing';
import type { AnyEvent } from '@ates/schema-registry';
import {
  assigned,
  completed,
  created,
  deliverBatch,
  freshAccountingDb,
  newId,
  utc,
  type TestAccountingDb,
} from '../testing/fixtures.js';
import { accountingTasks } from '../tasks/consumer.js';
import { ledgerConsumer } from './consumer.js';

let t: TestAccountingDb;
const ledger = ledgerConsumer(utc);
const at = new Date('2026-03-03T10:00:00.000Z');

const entriesOf = (accountId: string) =>
  sql<{ kind: string; amount: number; balance_after: number; account_version: number; business_day: string }>`
    select kind, amount, balance_after, account_version, business_day::text from transactions
    where account_id = ${accountId} order by account_version`
    .execute(t.db)
    .then((r) => r.rows);
const balanceOf = async (accountId: string) =>
  (await t.db.selectFrom('balances').selectAll().where('account_id', '=', accountId).executeTakeFirst())?.balance;
const priceOf = (taskId: string) =>
  t.db.selectFrom('task_prices').selectAll().where('task_id', '=', taskId).executeTakeFirstOrThrow();
const published = async (name: string, pred: (e: AnyEvent) => boolean = () => true) =>
  (await outboxEvents(t.db)).filter((e) => e.event_name === name && pred(e));

beforeAll(async () => {
  t = await freshAccountingDb();
});
afterAll(() => t.close());

describe('accounting.ledger posts fees and rewards (A2–A4)', () => {
  it('debits the fee at assignment, prices the task once, and publishes Task.Priced and Transaction.Applied', async () => {
    const [task, worker] = [newId(), newId()];
    const event = assigned(task, worker, at);
    await deliverBatch(t.db, ledger, [event]);
    const price = await priceOf(task);
    expect(price.assignment_fee % 100).toBe(0);
    expect(price.assignment_fee).toBeGreaterThanOrEqual(1000);
    expect(price.assignment_fee).toBeLessThanOrEqual(2000);
    expect(await entriesOf(worker)).toEqual([
      {
        kind: 'fee',
        amount: -price.assignment_fee,
        balance_after: -price.assignment_fee,
        account_version: 1,
        business_day: '2026-03-03',
      },
    ]);
    const [priced] = await published('Task.Priced', (e) => e.event_name === 'Task.Priced' && e.data.task_id === task);
    expect(priced).toMatchObject({ causation_id: event.event_id, correlation_id: event.correlation_id });
    const [applied] = await published(
      'Transaction.Applied',
      (e) => e.event_name === 'Transaction.Applied' && e.data.account_id === worker,
    );
    expect(applied).toMatchObject({
      producer: 'accounting',
      causation_id: event.event_id,
      data: { kind: 'fee', amount: -price.assignment_fee, task_id: task, business_day: '2026-03-03' },
    });
  });

  it('debits every reassignment with the same fee, credits the reward once, and applies a redelivery once', async () => {
    const [task, first, second] = [newId(), newId(), newId()];
    const moves = [assigned(task, first, at), assigned(task, second, at, first), assigned(task, first, at, second)];
    await deliverBatch(t.db, ledger, moves);
    await deliverBatch(t.db, ledger, [moves[1] as AnyEvent, completed(task, first, at)]);
    // A second Task.Completed of the same task (a bug upstream) pays nothing more.
    await deliverBatch(t.db, ledger, [completed(task, first, at)]);
    const { assignment_fee: fee, completion_reward: reward } = await priceOf(task);
    expect((await entriesOf(first)).map((e) => e.amount)).toEqual([-fee, -fee, reward]);
    expect(await balanceOf(first)).toBe(reward - 2 * fee);
    expect(await entriesOf(second)).toMatchObject([{ amount: -fee, balance_after: -fee }]);
    expect(
      await published('Task.Priced', (e) => e.event_name === 'Task.Priced' && e.data.task_id === task),
    ).toHaveLength(1);
  });

  it('takes events in any order and never waits for a copy: a completion before its assignment, for an unknown account', async () => {
    const [task, worker] = [newId(), newId()];
    await deliverBatch(t.db, ledger, [completed(task, worker, at)]);
    await deliverBatch(t.db, ledger, [assigned(task, worker, at)]);
    await deliverBatch(t.db, accountingTasks, [created(task, worker, at)]);
    const { assignment_fee: fee, completion_reward: reward } = await priceOf(task);
    expect((await entriesOf(worker)).map((e) => e.amount)).toEqual([reward, -fee]);
    expect(await balanceOf(worker)).toBe(reward - fee);
    expect(await t.db.selectFrom('accounts').selectAll().where('public_id', '=', worker).execute()).toEqual([]);
  });

  it('keeps the ledger append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const worker = newId();
    await deliverBatch(t.db, ledger, [assigned(newId(), worker, at)]);
    await expect(sql`update transactions set amount = 1 where account_id = ${worker}`.execute(t.db)).rejects.toThrow(
      /transactions is append-only: UPDATE is not allowed/,
    );
    await expect(sql`delete from transactions where account_id = ${worker}`.execute(t.db)).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(sql`truncate transactions`.execute(t.db)).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await entriesOf(worker)).toHaveLength(1);
  });

  it('refuses a second entry for the same fact at the database, whatever the code above it does', async () => {
    const worker = newId();
    const event = assigned(newId(), worker, at);
    await deliverBatch(t.db, ledger, [event]);
    await expect(
      sql`insert into transactions (transaction_id, idempotency_key, account_id, kind, amount, balance_after, account_version, task_id, business_day, occurred_at)
          select gen_random_uuid(), idempotency_key, account_id, kind, amount, balance_after - amount, account_version + 1, task_id, business_day, occurred_at
          from transactions where account_id = ${worker}`.execute(t.db),
    ).rejects.toThrow(/transactions_idempotency_key_key/);
  });
});
