import { addDays, businessDayOf, type BusinessCalendar, type BusinessDay } from '@ates/business-days';
import type { Decision } from '@ates/event-bus';
import type { TaskPrices } from '../prices/prices.js';
import { append, keys, noBalance, transactionApplied, type Balance, type Entry, type LedgerEvent } from './ledger.js';

/**
 * A task fact that moves money (A3): an assignment (its fee is debited from the new assignee) or
 * a completion (its reward is credited to the assignee). `transactionId` is drawn by the use case.
 */
export interface Fact {
  readonly kind: 'fee' | 'reward';
  /** The event that told it: its id is the fee's idempotency key, and it causes the transaction. */
  readonly eventId: string;
  readonly accountId: string;
  readonly taskId: string;
  readonly occurredAt: Date;
  readonly price: TaskPrices;
  readonly transactionId: string;
}

export interface LedgerState {
  readonly calendar: BusinessCalendar;
  /** The latest day that is closing or closed (days close in order), or null before the first close. */
  readonly lastClosedDay: BusinessDay | null;
  /** The balances of the accounts the facts touch; an account not in it has none yet. */
  readonly balances: ReadonlyMap<string, Balance>;
  /** Idempotency keys of the facts already in the ledger. */
  readonly posted: ReadonlySet<string>;
}

export interface Posted {
  readonly entries: readonly Entry[];
  /** The new balance of every account an entry went to. */
  readonly balances: ReadonlyMap<string, Balance>;
}

/** The idempotency key of a fact. */
export const keyOf = (fact: Pick<Fact, 'kind' | 'eventId' | 'taskId'>): string =>
  fact.kind === 'fee' ? keys.fee(fact.eventId) : keys.reward(fact.taskId);

/**
 * The business day a fact is posted to: the day it happened, unless that day is closed already —
 * then the open day it reaches accounting in (today, or the day after the last closed one if a
 * clock ahead of ours closed today).
 */
export const postingDay = (
  state: Pick<LedgerState, 'calendar' | 'lastClosedDay'>,
  occurredAt: Date,
  now: Date,
): BusinessDay => {
  const happened = businessDayOf(occurredAt, state.calendar);
  if (state.lastClosedDay === null || happened > state.lastClosedDay) return happened;
  const today = businessDayOf(now, state.calendar);
  const firstOpen = addDays(state.lastClosedDay, 1);
  return today > firstOpen ? today : firstOpen;
};

/**
 * A2–A4: posts each fact once, in order — a fee debits the assignment fee, a reward credits the
 * completion reward — to its business day, each account's balance carried from one entry to the
 * next (a negative balance stays negative until rewards pay it off). A fact already posted, or
 * twice in the same batch, is skipped. One Transaction.Applied per entry, in the same order.
 */
export const decidePostings = (
  state: LedgerState,
  command: { readonly facts: readonly Fact[] },
  now: Date,
): Decision<Posted, LedgerEvent> => {
  const balances = new Map(state.balances);
  const seen = new Set(state.posted);
  const entries: Entry[] = [];
  for (const fact of command.facts) {
    const key = keyOf(fact);
    if (seen.has(key)) continue;
    seen.add(key);
    const { entry, balance } = append(balances.get(fact.accountId) ?? noBalance, {
      transaction_id: fact.transactionId,
      idempotency_key: key,
      account_id: fact.accountId,
      kind: fact.kind,
      amount: fact.kind === 'fee' ? -fact.price.assignment_fee : fact.price.completion_reward,
      task_id: fact.taskId,
      business_day: postingDay(state, fact.occurredAt, now),
      occurred_at: fact.occurredAt,
      recorded_at: now,
    });
    balances.set(fact.accountId, balance);
    entries.push(entry);
  }
  const touched = new Map(entries.map((e) => [e.account_id, balances.get(e.account_id) ?? noBalance]));
  return { state: { entries, balances: touched }, events: entries.map(transactionApplied) };
};
