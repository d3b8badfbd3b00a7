import { sql, type Kysely } from 'kysely';

// A6 "email the employee the amount paid": a mail outbox, written in the transaction that makes
// the payout and sent afterwards by the mail sender (one active per service). The address is
// read from the accounts copy when the mail is sent, so a payout never waits for it.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table mails (
      id bigint generated always as identity primary key,
      idempotency_key text not null unique,
      account_id uuid not null,
      subject text not null,
      body text not null,
      created_at timestamptz not null default now(),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      sent_at timestamptz
    )`.execute(db);
  await sql`create index mails_unsent on mails (next_attempt_at, id) where sent_at is null`.execute(db);
};
