import type { BusinessCalendar } from '@ates/business-days';
import { consumer, type ConsumerDefinition } from '@ates/event-bus';
import type { AnyEvent } from '@ates/schema-registry';
import type { AnalyticsDb } from '../db.js';
import { taskFacts, type TaskEvent } from './changes.js';
import { storeTaskFacts } from './store.js';

const isTaskEvent = (event: AnyEvent): event is TaskEvent =>
  event.event_name === 'Task.Created' || event.event_name === 'Task.Priced' || event.event_name === 'Task.Completed';

/**
 * `analytics.tasks`: what the most expensive task (N3) is named and worth before — or without —
 * its reward transaction: the tracker's Task.Created (v1 and v2, T6) and Task.Completed, and
 * accounting's Task.Priced.
 */
export const analyticsTasks = (calendar: BusinessCalendar): ConsumerDefinition<AnalyticsDb> =>
  consumer<AnalyticsDb>({
    name: 'analytics.tasks',
    handlers: {
      'Task.Created': { versions: [1, 2] },
      'Task.Priced': { versions: [1] },
      'Task.Completed': { versions: [1] },
    },
    batchSize: 500,
    concurrency: 2,
    applyBatch: (tx, events) => storeTaskFacts(tx, taskFacts(events.filter(isTaskEvent), calendar)),
  });
