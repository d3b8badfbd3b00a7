import { consumer } from '@ates/event-bus';
import { taskCreatedData } from '@ates/task-events';
import type { AccountingDb } from '../db.js';
import { priceTasks } from '../prices/commands.js';

/**
 * Accounting's copy of tasks, fed by Task.Created: the title, jira_id and description the audit
 * log shows (A2). It accepts v1 (the Jira id inside the title) and v2 (jira_id apart) alike,
 * reading both through `taskCreatedData` (T6). A task is priced the first time any event about it
 * arrives (A3), so Task.Created prices it too when it comes first.
 */
export const accountingTasks = consumer<AccountingDb>({
  name: 'accounting.tasks',
  handlers: {
    'Task.Created': {
      versions: [1, 2],
      handle: async (tx, event) => {
        const data = taskCreatedData(event);
        const row = { title: data.title, jira_id: data.jira_id, description: data.description };
        await tx
          .insertInto('tasks')
          .values({ public_id: data.public_id, ...row, created_at: new Date(data.created_at) })
          .onConflict((oc) => oc.column('public_id').doUpdateSet(row))
          .execute();
        await priceTasks(tx, new Map([[data.public_id, event]]), new Date());
      },
    },
  },
});
