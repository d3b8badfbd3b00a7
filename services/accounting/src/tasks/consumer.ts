import { consumer } from '@ates/event-bus';
import type { AnyEvent, EventOf } from '@ates/schema-registry';
import { taskCreatedData } from '@ates/task-events';
import type { AccountingDb } from '../db.js';
import { priceTasks } from '../prices/commands.js';

type TaskCreated = EventOf<'Task.Created', 1> | EventOf<'Task.Created', 2>;

const isTaskCreated = (event: AnyEvent): event is TaskCreated => event.event_name === 'Task.Created';

/**
 * Accounting's copy of tasks, fed by Task.Created: the title, jira_id and description the audit
 * log shows (A2). It accepts v1 (the Jira id inside the title) and v2 (jira_id apart) alike,
 * reading both through `taskCreatedData` (T6). A task is priced the first time any event about it
 * arrives (A3), so Task.Created prices it too when it comes first.
 *
 * A batch at a time, in task-id order: the ledger prices the same new tasks from their
 * Task.Assigned at the same moment, and rows taken one by one in arrival order deadlocked with it
 * on `task_prices` (each batch then went one event per transaction, a hundred times slower).
 */
export const accountingTasks = consumer<AccountingDb>({
  name: 'accounting.tasks',
  handlers: { 'Task.Created': { versions: [1, 2] } },
  batchSize: 500,
  applyBatch: async (tx, events) => {
    // The last copy of each task in the batch, and the first event that named it (the cause of its Task.Priced).
    const latest = new Map<string, { row: ReturnType<typeof copyOf>; cause: TaskCreated }>();
    for (const event of events.filter(isTaskCreated)) {
      const row = copyOf(event);
      latest.set(row.public_id, { row, cause: latest.get(row.public_id)?.cause ?? event });
    }
    if (latest.size === 0) return;
    const ids = [...latest.keys()].sort();
    await tx
      .insertInto('tasks')
      .values(ids.map((id) => (latest.get(id) as { row: ReturnType<typeof copyOf> }).row))
      .onConflict((oc) =>
        oc.column('public_id').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          jira_id: eb.ref('excluded.jira_id'),
          description: eb.ref('excluded.description'),
        })),
      )
      .execute();
    await priceTasks(tx, new Map(ids.map((id) => [id, (latest.get(id) as { cause: TaskCreated }).cause])), new Date());
  },
});

const copyOf = (event: TaskCreated) => {
  const data = taskCreatedData(event);
  return {
    public_id: data.public_id,
    title: data.title,
    jira_id: data.jira_id,
    description: data.description,
    created_at: new Date(data.created_at),
  };
};
