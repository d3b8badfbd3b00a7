import { sql, type Kysely, type Transaction } from 'kysely';
import { configError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { runInSpan } from '@ates/trace-context';
import {
  registry as defaultRegistry,
  type AnyEvent,
  type EventName,
  type EventOf,
  type SchemaRegistry,
  type VersionOf,
} from '@ates/schema-registry';
import { writeDeadLetter, type NewDeadLetter } from './dead-letters.js';
import { errorMessage } from './internal/async.js';
import type { BusMetrics } from './metrics.js';
import type { BusTables } from './tables.js';
import type { Delivery, Subscription, Transport } from './transport.js';

export interface HandlerContext {
  /** The consumer group handling the event. */
  readonly consumer: string;
  /** The delivery attempt: 1 the first time, more after redeliveries. */
  readonly attempt: number;
}

/**
 * How one event name is handled: the versions accepted, and the handler. The handler runs in
 * the transaction that also records the event in the inbox, so its writes happen exactly once;
 * it must not have effects outside that transaction (send email from an outbox event instead).
 * Events may arrive out of order and more than once: prefer upserts and version guards (as
 * `@ates/account-replica` keeps a version per group of fields).
 */
export interface EventHandler<N extends EventName, DB> {
  readonly versions: readonly VersionOf<N>[];
  /** Applies one event. Leave it out when the consumer has `applyBatch`, which then applies every event. */
  readonly handle?: (tx: Transaction<DB>, event: EventOf<N>, context: HandlerContext) => Promise<void>;
}

export type EventHandlers<DB> = { readonly [N in EventName]?: EventHandler<N, DB> };

export interface ConsumerDefinition<DB = unknown> {
  /** The consumer group, `<service>.<purpose>`, e.g. `tracker.accounts`: one queue, one inbox scope. */
  readonly name: string;
  readonly handlers: EventHandlers<DB>;
  /** Tries again at once this many times when the handler throws. Default 3. */
  readonly immediateRetries?: number;
  /** Then redelivers after these pauses, one per redelivery; after the last, a dead letter. Default 1 s, 5 s, 30 s. */
  readonly redeliveryDelaysMs?: readonly number[];
  /** Transactions run at once by one process. Default 4. */
  readonly concurrency?: number;
  /**
   * Deliveries that arrive together are applied in one transaction, up to this many (one inbox
   * INSERT, the handlers in order, one COMMIT); if any of them fails, the batch is rolled back
   * and each delivery is handled on its own, with the usual retries. 1 turns batching off. Default 16.
   */
  readonly batchSize?: number;
  /**
   * Applies the fresh events of a batch — a delivery alone is a batch of one — in ONE call, in
   * delivery order, inside the transaction of their inbox rows: for set-based writes when a
   * backlog arrives (a reassign's 100,000 Task.Assigned). When set, it applies every event and
   * the handlers only say which names and versions are accepted. If it throws, the batch rolls
   * back and each delivery is tried again on its own, as with handlers.
   */
  readonly applyBatch?: (tx: Transaction<DB>, events: readonly AnyEvent[], context: HandlerContext) => Promise<void>;
}

const groupName = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/** Declares a consumer; checks its shape at once so that a typo fails at startup, not at runtime. */
export const consumer = <DB>(definition: ConsumerDefinition<DB>): ConsumerDefinition<DB> => {
  if (!groupName.test(definition.name) || definition.name.length > 100) {
    throw configError(
      `Invalid consumer name ${JSON.stringify(definition.name)}: expected lower-case words joined by dots, e.g. tracker.accounts.`,
    );
  }
  if (
    (definition.immediateRetries ?? 0) < 0 ||
    (definition.concurrency ?? 1) < 1 ||
    (definition.batchSize ?? 1) < 1 ||
    (definition.redeliveryDelaysMs ?? []).some((d) => d < 0)
  ) {
    throw configError(`Consumer ${definition.name}: retries, delays and concurrency must not be negative.`);
  }
  if (Object.keys(definition.handlers).length === 0) throw configError(`Consumer ${definition.name} handles no event.`);
  const unhandled = Object.entries(definition.handlers as Record<string, { handle?: unknown }>).filter(
    ([, h]) => !h.handle,
  );
  if (!definition.applyBatch && unhandled.length > 0) {
    throw configError(
      `Consumer ${definition.name} has no handle for ${unhandled.map(([n]) => n).join(', ')} and no applyBatch.`,
    );
  }
  return definition;
};

export const defaultRedeliveryDelaysMs: readonly number[] = [1_000, 5_000, 30_000];

/** What became of one delivery. */
export type Outcome =
  | { readonly kind: 'applied'; readonly event: AnyEvent; readonly attempts: number }
  | { readonly kind: 'duplicate'; readonly event: AnyEvent }
  | { readonly kind: 'retry_later'; readonly delayMs: number; readonly error: unknown }
  | { readonly kind: 'dead_letter'; readonly id: number; readonly reason: string };

type Rejection = Omit<NewDeadLetter, 'consumer' | 'queue' | 'body' | 'attempts'>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = EventHandler<any, any>;

export interface ConsumerDependencies<DB> {
  /** The service's own database: inbox, handler writes and dead letters. */
  readonly db: Kysely<DB>;
  readonly logger: Logger;
  readonly registry?: SchemaRegistry;
  readonly metrics?: BusMetrics;
}

/**
 * The part of a consumer that does not depend on a transport: given a body, decide, apply once,
 * or give up with a reason. `startConsumer` feeds it deliveries; `deliver` (testing) feeds it events.
 */
export class ConsumerCore<DB> {
  private readonly registry: SchemaRegistry;
  private readonly immediateRetries: number;
  private readonly delays: readonly number[];

  constructor(
    readonly definition: ConsumerDefinition<DB>,
    private readonly deps: ConsumerDependencies<DB>,
  ) {
    this.registry = deps.registry ?? defaultRegistry;
    this.immediateRetries = definition.immediateRetries ?? 3;
    this.delays = definition.redeliveryDelaysMs ?? defaultRedeliveryDelaysMs;
    for (const [name, handler] of Object.entries(definition.handlers) as Array<[string, AnyHandler]>) {
      const unknown = handler.versions.filter((v) => !this.registry.has(name, v));
      if (unknown.length > 0 || handler.versions.length === 0) {
        throw configError(
          `Consumer ${definition.name} accepts ${name} ${unknown.length > 0 ? `v${unknown.join(', v')}, which has no schema` : 'in no version'}.`,
        );
      }
    }
  }

  get eventNames(): string[] {
    return Object.keys(this.definition.handlers);
  }

  /** Parse, validate, check the consumer accepts it: an event and its handler, or why not. */
  check(body: string): { readonly event: AnyEvent; readonly handler: AnyHandler } | Rejection {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return { reason: 'body is not JSON', error: errorMessage(error) };
    }
    const result = this.registry.validate(parsed);
    if (!result.ok) {
      const error = result.issues.map((i) => `${i.field} ${i.message}`).join('; ') || result.reason;
      return { reason: `invalid event: ${result.reason}`, error, envelope: parsed };
    }
    const event = result.event;
    const handler = (this.definition.handlers as Record<string, AnyHandler | undefined>)[event.event_name];
    if (!handler) {
      return {
        reason: `${event.event_name} is not handled by ${this.definition.name}`,
        error: `no handler for ${event.event_name}`,
        envelope: parsed,
      };
    }
    if (!(handler.versions as readonly number[]).includes(event.event_version)) {
      return {
        reason: `version ${event.event_version} of ${event.event_name} is not accepted by ${this.definition.name}`,
        error: `accepted versions: ${handler.versions.join(', ')}`,
        envelope: parsed,
      };
    }
    return { event, handler };
  }

  /**
   * Handles one delivery body. Transient trouble writing a dead letter (the database is down)
   * throws: the transport then redelivers later. `attempt` is the transport's delivery count.
   */
  async handle(body: string, attempt: number, queue: string, triesUsed = 0): Promise<Outcome> {
    const checked = this.check(body);
    if (!('event' in checked)) return this.deadLetter({ ...checked, body, queue, attempts: 0 });
    return this.handleChecked(checked.event, checked.handler, body, attempt, queue, triesUsed);
  }

  /** `triesUsed`: tries this delivery already had (a batch that failed in its handler). */
  private async handleChecked(
    event: AnyEvent,
    handler: AnyHandler,
    body: string,
    attempt: number,
    queue: string,
    triesUsed: number,
  ): Promise<Outcome> {
    const priorTries = (attempt - 1) * (this.immediateRetries + 1);
    for (let tries = triesUsed + 1; ; tries += 1) {
      const started = performance.now();
      try {
        const applied = await this.apply(event, handler, priorTries + tries, attempt);
        this.deps.metrics?.handlerDuration.observe(
          { consumer: this.definition.name, event: event.event_name },
          (performance.now() - started) / 1000,
        );
        return applied ? { kind: 'applied', event, attempts: priorTries + tries } : { kind: 'duplicate', event };
      } catch (error) {
        this.deps.metrics?.handlerDuration.observe(
          { consumer: this.definition.name, event: event.event_name },
          (performance.now() - started) / 1000,
        );
        if (tries <= this.immediateRetries) continue;
        const delayMs = this.delays[attempt - 1];
        if (delayMs !== undefined) {
          this.deps.logger.warn(
            {
              consumer: this.definition.name,
              event_id: event.event_id,
              event_name: event.event_name,
              attempt,
              retry_in_ms: delayMs,
              err: errorMessage(error),
            },
            'handler failed; redelivering later',
          );
          return { kind: 'retry_later', delayMs, error };
        }
        return this.deadLetter({
          reason: `handler failed: ${errorMessage(error)}`,
          error: errorMessage(error),
          stack: error instanceof Error ? error.stack : undefined,
          envelope: event,
          body,
          queue,
          attempts: priorTries + tries,
        });
      }
    }
  }

  /** Fresh events, in order, through `applyBatch` when the consumer has one, else each through its handler. */
  private async applyEvents(
    tx: Transaction<DB>,
    items: ReadonlyArray<{ readonly event: AnyEvent; readonly handler: AnyHandler }>,
    context: HandlerContext,
  ): Promise<void> {
    if (items.length === 0) return;
    const { applyBatch } = this.definition;
    if (applyBatch)
      return applyBatch(
        tx as Transaction<DB>,
        items.map((i) => i.event),
        context,
      );
    for (const { event, handler } of items) await handler.handle?.(tx, event, context);
  }

  /** The inbox row and the handler's writes in one transaction; false when it was applied before. */
  private apply(event: AnyEvent, handler: AnyHandler, attempts: number, attempt: number): Promise<boolean> {
    // Events the handler produces continue the trace of the event it handles.
    return runInSpan(event.traceparent, () => this.applyInTransaction(event, handler, attempts, attempt));
  }

  private applyInTransaction(
    event: AnyEvent,
    handler: AnyHandler,
    attempts: number,
    attempt: number,
  ): Promise<boolean> {
    return this.deps.db.transaction().execute(async (tx) => {
      const inserted = await (tx as unknown as Transaction<BusTables>)
        .insertInto('inbox')
        .values({ consumer: this.definition.name, event_id: event.event_id, attempts })
        .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
        .returning('event_id')
        .executeTakeFirst();
      if (!inserted) return false;
      await this.applyEvents(tx, [{ event, handler }], { consumer: this.definition.name, attempt });
      return true;
    });
  }

  /**
   * The broker gave up on a delivery (a consumer crashed on it past the delivery limit): it goes
   * into the same dead-letter store as the consumer's own, with the broker's reason — unless the
   * inbox shows it was applied after all (a crash between the commit and the ack).
   */
  private async recordBrokerDeadLetter(delivery: Delivery, brokerReason: string): Promise<void> {
    const checked = this.check(delivery.body);
    const envelope = 'event' in checked ? checked.event : checked.envelope;
    const eventId = (envelope as { event_id?: unknown } | undefined)?.event_id;
    if ('event' in checked && (await this.applied(checked.event.event_id))) return delivery.ack();
    await this.deadLetter({
      reason: `dead-lettered by the broker: ${brokerReason}`,
      error: `the broker stopped redelivering it (${brokerReason}); no consumer acknowledged it`,
      envelope,
      body: delivery.body,
      queue: delivery.queue,
      attempts: delivery.attempt,
    });
    this.deps.logger.warn({ consumer: this.definition.name, event_id: eventId }, 'recorded a broker dead letter');
    await delivery.ack();
  }

  private async applied(eventId: string): Promise<boolean> {
    const row = await (this.deps.db as unknown as Kysely<BusTables>)
      .selectFrom('inbox')
      .select('event_id')
      .where('consumer', '=', this.definition.name)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row !== undefined;
  }

  private async deadLetter(letter: Omit<NewDeadLetter, 'consumer'>): Promise<Outcome> {
    const id = await writeDeadLetter(this.deps.db, { ...letter, consumer: this.definition.name });
    const fields = (letter.envelope ?? {}) as { event_id?: unknown; event_name?: unknown };
    this.deps.logger.error(
      {
        alert: 'dead_letter',
        consumer: this.definition.name,
        dead_letter_id: id,
        event_id: fields.event_id,
        event_name: fields.event_name,
        reason: letter.reason,
      },
      `dead letter ${id}: ${letter.reason}`,
    );
    return { kind: 'dead_letter', id, reason: letter.reason };
  }

  /** Settles a transport delivery according to the outcome. */
  async onDelivery(delivery: Delivery, triesUsed = 0): Promise<void> {
    const outcome = await this.handle(delivery.body, delivery.attempt, delivery.queue, triesUsed);
    await settle(delivery, outcome);
  }

  /**
   * Handles deliveries that arrived together. Bad input is dead-lettered one by one; the valid
   * ones are applied in ONE transaction — one multi-row inbox INSERT, then each new event's
   * handler in delivery order — and acked after the commit. If anything in it throws, nothing of
   * it is kept and every delivery is handled on its own (the handler that threw has used one try).
   */
  async onDeliveries(deliveries: readonly Delivery[]): Promise<void> {
    const valid: Array<{ delivery: Delivery; event: AnyEvent; handler: AnyHandler }> = [];
    for (const delivery of deliveries) {
      if (delivery.deadLettered) {
        await this.recordBrokerDeadLetter(delivery, delivery.deadLettered.reason);
        continue;
      }
      const checked = this.check(delivery.body);
      if ('event' in checked) valid.push({ delivery, ...checked });
      else await this.onDelivery(delivery);
    }
    if (valid.length === 1 && valid[0]) return this.onDelivery(valid[0].delivery);
    if (valid.length === 0) return;
    const started = performance.now();
    let culprit: Delivery | undefined;
    let outcomes: Outcome[];
    try {
      outcomes = await this.deps.db.transaction().execute(async (tx) => {
        // Two array parameters, whatever the batch's size (a VALUES list would be three per row).
        const { rows: inserted } = await sql<{ event_id: string }>`
          insert into inbox (consumer, event_id, attempts)
          select ${this.definition.name}, t.event_id, t.attempts
          from unnest(${valid.map(({ event }) => event.event_id)}::uuid[],
                      ${valid.map(({ delivery }) => (delivery.attempt - 1) * (this.immediateRetries + 1) + 1)}::integer[])
            as t(event_id, attempts)
          on conflict (consumer, event_id) do nothing
          returning event_id`.execute(tx);
        // The same event twice in one batch is inserted, and so applied, once.
        const fresh = new Set(inserted.map((r) => r.event_id));
        const result: Outcome[] = [];
        const toApply: Array<{ delivery: Delivery; event: AnyEvent; handler: AnyHandler }> = [];
        for (const item of valid) {
          const { delivery, event } = item;
          if (!fresh.delete(event.event_id)) {
            result.push({ kind: 'duplicate', event });
            continue;
          }
          toApply.push(item);
          result.push({ kind: 'applied', event, attempts: (delivery.attempt - 1) * (this.immediateRetries + 1) + 1 });
        }
        if (this.definition.applyBatch) {
          const attempt = Math.max(...valid.map((v) => v.delivery.attempt));
          await this.applyEvents(tx, toApply, { consumer: this.definition.name, attempt });
        } else {
          for (const item of toApply) {
            culprit = item.delivery;
            await this.applyEvents(tx, [item], { consumer: this.definition.name, attempt: item.delivery.attempt });
          }
          culprit = undefined;
        }
        return result;
      });
    } catch {
      // Handled one by one, each in its own transaction, with the usual retries.
      for (const { delivery } of valid) await this.onDelivery(delivery, delivery === culprit ? 1 : 0);
      return;
    }
    const share = (performance.now() - started) / 1000 / valid.length;
    for (const { event } of valid)
      this.deps.metrics?.handlerDuration.observe({ consumer: this.definition.name, event: event.event_name }, share);
    // Settled together, so that the transport can ack the batch with one statement.
    await Promise.all(valid.map(({ delivery }, i) => settle(delivery, outcomes[i] as Outcome)));
  }
}

const settle = async (delivery: Delivery, outcome: Outcome): Promise<void> => {
  if (outcome.kind === 'retry_later') await delivery.retryLater(outcome.delayMs);
  else await delivery.ack();
};

/**
 * Collects the deliveries the transport hands over in the same tick (one claim) into batches,
 * and runs at most `concurrency` of them at a time. A delivery's promise settles when its batch
 * is done, so the transport's prefetch window stays honest.
 */
class DeliveryBatcher {
  private readonly waiting: Array<{ delivery: Delivery; done: () => void; failed: (error: unknown) => void }> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly core: ConsumerCore<unknown>,
    private readonly batchSize: number,
    private readonly concurrency: number,
  ) {}

  add(delivery: Delivery): Promise<void> {
    return new Promise((done, failed) => {
      this.waiting.push({ delivery, done, failed });
      if (!this.scheduled) {
        this.scheduled = true;
        // Let the rest of the claim arrive before cutting a batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.batchSize);
      this.running += 1;
      this.core
        .onDeliveries(batch.map((b) => b.delivery))
        .then(
          () => batch.forEach((b) => b.done()),
          (error: unknown) => batch.forEach((b) => b.failed(error)),
        )
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }
}

export interface RunningConsumer {
  readonly name: string;
  /** Stops taking deliveries; those being handled finish first. */
  stop(): Promise<void>;
}

/**
 * Declares the consumer groups (queues and bindings) on the transport, so that the broker keeps
 * their events from now on even while no process of theirs runs. Idempotent; only adds bindings.
 */
export const declareConsumers = async (
  transport: Pick<Transport, 'declare'>,
  definitions: ReadonlyArray<{ readonly name: string; readonly handlers: object }>,
): Promise<void> => {
  for (const definition of definitions) await transport.declare(definition.name, Object.keys(definition.handlers));
};

/** Subscribes the consumer's group to its event names and handles deliveries until stopped. */
export const startConsumer = async <DB>(
  definition: ConsumerDefinition<DB>,
  deps: ConsumerDependencies<DB> & { readonly transport: Transport },
): Promise<RunningConsumer> => {
  const core = new ConsumerCore(definition, deps);
  const concurrency = definition.concurrency ?? 4;
  const batchSize = definition.batchSize ?? 16;
  const batcher = new DeliveryBatcher(core as ConsumerCore<unknown>, batchSize, concurrency);
  const subscription: Subscription = await deps.transport.subscribe(
    definition.name,
    core.eventNames,
    (d) => batcher.add(d),
    {
      prefetch: concurrency * batchSize,
    },
  );
  deps.metrics?.watchConsumer(definition.name, deps.transport, deps.db);
  deps.logger.info({ consumer: definition.name, events: core.eventNames }, 'consumer started');
  return { name: definition.name, stop: () => subscription.close() };
};
