import type { BusinessCalendar, BusinessDay } from '@ates/business-days';
import { refuse } from '@ates/errors';
import type { Decision } from '@ates/event-bus';
import type { BareEvent } from '@ates/schema-registry';
import { postingDay } from '../ledger/decide.js';
import { append, type Balance, type Kind } from '../ledger/ledger.js';

/** A transaction as a reversal needs to know it. */
export interface Original {
  readonly transaction_id: string;
  readonly account_id: string;
  readonly kind: Kind | 'reversal';
  readonly amount: number;
  readonly task_id: string | null;
}

/** The reversing transaction, as stored and as Transaction.Applied tells it. */
export interface Reversal {
  readonly transaction_id: string;
  readonly idempotency_key: string;
  readonly account_id: string;
  readonly amount: number;
  readonly balance_after: number;
  readonly account_version: number;
  readonly task_id: string | null;
  readonly reverses: { readonly transaction_id: string; readonly kind: Reversible };
  readonly reason: string;
  readonly business_day: BusinessDay;
  readonly occurred_at: Date;
}

export interface ReversalState {
  readonly calendar: BusinessCalendar;
  readonly lastClosedDay: BusinessDay | null;
  /** The transaction to undo; undefined when there is none with that id. */
  readonly original: Original | undefined;
  /** Whether it was reversed already. */
  readonly reversed: boolean;
  /** The balance of its account now. */
  readonly balance: Balance;
}

/** What may be reversed: a fee or a reward. A payout was paid (its money left), and a reversal is final. */
export type Reversible = Extract<Kind, 'fee' | 'reward'>;
const isReversible = (kind: Original['kind']): kind is Reversible => kind === 'fee' || kind === 'reward';

export const reversalKey = (transactionId: string): string => `reversal:${transactionId}`;

/**
 * A2: a mistake in the ledger is corrected by a new transaction of the opposite amount that names
 * the one it undoes — never by an edit. It goes to today's open day (closed days never change),
 * moves the account's balance back, and is published like any other transaction, so that the
 * day's figures (fees and rewards net of reversals) and analytics follow. A fee or a reward is
 * reversed at most once; a payout is not reversed (its money was paid), nor is a reversal.
 */
export const decideReversal = (
  state: ReversalState,
  command: { readonly reversalId: string; readonly transactionId: string; readonly reason: string },
  now: Date,
): Decision<Reversal, BareEvent<'Transaction.Applied', 1>> => {
  const { original } = state;
  if (!original) return refuse('transaction.not_found', `No transaction ${command.transactionId}.`);
  const { kind } = original;
  if (!isReversible(kind)) return refuse('transaction.not_reversible', `A ${kind} is not reversed.`);
  if (state.reversed) return refuse('transaction.already_reversed');
  const business_day = postingDay(state, now, now);
  const { entry } = append(state.balance, {
    transaction_id: command.reversalId,
    idempotency_key: reversalKey(original.transaction_id),
    account_id: original.account_id,
    kind,
    amount: -original.amount,
    task_id: original.task_id,
    business_day,
    occurred_at: now,
    recorded_at: now,
  });
  const reversal: Reversal = {
    transaction_id: entry.transaction_id,
    idempotency_key: entry.idempotency_key,
    account_id: entry.account_id,
    amount: entry.amount,
    balance_after: entry.balance_after,
    account_version: entry.account_version,
    task_id: entry.task_id,
    reverses: { transaction_id: original.transaction_id, kind },
    reason: command.reason,
    business_day,
    occurred_at: now,
  };
  return {
    state: reversal,
    events: [
      {
        name: 'Transaction.Applied',
        version: 1,
        data: {
          transaction_id: reversal.transaction_id,
          account_id: reversal.account_id,
          kind: 'reversal',
          amount: reversal.amount,
          balance_after: reversal.balance_after,
          account_version: reversal.account_version,
          task_id: reversal.task_id,
          reverses: reversal.reverses,
          business_day,
          occurred_at: now.toISOString(),
          recorded_at: now.toISOString(),
        },
      },
    ],
  };
};
