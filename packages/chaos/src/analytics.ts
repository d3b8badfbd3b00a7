import type { Query } from './invariants.js';

// Analytics' invariants (issue 15): what its model shows — each day's fees, rewards and
// management's earnings (A5), how many popugs are in the negative (N2), each day's most
// expensive task (N3) — against the same figures computed here, independently, from accounting's
// own database. Amounts are cents; sums are read as float8 (exact far beyond a day's money).

/** A row of one day's figures; `day` is a business day, or `now` for a live figure. */
type DayRow = {
  readonly day: string;
};

/** An invariant's outcome before it is a Verdict: the offending cases and the figures. */
export interface Finding {
  readonly name: string;
  readonly problems: string[];
  readonly figures: string;
}

export type DayMoney = DayRow & {
  readonly fees: number;
  readonly rewards: number;
  readonly management_earnings: number;
};

export type TopTask = DayRow & {
  readonly task_id: string;
  readonly reward: number;
};

export type NegativeCount = DayRow & {
  readonly negative: number;
};

const shown = (row: DayRow | undefined): string =>
  row === undefined
    ? 'nothing'
    : Object.entries(row)
        .filter(([key]) => key !== 'day')
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => `${key} ${String(value)}`)
        .join(', ');

/** Every day whose row differs between accounting's figures and analytics', or that only one of them has. */
export const differences = (ledger: readonly DayRow[], analytics: readonly DayRow[]): string[] => {
  const ours = new Map(ledger.map((r) => [r.day, r]));
  const theirs = new Map(analytics.map((r) => [r.day, r]));
  return [...new Set([...ours.keys(), ...theirs.keys()])]
    .sort()
    .filter((day) => shown(ours.get(day)) !== shown(theirs.get(day)))
    .map((day) => `${day}: accounting says ${shown(ours.get(day))}; analytics says ${shown(theirs.get(day))}`);
};

/** A day nothing was earned on reads as zeros in analytics' API: it is left out on both sides. */
const earned = (r: DayMoney): boolean => r.fees !== 0 || r.rewards !== 0 || r.management_earnings !== 0;

/** A5 from the ledger: fees are the negative amounts, rewards the positive ones, each net of its reversals. */
export const ledgerDays = async (accounting: Query): Promise<DayMoney[]> =>
  (
    await accounting<{ day: string; fees: number; rewards: number }>(
      `select business_day::text as day,
              coalesce(-sum(amount) filter (where fact_kind = 'fee'), 0)::float8 as fees,
              coalesce(sum(amount) filter (where fact_kind = 'reward'), 0)::float8 as rewards
         from transactions group by business_day`,
    )
  )
    .map((r) => ({ ...r, management_earnings: r.fees - r.rewards }))
    .filter(earned);

export const analyticsDays = async (analytics: Query): Promise<DayMoney[]> =>
  (
    await analytics<DayMoney>(
      `select day::text as day, fees::float8 as fees, rewards::float8 as rewards,
              management_earnings::float8 as management_earnings from day_figures`,
    )
  ).filter(earned);

/** N3 from the ledger: each day's highest reward not reversed, of equal ones the first posted. */
export const ledgerTopTasks = (accounting: Query): Promise<TopTask[]> =>
  accounting<TopTask>(
    `select distinct on (r.business_day) r.business_day::text as day, r.task_id::text as task_id, r.amount::float8 as reward
       from transactions r
      where r.kind = 'reward'
        and not exists (select 1 from transactions x where x.reverses_transaction_id = r.transaction_id)
      order by r.business_day, r.amount desc, r.occurred_at, r.task_id`,
  );

/** N3 as analytics' `mostExpensiveTask` reads it, a day at a time. */
export const analyticsTopTasks = (analytics: Query): Promise<TopTask[]> =>
  analytics<TopTask>(
    `select distinct on (completion_day) completion_day::text as day, task_id::text as task_id, reward::float8 as reward
       from tasks where completion_day is not null and reward is not null and not reward_reversed
      order by completion_day, reward desc, completion_time, task_id`,
  );

/** N2: popugs in the negative now (`balances`), and at each close as the day's close recorded it. */
const negativeCounts = (query: Query, closes: string): Promise<NegativeCount[]> =>
  query<NegativeCount>(
    `select 'now' as day, count(*)::int as negative from balances where balance < 0
     union all select day::text, negative_accounts::int from ${closes}`,
  );

export const analyticsFindings = async (accounting: Query, analytics: Query): Promise<Finding[]> => {
  const [days, theirDays] = [await ledgerDays(accounting), await analyticsDays(analytics)];
  const [top, theirTop] = [await ledgerTopTasks(accounting), await analyticsTopTasks(analytics)];
  const negative = await negativeCounts(accounting, 'day_summaries');
  const theirNegative = await negativeCounts(analytics, 'day_closes');
  const now = negative.find((r) => r.day === 'now')?.negative ?? 0;
  return [
    {
      name: "analytics' fees, rewards and management earnings of every day equal accounting's ledger",
      problems: differences(days, theirDays),
      figures: `${days.length} days with money in the ledger, ${theirDays.length} in analytics`,
    },
    {
      name: "analytics' negative-popug counts equal accounting's balances (now) and closes",
      problems: differences(negative, theirNegative),
      figures: `${now} accounts negative now, ${negative.length - 1} closes`,
    },
    {
      name: "analytics' most expensive task of every day equals the one from accounting's ledger rewards",
      problems: differences(top, theirTop),
      figures: `${top.length} days with rewards, ${theirTop.length} in analytics`,
    },
  ];
};
