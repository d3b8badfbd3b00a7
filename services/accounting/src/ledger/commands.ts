import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { businessDayOf, type BusinessCalendar } from '@ates/business-days';
import { publishMany } from '@ates/event-bus';
import type { AnyEvent, EventOf } from '@ates/schema-registry';
import type { AccountingDb } from '../db.js';
import { shareDays } from '../days/store.js';
import { accepted, accountingEnvelopes } from '../events.js';
import { priceTasks } from '../prices/commands.js';
import { decidePostings, keyOf, type Fact } from './decide.js';
import { appendEntries, lockBalances, postedKeys } from './store.js';

export type TaskFactEvent = EventOf<'Task.Assigned', 1> | EventOf<'Task.Completed', 1>;

const factOf = (event: TaskFactEvent): Omit<Fact, 'price' | 'transactionId'> =>
  event.event_name === 'Task.Assigned'
    ? {
        kind: 'fee',
        eventId: event.event_id,
        accountId: event.data.assignee_id,
        taskId: event.data.task_id,
        occurredAt: new Date(event.data.assigned_at),
      }
    : {
        kind: 'reward',
        eventId: event.event_id,
        accountId: event.data.assignee_id,
        taskId: event.data.task_id,
        occurredAt: new Date(event.data.completed_at),
      };

/**
 * A2–A4 for a batch of Task.Assigned and Task.Completed (a reassign's thousands at once), in
 * `tx`: prices the tasks met for the first time, then posts each fee and reward once to its
 * business day, and publishes a Transaction.Applied per entry, caused by the event that told it.
 * Set-based: the same dozen statements for one event or five hundred. It never waits for a copy:
 * a fee is posted for an account or a task accounting has not heard of yet.
 */
export const postTaskEvents = async (
  tx: Kysely<AccountingDb>,
  events: readonly TaskFactEvent[],
  options: { readonly calendar: BusinessCalendar; readonly now?: Date },
): Promise<void> => {
  if (events.length === 0) return;
  const now = options.now ?? new Date();
  const named = events.map((event) => ({ event, fact: factOf(event) }));
  const causes = new Map<string, AnyEvent>();
  for (const { event, fact } of named) if (!causes.has(fact.taskId)) causes.set(fact.taskId, event);
  const prices = await priceTasks(tx, causes, now);
  const facts: Fact[] = named.map(({ fact }) => {
    const price = prices.get(fact.taskId);
    if (!price) throw new Error(`task ${fact.taskId} has no prices after pricing`);
    return { ...fact, price, transactionId: randomUUID() };
  });

  // Days first, then balances: every posting takes its locks in this order, and so does a close.
  const locked = new Set([
    ...facts.map((f) => businessDayOf(f.occurredAt, options.calendar)),
    businessDayOf(now, options.calendar),
  ]);
  const lastClosedDay = await shareDays(tx, [...locked]);
  const balances = await lockBalances(
    tx,
    facts.map((f) => f.accountId),
  );
  const posted = await postedKeys(tx, facts.map(keyOf));
  const change = accepted(
    decidePostings({ calendar: options.calendar, lastClosedDay, balances, posted }, { facts }, now),
  );

  // A day beyond those locked (a clock ahead of ours closed today): lock it too, and make sure no
  // close began meanwhile; if one did, the batch is retried with what is true then.
  const beyond = change.state.entries.map((e) => e.business_day).filter((d) => !locked.has(d));
  if (beyond.length > 0 && (await shareDays(tx, beyond)) !== lastClosedDay)
    throw new Error('a business day began closing while this batch was posted; it will be retried');

  await appendEntries(tx, change.state.entries, change.state.balances);
  const causeOf = new Map(named.map(({ event, fact }) => [keyOf(fact), event]));
  await publishMany(
    tx,
    change.state.entries.flatMap((entry, i) => {
      const applied = change.events[i];
      return applied ? accountingEnvelopes([applied], now, causeOf.get(entry.idempotency_key)) : [];
    }),
  );
};
