import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Kysely } from 'kysely';
import { countOpenDeadLetters } from './dead-letters.js';
import { outboxStatus } from './outbox-status.js';
import type { Transport } from './transport.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

interface WatchedConsumer {
  readonly name: string;
  readonly transport: Transport;
  readonly db: AnyDb;
}

/**
 * The event bus's Prometheus metrics on a service's registry. Gauges are read when scraped
 * (backlog and dead letters from the service's database, lag from the transport); a source that
 * does not answer keeps its last value rather than failing the whole scrape.
 *
 * - `ates_outbox_backlog`, `ates_outbox_oldest_unsent_age_seconds`
 * - `ates_events_published_total`
 * - `ates_consumer_lag{consumer}`, `ates_dead_letters{consumer}` (open ones)
 * - `ates_handler_duration_seconds{consumer,event}`
 */
export class BusMetrics {
  private static readonly byRegistry = new WeakMap<Registry, BusMetrics>();

  /** One set of metrics per registry, however many consumers register on it. */
  static for(registry: Registry): BusMetrics {
    let metrics = BusMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new BusMetrics(registry);
      BusMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  readonly published: Counter;
  readonly handlerDuration: Histogram<'consumer' | 'event'>;
  // What the gauges read when scraped (their `collect` runs with `this` bound to the gauge).
  private readonly watched: { outbox: AnyDb | undefined; consumers: WatchedConsumer[] } = {
    outbox: undefined,
    consumers: [],
  };

  private constructor(registry: Registry) {
    const watched = this.watched;
    this.published = new Counter({
      name: 'ates_events_published_total',
      help: 'Events the outbox relay handed to the transport (confirmed).',
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'ates_handler_duration_seconds',
      help: 'Time to handle one event: validation, the handler and its transaction.',
      labelNames: ['consumer', 'event'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const status = { backlog: 0, oldest: 0 };
    let pendingStatus: Promise<void> | undefined;
    // Both outbox gauges come from one query per scrape.
    const readStatus = (): Promise<void> =>
      (pendingStatus ??= (async () => {
        if (!watched.outbox) return;
        try {
          const s = await outboxStatus(watched.outbox);
          status.backlog = s.backlog;
          status.oldest = s.oldestUnsentAgeSeconds ?? 0;
        } catch {
          // keep the last values
        }
      })().finally(() => (pendingStatus = undefined)));
    new Gauge({
      name: 'ates_outbox_backlog',
      help: 'Outbox events not yet confirmed by the transport.',
      registers: [registry],
      async collect() {
        await readStatus();
        this.set(status.backlog);
      },
    });
    new Gauge({
      name: 'ates_outbox_oldest_unsent_age_seconds',
      help: 'Age of the oldest outbox event not yet confirmed by the transport (0 when none).',
      registers: [registry],
      async collect() {
        await readStatus();
        this.set(status.oldest);
      },
    });
    new Gauge({
      name: 'ates_consumer_lag',
      help: "Deliveries waiting in, or being handled from, the consumer group's queue.",
      labelNames: ['consumer'],
      registers: [registry],
      async collect() {
        await Promise.all(
          watched.consumers.map(async (c) => {
            const lag = await c.transport.lag(c.name).catch(() => undefined);
            if (lag !== undefined) this.set({ consumer: c.name }, lag);
          }),
        );
      },
    });
    new Gauge({
      name: 'ates_dead_letters',
      help: 'Dead letters neither replayed nor discarded, per consumer.',
      labelNames: ['consumer'],
      registers: [registry],
      async collect() {
        const databases = [...new Set(watched.consumers.map((c) => c.db))];
        for (const db of databases) {
          const counts = await countOpenDeadLetters(db).catch(() => undefined);
          if (!counts) continue;
          for (const c of watched.consumers.filter((x) => x.db === db))
            this.set({ consumer: c.name }, counts[c.name] ?? 0);
        }
      },
    });
  }

  watchOutbox(db: AnyDb): void {
    this.watched.outbox = db;
  }

  watchConsumer(name: string, transport: Transport, db: AnyDb): void {
    this.watched.consumers.push({ name, transport, db });
  }
}
