import type { BusinessDay } from '@ates/business-days';
import type { BareEvent } from '@ates/schema-registry';

/** What an entry is for (A2): an assignment's fee, a completion's reward, or the day's payout (A6). */
export type Kind = 'fee' | 'reward' | 'payout';

/** An account's balance in cents and its version: the number of entries posted to it. */
export interface Balance {
  readonly balance: number;
  readonly version: number;
}

export const noBalance: Balance = { balance: 0, version: 0 };

/**
 * One entry of the ledger, as stored and as Transaction.Applied tells it. `amount` is signed as it
 * changed the account (fees and payouts negative); `balance_after` and `account_version` are the
 * account's balance and version right after it.
 */
export interface Entry {
  readonly transaction_id: string;
  readonly idempotency_key: string;
  readonly account_id: string;
  readonly kind: Kind;
  readonly amount: number;
  readonly balance_after: number;
  readonly account_version: number;
  readonly task_id: string | null;
  readonly business_day: BusinessDay;
  readonly occurred_at: Date;
  readonly recorded_at: Date;
}

export type LedgerEvent = BareEvent<'Transaction.Applied', 1> | BareEvent<'Payout.Made', 1>;

/** The idempotency key of each business fact: posted once however often it is delivered. */
export const keys = {
  fee: (assignedEventId: string): string => `fee:${assignedEventId}`,
  reward: (taskId: string): string => `reward:${taskId}`,
  payout: (accountId: string, day: BusinessDay): string => `payout:${accountId}:${day}`,
};

/** An entry appended to `balance`: the entry with its balance and version after it, and the new balance. */
export const append = (
  balance: Balance,
  entry: Omit<Entry, 'balance_after' | 'account_version'>,
): { entry: Entry; balance: Balance } => {
  const next = { balance: balance.balance + entry.amount, version: balance.version + 1 };
  return { entry: { ...entry, balance_after: next.balance, account_version: next.version }, balance: next };
};

export const transactionApplied = (entry: Entry): LedgerEvent => ({
  name: 'Transaction.Applied',
  version: 1,
  data: {
    transaction_id: entry.transaction_id,
    account_id: entry.account_id,
    kind: entry.kind,
    amount: entry.amount,
    balance_after: entry.balance_after,
    account_version: entry.account_version,
    task_id: entry.task_id,
    reverses: null,
    business_day: entry.business_day,
    occurred_at: entry.occurred_at.toISOString(),
    recorded_at: entry.recorded_at.toISOString(),
  },
});
