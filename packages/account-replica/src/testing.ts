import { sql } from 'kysely';
import type { Migration } from '@ates/db';
import { allowPartialAccounts } from './index.js';

/**
 * The `accounts` table as a service's migrations build it (its first shape, then
 * `allowPartialAccounts`), for this package's tests and benchmark.
 */
export const accountsTableMigrations: readonly Migration[] = [
  {
    name: '0001_accounts',
    up: async (db) =>
      void (await sql`
        create table accounts (
          public_id uuid primary key, email text not null, full_name text not null, role text not null,
          active boolean not null, version integer not null, updated_at timestamptz not null default now()
        )`.execute(db)),
  },
  { name: '0002_accounts_partial', up: allowPartialAccounts },
];
