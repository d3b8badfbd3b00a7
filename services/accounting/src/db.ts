import type { ColumnType, Generated } from 'kysely';
import type { AccountsTable } from '@ates/account-replica';

/**
 * The accounting service's own database, as Kysely sees it. `date` columns are read as text
 * (`day::text`) by the queries that need them: node-postgres would turn them into local-midnight
 * Dates.
 */
export interface AccountingDb {
  accounts: AccountsTable;
  tasks: {
    public_id: string;
    title: string;
    jira_id: string | null;
    description: string;
    created_at: Date;
  };
  task_prices: {
    task_id: string;
    assignment_fee: number;
    completion_reward: number;
    priced_at: Date;
  };
  transactions: {
    id: ColumnType<number, never, never>;
    transaction_id: string;
    idempotency_key: string;
    account_id: string;
    kind: 'fee' | 'reward' | 'payout' | 'reversal';
    amount: number;
    balance_after: number;
    account_version: number;
    task_id: string | null;
    business_day: ColumnType<string, string, never>;
    occurred_at: Date;
    recorded_at: Date;
    reverses_transaction_id: ColumnType<string | null, string | null | undefined, never>;
    reverses_kind: ColumnType<
      'fee' | 'reward' | 'payout' | null,
      'fee' | 'reward' | 'payout' | null | undefined,
      never
    >;
    reason: ColumnType<string | null, string | null | undefined, never>;
    /** What the transaction counts as in a day's figures: its kind, or the kind a reversal undoes. */
    fact_kind: ColumnType<'fee' | 'reward' | 'payout', never, never>;
  };
  balances: {
    account_id: string;
    balance: Generated<number>;
    version: Generated<number>;
    updated_at: Generated<Date>;
  };
  business_days: {
    day: ColumnType<string, string, string>;
    status: Generated<'open' | 'closing' | 'closed'>;
    closing_started_at: Date | null;
    closed_at: Date | null;
  };
  day_summaries: {
    day: ColumnType<string, string, never>;
    fees: number;
    rewards: number;
    management_earnings: number;
    payouts: number;
    payout_count: number;
    negative_accounts: number;
    closed_at: Date;
  };
  mails: {
    id: ColumnType<number, never, never>;
    idempotency_key: string;
    account_id: string;
    subject: string;
    body: string;
    created_at: Generated<Date>;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    last_error: string | null;
    sent_at: Date | null;
  };
}
