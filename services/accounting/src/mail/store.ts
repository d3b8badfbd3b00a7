import { sql, type Kysely } from 'kysely';
import type { AccountingDb } from '../db.js';

export interface DueMail {
  readonly id: number;
  readonly idempotency_key: string;
  readonly subject: string;
  readonly body: string;
  readonly attempts: number;
  /** From the accounts copy; null while the account's Created event has not arrived. */
  readonly email: string | null;
  readonly full_name: string | null;
}

/** Unsent mails whose next try is due, oldest first, with the address the accounts copy knows. */
export const dueMails = async (db: Kysely<AccountingDb>, limit: number): Promise<DueMail[]> =>
  (
    await sql<DueMail>`
      select m.id, m.idempotency_key, m.subject, m.body, m.attempts, a.email, a.full_name
      from mails m left join accounts a on a.public_id = m.account_id
      where m.sent_at is null and m.next_attempt_at <= now()
      order by m.next_attempt_at, m.id limit ${limit}`.execute(db)
  ).rows;

/** Records a mail sent, once: a second sender that sent it too finds it marked already. */
export const markSent = async (db: Kysely<AccountingDb>, id: number): Promise<void> => {
  await sql`update mails set sent_at = now(), attempts = attempts + 1, last_error = null
            where id = ${id} and sent_at is null`.execute(db);
};

export const markFailed = async (
  db: Kysely<AccountingDb>,
  id: number,
  error: string,
  retryInMs: number,
): Promise<void> => {
  await sql`update mails set attempts = attempts + 1, last_error = ${error.slice(0, 2_000)},
              next_attempt_at = now() + ${retryInMs} * interval '1 millisecond'
            where id = ${id} and sent_at is null`.execute(db);
};

/** Unsent mails and the age of the oldest, for the metrics and the stuck alert. */
export const mailBacklog = async (db: Kysely<AccountingDb>): Promise<{ unsent: number; oldestAgeSeconds: number }> => {
  const { rows } = await sql<{ unsent: number; oldest: number | null }>`
    select count(*)::integer as unsent, extract(epoch from now() - min(created_at))::float8 as oldest
    from mails where sent_at is null`.execute(db);
  return { unsent: rows[0]?.unsent ?? 0, oldestAgeSeconds: rows[0]?.oldest ?? 0 };
};
