import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { AnyEvent } from '@ates/schema-registry';
import {
  assigned,
  completed,
  deliverBatch,
  freshAccountingDb,
  newId,
  utc,
  type TestAccountingDb,
} from '../testing/fixtures.js';
import { ledgerConsumer } from './consumer.js';

// The ledger against an in-memory model of A3: whatever the tracker says (any assignments and
// completions), however the transport delivers it (duplicated, reordered, cut into batches of
// any size), each account's balance is −fee for every distinct assignment and +reward for every
// completed task, the balance is the sum of its entries, and versions count the entries.

let t: TestAccountingDb;
const ledger = ledgerConsumer(utc);
const at = new Date('2026-03-03T10:00:00.000Z');

beforeAll(async () => {
  t = await freshAccountingDb();
});
afterAll(() => t.close());

const scenario = fc.record({
  steps: fc.array(fc.record({ kind: fc.constantFrom('assign', 'complete'), task: fc.nat(3), account: fc.nat(2) }), {
    minLength: 1,
    maxLength: 25,
  }),
  duplicates: fc.array(fc.nat(), { maxLength: 8 }),
  order: fc.array(fc.nat(), { maxLength: 40 }),
  cuts: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 }),
});

/** A deterministic shuffle and batching of `events` driven by the generated numbers. */
const deliveries = (
  events: AnyEvent[],
  s: { readonly duplicates: number[]; readonly order: number[]; readonly cuts: number[] },
): AnyEvent[][] => {
  const stream = [...events, ...s.duplicates.map((d) => events[d % events.length] as AnyEvent)];
  s.order.forEach((o, i) => {
    const [a, b] = [i % stream.length, o % stream.length];
    [stream[a], stream[b]] = [stream[b] as AnyEvent, stream[a] as AnyEvent];
  });
  const batches: AnyEvent[][] = [];
  for (let i = 0, c = 0; i < stream.length; c += 1) {
    const size = s.cuts[c % s.cuts.length] as number;
    batches.push(stream.slice(i, i + size));
    i += size;
  }
  return batches;
};

describe('the ledger against a model (A3, A4)', () => {
  it('posts each fact once and keeps balance = sum(entries) under duplicates, reordering and any batching', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const tasks = Array.from({ length: 4 }, newId);
        const accounts = Array.from({ length: 3 }, newId);
        // The tracker completes a task once (T5); its Task.Assigned may come any number of times.
        const steps = s.steps.filter(
          (step, i) =>
            step.kind === 'assign' || !s.steps.slice(0, i).some((p) => p.kind === 'complete' && p.task === step.task),
        );
        const events = steps.map((step) =>
          step.kind === 'assign'
            ? assigned(tasks[step.task] as string, accounts[step.account] as string, at)
            : completed(tasks[step.task] as string, accounts[step.account] as string, at),
        );
        for (const batch of deliveries(events, s)) await deliverBatch(t.db, ledger, batch);

        const prices = new Map(
          (await t.db.selectFrom('task_prices').selectAll().where('task_id', 'in', tasks).execute()).map((p) => [
            p.task_id,
            p,
          ]),
        );
        // The model: every assignment event costs its task's fee; every completion pays its task's reward.
        const expected = new Map(accounts.map((a) => [a, 0]));
        for (const e of events) {
          if (e.event_name === 'Task.Assigned') {
            const fee = prices.get(e.data.task_id)?.assignment_fee ?? NaN;
            expected.set(e.data.assignee_id, (expected.get(e.data.assignee_id) ?? 0) - fee);
          } else if (e.event_name === 'Task.Completed') {
            const reward = prices.get(e.data.task_id)?.completion_reward ?? NaN;
            expected.set(e.data.assignee_id, (expected.get(e.data.assignee_id) ?? 0) + reward);
          }
        }
        const { rows } = await sql<{ account_id: string; balance: number; version: number; sum: number; n: number }>`
          select a.id as account_id, coalesce(b.balance, 0) as balance, coalesce(b.version, 0) as version,
                 coalesce((select sum(amount) from transactions t where t.account_id = a.id), 0)::bigint as sum,
                 (select count(*) from transactions t where t.account_id = a.id)::integer as n
          from unnest(${accounts}::uuid[]) as a(id) left join balances b on b.account_id = a.id`.execute(t.db);
        for (const r of rows) {
          expect(r.balance).toBe(expected.get(r.account_id));
          expect(r.sum).toBe(r.balance);
          expect(r.version).toBe(r.n);
        }
        expect(prices.size).toBe(new Set(steps.map((x) => x.task)).size);
      }),
      { numRuns: 40 },
    );
  });
});
