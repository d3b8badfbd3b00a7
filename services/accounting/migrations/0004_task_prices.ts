import { sql, type Kysely } from 'kysely';

// A3: each task's two prices, drawn once, the first time any event about the task reaches
// accounting, and never changed. The primary key makes "once" hold whatever the order and
// number of the events: whoever inserts first wins, everyone else reads the row back.
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table task_prices (
      task_id uuid primary key,
      assignment_fee integer not null check (assignment_fee > 0),
      completion_reward integer not null check (completion_reward > 0),
      priced_at timestamptz not null
    )`.execute(db);
};
