import type { Kysely } from 'kysely';
import type { TrackerDb } from '../db.js';
import { assignableRoles } from '../tasks/access.js';
import { taskColumns, type Task } from '../tasks/task.js';

// What the dashboard reads besides the use cases: tasks with their assignee's name (from the
// `accounts` copy fed by auth's events), the counts for the tabs, and the people to filter by.

export type StatusFilter = 'open' | 'done' | 'all';

export interface TaskWithAssignee extends Task {
  readonly assigneeName: string;
}

export interface Person {
  readonly id: string;
  readonly name: string;
}

/** A person's name as the replica knows it; an account whose profile has not arrived yet still reads as someone. */
export const displayName = (row: { full_name: string | null; email: string | null } | undefined): string =>
  row?.full_name ?? row?.email ?? 'Unknown popug';

/** A page of tasks: open ones first, then done ones, newest first within each. `assigneeId` undefined means everyone's. */
export const listTasksWithAssignees = async (
  db: Kysely<TrackerDb>,
  query: {
    readonly assigneeId?: string;
    readonly status: StatusFilter;
    readonly page: number;
    readonly pageSize: number;
  },
): Promise<TaskWithAssignee[]> => {
  let select = db.selectFrom('tasks').leftJoin('accounts', 'accounts.public_id', 'tasks.assignee_id');
  if (query.assigneeId !== undefined) select = select.where('tasks.assignee_id', '=', query.assigneeId);
  if (query.status !== 'all') select = select.where('tasks.status', '=', query.status);
  const rows = await select
    .select(taskColumns.map((c) => `tasks.${c}` as const))
    .select(['accounts.full_name', 'accounts.email'])
    // 'open' sorts after 'done': descending puts open tasks first (and follows the assignee index).
    .orderBy('tasks.status', 'desc')
    .orderBy('tasks.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return rows.map(({ full_name, email, ...task }) => ({ ...task, assigneeName: displayName({ full_name, email }) }));
};

export interface TaskCounts {
  readonly open: number;
  readonly done: number;
  readonly doneToday: number;
}

/** How many tasks are open, done, and done since midnight (UTC), for one assignee or everyone. */
export const countTasks = async (
  db: Kysely<TrackerDb>,
  assigneeId: string | undefined,
  now: Date = new Date(),
): Promise<TaskCounts> => {
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  let select = db.selectFrom('tasks');
  if (assigneeId !== undefined) select = select.where('assignee_id', '=', assigneeId);
  const row = await select
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('status', '=', 'open').as('open'),
      eb.fn.countAll<string>().filterWhere('status', '=', 'done').as('done'),
      eb.fn
        .countAll<string>()
        .filterWhere((w) => w.and([w('status', '=', 'done'), w('completed_at', '>=', midnight)]))
        .as('done_today'),
    ])
    .executeTakeFirstOrThrow();
  return { open: Number(row.open), done: Number(row.done), doneToday: Number(row.done_today) };
};

/** The accounts tasks can go to (T3), by name: the choices of the assignee filter. */
export const assignablePeople = async (db: Kysely<TrackerDb>, limit = 1000): Promise<Person[]> => {
  const rows = await db
    .selectFrom('accounts')
    .select(['public_id', 'full_name', 'email'])
    .where('active', '=', true)
    .where('role', 'in', assignableRoles)
    .orderBy('full_name')
    .orderBy('public_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.public_id, name: displayName(r) }));
};

export const personName = async (db: Kysely<TrackerDb>, id: string): Promise<string> =>
  displayName(
    await db.selectFrom('accounts').select(['full_name', 'email']).where('public_id', '=', id).executeTakeFirst(),
  );

/** What the reassign confirmation tells a manager (T4): open tasks company-wide, and who can take them. */
export const reassignFigures = async (db: Kysely<TrackerDb>): Promise<{ open: number; eligible: number }> => {
  const [open, eligible] = await Promise.all([
    db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('active', '=', true)
      .where('role', 'in', assignableRoles)
      .executeTakeFirstOrThrow(),
  ]);
  return { open: Number(open.n), eligible: Number(eligible.n) };
};
