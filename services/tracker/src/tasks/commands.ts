import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError, refuse } from '@ates/errors';
import { publishMany, type Change, type Decision } from '@ates/event-bus';
import type { Role } from '@ates/roles';
import { envelopesOf, type AnyEvent } from '@ates/schema-registry';
import type { TrackerDb } from '../db.js';
import { mayReassign } from './access.js';
import { decideCompleteTask, decideCreateTask, decideReassign, type NewTaskInput, type TaskEvent } from './decide.js';
import {
  findTask,
  hasEligibleAssignee,
  insertTaskPublishing,
  markDone,
  pickAssignee,
  reassignOpenTasks,
} from './store.js';
import type { Task } from './task.js';

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

/** T3. Two round trips: draw the assignee, then save the task with its events in one statement. */
export const createTask = async (db: Kysely<TrackerDb>, input: NewTaskInput, creator: Actor): Promise<Task> => {
  const now = new Date();
  const command = { ...input, taskId: randomUUID(), creatorId: creator.id };
  const { state: task, events } = accepted(decideCreateTask({ assigneeId: await pickAssignee(db) }, command, now));
  await insertTaskPublishing(db, task, envelopes(events, now));
  return task;
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
