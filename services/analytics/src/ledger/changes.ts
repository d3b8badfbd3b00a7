import type { BusinessDay } from '@ates/business-days';
import type { DataOf, EventOf } from '@ates/schema-registry';

export type LedgerEvent =
  EventOf<'Transaction.Applied', 1> | EventOf<'Payout.Made', 1> | EventOf<'BusinessDay.Closed', 1>;
type Transaction = DataOf<'Transaction.Applied', 1>;

/** What a batch of ledger events adds to one business day's figures, in cents. */
export interface DayDelta {
  readonly day: BusinessDay;
  readonly fees: number;
  readonly rewards: number;
  readonly payouts: number;
  readonly payoutCount: number;
}

/** The newest balance of an account in a batch: the one with the highest account version. */
export interface LatestBalance {
  readonly accountId: string;
  readonly balance: number;
  readonly version: number;
}

/** A task's completion reward as the ledger posted it (or its reversal). */
export interface RewardPosting {
  readonly taskId: string;
  readonly reward: number;
  readonly day: BusinessDay;
  readonly at: string;
}

export interface LedgerChanges {
  readonly days: readonly DayDelta[];
  readonly balances: readonly LatestBalance[];
  readonly rewards: readonly RewardPosting[];
  /** Tasks whose reward was reversed: they are no longer completed tasks with a reward. */
  readonly reversedRewards: readonly string[];
  readonly closes: ReadonlyArray<DataOf<'BusinessDay.Closed', 1>>;
}

/** What a transaction counts as: its own kind, or for a reversal the kind it undoes. */
const countsAs = (t: Transaction): 'fee' | 'reward' | 'payout' =>
  t.kind === 'reversal' ? (t.reverses?.kind ?? 'fee') : t.kind;

const byKey = <T>(items: Iterable<T>, key: (item: T) => string): T[] =>
  [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/**
 * N2, A5: what fresh ledger events (each applied once: the inbox drops duplicates) change in
 * analytics' model, in any order. A transaction counts in the business day it carries — a late
 * one lands in its own day, not in the day it arrives — as fees (debits, net of their
 * reversals) or rewards (credits, net of theirs); a day's payouts are its Payout.Made (the
 * payout's Transaction.Applied moves only the balance, so that a payout counts once). An account's balance is the one of
 * its highest version in the batch (the store keeps it only if it is newer than the one it has).
 * Rows come sorted by key, so that concurrent batches lock them in the same order.
 */
export const ledgerChanges = (events: readonly LedgerEvent[]): LedgerChanges => {
  const days = new Map<string, { fees: number; rewards: number; payouts: number; payoutCount: number }>();
  const balances = new Map<string, LatestBalance>();
  const rewards = new Map<string, RewardPosting>();
  const reversed = new Set<string>();
  const closes = new Map<string, DataOf<'BusinessDay.Closed', 1>>();
  for (const event of events) {
    if (event.event_name === 'BusinessDay.Closed') {
      if (!closes.has(event.data.business_day)) closes.set(event.data.business_day, event.data);
      continue;
    }
    const day = days.get(event.data.business_day) ?? { fees: 0, rewards: 0, payouts: 0, payoutCount: 0 };
    days.set(event.data.business_day, day);
    if (event.event_name === 'Payout.Made') {
      day.payouts += event.data.amount;
      day.payoutCount += 1;
      continue;
    }
    const t = event.data;
    const kind = countsAs(t);
    if (kind === 'fee') day.fees -= t.amount;
    else if (kind === 'reward') day.rewards += t.amount;
    const known = balances.get(t.account_id);
    if (!known || known.version < t.account_version)
      balances.set(t.account_id, { accountId: t.account_id, balance: t.balance_after, version: t.account_version });
    if (t.task_id !== null && t.kind === 'reward')
      rewards.set(t.task_id, { taskId: t.task_id, reward: t.amount, day: t.business_day, at: t.occurred_at });
    if (t.task_id !== null && t.kind === 'reversal' && kind === 'reward') reversed.add(t.task_id);
  }
  return {
    days: byKey(days, ([d]) => d).map(([d, v]) => ({ day: d, ...v })),
    balances: byKey(balances.values(), (b) => b.accountId),
    rewards: byKey(rewards.values(), (r) => r.taskId),
    reversedRewards: [...reversed].sort(),
    closes: byKey(closes.values(), (c) => c.business_day),
  };
};
