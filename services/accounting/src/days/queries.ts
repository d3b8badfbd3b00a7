import { sql, type Kysely } from 'kysely';
import type { BusinessDay } from '@ates/business-days';
import type { AccountingDb } from '../db.js';
import type { DayFigures, DayStatus } from './day.js';

export interface CompanyDay extends Omit<DayFigures, 'negative_accounts'> {
  readonly status: DayStatus;
  /** At the close for a closed day; right now for an open one (today's is live). */
  readonly negative_accounts: number;
  readonly closed_at: Date | null;
}

/**
 * A5, A7: the company's figures for each day from `from` to `to`, newest first — the immutable
 * summary of a closed day, the ledger's sums so far for an open one. A day nothing happened on
 * reads as an open day of zeros until it is closed.
 */
export const companyDays = async (
  db: Kysely<AccountingDb>,
  range: { readonly from: BusinessDay; readonly to: BusinessDay },
): Promise<CompanyDay[]> =>
  (
    await sql<CompanyDay>`
      with sums as (
        select business_day,
               coalesce(-sum(amount) filter (where fact_kind = 'fee'), 0)::bigint as fees,
               coalesce(sum(amount) filter (where fact_kind = 'reward'), 0)::bigint as rewards,
               coalesce(-sum(amount) filter (where fact_kind = 'payout'), 0)::bigint as payouts,
               count(*) filter (where kind = 'payout')::integer as payout_count
        from transactions where business_day between ${range.from}::date and ${range.to}::date
        group by business_day
      ),
      negative_now as (select count(*)::integer as n from balances where balance < 0)
      select d.day::date::text as business_day,
             coalesce(b.status, 'open') as status,
             coalesce(s.fees, t.fees, 0) as fees,
             coalesce(s.rewards, t.rewards, 0) as rewards,
             coalesce(s.management_earnings, coalesce(t.fees, 0) - coalesce(t.rewards, 0)) as management_earnings,
             coalesce(s.payouts, t.payouts, 0) as payouts,
             coalesce(s.payout_count, t.payout_count, 0) as payout_count,
             coalesce(s.negative_accounts, (select n from negative_now)) as negative_accounts,
             s.closed_at
      from generate_series(${range.from}::date, ${range.to}::date, interval '1 day') d(day)
      left join business_days b on b.day = d.day::date
      left join day_summaries s on s.day = d.day::date
      left join sums t on t.business_day = d.day::date
      order by d.day desc`.execute(db)
  ).rows;
