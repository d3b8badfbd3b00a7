import { sql, type Kysely } from 'kysely';

// Tasks as the first release had them: the Jira id lived inside the title,
// "[UBERPOP-42] — Change the green of the button". 0003 moves it to its own column (T6).
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table tasks (
      id bigint generated always as identity primary key,
      public_id uuid not null unique default gen_random_uuid(),
      title text not null,
      description text not null default '',
      status text not null default 'open' check (status in ('open', 'done')),
      assignee_id uuid not null,
      creator_id uuid not null,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`create index tasks_assignee_status on tasks (assignee_id, status, id)`.execute(db);
  await sql`create index tasks_open on tasks (id) where status = 'open'`.execute(db);
};
