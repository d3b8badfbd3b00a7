import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { outboxEvents } from '@ates/event-bus/testing';
import { businessDayOf } from '@ates/business-days';
import { isAppError } from '@ates/errors';
import { eventually } from '@ates/testing';
import { postTaskEvents } from '../ledger/commands.js';
import { ledgerConsumer } from '../ledger/consumer.js';
import {
  assigned,
  completed,
  deliverBatch,
  freshAccountingDb,
  newId,
  utc,
  type TestAccountingDb,
} from '../testing/fixtures.js';
import { closeDay, closeDaysThrough } from './commands.js';
import { inconsistentBalances, lockDay, setDayStatus } from './store.js';

// A6: the close of a business day, on a database of its own per describe block, since a close
// pays every account there is.

const ledger = ledgerConsumer(utc);
/** The day postings reach accounting in: the consumers post with the real clock. */
const today = businessDayOf(new Date(), utc);
const during = (day: string, time = '12:00:00') => new Date(`${day}T${time}.000Z`);
const after = (day: string) => new Date(new Date(`${day}T00:00:00.000Z`).getTime() + 86_400_000 + 30_000);

const pricesOf = async (t: TestAccountingDb, taskId: string) =>
  t.db.selectFrom('task_prices').selectAll().where('task_id', '=', taskId).executeTakeFirstOrThrow();
const balanceOf = async (t: TestAccountingDb, accountId: string) =>
  (await t.db.selectFrom('balances').select('balance').where('account_id', '=', accountId).executeTakeFirst())
    ?.balance ?? 0;
const payoutsOf = async (t: TestAccountingDb, day: string) =>
  (
    await sql<{ account_id: string; amount: number }>`
      select account_id, -amount as amount from transactions where kind = 'payout' and business_day = ${day}::date order by account_id`.execute(
      t.db,
    )
  ).rows;
/**
 * A worker who earned on `day`: assigned and completed one task, and completed another (whose
 * fee was charged before this test's world began), so that they always earned something even when
 * the first task's fee equals its reward. Answers the net amount.
 */
const earn = async (t: TestAccountingDb, worker: string, day: string): Promise<number> => {
  const [task, older] = [newId(), newId()];
  await deliverBatch(t.db, ledger, [
    assigned(task, worker, during(day, '09:00:00')),
    completed(task, worker, during(day)),
    completed(older, worker, during(day)),
  ]);
  const [p, q] = [await pricesOf(t, task), await pricesOf(t, older)];
  return p.completion_reward - p.assignment_fee + q.completion_reward;
};
/** A worker in the negative: assigned one task on `day`, not completed; answers the fee. */
const owe = async (t: TestAccountingDb, worker: string, day: string): Promise<number> => {
  const task = newId();
  await deliverBatch(t.db, ledger, [assigned(task, worker, during(day))]);
  return (await pricesOf(t, task)).assignment_fee;
};

describe('closing a day (A4–A6)', () => {
  let t: TestAccountingDb;
  const day = '2026-03-02';
  const [rich, poor] = [newId(), newId()];
  let earned = 0;
  let owed = 0;

  beforeAll(async () => {
    t = await freshAccountingDb();
    earned = await earn(t, rich, day);
    owed = await owe(t, poor, day);
  });
  afterAll(() => t.close());

  it('refuses a day that has not ended', async () => {
    const refused = await closeDay(t.db, day, { calendar: utc, now: () => during(day, '23:59:59') }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(refused) && refused.code).toBe('day.not_ended');
    expect(await payoutsOf(t, day)).toEqual([]);
  });

  it('pays a positive balance out, carries a negative one over, mails the payout, and publishes the figures', async () => {
    const summary = await closeDay(t.db, day, { calendar: utc, now: () => after(day) });
    expect(await payoutsOf(t, day)).toEqual([{ account_id: rich, amount: earned }]);
    expect(await balanceOf(t, rich)).toBe(0);
    expect(await balanceOf(t, poor)).toBe(-owed);
    expect(summary).toMatchObject({
      business_day: day,
      payouts: earned,
      payout_count: 1,
      negative_accounts: 1,
      management_earnings: summary.fees - summary.rewards,
    });
    const mails = await t.db.selectFrom('mails').selectAll().execute();
    expect(mails).toMatchObject([{ account_id: rich, idempotency_key: `payout:${rich}:${day}`, sent_at: null }]);
    expect(mails[0]?.body).toContain(`$${earned / 100}`);
    const events = (await outboxEvents(t.db)).filter((e) =>
      ['Payout.Made', 'BusinessDay.Closed'].includes(e.event_name),
    );
    expect(events).toMatchObject([
      { event_name: 'Payout.Made', data: { account_id: rich, amount: earned, business_day: day } },
      { event_name: 'BusinessDay.Closed', data: { business_day: day, payouts: earned, payout_count: 1 } },
    ]);
    expect(await inconsistentBalances(t.db)).toBe(0);
  });

  it('changes nothing when run again: the summary is the same and nobody is paid twice', async () => {
    const before = (await outboxEvents(t.db)).length;
    const [again] = await closeDaysThrough(t.db, day, { calendar: utc, now: () => after(day) });
    expect(again?.payouts).toBe(earned);
    expect(await payoutsOf(t, day)).toHaveLength(1);
    expect((await outboxEvents(t.db)).length).toBe(before);
    await expect(sql`update day_summaries set payouts = 0`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('posts a fact of a closed day to the open day it arrives in, and leaves it out of an earlier day’s payout', async () => {
    const next = '2026-03-03';
    const task = newId();
    // Assigned late on the 2nd, but it reaches accounting only after the 2nd was closed: the fee
    // goes to the day it arrives in (today). The completion on the 3rd goes to the 3rd, still open.
    await deliverBatch(t.db, ledger, [
      assigned(task, rich, during(day, '23:59:00')),
      completed(task, rich, during(next)),
    ]);
    const p = await pricesOf(t, task);
    const days = await sql<{ kind: string; business_day: string }>`
      select kind, business_day::text from transactions where task_id = ${task} order by id`.execute(t.db);
    expect(days.rows).toEqual([
      { kind: 'fee', business_day: today },
      { kind: 'reward', business_day: next },
    ]);
    // The 3rd's payout is what the account had at the end of the 3rd: the reward, not the later fee.
    await closeDay(t.db, next, { calendar: utc, now: () => after(next) });
    expect(await payoutsOf(t, next)).toEqual([{ account_id: rich, amount: p.completion_reward }]);
    expect(await balanceOf(t, rich)).toBe(-p.assignment_fee);
    expect(await inconsistentBalances(t.db)).toBe(0);
  });
});

describe('a close that dies half-way', () => {
  let t: TestAccountingDb;
  const day = '2026-03-02';
  const workers = Array.from({ length: 5 }, newId).sort();
  const earned = new Map<string, number>();

  beforeAll(async () => {
    t = await freshAccountingDb();
    for (const w of workers) earned.set(w, await earn(t, w, day));
  });
  afterAll(() => t.close());

  it('is resumed by running it again, and pays each account exactly once', async () => {
    // The payout mail of the third account fails: the first chunk (two accounts) is committed,
    // the second rolls back whole.
    await sql`
      create function fail_third() returns trigger language plpgsql as $$
      begin
        if new.account_id = ${sql.lit(workers[2])}::uuid then raise exception 'the mail outbox is full'; end if;
        return new;
      end $$`.execute(t.db);
    await sql`create trigger fail_third before insert on mails for each row execute function fail_third()`.execute(
      t.db,
    );
    const options = { calendar: utc, chunkSize: 2, now: () => after(day) };
    await expect(closeDay(t.db, day, options)).rejects.toThrow(/the mail outbox is full/);
    expect((await payoutsOf(t, day)).map((p) => p.account_id)).toEqual(workers.slice(0, 2));
    const status = await sql<{ status: string }>`select status from business_days where day = ${day}::date`.execute(
      t.db,
    );
    expect(status.rows[0]?.status).toBe('closing');

    await sql`drop trigger fail_third on mails`.execute(t.db);
    // Two instances resume it at once: the payout keys keep it to one payout each.
    await Promise.all([closeDay(t.db, day, options), closeDay(t.db, day, options)]);
    expect(await payoutsOf(t, day)).toEqual(workers.map((w) => ({ account_id: w, amount: earned.get(w) })));
    expect(await t.db.selectFrom('mails').select('account_id').orderBy('account_id').execute()).toEqual(
      workers.map((w) => ({ account_id: w })),
    );
    const closed = (await outboxEvents(t.db)).filter((e) => e.event_name === 'BusinessDay.Closed');
    expect(closed).toHaveLength(1);
    expect(await inconsistentBalances(t.db)).toBe(0);
  });
});

describe('a posting and a close of the same day', () => {
  let t: TestAccountingDb;
  const day = '2026-03-02';

  beforeAll(async () => {
    t = await freshAccountingDb(6);
  });
  afterAll(() => t.close());

  it('a posting under way is waited for, and paid out at the close', async () => {
    const worker = newId();
    const earned = await earn(t, worker, day);
    const task = newId();
    let release: () => void = () => undefined;
    let posted: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const locked = new Promise<void>((resolve) => (posted = resolve));
    // A posting of the day, stopped between its day lock and its commit.
    const posting = t.db.transaction().execute(async (tx) => {
      await postTaskEvents(tx, [completed(task, worker, during(day))] as never, { calendar: utc });
      posted();
      await held;
    });
    await locked;
    const reward = async () => (await pricesOf(t, task)).completion_reward;
    const closing = closeDay(t.db, day, { calendar: utc, now: () => after(day) });
    const state = async () =>
      (await sql<{ status: string }>`select status from business_days where day = ${day}::date`.execute(t.db)).rows[0]
        ?.status;
    // The close waits for the posting's share lock: it is blocked on a lock, and the day stays open.
    await eventually("the close waits on the posting's lock", async () => {
      const waiting = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
      return (waiting.rows[0]?.n ?? 0) > 0;
    });
    expect(await state()).toBe('open');
    release();
    await posting;
    await closing;
    expect(await state()).toBe('closed');
    const paid = await payoutsOf(t, day);
    expect(paid.find((p) => p.account_id === worker)?.amount).toBe(earned + (await reward()));
    expect(await balanceOf(t, worker)).toBe(0);
    expect(await inconsistentBalances(t.db)).toBe(0);
  });

  it('a posting that comes while the day is closing goes to the open day', async () => {
    const [d, worker] = ['2026-03-04', newId()];
    await earn(t, worker, d);
    await t.db.transaction().execute(async (tx) => {
      await lockDay(tx, d);
      await setDayStatus(tx, d, 'closing');
    });
    const task = newId();
    await deliverBatch(t.db, ledger, [assigned(task, worker, during(d))]);
    const rows = await sql<{
      business_day: string;
    }>`select business_day::text from transactions where task_id = ${task}`.execute(t.db);
    expect(rows.rows).toEqual([{ business_day: today }]);
  });
});
