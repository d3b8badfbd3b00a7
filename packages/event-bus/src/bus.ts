import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Logger } from '@ates/logger';
import type { SchemaRegistry } from '@ates/schema-registry';
import { connectTransport, type ConnectOptions } from './connect.js';
import { declareConsumers, startConsumer, type ConsumerDefinition, type RunningConsumer } from './consumer.js';
import { BusMetrics } from './metrics.js';
import { OutboxRelay, type RelayOptions } from './relay.js';
import type { Transport } from './transport.js';

export interface EventBusOptions<DB> {
  /** The service's name: the relay's lock key. */
  readonly service: string;
  /** The service's database (outbox, inbox, dead letters), already migrated with `eventBusMigrations`. */
  readonly db: Kysely<DB>;
  /** The same database's URL: the relay keeps a connection of its own for its lock and LISTEN. */
  readonly databaseUrl: string;
  /** `EVENT_TRANSPORT_URL`, or a transport already connected. */
  readonly transport: string | Transport;
  readonly transportOptions?: ConnectOptions;
  readonly logger: Logger;
  /** The service's Prometheus registry. */
  readonly metrics?: Registry;
  readonly consumers?: readonly ConsumerDefinition<DB>[];
  readonly relay?: Partial<Omit<RelayOptions, 'databaseUrl' | 'transport' | 'logger' | 'lockKey' | 'metrics'>>;
  readonly registry?: SchemaRegistry;
}

export interface EventBus {
  readonly transport: Transport;
  readonly relay: OutboxRelay;
  readonly consumers: readonly RunningConsumer[];
  /** Readiness: the transport answers. */
  check(): Promise<void>;
  /** Consumers first (in-flight deliveries finish), then the relay, then the transport. */
  stop(): Promise<void>;
}

/**
 * Everything a service process runs for the event bus: the transport connection, the outbox
 * relay (active in one process of the service, standing by in the others) and the declared
 * consumers. `@ates/service` calls this; a service only declares its consumers.
 */
export const startEventBus = async <DB>(options: EventBusOptions<DB>): Promise<EventBus> => {
  const transport =
    typeof options.transport === 'string'
      ? await connectTransport(options.transport, {
          applicationName: `ates-${options.service}-bus`,
          logger: options.logger,
          ...options.transportOptions,
        })
      : options.transport;
  // Queues and bindings first, before the relay publishes anything: the service's own events and
  // everyone else's are kept for its groups from here on, whichever process consumes them later.
  try {
    await declareConsumers(transport, options.consumers ?? []);
  } catch (error) {
    if (typeof options.transport === 'string') await transport.close();
    throw error;
  }
  const metrics = options.metrics ? BusMetrics.for(options.metrics) : undefined;
  metrics?.watchOutbox(options.db);
  const relay = new OutboxRelay({
    ...options.relay,
    databaseUrl: options.databaseUrl,
    transport,
    logger: options.logger,
    lockKey: options.service,
    ...(metrics ? { metrics } : {}),
  }).start();
  const consumers: RunningConsumer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(consumers.map((c) => c.stop()));
    await relay.stop();
    if (typeof options.transport === 'string') await transport.close();
  };
  try {
    for (const definition of options.consumers ?? []) {
      consumers.push(
        await startConsumer(definition, {
          db: options.db,
          transport,
          logger: options.logger,
          ...(metrics ? { metrics } : {}),
          ...(options.registry ? { registry: options.registry } : {}),
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { transport, relay, consumers, check: () => transport.check(), stop };
};
