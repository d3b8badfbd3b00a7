import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AuthDatabase } from '../db.js';

/**
 * Limits password guessing: sign-in attempts are counted per account (keyed by a hash of the email
 * typed, so unknown emails are counted exactly like real ones and no email is stored) and per
 * client address, in fixed windows, in PostgreSQL — the limits hold across restarts and across
 * instances.
 *
 * An attempt is counted *before* its password is checked, by one statement that increments both
 * counts and returns them: however many requests arrive at once, at most the limit of them get a
 * password check. An attempt over a limit is refused and its count given back (a refusal is no
 * failure); a successful one gives its count back too and clears its account's. What stays
 * counted is failures, and attempts still being checked.
 *
 * Per account: 5 failures in 15 minutes (a person mistyping gets several tries; a guesser gets
 * 480 a day at most). Per address: 50 failures in 15 minutes, higher because an office or a
 * proxy puts many people behind one address.
 */
export interface ThrottlePolicy {
  readonly accountLimit: number;
  readonly addressLimit: number;
  readonly windowSeconds: number;
}

export const defaultThrottlePolicy: ThrottlePolicy = { accountLimit: 5, addressLimit: 50, windowSeconds: 900 };

type Db = Kysely<AuthDatabase>;

const accountKey = (email: string): string =>
  `account:${createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('base64url')}`;
const addressKey = (address: string): string => `address:${address}`;

export type ThrottleVerdict =
  { readonly blocked: false } | { readonly blocked: true; readonly retryAfterSeconds: number };

export const createSignInThrottle = (db: Db, policy: ThrottlePolicy = defaultThrottlePolicy) => {
  const window = sql`make_interval(secs => ${policy.windowSeconds})`;
  const ended = sql`sign_in_failures.window_started_at <= now() - ${window}`;
  const limitOf = (key: string) => (key.startsWith('account:') ? policy.accountLimit : policy.addressLimit);

  /** Takes one attempt back from each key (never below zero). */
  const giveBack = async (keys: readonly string[]): Promise<void> => {
    await db
      .updateTable('sign_in_failures')
      .set({ failures: sql<number>`greatest(failures - 1, 0)` })
      .where('key', 'in', keys)
      .execute();
  };

  return {
    /**
     * Counts a sign-in attempt for `email` from `address`, atomically, and says whether it may be
     * checked. Call it before looking at the password.
     */
    attempt: async (email: string, address: string): Promise<ThrottleVerdict> => {
      const keys = [accountKey(email), addressKey(address)];
      const { rows } = await sql<{ key: string; failures: number; retry_after: number }>`
        insert into sign_in_failures (key, failures, window_started_at)
        values ${sql.join(keys.map((k) => sql`(${k}, 1, now())`))}
        on conflict (key) do update set
          failures = case when ${ended} then 1 else sign_in_failures.failures + 1 end,
          window_started_at = case when ${ended} then now() else sign_in_failures.window_started_at end
        returning key, failures,
          ceil(extract(epoch from (window_started_at + ${window} - now())))::int as retry_after`.execute(db);
      const over = rows.filter((r) => r.failures > limitOf(r.key));
      if (over.length === 0) return { blocked: false };
      await giveBack(keys);
      return { blocked: true, retryAfterSeconds: Math.max(1, ...over.map((r) => r.retry_after)) };
    },

    /** The attempt succeeded: it was no failure, and its account starts over. */
    succeeded: async (email: string, address: string): Promise<void> => {
      await giveBack([addressKey(address)]);
      await db.deleteFrom('sign_in_failures').where('key', '=', accountKey(email)).execute();
    },

    /** Deletes windows that have ended. */
    purge: async (): Promise<number> => {
      const result = await db
        .deleteFrom('sign_in_failures')
        .where('window_started_at', '<=', sql<Date>`now() - ${window}`)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
};

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
