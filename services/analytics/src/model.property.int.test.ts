import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addDays, daysBetween, type BusinessDay } from '@ates/business-days';
import { deliverToGroups } from '@ates/event-bus/testing';
import { analyticsLedger } from './ledger/consumer.js';
import { emptyModel } from './rebuild/store.js';
import { daySummary, earnings, mostExpensiveTask } from './reports/queries.js';
import { analyticsTasks } from './tasks/consumer.js';
import { postedDayOf, recordedEvents, type History, type HistoryStep, type HistoryTask } from './testing/history.js';
import { freshAnalyticsDb, newId, utc, type TestAnalyticsDb } from './testing/fixtures.js';
import { delivered } from './testing/stream.js';

// Analytics against an independent model of the facts (N2, N3, A5): whatever happened (any
// assignments and completions over three days, some completions reaching accounting after their
// day closed), however the transport delivers accounting's and the tracker's events (shuffled,
// duplicated, cut into batches of any size), every figure analytics shows is the one computed
// from the facts themselves.

let t: TestAnalyticsDb;
const groups = [analyticsLedger, analyticsTasks(utc)];
const days: BusinessDay[] = ['2026-03-01', '2026-03-02', '2026-03-03'];

beforeAll(async () => {
  t = await freshAnalyticsDb();
});
afterAll(() => t.close());

const scenario = fc.record({
  tasks: fc.array(
    fc.record({
      fee: fc.integer({ min: 10, max: 20 }),
      reward: fc.integer({ min: 20, max: 40 }),
      createdVersion: fc.constantFrom(1 as const, 2 as const),
      jira: fc.option(fc.nat(999), { nil: null }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom('assign' as const, 'complete' as const),
      task: fc.nat(5),
      account: fc.nat(2),
      day: fc.nat(2),
      minute: fc.nat(1439),
      late: fc.boolean(),
    }),
    { minLength: 1, maxLength: 30 },
  ),
  closed: fc.nat(2),
  delivery: fc.record({
    duplicates: fc.array(fc.nat(), { maxLength: 10 }),
    order: fc.array(fc.nat(), { maxLength: 60 }),
    cuts: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 8 }),
  }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

const historyOf = (s: Scenario): History => {
  const accounts = [newId(), newId(), newId()];
  const tasks: HistoryTask[] = s.tasks.map((x, i) => ({
    id: newId(),
    title: `Task ${i}`,
    jiraId: x.jira === null ? null : `UBERPOP-${x.jira}`,
    fee: x.fee * 100,
    reward: x.reward * 100,
    createdVersion: x.createdVersion,
  }));
  const closedDays = days.slice(0, s.closed);
  const completed = new Set<string>();
  const steps: HistoryStep[] = [];
  s.steps
    .map((x, i) => ({ ...x, at: new Date(Date.parse(`${days[x.day]}T00:00:00Z`) + x.minute * 60_000 + i) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .forEach((x) => {
      const task = tasks[x.task % tasks.length] as HistoryTask;
      if (x.kind === 'complete' && completed.has(task.id)) return;
      if (x.kind === 'complete') completed.add(task.id);
      const day = days[x.day] as BusinessDay;
      // A completion told after its day closed goes to the next day (accounting's posting rule).
      const late = x.late && x.kind === 'complete' && closedDays.includes(day) && x.day < days.length - 1;
      steps.push({
        kind: x.kind,
        taskId: task.id,
        accountId: accounts[x.account] as string,
        at: x.at,
        ...(late ? { postedDay: addDays(day, 1) } : {}),
      });
    });
  return { tasks, steps, closedDays };
};

/** What analytics must show, from the facts alone. */
const expectedOf = (history: History) => {
  const tasks = new Map(history.tasks.map((x) => [x.id, x]));
  const posted = history.steps.map((step) => ({
    step,
    day: postedDayOf(step, utc),
    task: tasks.get(step.taskId) as HistoryTask,
  }));
  const balances = new Map<string, number>();
  const perDay = new Map<
    BusinessDay,
    { fees: number; rewards: number; payouts: number; negativeAtClose: number | null }
  >();
  for (const day of days) {
    const today = posted.filter((p) => p.day === day);
    const fees = today.filter((p) => p.step.kind === 'assign').reduce((sum, p) => sum + p.task.fee, 0);
    const rewards = today.filter((p) => p.step.kind === 'complete').reduce((sum, p) => sum + p.task.reward, 0);
    for (const p of today)
      balances.set(
        p.step.accountId,
        (balances.get(p.step.accountId) ?? 0) + (p.step.kind === 'assign' ? -p.task.fee : p.task.reward),
      );
    let payouts = 0;
    let negativeAtClose: number | null = null;
    if (history.closedDays.includes(day)) {
      negativeAtClose = [...balances.values()].filter((b) => b < 0).length;
      for (const [account, b] of balances)
        if (b > 0) {
          payouts += b;
          balances.set(account, 0);
        }
    }
    perDay.set(day, { fees, rewards, payouts, negativeAtClose });
  }
  const negativeNow = [...balances.values()].filter((b) => b < 0).length;
  const mostExpensive = (from: BusinessDay, to: BusinessDay) =>
    posted
      .filter((p) => p.step.kind === 'complete' && p.day >= from && p.day <= to)
      .sort((a, b) => b.task.reward - a.task.reward || a.step.at.getTime() - b.step.at.getTime())[0];
  return { perDay, negativeNow, mostExpensive };
};

describe('analytics against a model of the facts (N2, N3, A5)', () => {
  it('shows every figure the facts give, however the events are duplicated, reordered and batched', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        await emptyModel(t.db);
        await sql`delete from dead_letters`.execute(t.db);
        const history = historyOf(s);
        const feed = deliverToGroups(t.db, groups);
        for (const batch of delivered(recordedEvents(history, utc), s.delivery)) await feed.deliver(batch);

        const expected = expectedOf(history);
        for (const day of days) {
          const want = expected.perDay.get(day);
          expect(await daySummary(t.db, day)).toEqual({
            day,
            fees: want?.fees,
            rewards: want?.rewards,
            management_earnings: (want?.fees ?? 0) - (want?.rewards ?? 0),
            payouts: want?.payouts,
            closed: want?.negativeAtClose !== null,
            negative_popugs: want?.negativeAtClose ?? expected.negativeNow,
          });
        }
        expect((await earnings(t.db, { from: days[0] as string, to: days[2] as string })).map((d) => d.day)).toEqual(
          days,
        );
        for (const from of days)
          for (const to of daysBetween(from, days[2] as string)) {
            const want = expected.mostExpensive(from, to);
            const got = await mostExpensiveTask(t.db, { from, to });
            expect(got).toEqual(
              want
                ? {
                    task: { id: want.task.id, title: want.task.title, jira_id: want.task.jiraId },
                    reward: want.task.reward,
                    completed_at: want.step.at,
                    completion_day: want.day,
                  }
                : null,
            );
          }
      }),
      { numRuns: 40 },
    );
  });
});
