import { sql, type Kysely } from 'kysely';
import type { Migration } from '@ates/db';
import { configError } from '@ates/errors';

/**
 * Creates the sessions table of a dashboard that uses this package. A service adds it as one of
 * its own migrations, e.g. `migrations/0005_dashboard_sessions.ts`:
 *
 *   import { createDashboardSessionsTable } from '@ates/dashboard-session';
 *   export const up = createDashboardSessionsTable;
 *
 * A row is a browser's session: first `pending` (sign-in under way: PKCE verifier, state, where
 * to return), then `active` (the viewer, the encrypted tokens, the CSRF token). `id_hash` is the
 * SHA-256 of the id in the cookie. Released: never changes; a change is a new migration.
 */
export const createDashboardSessionsTable = async (db: Kysely<unknown>): Promise<void> => {
  {
    await sql`
      create table dashboard_sessions (
        id_hash text primary key,
        status text not null check (status in ('pending', 'active')),
        code_verifier text,
        oauth_state text,
        return_to text,
        account_id text,
        name text,
        email text,
        role text,
        sid text,
        access_token text,
        access_expires_at timestamptz,
        refresh_token text,
        csrf_token text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`.execute(db);
    await sql`create index dashboard_sessions_expires_at on dashboard_sessions (expires_at)`.execute(db);
    await sql`create index dashboard_sessions_account_id on dashboard_sessions (account_id) where account_id is not null`.execute(
      db,
    );
  }
};

/**
 * The second migration of the sessions table: the refresh claim (`refresh_claimed_until`), so that
 * a token refresh holds no row lock or connection while it waits for the auth service. A service
 * with a dashboard adds it after `createDashboardSessionsTable`, e.g.
 * `migrations/0006_dashboard_sessions_refresh_claim.ts`: `export const up = addDashboardSessionsRefreshClaim;`.
 */
export const addDashboardSessionsRefreshClaim = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table dashboard_sessions add column refresh_claimed_until timestamptz`.execute(db);
};

/** Fails with a clear configuration error when the service's migrations lack the refresh claim. */
export const assertSessionsTableCurrent = async (db: Kysely<unknown>): Promise<void> => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.columns
    where table_schema = current_schema() and table_name = 'dashboard_sessions' and column_name = 'refresh_claimed_until'`.execute(
    db,
  );
  if (rows[0]?.n !== 1)
    throw configError(
      'dashboard_sessions lacks refresh_claimed_until: add a migration calling addDashboardSessionsRefreshClaim from @ates/dashboard-session.',
    );
};

/** The same, as a `Migration` whose `up` a service's migration file calls. */
export const dashboardSessionsMigration: Migration = { name: 'dashboard_sessions', up: createDashboardSessionsTable };
