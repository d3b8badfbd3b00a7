import { sql, type Kysely } from 'kysely';

// Accounting's copy of the tracker's tasks: what the audit log shows for each entry (A2).
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table tasks (
      public_id uuid primary key,
      title text not null,
      jira_id text,
      description text not null,
      created_at timestamptz not null
    )`.execute(db);
};
