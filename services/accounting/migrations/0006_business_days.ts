import { sql, type Kysely } from 'kysely';

// A6, A7: business days and their closes.
//
// - `business_days` has a row for every day anything was posted to or that was closed. A posting
//   reads its day's row FOR SHARE and a close takes it FOR UPDATE: a posting either commits
//   before the close starts paying (and is paid out) or sees the day closing and goes to the
//   open day.
// - status: `open` → `closing` (postings go elsewhere, payouts are being made, resumable) →
//   `closed` (the summary is written).
// - `day_summaries` is the immutable record of a closed day, what BusinessDay.Closed carries.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table business_days (
      day date primary key,
      status text not null default 'open' check (status in ('open', 'closing', 'closed')),
      closing_started_at timestamptz,
      closed_at timestamptz
    )`.execute(db);
  await sql`
    create table day_summaries (
      day date primary key references business_days (day),
      fees bigint not null,
      rewards bigint not null,
      management_earnings bigint not null,
      payouts bigint not null check (payouts >= 0),
      payout_count integer not null check (payout_count >= 0),
      negative_accounts integer not null check (negative_accounts >= 0),
      closed_at timestamptz not null
    )`.execute(db);
  await sql`
    create trigger day_summaries_immutable before update or delete on day_summaries
    for each row execute function ates_refuse_change()`.execute(db);
};
