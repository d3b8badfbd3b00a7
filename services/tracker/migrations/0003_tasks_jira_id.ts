import { sql, type Kysely } from 'kysely';

/**
 * T6, step 1 of the runbook (docs/event-evolution.md): `jira_id` gets its own column, nullable
 * with a default, so old code that does not know it keeps inserting. Old titles are backfilled:
 * "[UBERPOP-42] — Change the green" becomes jira_id UBERPOP-42, title "Change the green".
 * New titles may not contain [ or ]: the constraint is NOT VALID, so it binds new and updated
 * rows without a table scan under lock; titles that carried other brackets stay as they were.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table tasks add column jira_id text default null`.execute(db);
  await sql`
    update tasks
    set jira_id = m[1], title = m[2]
    from (
      select id, regexp_match(title, '^\\s*\\[([A-Z][A-Z0-9]*-[0-9]+)\\]\\s*(?:[—–-]\\s*)?(.+)$') as m
      from tasks
    ) parsed
    where tasks.id = parsed.id and parsed.m is not null and parsed.m[2] !~ '[\\[\\]]'`.execute(db);
  await sql`alter table tasks add constraint tasks_title_without_brackets check (title !~ '[\\[\\]]') not valid`.execute(
    db,
  );
  await sql`alter table tasks add constraint tasks_jira_id_shape check (jira_id ~ '^[A-Z][A-Z0-9]*-[0-9]+$') not valid`.execute(
    db,
  );
};
