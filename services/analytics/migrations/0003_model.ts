import { sql, type Kysely } from 'kysely';

// Analytics' own model (N1–N3), fed only by events and rebuilt from them (`ates analytics
// rebuild`). Amounts are cents. Every table is written by upserts that are safe in any order;
// the inbox makes each event count once.
//
// - `day_figures`: per business day (accounting's, as Transaction.Applied names it), the sums of
//   fees debited, rewards credited and payouts; management's earnings are fees − rewards (A5).
// - `day_closes`: what accounting's BusinessDay.Closed said when it closed a day, notably how
//   many accounts were in the negative at the close.
// - `balances`: each account's latest balance, the one with the highest account version seen.
// - `tasks`: per task what the tracker and accounting told about it, each event its own columns;
//   `reward` and `completion_day` prefer the ledger's reward transaction and fall back to the
//   price and the tracker's completion until it arrives.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table day_figures (
      day date primary key,
      fees bigint not null default 0,
      rewards bigint not null default 0,
      payouts bigint not null default 0,
      payout_count integer not null default 0,
      management_earnings bigint generated always as (fees - rewards) stored
    )`.execute(db);
  await sql`
    create table day_closes (
      day date primary key,
      fees bigint not null,
      rewards bigint not null,
      management_earnings bigint not null,
      payouts bigint not null,
      payout_count integer not null,
      negative_accounts integer not null,
      closed_at timestamptz not null
    )`.execute(db);
  await sql`
    create table balances (
      account_id uuid primary key,
      balance bigint not null,
      version integer not null
    )`.execute(db);
  await sql`create index balances_negative on balances (account_id) where balance < 0`.execute(db);
  await sql`
    create table tasks (
      task_id uuid primary key,
      title text,
      jira_id text,
      priced_reward bigint,
      completed_at timestamptz,
      completed_day date,
      posted_reward bigint,
      posted_day date,
      posted_at timestamptz,
      reward_reversed boolean not null default false,
      reward bigint generated always as (coalesce(posted_reward, priced_reward)) stored,
      completion_day date generated always as (coalesce(posted_day, completed_day)) stored,
      completion_time timestamptz generated always as (coalesce(posted_at, completed_at)) stored
    )`.execute(db);
  // The most expensive task of a day is the first row of its day in this index.
  await sql`
    create index tasks_by_reward on tasks (completion_day, reward desc, completion_time, task_id)
    where reward is not null and completion_day is not null and not reward_reversed`.execute(db);
};
