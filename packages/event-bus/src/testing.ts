/**
 * Helpers for services' domain tests, in "given events / when command / then events" style,
 * against the service's real database (its migrations, the event bus's tables included):
 *
 *   const consumer = deliverTo(db, trackerAccounts);
 *   await consumer.deliver(accountCreated);                   // given
 *   const published = await watchOutbox(db);
 *   await createTask(db, { title: 'Paint the fence' });       // when
 *   expect(await published.events()).toMatchObject([           // then
 *     { event_name: 'Task.Created', data: { title: 'Paint the fence' } },
 *     { event_name: 'Task.Assigned' },
 *   ]);
 */
import { sql, type Kysely } from 'kysely';
import { createLogger } from '@ates/logger';
import type { AnyEvent, SchemaRegistry } from '@ates/schema-registry';
import { ConsumerCore, type ConsumerDefinition, type Outcome } from './consumer.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Events in the outbox after `position` (all by default), in the order they were published. */
export const outboxEvents = async (db: AnyDb, after = 0): Promise<AnyEvent[]> => {
  const { rows } = await sql<{
    envelope: AnyEvent;
  }>`select envelope from outbox where position > ${after} order by position`.execute(db);
  return rows.map((r) => r.envelope);
};

export interface OutboxWatch {
  /** Events published since the watch began, in order. */
  events(): Promise<AnyEvent[]>;
}

/** Remembers where the outbox ends now; `events()` returns what was published after that. */
export const watchOutbox = async (db: AnyDb): Promise<OutboxWatch> => {
  const { rows } = await sql<{ last: number }>`select coalesce(max(position), 0)::bigint as last from outbox`.execute(
    db,
  );
  const after = rows[0]?.last ?? 0;
  return { events: () => outboxEvents(db, after) };
};

export interface TestConsumer {
  /**
   * Hands events (or raw bodies, to test bad input) to the consumer exactly as the transport
   * would: validated, version-checked, applied once through the inbox. A handler failure is
   * thrown (no retries) so the test sees it; bad input becomes a dead letter, as in production.
   */
  deliver(...events: ReadonlyArray<AnyEvent | string>): Promise<Outcome[]>;
}

/** A consumer without a transport, for tests of its handlers against a real database. */
export const deliverTo = <DB>(
  db: Kysely<DB>,
  definition: ConsumerDefinition<DB>,
  options: { registry?: SchemaRegistry } = {},
): TestConsumer => {
  const core = new ConsumerCore(
    { ...definition, immediateRetries: 0, redeliveryDelaysMs: [0] },
    {
      db,
      logger: createLogger(definition.name, 'silent'),
      ...(options.registry ? { registry: options.registry } : {}),
    },
  );
  return {
    deliver: async (...events) => {
      const outcomes: Outcome[] = [];
      for (const event of events) {
        const outcome = await core.handle(
          typeof event === 'string' ? event : JSON.stringify(event),
          1,
          definition.name,
        );
        if (outcome.kind === 'retry_later') throw outcome.error;
        outcomes.push(outcome);
      }
      return outcomes;
    },
  };
};

export { decideSpecification, specificationNow } from './decider-specification.js';
export type { Then } from './decider-specification.js';

export { testRegistry, testSchemasDir } from './test-events.js';
export type { TestPingedV1, TestPingedV2 } from './test-events.js';
