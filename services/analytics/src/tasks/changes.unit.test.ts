import { describe, expect, it } from 'vitest';
import { newId, taskCompleted, taskCreated, taskPriced, utc } from '../testing/fixtures.js';
import { taskFacts, type TaskEvent } from './changes.js';

const [task, polly] = [newId(), newId()];
const at = new Date('2026-03-03T23:30:00.000Z');
const named = { id: task, title: 'Paint the fence', jiraId: 'UBERPOP-42', assigneeId: polly };

describe('taskFacts (N3)', () => {
  it('reads v1 and v2 of Task.Created alike, the Jira id apart from the title (T6)', () => {
    for (const version of [1, 2] as const)
      expect(taskFacts([taskCreated(named, at, version) as TaskEvent], utc)).toEqual([
        {
          taskId: task,
          title: 'Paint the fence',
          jiraId: 'UBERPOP-42',
          completionReward: null,
          completedAt: null,
          completedDay: null,
        },
      ]);
  });

  it("joins a task's events in any order; the completion's day is the calendar's", () => {
    const events = [
      taskCompleted(task, polly, at),
      taskPriced(task, 1500, 3800, at),
      taskCreated(named, at),
    ] as TaskEvent[];
    expect(taskFacts(events, { timeZone: 'Europe/Berlin', dayEndMinutes: 1440 })).toEqual([
      {
        taskId: task,
        title: 'Paint the fence',
        jiraId: 'UBERPOP-42',
        completionReward: 3800,
        completedAt: at.toISOString(),
        completedDay: '2026-03-04',
      },
    ]);
  });

  it('keeps the first title a batch meets', () => {
    const events = [taskCreated(named, at), taskCreated({ ...named, title: 'Other', jiraId: null }, at)] as TaskEvent[];
    expect(taskFacts(events, utc)[0]?.title).toBe('Paint the fence');
  });
});
