import { sql, type Kysely, type Selectable } from 'kysely';
import { outboxInsert } from '@ates/event-bus';
import type { AnyEvent } from '@ates/schema-registry';
import type { TrackerDb } from '../db.js';
import { assignableRoles, type Task } from './task.js';

type Row = Selectable<TrackerDb['tasks']>;

export const toTask = (row: Row): Task => ({
  publicId: row.public_id,
  title: row.title,
  jiraId: row.jira_id,
  description: row.description,
  status: row.status,
  assigneeId: row.assignee_id,
  creatorId: row.creator_id,
  createdAt: row.created_at,
  completedAt: row.completed_at,
});

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

const taskRow = (task: Task) => ({
  public_id: task.publicId,
  title: task.title,
  jira_id: task.jiraId,
  description: task.description,
  status: task.status,
  assignee_id: task.assigneeId,
  creator_id: task.creatorId,
  created_at: task.createdAt,
  completed_at: task.completedAt,
});

/** Saves a task without events: for seeding tests and benchmarks only — use cases publish. */
export const insertTask = async (db: Kysely<TrackerDb>, task: Task): Promise<void> => {
  await db.insertInto('tasks').values(taskRow(task)).execute();
};

/**
 * Saves a new task and its events as ONE statement: atomic without a transaction's BEGIN and
 * COMMIT round trips, which is most of what creating a task costs.
 */
export const insertTaskPublishing = async (
  db: Kysely<TrackerDb>,
  task: Task,
  events: readonly AnyEvent[],
): Promise<void> => {
  const insert = db.insertInto('tasks').values(taskRow(task));
  await sql`with saved as (${insert}) ${outboxInsert(events)}`.execute(db);
};

/** The task, locked for the rest of the transaction when `forUpdate`. */
export const findTask = async (
  db: Kysely<TrackerDb>,
  publicId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Task | undefined> => {
  let query = db.selectFrom('tasks').selectAll().where('public_id', '=', publicId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toTask(row);
};

export const markDone = async (db: Kysely<TrackerDb>, task: Task): Promise<void> => {
  await db
    .updateTable('tasks')
    .set({ status: 'done', completed_at: task.completedAt })
    .where('public_id', '=', task.publicId)
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
      .selectAll()
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toTask), total: Number(count.total) };
};

export interface Move {
  readonly taskId: string;
  readonly assigneeId: string;
  readonly previousAssigneeId: string;
}

/**
 * T4 as one statement: every open task gets an eligible account drawn uniformly at random
 * (random() is evaluated per row). Open tasks are locked first, so a completion that commits
 * meanwhile is seen (the task is no longer open and is skipped) and a completion that comes
 * after waits for this transaction and then finds the new assignee.
 */
export const reassignOpenTasks = async (db: Kysely<TrackerDb>): Promise<Move[]> => {
  const result = await sql<{ task_id: string; assignee_id: string; previous_assignee_id: string }>`
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
  return result.rows.map((r) => ({
    taskId: r.task_id,
    assigneeId: r.assignee_id,
    previousAssigneeId: r.previous_assignee_id,
  }));
};

export const hasEligibleAssignee = async (db: Kysely<TrackerDb>): Promise<boolean> =>
  (await eligible(db).select('public_id').limit(1).executeTakeFirst()) !== undefined;
