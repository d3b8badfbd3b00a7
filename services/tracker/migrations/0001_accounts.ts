import { sql, type Kysely } from 'kysely';

// This service's copy of the auth service's accounts, fed only by Account.* events (U2).
// `version` is the account's version at the source, so a late event never overwrites a newer one.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table accounts (
      public_id uuid primary key,
      email text not null,
      full_name text not null,
      role text not null,
      active boolean not null,
      version integer not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
};
