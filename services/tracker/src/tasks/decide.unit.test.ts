import { describe, expect, it } from 'vitest';
import { isAppError } from '@ates/errors';
import { registry } from '@ates/schema-registry';
import { decideCompleteTask, decideCreateTask, reassignedEvents } from './decide.js';
import type { Task } from './task.js';

const worker = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
const creator = '33333333-3333-4333-8333-333333333333';
const now = new Date('2026-03-03T10:00:00.000Z');

const openTask = (assigneeId = worker): Task => ({
  publicId: '44444444-4444-4444-8444-444444444444',
  title: 'Change the green of the button',
  jiraId: 'UBERPOP-42',
  description: '',
  status: 'open',
  assigneeId,
  creatorId: creator,
  createdAt: now,
  completedAt: null,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return undefined;
};

describe('creating a task (T3)', () => {
  it('given an eligible account, when a task is created, then Task.Created v2 and Task.Assigned are published for it', () => {
    const { task, events } = decideCreateTask(
      { title: 'Change the green of the button', jiraId: 'UBERPOP-42', description: 'x' },
      creator,
      worker,
      now,
    );
    expect(task).toMatchObject({ assigneeId: worker, status: 'open', creatorId: creator });
    const [created, assigned] = events;
    expect(created).toMatchObject({
      event_name: 'Task.Created',
      event_version: 2,
      producer: 'tracker',
      data: {
        public_id: task.publicId,
        title: 'Change the green of the button',
        jira_id: 'UBERPOP-42',
        assignee_id: worker,
      },
    });
    expect(assigned).toMatchObject({
      event_name: 'Task.Assigned',
      data: { task_id: task.publicId, assignee_id: worker, previous_assignee_id: null },
    });
    expect(assigned.causation_id).toBe(created.event_id);
    expect(assigned.correlation_id).toBe(created.correlation_id);
    for (const event of events) expect(registry.validate(event)).toMatchObject({ ok: true });
  });

  it('given nobody eligible, when a task is created, then it is refused with "no eligible assignee"', () => {
    expect(() => decideCreateTask({ title: 'x', jiraId: null, description: '' }, creator, undefined, now)).toThrow(
      /^no eligible assignee/,
    );
  });
});

describe('completing a task (T5)', () => {
  it('given an open task, when its assignee completes it, then it is done and Task.Completed is published', () => {
    const { task, event } = decideCompleteTask(openTask(), worker, now);
    expect(task).toMatchObject({ status: 'done', completedAt: now });
    expect(event).toMatchObject({
      event_name: 'Task.Completed',
      data: { task_id: task.publicId, assignee_id: worker, completed_at: now.toISOString() },
    });
  });

  it('given an open task, when someone else completes it, then it is forbidden', () => {
    expect(codeOf(() => decideCompleteTask(openTask(), other, now))).toBe('forbidden');
  });

  it('given a done task, when its assignee completes it again, then it is a conflict', () => {
    const done = decideCompleteTask(openTask(), worker, now).task;
    expect(codeOf(() => decideCompleteTask(done, worker, now))).toBe('conflict');
  });
});

describe('reassigning (T4)', () => {
  it('publishes one valid Task.Assigned per move, all correlated', () => {
    const events = reassignedEvents(
      [
        { taskId: openTask().publicId, assigneeId: other, previousAssigneeId: worker },
        { taskId: creator, assigneeId: worker, previousAssigneeId: other },
      ],
      now,
    );
    expect(events).toHaveLength(2);
    expect(new Set(events.map((e) => e.correlation_id)).size).toBe(1);
    expect(events[0]).toMatchObject({ data: { assignee_id: other, previous_assignee_id: worker } });
    for (const event of events) expect(registry.validate(event)).toMatchObject({ ok: true });
  });
});
