import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError, refuse } from '@ates/errors';
import { publishMany, type Change, type Decision } from '@ates/event-bus';
import type { Role } from '@ates/roles';
import { envelopesOf, type AnyEvent } from '@ates/schema-registry';
import type { TrackerDb } from '../db.js';
import { mayReassign } from './access.js';
import { decideCompleteTask, decideCreateTask, decideReassign, type NewTaskInput, type TaskEvent } from './decide.js';
import { findTask, hasEligibleAssignee, insertTaskPublishing, markDone, reassignOpenTasks } from './store.js';
import type { Task } from './task.js';
import { tableAssignees, type AssigneePool } from './assignees.js';

// The tracker's use cases: each loads what its rule needs, lets the rule decide (decide.ts),
// wraps the events in envelopes and saves the change with them in one transaction (the outbox).

/** Who asks: the account id and role of the caller, from the access token (or the dashboard session). */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}

const accepted = <S>(decision: Decision<S, TaskEvent>): Change<S, TaskEvent> => {
  if (decision instanceof AppError) throw decision;
  return decision;
};

const envelopes = (events: readonly TaskEvent[], now: Date): AnyEvent[] =>
  envelopesOf(events, { producer: 'tracker', now });

/** What creating a task needs besides the database: where assignees come from, who wakes the relay. */
export interface CreateTaskDeps {
  /** Default: a draw from the table each time. */
  readonly assignees?: AssigneePool;
  /** Wakes the relay after the commit (`ctx.bus.wakeRelay`); default: the outbox trigger does. */
  readonly wakeRelay?: () => void;
}

/** An assignee drawn this many times in a row turning out not eligible any more: refused as none. */
const drawAttempts = 5;

/**
 * T3. With assignees kept in memory, one round trip: the statement that saves the task with its
 * events also checks that the drawn assignee is still eligible; when not (deactivated a moment
 * ago), the kept list is dropped and the draw repeated from the table.
 */
export const createTask = async (
  db: Kysely<TrackerDb>,
  input: NewTaskInput,
  creator: Actor,
  deps: CreateTaskDeps = {},
): Promise<Task> => {
  const assignees = deps.assignees ?? tableAssignees(db);
  const now = new Date();
  const command = { ...input, taskId: randomUUID(), creatorId: creator.id };
  for (let attempt = 1; ; attempt += 1) {
    const assigneeId = attempt <= drawAttempts ? await assignees.draw() : undefined;
    const { state: task, events } = accepted(decideCreateTask({ assigneeId }, command, now));
    const saved = await insertTaskPublishing(db, task, envelopes(events, now), {
      wake: deps.wakeRelay ? 'caller' : 'trigger',
    });
    if (saved) {
      deps.wakeRelay?.();
      return task;
    }
    assignees.forget();
  }
};

/** T5. The task row is locked, so that a reassign and a completion never cross. */
export const completeTask = (db: Kysely<TrackerDb>, publicId: string, caller: Actor): Promise<Task> =>
  db.transaction().execute(async (tx) => {
    const current = await findTask(tx, publicId, { forUpdate: true });
    if (!current) throw refuse('task.not_found', `No task ${publicId}.`);
    const now = new Date();
    const { state: task, events } = accepted(decideCompleteTask(current, { callerId: caller.id }, now));
    await markDone(tx, task);
    await publishMany(tx, envelopes(events, now));
    return task;
  });

/** T4: reshuffles every open task in one transaction; answers how many were reassigned. */
export const reassignAll = (db: Kysely<TrackerDb>, caller: Actor): Promise<number> =>
  db.transaction().execute(async (tx) => {
    const eligible = await hasEligibleAssignee(tx);
    // Draw only when the rule can accept: a refused reassign must not lock 100,000 rows first.
    const moves = eligible && mayReassign(caller.role) ? await reassignOpenTasks(tx) : [];
    const now = new Date();
    const { state, events } = accepted(decideReassign({ eligible, moves }, { role: caller.role }, now));
    await publishMany(tx, envelopes(events, now));
    return state.length;
  });
