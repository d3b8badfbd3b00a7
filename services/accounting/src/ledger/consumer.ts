import type { BusinessCalendar } from '@ates/business-days';
import { consumer, type ConsumerDefinition } from '@ates/event-bus';
import type { AccountingDb } from '../db.js';
import { postTaskEvents, type TaskFactEvent } from './commands.js';

const isTaskFact = (event: { event_name: string }): event is TaskFactEvent =>
  event.event_name === 'Task.Assigned' || event.event_name === 'Task.Completed';

/**
 * `accounting.ledger`: every Task.Assigned debits its fee, every Task.Completed credits its
 * reward (A3), whatever their order and however often they come. The fresh events of a batch are
 * posted together (`applyBatch`): a reassign of 100,000 tasks is 50 batches of 2,000, each the
 * same dozen set-based statements (sized for a backlog: with 500, the per-statement and
 * per-transaction costs were paid four times as often). Two batches at once: more would only
 * queue on the same accounts' balance rows.
 */
export const ledgerConsumer = (calendar: BusinessCalendar): ConsumerDefinition<AccountingDb> =>
  consumer<AccountingDb>({
    name: 'accounting.ledger',
    handlers: { 'Task.Assigned': { versions: [1] }, 'Task.Completed': { versions: [1] } },
    batchSize: 2_000,
    concurrency: 2,
    applyBatch: (tx, events) => postTaskEvents(tx, events.filter(isTaskFact), { calendar }),
  });
