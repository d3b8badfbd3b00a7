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
/**
 * Several consumer groups of one service fed as the transport feeds them: each event goes to
 * the groups that handle its name, and `deliver(batch)` hands every group its share of the batch
 * as ONE claim — validated, the fresh ones applied together (through `applyBatch` when the group
 * has one), duplicates dropped by the inbox. A retry or a dead letter is thrown, so that the
 * test sees it.
 */
export const deliverToGroups = <DB>(
  db: Kysely<DB>,
  definitions: ReadonlyArray<ConsumerDefinition<DB>>,
): { deliver(batch: readonly AnyEvent[]): Promise<void> } => {
  const groups = definitions.map((definition) => ({
    definition,
    core: new ConsumerCore(
      { ...definition, immediateRetries: 0, redeliveryDelaysMs: [] },
      { db, logger: createLogger(definition.name, 'silent') },
    ),
  }));
  return {
    deliver: async (batch) => {
      for (const { definition, core } of groups) {
        const share = batch.filter((e) => e.event_name in definition.handlers);
        if (share.length === 0) continue;
        const problems: string[] = [];
        await core.onDeliveries(
          share.map((event, i) => ({
            id: String(i),
            queue: definition.name,
            eventName: event.event_name,
            body: JSON.stringify(event),
            attempt: 1,
            ack: async () => undefined,
            retryLater: async () => void problems.push(`${definition.name} asked to retry ${event.event_name}`),
          })),
        );
        const { rows } = await sql<{ reason: string }>`
          select reason from dead_letters where consumer = ${definition.name}`.execute(db);
        problems.push(...rows.map((r) => `dead letter: ${r.reason}`));
        if (problems.length > 0) throw new Error(`delivery failed: ${problems.join('; ')}`);
      }
    },
  };
};
