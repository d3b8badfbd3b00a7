import { businessDayOf, type BusinessCalendar, type BusinessDay } from '@ates/business-days';
import type { EventOf } from '@ates/schema-registry';
import { taskCreatedData, type TaskCreatedAnyVersion } from '@ates/task-events';

export type TaskEvent = TaskCreatedAnyVersion | EventOf<'Task.Priced', 1> | EventOf<'Task.Completed', 1>;

/** What a batch of task events tells about one task; null where none of its events said. */
export interface TaskFacts {
  readonly taskId: string;
  readonly title: string | null;
  readonly jiraId: string | null;
  readonly completionReward: number | null;
  readonly completedAt: string | null;
  readonly completedDay: BusinessDay | null;
}

const none = (taskId: string): TaskFacts => ({
  taskId,
  title: null,
  jiraId: null,
  completionReward: null,
  completedAt: null,
  completedDay: null,
});

/**
 * N3: what the tracker (Task.Created v1 or v2 — title and jira_id — and Task.Completed) and
 * accounting (Task.Priced — the completion reward) tell about tasks, one row per task, sorted by
 * id. Each fact is told once in a task's life (a title when it is created, prices once, a
 * completion once), so the first one a batch meets wins and the store keeps the first it stored.
 * The completion's business day is the calendar's, until the ledger's reward says which day it
 * was posted to.
 */
export const taskFacts = (events: readonly TaskEvent[], calendar: BusinessCalendar): TaskFacts[] => {
  const tasks = new Map<string, TaskFacts>();
  for (const event of events) {
    const taskId = event.event_name === 'Task.Created' ? event.data.public_id : event.data.task_id;
    const known = tasks.get(taskId) ?? none(taskId);
    if (event.event_name === 'Task.Created' && known.title === null) {
      const data = taskCreatedData(event);
      tasks.set(taskId, { ...known, title: data.title, jiraId: data.jira_id });
    } else if (event.event_name === 'Task.Priced' && known.completionReward === null) {
      tasks.set(taskId, { ...known, completionReward: event.data.completion_reward });
    } else if (event.event_name === 'Task.Completed' && known.completedAt === null) {
      const at = new Date(event.data.completed_at);
      tasks.set(taskId, { ...known, completedAt: at.toISOString(), completedDay: businessDayOf(at, calendar) });
    } else tasks.set(taskId, known);
  }
  return [...tasks.values()].sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
};
