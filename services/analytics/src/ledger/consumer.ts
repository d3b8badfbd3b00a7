import { consumer } from '@ates/event-bus';
import type { AnyEvent } from '@ates/schema-registry';
import type { AnalyticsDb } from '../db.js';
import { ledgerChanges, type LedgerEvent } from './changes.js';
import { applyLedgerChanges } from './store.js';

const isLedgerEvent = (event: AnyEvent): event is LedgerEvent =>
  event.event_name === 'Transaction.Applied' ||
  event.event_name === 'Payout.Made' ||
  event.event_name === 'BusinessDay.Closed';

/**
 * `analytics.ledger`: accounting's posted transactions, payouts and day closes (N2, A5) — the
 * day's fees, rewards and payouts, each account's latest balance, each task's posted reward. A
 * backlog (a year of history, a rebuild) is applied 500 events to a transaction, set-based.
 */
export const analyticsLedger = consumer<AnalyticsDb>({
  name: 'analytics.ledger',
  handlers: {
    'Transaction.Applied': { versions: [1] },
    'Payout.Made': { versions: [1] },
    'BusinessDay.Closed': { versions: [1] },
  },
  batchSize: 500,
  concurrency: 2,
  applyBatch: (tx, events) => applyLedgerChanges(tx, ledgerChanges(events.filter(isLedgerEvent))),
});
