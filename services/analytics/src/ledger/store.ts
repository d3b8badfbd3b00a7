import { sql, type Kysely } from 'kysely';
import type { AnalyticsDb } from '../db.js';
import type { LedgerChanges } from './changes.js';

// The ledger's writes into analytics' model: one set-based statement per table, whatever the
// batch size. Each is safe in any order and only ever adds (sums) or moves forward (versions).

export const applyLedgerChanges = async (db: Kysely<AnalyticsDb>, changes: LedgerChanges): Promise<void> => {
  const { days, balances, rewards, reversedRewards, closes } = changes;
  if (days.length > 0)
    await sql`
      insert into day_figures as f (day, fees, rewards, payouts, payout_count)
      select * from unnest(${days.map((d) => d.day)}::date[], ${days.map((d) => d.fees)}::bigint[],
                           ${days.map((d) => d.rewards)}::bigint[], ${days.map((d) => d.payouts)}::bigint[],
                           ${days.map((d) => d.payoutCount)}::integer[])
      on conflict (day) do update set fees = f.fees + excluded.fees, rewards = f.rewards + excluded.rewards,
        payouts = f.payouts + excluded.payouts, payout_count = f.payout_count + excluded.payout_count`.execute(db);
  if (balances.length > 0)
    await sql`
      insert into balances as b (account_id, balance, version)
      select * from unnest(${balances.map((b) => b.accountId)}::uuid[], ${balances.map((b) => b.balance)}::bigint[],
                           ${balances.map((b) => b.version)}::integer[])
      on conflict (account_id) do update set balance = excluded.balance, version = excluded.version
        where b.version < excluded.version`.execute(db);
  if (rewards.length > 0)
    await sql`
      insert into tasks as t (task_id, posted_reward, posted_day, posted_at)
      select * from unnest(${rewards.map((r) => r.taskId)}::uuid[], ${rewards.map((r) => r.reward)}::bigint[],
                           ${rewards.map((r) => r.day)}::date[], ${rewards.map((r) => r.at)}::timestamptz[])
      on conflict (task_id) do update set posted_reward = excluded.posted_reward, posted_day = excluded.posted_day,
        posted_at = excluded.posted_at`.execute(db);
  if (reversedRewards.length > 0)
    await sql`
      insert into tasks as t (task_id, reward_reversed) select unnest(${reversedRewards}::uuid[]), true
      on conflict (task_id) do update set reward_reversed = true`.execute(db);
  if (closes.length > 0)
    await sql`
      insert into day_closes (day, fees, rewards, management_earnings, payouts, payout_count, negative_accounts, closed_at)
      select * from unnest(${closes.map((c) => c.business_day)}::date[], ${closes.map((c) => c.fees)}::bigint[],
                           ${closes.map((c) => c.rewards)}::bigint[], ${closes.map((c) => c.management_earnings)}::bigint[],
                           ${closes.map((c) => c.payouts)}::bigint[], ${closes.map((c) => c.payout_count)}::integer[],
                           ${closes.map((c) => c.negative_accounts)}::integer[], ${closes.map((c) => c.closed_at)}::timestamptz[])
      on conflict (day) do nothing`.execute(db);
};
