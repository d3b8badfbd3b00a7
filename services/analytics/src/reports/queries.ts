import { sql, type Kysely } from 'kysely';
import type { BusinessDay } from '@ates/business-days';
import type { AnalyticsDb } from '../db.js';

export interface DayRange {
  readonly from: BusinessDay;
  readonly to: BusinessDay;
}

/** One business day's figures, in cents (A5). */
export interface DayEarnings {
  readonly day: BusinessDay;
  readonly fees: number;
  readonly rewards: number;
  /** fees − rewards (A5). */
  readonly management_earnings: number;
  readonly payouts: number;
}

export interface DaySummary extends DayEarnings {
  /** Whether accounting has closed the day (its figures are final). */
  readonly closed: boolean;
  /** Popugs in the negative: at the close for a closed day, right now otherwise (N2). */
  readonly negative_popugs: number;
}

export interface ExpensiveTask {
  readonly task: { readonly id: string; readonly title: string | null; readonly jira_id: string | null };
  /** The completion reward, in cents. */
  readonly reward: number;
  readonly completed_at: Date;
  readonly completion_day: BusinessDay;
}

/** A5: the figures of every day from `from` to `to`, oldest first; a day nothing happened on reads as zeros. */
export const earnings = async (db: Kysely<AnalyticsDb>, range: DayRange): Promise<DayEarnings[]> =>
  (
    await sql<DayEarnings>`
      select d.day::date::text as day, coalesce(f.fees, 0) as fees, coalesce(f.rewards, 0) as rewards,
             coalesce(f.management_earnings, 0) as management_earnings, coalesce(f.payouts, 0) as payouts
      from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d(day)
      left join day_figures f on f.day = d.day::date
      order by d.day`.execute(db)
  ).rows;

/** How many popugs are in the negative now: each account's latest balance (N2). */
export const negativeNow = async (db: Kysely<AnalyticsDb>): Promise<number> => {
  const { rows } = await sql<{ n: number }>`select count(*)::integer as n from balances where balance < 0`.execute(db);
  return rows[0]?.n ?? 0;
};

/** N2: a day's earnings and how many popugs are in the negative (at its close, or now while it is open). */
export const daySummary = async (db: Kysely<AnalyticsDb>, day: BusinessDay): Promise<DaySummary> => {
  const { rows } = await sql<{ closed_negative: number | null }>`
    select negative_accounts as closed_negative from day_closes where day = ${day}::date`.execute(db);
  const [figures] = await earnings(db, { from: day, to: day });
  const closed = rows[0]?.closed_negative ?? null;
  return {
    ...(figures as DayEarnings),
    closed: closed !== null,
    negative_popugs: closed ?? (await negativeNow(db)),
  };
};

/**
 * N3: the completed task with the highest completion reward among those completed from `from`
 * to `to`; of equal rewards the one completed first. One index probe per day (the first row of
 * each day in `tasks_by_reward` is its most expensive task), so a year costs 366 probes whatever
 * the number of tasks.
 */
export const mostExpensiveTask = async (db: Kysely<AnalyticsDb>, range: DayRange): Promise<ExpensiveTask | null> => {
  const { rows } = await sql<{
    task_id: string;
    title: string | null;
    jira_id: string | null;
    reward: number;
    completion_time: Date;
    completion_day: string;
  }>`
    select t.* from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d(day)
    cross join lateral (
      select task_id, title, jira_id, reward, completion_time, completion_day::text as completion_day from tasks
      where completion_day = d.day::date and reward is not null and not reward_reversed
      order by reward desc, completion_time, task_id limit 1
    ) t
    order by t.reward desc, t.completion_time, t.task_id limit 1`.execute(db);
  const top = rows[0];
  if (!top) return null;
  return {
    task: { id: top.task_id, title: top.title, jira_id: top.jira_id },
    reward: top.reward,
    completed_at: top.completion_time,
    completion_day: top.completion_day,
  };
};
