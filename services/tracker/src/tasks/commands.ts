import type { Kysely } from 'kysely';
import { notFound } from '@ates/errors';
import { publishMany } from '@ates/event-bus';
import type { TrackerDb } from '../db.js';
import {
  decideCompleteTask,
  decideCreateTask,
  noEligibleAssignee,
  reassignedEvents,
  type NewTaskInput,
} from './decide.js';
import {
  findTask,
  hasEligibleAssignee,
  insertTaskPublishing,
  markDone,
  pickAssignee,
  reassignOpenTasks,
} from './store.js';
import type { Task } from './task.js';

// The tracker's use cases: each is one transaction in which the change and its events commit
// together (the outbox), with the decisions taken by the plain functions of decide.ts.

/** T3. Two round trips: draw the assignee, then save the task with its events in one statement. */
export const createTask = async (db: Kysely<TrackerDb>, input: NewTaskInput, creatorId: string): Promise<Task> => {
  const { task, events } = decideCreateTask(input, creatorId, await pickAssignee(db), new Date());
  await insertTaskPublishing(db, task, events);
  return task;
};

export const completeTask = (db: Kysely<TrackerDb>, publicId: string, callerId: string): Promise<Task> =>
  db.transaction().execute(async (tx) => {
    const current = await findTask(tx, publicId, { forUpdate: true });
    if (!current) throw notFound(`No task ${publicId}.`);
    const { task, event } = decideCompleteTask(current, callerId, new Date());
    await markDone(tx, task);
    await publishMany(tx, [event]);
    return task;
  });

/** T4: reshuffles every open task in one transaction; answers how many were reassigned. */
export const reassignAll = (db: Kysely<TrackerDb>): Promise<number> =>
  db.transaction().execute(async (tx) => {
    if (!(await hasEligibleAssignee(tx))) throw noEligibleAssignee();
    const moves = await reassignOpenTasks(tx);
    await publishMany(tx, reassignedEvents(moves, new Date()));
    return moves.length;
  });
