import { refuse } from '@ates/errors';
import type { Decision } from '@ates/event-bus';
import type { Role } from '@ates/roles';
import type { BareEvent } from '@ates/schema-registry';
import { mayReassign } from './access.js';
import type { Task } from './task.js';

/**
 * The tracker's rules as plain functions in the one shape (`Decide` of @ates/event-bus): what
 * they must know, the command and `now` in; the task as it must be saved and the bare events, or
 * the refusal, out. Random draws are inputs: the assignee of a new task is drawn by the store
 * before deciding, the moves of a reassign by PostgreSQL in the same transaction.
 */
export type TaskEvent = BareEvent<'Task.Created', 2> | BareEvent<'Task.Assigned', 1> | BareEvent<'Task.Completed', 1>;

export interface NewTaskInput {
  readonly title: string;
  readonly jiraId: string | null;
  readonly description: string;
}

export interface CreateTask extends NewTaskInput {
  readonly taskId: string;
  readonly creatorId: string;
}

/** One reassigned task: who had it, who has it now. */
export interface Move {
  readonly task_id: string;
  readonly assignee_id: string;
  readonly previous_assignee_id: string;
}

const assigned = (
  move: Move | (Omit<Move, 'previous_assignee_id'> & { previous_assignee_id: null }),
  now: Date,
): TaskEvent => ({
  name: 'Task.Assigned',
  version: 1,
  data: { ...move, assigned_at: now.toISOString() },
});

/**
 * T3: a new task goes to `assigneeId`, drawn uniformly at random among the eligible accounts
 * (`undefined` when nobody is eligible: then there is no task, and the refusal says why).
 */
export const decideCreateTask = (
  state: { readonly assigneeId: string | undefined },
  command: CreateTask,
  now: Date,
): Decision<Task, TaskEvent> => {
  if (state.assigneeId === undefined) return refuse('task.no_eligible_assignee');
  const task: Task = {
    public_id: command.taskId,
    title: command.title,
    jira_id: command.jiraId,
    description: command.description,
    status: 'open',
    assignee_id: state.assigneeId,
    creator_id: command.creatorId,
    created_at: now,
    completed_at: null,
  };
  const created: TaskEvent = {
    name: 'Task.Created',
    version: 2,
    data: {
      public_id: task.public_id,
      title: task.title,
      jira_id: task.jira_id,
      description: task.description,
      status: task.status,
      assignee_id: task.assignee_id,
      created_at: now.toISOString(),
    },
  };
  return {
    state: task,
    events: [
      created,
      assigned({ task_id: task.public_id, assignee_id: task.assignee_id, previous_assignee_id: null }, now),
    ],
  };
};

/** T5: only the assignee completes a task, and only once. */
export const decideCompleteTask = (
  task: Task,
  command: { readonly callerId: string },
  now: Date,
): Decision<Task, TaskEvent> => {
  if (task.assignee_id !== command.callerId) return refuse('task.not_assignee');
  if (task.status === 'done') return refuse('task.already_done');
  const done: Task = { ...task, status: 'done', completed_at: now };
  return {
    state: done,
    events: [
      {
        name: 'Task.Completed',
        version: 1,
        data: { task_id: task.public_id, assignee_id: command.callerId, completed_at: now.toISOString() },
      },
    ],
  };
};

/**
 * T4: managers and admins reshuffle every open task; each move is one Task.Assigned. `moves`
 * are what PostgreSQL drew (set-based: a reassign may move 100,000 tasks), `eligible` whether
 * anyone could take them.
 */
export const decideReassign = (
  state: { readonly eligible: boolean; readonly moves: readonly Move[] },
  command: { readonly role: Role },
  now: Date,
): Decision<readonly Move[], TaskEvent> => {
  if (!mayReassign(command.role)) return refuse('task.reassign_not_allowed');
  if (!state.eligible) return refuse('task.no_eligible_assignee');
  return { state: state.moves, events: state.moves.map((m) => assigned(m, now)) };
};
