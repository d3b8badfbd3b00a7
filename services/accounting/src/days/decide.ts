import { dayEnd, type BusinessCalendar, type BusinessDay } from '@ates/business-days';
import { refuse } from '@ates/errors';
import type { Decision } from '@ates/event-bus';
import type { BareEvent } from '@ates/schema-registry';
import { append, keys, transactionApplied, type Balance, type Entry, type LedgerEvent } from '../ledger/ledger.js';
import { managementEarnings, type DayFigures, type DayStatus, type DaySummary } from './day.js';

/**
 * A6: a day can be closed once it has ended. Closing it first marks it `closing`: from then on
 * postings go to a later day, so the balances the payouts read are final for it. Starting again
 * a close that is under way (or done) changes nothing: a close is resumable.
 */
export const decideCloseStart = (
  state: { readonly status: DayStatus; readonly calendar: BusinessCalendar },
  command: { readonly day: BusinessDay },
  now: Date,
): Decision<DayStatus, never> => {
  if (dayEnd(command.day, state.calendar).getTime() > now.getTime())
    return refuse('day.not_ended', `Business day ${command.day} has not ended yet.`);
  return { state: state.status === 'open' ? 'closing' : state.status, events: [] };
};

/** An account as the close finds it: its balance now, and what was posted to it on later days. */
export interface AccountAtClose {
  readonly account_id: string;
  readonly balance: Balance;
  /** Sum of the entries of days after the one closing (postings that arrived after it ended). */
  readonly later: number;
}

export interface Payouts {
  readonly entries: readonly Entry[];
  readonly balances: ReadonlyMap<string, Balance>;
}

/**
 * A6: every account whose balance at the end of `day` is positive is paid that amount — once:
 * an account whose payout for the day is already in the ledger is skipped, whatever failed or
 * repeated before. A negative balance is not touched (A4, it carries over). Each payout is a
 * Transaction.Applied (kind payout) and a Payout.Made. `transactionIds` are drawn by the use case.
 */
export const decidePayouts = (
  state: {
    readonly day: BusinessDay;
    readonly accounts: readonly AccountAtClose[];
    readonly paid: ReadonlySet<string>;
  },
  command: { readonly transactionIds: ReadonlyMap<string, string> },
  now: Date,
): Decision<Payouts, LedgerEvent> => {
  const entries: Entry[] = [];
  const balances = new Map<string, Balance>();
  const events: LedgerEvent[] = [];
  for (const account of state.accounts) {
    const earned = account.balance.balance - account.later;
    const key = keys.payout(account.account_id, state.day);
    const transactionId = command.transactionIds.get(account.account_id);
    if (earned <= 0 || state.paid.has(key) || transactionId === undefined) continue;
    const { entry, balance } = append(account.balance, {
      transaction_id: transactionId,
      idempotency_key: key,
      account_id: account.account_id,
      kind: 'payout',
      amount: -earned,
      task_id: null,
      business_day: state.day,
      occurred_at: now,
      recorded_at: now,
    });
    entries.push(entry);
    balances.set(account.account_id, balance);
    events.push(transactionApplied(entry), {
      name: 'Payout.Made',
      version: 1,
      data: {
        transaction_id: transactionId,
        account_id: account.account_id,
        amount: earned,
        business_day: state.day,
        paid_at: now.toISOString(),
      },
    });
  }
  return { state: { entries, balances }, events };
};

/**
 * A5–A7: once every payout of the day is made, its figures are final: the summary and
 * BusinessDay.Closed. `unpaid` counts accounts still owed a payout for the day: then the close
 * is not done (a bug, or a resumed close that skipped a chunk) and is refused.
 */
export const decideSummary = (
  state: { readonly figures: Omit<DayFigures, 'management_earnings'>; readonly unpaid: number },
  _command: Record<string, never>,
  now: Date,
): Decision<DaySummary, BareEvent<'BusinessDay.Closed', 1>> => {
  if (state.unpaid > 0)
    return refuse(
      'server.internal_error',
      `${state.unpaid} accounts are still owed a payout for ${state.figures.business_day}.`,
    );
  const summary: DaySummary = {
    ...state.figures,
    management_earnings: managementEarnings(state.figures),
    closed_at: now,
  };
  return {
    state: summary,
    events: [
      {
        name: 'BusinessDay.Closed',
        version: 1,
        data: {
          business_day: summary.business_day,
          fees: summary.fees,
          rewards: summary.rewards,
          management_earnings: summary.management_earnings,
          payouts: summary.payouts,
          payout_count: summary.payout_count,
          negative_accounts: summary.negative_accounts,
          closed_at: now.toISOString(),
        },
      },
    ],
  };
};
