import { sql, type Kysely } from 'kysely';
import type { AnalyticsDb } from '../db.js';
import type { TaskFacts } from './changes.js';

/**
 * Stores what task events told, in one statement: a column is filled by the first event that
 * carries it and never overwritten (a title is named once, prices never change, a task is
 * completed once), whichever order the events come in.
 */
export const storeTaskFacts = async (db: Kysely<AnalyticsDb>, tasks: readonly TaskFacts[]): Promise<void> => {
  if (tasks.length === 0) return;
  const column = <K extends keyof TaskFacts>(key: K): TaskFacts[K][] => tasks.map((t) => t[key]);
  await sql`
    insert into tasks as t (task_id, title, jira_id, priced_reward, completed_at, completed_day)
    select * from unnest(${column('taskId')}::uuid[], ${column('title')}::text[], ${column('jiraId')}::text[],
                         ${column('completionReward')}::bigint[], ${column('completedAt')}::timestamptz[],
                         ${column('completedDay')}::date[])
    on conflict (task_id) do update set
      title = coalesce(t.title, excluded.title),
      jira_id = case when t.title is null then excluded.jira_id else t.jira_id end,
      priced_reward = coalesce(t.priced_reward, excluded.priced_reward),
      completed_at = coalesce(t.completed_at, excluded.completed_at),
      completed_day = coalesce(t.completed_day, excluded.completed_day)`.execute(db);
};
