import { sql, type Kysely } from 'kysely';

// The source of truth for people and roles (REQUIREMENTS "Roles", U2).
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table accounts (
      id bigint generated always as identity primary key,
      public_id uuid not null unique default gen_random_uuid(),
      email text not null,
      full_name text not null,
      role text not null check (role in ('admin', 'manager', 'accountant', 'worker')),
      active boolean not null default true,
      password_hash text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index accounts_email_key on accounts (lower(email))`.execute(db);
};
