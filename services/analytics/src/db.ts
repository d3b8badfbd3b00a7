import type { ColumnType, Generated } from 'kysely';
import type { AccountsTable } from '@ates/account-replica';

/** A `date` column: written as YYYY-MM-DD, read as text (`day::text`) by the queries that need it. */
type DateColumn = ColumnType<string, string, string>;

/** The analytics service's own database, as Kysely sees it (migrations/0003_model.ts says what each table means). */
export interface AnalyticsDb {
  accounts: AccountsTable;
  day_figures: {
    day: DateColumn;
    fees: Generated<number>;
    rewards: Generated<number>;
    payouts: Generated<number>;
    payout_count: Generated<number>;
    management_earnings: ColumnType<number, never, never>;
  };
  day_closes: {
    day: DateColumn;
    fees: number;
    rewards: number;
    management_earnings: number;
    payouts: number;
    payout_count: number;
    negative_accounts: number;
    closed_at: Date;
  };
  balances: { account_id: string; balance: number; version: number };
  tasks: {
    task_id: string;
    title: string | null;
    jira_id: string | null;
    priced_reward: number | null;
    completed_at: Date | null;
    completed_day: DateColumn | null;
    posted_reward: number | null;
    posted_day: DateColumn | null;
    posted_at: Date | null;
    reward_reversed: Generated<boolean>;
    reward: ColumnType<number | null, never, never>;
    completion_day: ColumnType<string | null, never, never>;
    completion_time: ColumnType<Date | null, never, never>;
  };
}
