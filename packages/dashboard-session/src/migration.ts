import { sql, type Kysely } from 'kysely';
import type { Migration } from '@ates/db';

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

/** The same, as a `Migration` whose `up` a service's migration file calls. */
export const dashboardSessionsMigration: Migration = { name: 'dashboard_sessions', up: createDashboardSessionsTable };
