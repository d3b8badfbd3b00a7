import { Connection, type Channel } from 'rabbitmq-client';
import { unavailable } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { errorMessage } from '../internal/async.js';
import type { OnDelivery, OutgoingMessage, SubscribeOptions, Subscription, Transport } from '../transport.js';
import { ConfirmPublisher } from './publisher.js';
import { GroupSubscription, type GroupContext } from './subscription.js';
import { declareGroup, declareShared, eventsExchange } from './topology.js';
import { parseBrokerUrl, redact } from './url.js';

export interface RabbitTransportOptions {
  /** `amqp://user:password@host:port,host2:port/vhost`, several hosts for a cluster. */
  readonly url: string;
  readonly logger?: Logger;
  /** Shown as the connection name in the management UI and `rabbitmqctl list_connections`. */
  readonly applicationName?: string;
  /** Returns of one message (consumers that died holding it) before the broker dead-letters it. Default 20. */
  readonly deliveryLimit?: number;
  /** A publish (a batch) not confirmed within this long fails, and the relay retries it. Default 10 s. */
  readonly publishTimeoutMs?: number;
  /** AMQP heartbeat; a dead link is noticed after about twice this. The URL's `?heartbeat=` wins. Default 10 s. */
  readonly heartbeatSeconds?: number;
  /** Reconnect back-off bounds (rabbitmq-client's retryLow/retryHigh). Default 250 ms to 5 s. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** A delivery its handler left unsettled (database down) comes back after this long. Default 5 s. */
  readonly unsettledRedeliveryMs?: number;
  /** How long `connect` waits for the broker. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Deliveries arriving this close together are applied in one consumer transaction. Default 5 ms. */
  readonly lingerMs?: number;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

const isNotFound = (error: unknown): boolean => (error as { code?: unknown }).code === 'NOT_FOUND';

/**
 * The RabbitMQ transport (see docs/event-bus.md, "The RabbitMQ transport"): confirmed publishes
 * to a topic exchange, a quorum queue per consumer group, delayed redelivery through fixed-TTL
 * delay queues, and broker dead letters handed to the service's dead-letter store. Two
 * connections, so that a publisher blocked by the broker's flow control never holds up acks.
 */
export class RabbitTransport implements Transport {
  readonly name = 'rabbitmq';
  private readonly subscriptions = new Set<GroupSubscription>();
  private readonly inFlight = new Map<string, number>();
  private readonly events: ConfirmPublisher;
  private readonly control: ConfirmPublisher;
  private closed = false;

  private constructor(
    private readonly publishing: Connection,
    private readonly consuming: Connection,
    private readonly options: RabbitTransportOptions,
  ) {
    const timeoutMs = options.publishTimeoutMs ?? 10_000;
    this.events = new ConfirmPublisher(publishing, declareShared, timeoutMs);
    this.control = new ConfirmPublisher(publishing, declareShared, timeoutMs);
  }

  static async connect(options: RabbitTransportOptions): Promise<RabbitTransport> {
    const address = parseBrokerUrl(options.url);
    const connection = (role: string): Connection => {
      const c = new Connection({
        hosts: [...address.hosts],
        username: address.username,
        password: address.password,
        vhost: address.vhost,
        tls: address.tls,
        heartbeat: address.heartbeatSeconds ?? options.heartbeatSeconds ?? 10,
        connectionName: `${options.applicationName ?? 'ates-bus'}-${role}`,
        connectionTimeout: 5_000,
        acquireTimeout: options.publishTimeoutMs ?? 10_000,
        retryLow: options.reconnectMinMs ?? 250,
        retryHigh: options.reconnectMaxMs ?? 5_000,
        noDelay: true,
      });
      let connected = false;
      c.on('error', (error: unknown) =>
        options.logger?.warn(
          { role, err: errorMessage(error) },
          'event transport: RabbitMQ connection lost; reconnecting',
        ),
      );
      c.on('connection', () => {
        if (connected) options.logger?.info({ role }, 'event transport: RabbitMQ connection back');
        connected = true;
      });
      return c;
    };
    const publishing = connection('publish');
    const consuming = connection('consume');
    try {
      const timeoutMs = options.connectTimeoutMs ?? 10_000;
      await Promise.all([publishing.onConnect(timeoutMs, true), consuming.onConnect(timeoutMs, true)]);
      const transport = new RabbitTransport(publishing, consuming, options);
      await transport.withChannel((ch) => declareShared(ch));
      return transport;
    } catch (error) {
      publishing.unsafeDestroy();
      consuming.unsafeDestroy();
      const cause = (error as { cause?: unknown }).cause ?? error;
      throw unavailable(`Cannot reach RabbitMQ at ${redact(options.url)}: ${errorMessage(cause)}.`, error);
    }
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    await this.events.publish(
      messages.map((m) => ({
        envelope: { exchange: eventsExchange, routingKey: m.eventName, durable: true, type: m.eventName },
        body: m.body,
      })),
    );
  }

  /** The default exchange routes by queue name; `mandatory` turns a missing queue into a failure. */
  async sendToGroup(group: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await this.control.publish(
      messages.map((m) => ({
        envelope: { exchange: '', routingKey: group, mandatory: true, durable: true, type: m.eventName },
        body: m.body,
      })),
    );
  }

  declare(group: string, eventNames: readonly string[]): Promise<void> {
    return this.withChannel((ch) => declareGroup(ch, group, eventNames, this.topology));
  }

  unbind(group: string, eventNames: readonly string[]): Promise<void> {
    return this.withChannel(async (ch) => {
      for (const routingKey of eventNames) await ch.queueUnbind({ queue: group, exchange: eventsExchange, routingKey });
    });
  }

  async subscribe(
    group: string,
    eventNames: readonly string[],
    onDelivery: OnDelivery,
    options: SubscribeOptions,
  ): Promise<Subscription> {
    await this.declare(group, eventNames);
    const subscription = new GroupSubscription(this.context(), group, onDelivery);
    this.subscriptions.add(subscription);
    await subscription.start(eventNames, Math.max(1, options.prefetch));
    return {
      close: async () => {
        this.subscriptions.delete(subscription);
        await subscription.close();
      },
    };
  }

  async check(): Promise<void> {
    try {
      await withTimeout(
        this.publishing.exchangeDeclare({ exchange: eventsExchange, passive: true }),
        5_000,
        'RabbitMQ check',
      );
    } catch (error) {
      throw unavailable(`RabbitMQ at ${redact(this.options.url)} does not answer: ${errorMessage(error)}.`);
    }
  }

  /** Messages ready in the group's queue (all processes), plus those this process has in hand. */
  async lag(group: string): Promise<number> {
    const local = this.inFlight.get(group) ?? 0;
    try {
      const { messageCount } = await withTimeout(
        this.consuming.queueDeclare({ queue: group, passive: true }),
        5_000,
        'RabbitMQ queue depth',
      );
      return messageCount + local;
    } catch (error) {
      if (isNotFound(error)) return local;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await Promise.all([this.events.close(), this.control.close()]);
    for (const connection of [this.publishing, this.consuming]) {
      // On a dead link closing waits for answers that never come: give up after a while.
      await withTimeout(connection.close(), 3_000, 'closing the RabbitMQ connection').catch(() =>
        connection.unsafeDestroy(),
      );
    }
  }

  private get topology() {
    return { deliveryLimit: this.options.deliveryLimit ?? 20 };
  }

  private context(): GroupContext {
    return {
      connection: this.consuming,
      control: this.control,
      topology: this.topology,
      unsettledRedeliveryMs: this.options.unsettledRedeliveryMs ?? 5_000,
      readyTimeoutMs: 10_000,
      closeTimeoutMs: 5_000,
      lingerMs: this.options.lingerMs ?? 5,
      logger: this.options.logger,
      inFlight: this.inFlight,
    };
  }

  /** A short-lived channel for declarations: a failed declaration closes only that channel. */
  private async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const timeoutMs = this.options.publishTimeoutMs ?? 10_000;
    const channel = await withTimeout(this.publishing.acquire(), timeoutMs, 'opening a RabbitMQ channel');
    try {
      return await withTimeout(work(channel), timeoutMs, 'declaring RabbitMQ topology');
    } finally {
      // Not awaited: on a dead link the close would wait for the heartbeat to notice.
      void channel.close().catch(() => undefined);
    }
  }
}

/** Connects the RabbitMQ transport (see `RabbitTransportOptions`). */
export const connectRabbitTransport = (options: RabbitTransportOptions): Promise<Transport> =>
  RabbitTransport.connect(options);
