import { randomUUID } from 'node:crypto';
import { conflict, forbidden, type AppError } from '@ates/errors';
import { newEnvelope, type EventOf } from '@ates/schema-registry';
import type { Task } from './task.js';

export interface NewTaskInput {
  readonly title: string;
  readonly jiraId: string | null;
  readonly description: string;
}

export type TaskCreated = EventOf<'Task.Created', 2>;
export type TaskAssigned = EventOf<'Task.Assigned', 1>;
export type TaskCompleted = EventOf<'Task.Completed', 1>;

const meta = (correlationId?: string) => ({ producer: 'tracker', ...(correlationId ? { correlationId } : {}) });

export const noEligibleAssignee = (): AppError =>
  conflict('no eligible assignee: a task needs an active account that is neither a manager nor an admin.');

/**
 * T3: a new task goes to `assigneeId`, drawn uniformly at random among the eligible accounts by
 * the caller (see `pickAssignee`); `undefined` means nobody is eligible, and then there is no
 * task: the error says why and nothing is saved.
 */
export const decideCreateTask = (
  input: NewTaskInput,
  creatorId: string,
  assigneeId: string | undefined,
  now: Date,
): { task: Task; events: readonly [TaskCreated, TaskAssigned] } => {
  if (assigneeId === undefined) throw noEligibleAssignee();
  const task: Task = {
    publicId: randomUUID(),
    ...input,
    status: 'open',
    assigneeId,
    creatorId,
    createdAt: now,
    completedAt: null,
  };
  const created = newEnvelope(
    'Task.Created',
    2,
    {
      public_id: task.publicId,
      title: task.title,
      jira_id: task.jiraId,
      description: task.description,
      status: task.status,
      assignee_id: task.assigneeId,
      created_at: now.toISOString(),
    },
    meta(),
  );
  const assigned = newEnvelope(
    'Task.Assigned',
    1,
    {
      task_id: task.publicId,
      assignee_id: assigneeId,
      previous_assignee_id: null,
      assigned_at: now.toISOString(),
    },
    { ...meta(created.correlation_id), causationId: created.event_id },
  );
  return { task, events: [created, assigned] };
};

/** T5: only the assignee completes a task, and only once. */
export const decideCompleteTask = (task: Task, callerId: string, now: Date): { task: Task; event: TaskCompleted } => {
  if (task.assigneeId !== callerId) throw forbidden("Only the task's assignee can complete it.");
  if (task.status === 'done') throw conflict('The task is already done.');
  const done: Task = { ...task, status: 'done', completedAt: now };
  const event = newEnvelope(
    'Task.Completed',
    1,
    { task_id: task.publicId, assignee_id: callerId, completed_at: now.toISOString() },
    meta(),
  );
  return { task: done, event };
};

/** One `Task.Assigned` per reassigned task (T4), all sharing the reassign's correlation id. */
export const reassignedEvents = (
  moves: readonly { readonly taskId: string; readonly assigneeId: string; readonly previousAssigneeId: string }[],
  now: Date,
  correlationId: string = randomUUID(),
): TaskAssigned[] =>
  moves.map((m) =>
    newEnvelope(
      'Task.Assigned',
      1,
      {
        task_id: m.taskId,
        assignee_id: m.assigneeId,
        previous_assignee_id: m.previousAssigneeId,
        assigned_at: now.toISOString(),
      },
      meta(correlationId),
    ),
  );
