import { describe, expect, it } from 'vitest';
import { analyticsFindings, differences } from './analytics.js';
import type { Query } from './invariants.js';

/** A database that answers a query with the rows of the first fragment its text contains. */
const database =
  (answers: ReadonlyArray<readonly [string, ReadonlyArray<Record<string, unknown>>]>): Query =>
  async <R extends Record<string, unknown>>(text: string) =>
    (answers.find(([fragment]) => text.includes(fragment))?.[1] ?? []) as R[];

const accounting = database([
  ['fact_kind', [{ day: '2026-12-01', fees: 3000, rewards: 2500 }]],
  ["kind = 'reward'", [{ day: '2026-12-01', task_id: 'b', reward: 2500 }]],
  ['from balances', [{ day: 'now', negative: 2 }]],
]);
const analyticsWith = (fees: number, top: string, negative: number): Query =>
  database([
    ['from day_figures', [{ day: '2026-12-01', fees, rewards: 2500, management_earnings: fees - 2500 }]],
    ['from tasks', [{ day: '2026-12-01', task_id: top, reward: 2500 }]],
    ['from balances', [{ day: 'now', negative }]],
  ]);

describe("analytics' invariants", () => {
  it('hold when analytics shows what the ledger says', async () => {
    const findings = await analyticsFindings(accounting, analyticsWith(3000, 'b', 2));
    expect(findings.map((f) => f.problems)).toEqual([[], [], []]);
  });

  it('name the day and both figures when a fee, the top task or the negative count differs', async () => {
    const findings = await analyticsFindings(accounting, analyticsWith(3001, 'a', 3));
    expect(findings.map((f) => f.problems)).toEqual([
      [
        '2026-12-01: accounting says fees 3000, management_earnings 500, rewards 2500; analytics says fees 3001, management_earnings 501, rewards 2500',
      ],
      ['now: accounting says negative 2; analytics says negative 3'],
      ['2026-12-01: accounting says reward 2500, task_id b; analytics says reward 2500, task_id a'],
    ]);
  });

  it('leave out a day with no fees or rewards (a payout day) that analytics shows as zeros or not at all', async () => {
    const payoutDay = database([['fact_kind', [{ day: '2026-11-30', fees: 0, rewards: 0 }]]]);
    const [earnings] = await analyticsFindings(payoutDay, database([]));
    expect(earnings?.problems).toEqual([]);
  });

  it('report a day only one side has', () => {
    const row = { day: '2026-11-30', fees: 1 };
    expect(differences([row], [])).toEqual(['2026-11-30: accounting says fees 1; analytics says nothing']);
    expect(differences([], [row])).toEqual(['2026-11-30: accounting says nothing; analytics says fees 1']);
  });
});
