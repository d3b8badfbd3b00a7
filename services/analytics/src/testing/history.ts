import { randomUUID } from 'node:crypto';
import { businessDayOf, dayEnd, type BusinessCalendar, type BusinessDay } from '@ates/business-days';
import type { AnyEvent } from '@ates/schema-registry';
import { dayClosed, payoutMade, taskCompleted, taskCreated, taskPriced, transactionApplied } from './fixtures.js';

// A recorded history for analytics' tests and bench: what the tracker and accounting would have
// published for a list of facts (assignments, completions, day closes), in the order they would
// have published it. Tests then shuffle and duplicate it; they compute what analytics must show
// from the facts themselves, never from these events.

export interface HistoryTask {
  readonly id: string;
  readonly title: string;
  readonly jiraId: string | null;
  /** Cents. */
  readonly fee: number;
  /** Cents. */
  readonly reward: number;
  /** The Task.Created version the tracker published it with. */
  readonly createdVersion: 1 | 2;
}

export interface HistoryStep {
  readonly kind: 'assign' | 'complete';
  readonly taskId: string;
  readonly accountId: string;
  readonly at: Date;
  /**
   * The business day accounting posted it to: the day of `at`, or a later one when the fact
   * reached accounting after its day was closed.
   */
  readonly postedDay?: BusinessDay;
}

export interface History {
  readonly tasks: readonly HistoryTask[];
  /** In the order they happened; a task is created by its first assignment and completed once. */
  readonly steps: readonly HistoryStep[];
  /** Days accounting closed, each at its end, in order. */
  readonly closedDays: readonly BusinessDay[];
}

export const postedDayOf = (step: HistoryStep, calendar: BusinessCalendar): BusinessDay =>
  step.postedDay ?? businessDayOf(step.at, calendar);

export type Ledger = ReturnType<typeof miniLedger>;

/**
 * Accounting's ledger in miniature: `post` gives the events of one transaction — its
 * Transaction.Applied, with the account's balance and version carried from the last, and for a
 * payout its Payout.Made.
 */
export const miniLedger = (balances = new Map<string, { balance: number; version: number }>()) => ({
  balances,
  post: (
    accountId: string,
    kind: 'fee' | 'reward' | 'payout',
    amount: number,
    taskId: string | null,
    day: BusinessDay,
    at: Date,
  ): AnyEvent[] => {
    const b = balances.get(accountId) ?? { balance: 0, version: 0 };
    const next = { balance: b.balance + amount, version: b.version + 1 };
    balances.set(accountId, next);
    const transactionId = randomUUID();
    const when = at.toISOString();
    const applied = transactionApplied({
      transaction_id: transactionId,
      account_id: accountId,
      kind,
      amount,
      balance_after: next.balance,
      account_version: next.version,
      task_id: taskId,
      reverses: null,
      business_day: day,
      occurred_at: when,
      recorded_at: when,
    });
    if (kind !== 'payout') return [applied];
    const paid = {
      transaction_id: transactionId,
      account_id: accountId,
      amount: -amount,
      business_day: day,
      paid_at: when,
    };
    return [applied, payoutMade(paid)];
  },
});

/** Accounting's and the tracker's events for `history`, as they would be published. */
export const recordedEvents = (history: History, calendar: BusinessCalendar): AnyEvent[] => {
  const tasks = new Map(history.tasks.map((t) => [t.id, t]));
  const ledger = miniLedger();
  const { balances } = ledger;
  const events: AnyEvent[] = [];
  const sums = new Map<BusinessDay, { fees: number; rewards: number }>();
  const created = new Set<string>();
  const post = (...args: Parameters<Ledger['post']>) => events.push(...ledger.post(...args));
  const close = (day: BusinessDay) => {
    const at = dayEnd(day, calendar);
    let payouts = 0;
    let payoutCount = 0;
    for (const [accountId, b] of [...balances].sort()) {
      if (b.balance <= 0) continue;
      payouts += b.balance;
      payoutCount += 1;
      post(accountId, 'payout', -b.balance, null, day, at);
    }
    const s = sums.get(day) ?? { fees: 0, rewards: 0 };
    events.push(
      dayClosed({
        business_day: day,
        fees: s.fees,
        rewards: s.rewards,
        management_earnings: s.fees - s.rewards,
        payouts,
        payout_count: payoutCount,
        negative_accounts: [...balances.values()].filter((b) => b.balance < 0).length,
        closed_at: at.toISOString(),
      }),
    );
  };
  const steps = history.steps
    .map((step, i) => ({ step, i, day: postedDayOf(step, calendar) }))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.i - b.i));
  const toClose = [...history.closedDays].sort();
  for (const { step, day } of steps) {
    while (toClose.length > 0 && (toClose[0] as string) < day) close(toClose.shift() as string);
    const task = tasks.get(step.taskId);
    if (!task) throw new Error(`no task ${step.taskId}`);
    if (!created.has(task.id)) {
      created.add(task.id);
      events.push(taskCreated({ ...task, assigneeId: step.accountId }, step.at, task.createdVersion));
      events.push(taskPriced(task.id, task.fee, task.reward, step.at));
    }
    const s = sums.get(day) ?? { fees: 0, rewards: 0 };
    if (step.kind === 'assign') {
      s.fees += task.fee;
      post(step.accountId, 'fee', -task.fee, task.id, day, step.at);
    } else {
      s.rewards += task.reward;
      events.push(taskCompleted(task.id, step.accountId, step.at));
      post(step.accountId, 'reward', task.reward, task.id, day, step.at);
    }
    sums.set(day, s);
  }
  for (const day of toClose) close(day);
  return events;
};
