import { sql, type Kysely } from 'kysely';
import { outboxInsert } from '@ates/event-bus';
import type { AnyEvent } from '@ates/schema-registry';
import type { TrackerDb } from '../db.js';
import { assignableRoles } from './access.js';
import type { Move } from './decide.js';
import { taskColumns, type Task } from './task.js';

const eligible = (db: Kysely<TrackerDb>) =>
  db.selectFrom('accounts').where('active', '=', true).where('role', 'in', assignableRoles);

/** One eligible account, uniformly at random (T3), or undefined when there is none. */
export const pickAssignee = async (db: Kysely<TrackerDb>): Promise<string | undefined> =>
  (
    await eligible(db)
      .select('public_id')
      .orderBy(sql`random()`)
      .limit(1)
      .executeTakeFirst()
  )?.public_id;

/** Every eligible account's id (for `keptAssignees`). */
export const eligibleAssigneeIds = async (db: Kysely<TrackerDb>): Promise<string[]> =>
  (await eligible(db).select('public_id').execute()).map((row) => row.public_id);

/** Saves a task without events: for seeding tests and benchmarks only — use cases publish. */
export const insertTask = async (db: Kysely<TrackerDb>, task: Task): Promise<void> => {
  await db.insertInto('tasks').values(task).execute();
};

/**
 * Saves a new task and its events as ONE statement: atomic without a transaction's BEGIN and
 * COMMIT round trips, which is most of what creating a task costs. The statement checks that the
 * assignee is still eligible (active, of an assignable role) in its own snapshot: false when not,
 * and then nothing is saved. `wake: 'caller'` when the caller wakes the relay after it returns.
 */
export const insertTaskPublishing = async (
  db: Kysely<TrackerDb>,
  task: Task,
  events: readonly AnyEvent[],
  options: { wake?: 'trigger' | 'caller' } = {},
): Promise<boolean> => {
  const saved = await sql`
    with saved as (
      insert into tasks (public_id, title, jira_id, description, status, assignee_id, creator_id, created_at, completed_at)
      select ${task.public_id}::uuid, ${task.title}::text, ${task.jira_id}::text, ${task.description}::text,
             ${task.status}::text, a.public_id, ${task.creator_id}::uuid, ${task.created_at}::timestamptz,
             ${task.completed_at}::timestamptz
      from accounts a
      where a.public_id = ${task.assignee_id}::uuid and a.active and a.role in (${sql.join(assignableRoles)})
      returning 1
    )
    ${outboxInsert(events, { ...options, onlyIf: sql`exists (select 1 from saved)` })}`.execute(db);
  return Number(saved.numAffectedRows ?? 0) > 0;
};

/** The task, locked for the rest of the transaction when `forUpdate`. */
export const findTask = async (
  db: Kysely<TrackerDb>,
  publicId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Task | undefined> => {
  let query = db.selectFrom('tasks').select(taskColumns).where('public_id', '=', publicId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
};

export const markDone = async (db: Kysely<TrackerDb>, task: Task): Promise<void> => {
  await db
    .updateTable('tasks')
    .set({ status: 'done', completed_at: task.completed_at })
    .where('public_id', '=', task.public_id)
    .execute();
};

export interface TaskQuery {
  readonly assigneeId?: string;
  readonly status?: 'open' | 'done';
  readonly page: number;
  readonly pageSize: number;
}

export const listTasks = async (db: Kysely<TrackerDb>, query: TaskQuery): Promise<{ items: Task[]; total: number }> => {
  let base = db.selectFrom('tasks');
  if (query.assigneeId) base = base.where('assignee_id', '=', query.assigneeId);
  if (query.status) base = base.where('status', '=', query.status);
  const [rows, count] = await Promise.all([
    base
      .select(taskColumns)
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows, total: Number(count.total) };
};

/**
 * T4 as one statement: every open task gets an eligible account drawn uniformly at random
 * (random() is evaluated per row). Open tasks are locked first, so a completion that commits
 * meanwhile is seen (the task is no longer open and is skipped) and a completion that comes
 * after waits for this transaction and then finds the new assignee.
 */
export const reassignOpenTasks = async (db: Kysely<TrackerDb>): Promise<Move[]> => {
  const result = await sql<Move>`
    with pool as (
      select array_agg(public_id order by public_id) as ids
      from accounts where active and role in (${sql.join(assignableRoles)})
    ),
    locked as (
      select id, assignee_id as previous from tasks where status = 'open' for update
    )
    update tasks t
    set assignee_id = pool.ids[1 + floor(random() * cardinality(pool.ids))::int]
    from locked, pool
    where t.id = locked.id and cardinality(pool.ids) > 0
    returning t.public_id as task_id, t.assignee_id, locked.previous as previous_assignee_id`.execute(db);
  return result.rows;
};

export const hasEligibleAssignee = async (db: Kysely<TrackerDb>): Promise<boolean> =>
  (await eligible(db).select('public_id').limit(1).executeTakeFirst()) !== undefined;
