import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AuthDatabase } from '../db.js';

/**
 * Limits password guessing: failed sign-ins are counted per account (keyed by a hash of the email
 * typed, so unknown emails are counted exactly like real ones and no email is stored) and per
 * client address, in fixed windows, in PostgreSQL — the limits hold across restarts and across
 * instances. While a key is over its limit, sign-in is refused before the password is checked.
 *
 * Per account: 5 failures in 15 minutes (a person mistyping gets several tries; a guesser gets
 * 480 a day at most). Per address: 50 failures in 15 minutes, higher because an office or a
 * proxy puts many people behind one address. A successful sign-in clears its account's count.
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
  return {
    /** Whether a sign-in for `email` from `address` may be tried now. */
    check: async (email: string, address: string): Promise<ThrottleVerdict> => {
      const keys = [accountKey(email), addressKey(address)];
      const rows = await db
        .selectFrom('sign_in_failures')
        .select([
          'key',
          'failures',
          sql<number>`ceil(extract(epoch from (window_started_at + ${window} - now())))::int`.as('retry_after'),
        ])
        .where('key', 'in', keys)
        .where('window_started_at', '>', sql<Date>`now() - ${window}`)
        .execute();
      const over = rows.filter(
        (r) => r.failures >= (r.key.startsWith('account:') ? policy.accountLimit : policy.addressLimit),
      );
      if (over.length === 0) return { blocked: false };
      return { blocked: true, retryAfterSeconds: Math.max(1, ...over.map((r) => r.retry_after)) };
    },

    /** Counts one failed sign-in against the email and the address. */
    recordFailure: async (email: string, address: string): Promise<void> => {
      for (const key of [accountKey(email), addressKey(address)]) {
        await sql`
          insert into sign_in_failures (key, failures, window_started_at) values (${key}, 1, now())
          on conflict (key) do update set
            failures = case when sign_in_failures.window_started_at <= now() - ${window} then 1 else sign_in_failures.failures + 1 end,
            window_started_at = case when sign_in_failures.window_started_at <= now() - ${window} then now() else sign_in_failures.window_started_at end`.execute(
          db,
        );
      }
    },

    /** Forgets the failures of an account after it signed in. */
    recordSuccess: async (email: string): Promise<void> => {
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
