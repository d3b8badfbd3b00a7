import { describe, expect, it } from 'vitest';
import { decideSpecification } from '@ates/event-bus/testing';
import { envelopesOf } from '@ates/schema-registry';
import { decideCompleteTask, decideCreateTask, decideReassign } from './decide.js';
import type { Task } from './task.js';

const worker = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
const creator = '33333333-3333-4333-8333-333333333333';
const taskId = '44444444-4444-4444-8444-444444444444';
const now = new Date('2026-03-03T10:00:00.000Z');
const later = new Date('2026-03-03T11:30:00.000Z');

const openTask = (assignee = worker): Task => ({
  public_id: taskId,
  title: 'Change the green of the button',
  jira_id: 'UBERPOP-42',
  description: '',
  status: 'open',
  assignee_id: assignee,
  creator_id: creator,
  created_at: now,
  completed_at: null,
});

const create = decideSpecification(decideCreateTask);
const complete = decideSpecification(decideCompleteTask);
const reassign = decideSpecification(decideReassign);
const newTask = {
  taskId,
  title: 'Change the green of the button',
  jiraId: 'UBERPOP-42',
  description: 'x',
  creatorId: creator,
};

describe('creating a task (T3)', () => {
  it('given an eligible account drawn, when a task is created, then Task.Created v2 and Task.Assigned say so', () => {
    const { state } = create
      .given({ assigneeId: worker })
      .when(newTask, now)
      .then([
        {
          name: 'Task.Created',
          version: 2,
          data: {
            public_id: taskId,
            title: 'Change the green of the button',
            jira_id: 'UBERPOP-42',
            assignee_id: worker,
            status: 'open',
            created_at: now.toISOString(),
          },
        },
        {
          name: 'Task.Assigned',
          version: 1,
          data: { task_id: taskId, assignee_id: worker, previous_assignee_id: null, assigned_at: now.toISOString() },
        },
      ]);
    expect(state).toEqual({ ...openTask(), description: 'x' });
  });

  it('wraps the two events as one correlated chain: Task.Assigned is caused by Task.Created', () => {
    const { events } = create
      .given({ assigneeId: worker })
      .when(newTask, now)
      .then([{ name: 'Task.Created' }, { name: 'Task.Assigned' }]);
    const [created, assigned] = envelopesOf(events, { producer: 'tracker', now });
    expect(assigned?.causation_id).toBe(created?.event_id);
    expect(assigned?.correlation_id).toBe(created?.correlation_id);
  });

  it('given nobody eligible, when a task is created, then it is refused and there is no task', () => {
    create
      .given({ assigneeId: undefined })
      .when(newTask)
      .thenRefuses('task.no_eligible_assignee', /^No eligible assignee/);
  });
});

describe('completing a task (T5)', () => {
  it('given an open task, when its assignee completes it, then it is done and Task.Completed says so', () => {
    const { state } = complete
      .given(openTask())
      .when({ callerId: worker }, later)
      .then([
        { name: 'Task.Completed', data: { task_id: taskId, assignee_id: worker, completed_at: later.toISOString() } },
      ]);
    expect(state).toMatchObject({ status: 'done', completed_at: later });
  });

  it('given an open task, when someone else completes it, then it is refused', () => {
    complete.given(openTask()).when({ callerId: other }).thenRefuses('task.not_assignee');
  });

  it('given a done task, when its assignee completes it again, then it is refused', () => {
    complete
      .given({ ...openTask(), status: 'done', completed_at: now })
      .when({ callerId: worker })
      .thenRefuses('task.already_done');
  });
});

describe('reassigning (T4)', () => {
  const moves = [
    { task_id: taskId, assignee_id: other, previous_assignee_id: worker },
    { task_id: creator, assignee_id: worker, previous_assignee_id: other },
  ];

  it('given the moves PostgreSQL drew, when a manager reassigns, then one Task.Assigned per move', () => {
    reassign
      .given({ eligible: true, moves })
      .when({ role: 'manager' }, later)
      .then(
        moves.map((m) => ({ name: 'Task.Assigned', data: { ...m, assigned_at: later.toISOString() } })),
        moves,
      );
  });

  it('given nobody eligible, when an admin reassigns, then it is refused', () => {
    reassign.given({ eligible: false, moves: [] }).when({ role: 'admin' }).thenRefuses('task.no_eligible_assignee');
  });

  it.each(['worker', 'accountant'] as const)('given anything, when %s reassigns, then it is refused', (role) => {
    reassign.given({ eligible: true, moves }).when({ role }).thenRefuses('task.reassign_not_allowed');
  });
});
