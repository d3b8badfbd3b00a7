import { ConsumerStatus, type AsyncMessage, type Connection, type Consumer } from 'rabbitmq-client';
import type { Logger } from '@ates/logger';
import { errorMessage } from '../internal/async.js';
import type { Delivery, OnDelivery, Subscription } from '../transport.js';
import type { ConfirmPublisher, Publication } from './publisher.js';
import { holdWrites } from './writes.js';
import {
  deadConsumerTopology,
  delayBucket,
  delayExchange,
  groupConsumerTopology,
  headers,
  type TopologyOptions,
} from './topology.js';

export interface GroupContext {
  readonly connection: Connection;
  /** Confirmed publishing of delayed redeliveries. */
  readonly control: ConfirmPublisher;
  readonly topology: TopologyOptions;
  /** A delivery its handler could not settle (its database is down) comes back after this long. */
  readonly unsettledRedeliveryMs: number;
  /** How long `subscribe` waits for the consumers to be set up before returning anyway. */
  readonly readyTimeoutMs: number;
  /** How long closing waits for a consumer that cannot reach the broker. */
  readonly closeTimeoutMs: number;
  /**
   * Deliveries arriving within this long of each other are handed over in one tick, so that the
   * consumer applies them in one transaction (the broker pushes them one by one). Default 5 ms.
   */
  readonly lingerMs: number;
  readonly logger: Logger | undefined;
  /** Counts this process's deliveries in hand, per group (part of `lag`). */
  readonly inFlight: Map<string, number>;
}

const numberHeader = (message: AsyncMessage, name: string): number => {
  const value = Number(message.headers?.[name] ?? 0);
  return Number.isFinite(value) ? value : 0;
};

/**
 * The attempt this delivery is: our own count, carried by redeliveries we publish, plus the
 * quorum queue's count of returns (a consumer that died, a closed channel).
 */
export const attemptOf = (message: AsyncMessage): number =>
  Math.max(1, numberHeader(message, headers.attempt)) + numberHeader(message, 'x-delivery-count');

const bodyOf = (message: AsyncMessage): string =>
  typeof message.body === 'string'
    ? message.body
    : Buffer.isBuffer(message.body)
      ? message.body.toString('utf8')
      : JSON.stringify(message.body);

const eventNameOf = (message: AsyncMessage): string => message.type ?? message.routingKey;

/** Why the broker dead-lettered a message out of `queue`, from its x-death record. */
export const deathReason = (message: AsyncMessage, queue: string): string => {
  const deaths = message.headers?.['x-death'];
  const record = Array.isArray(deaths)
    ? (deaths as Array<{ queue?: unknown; reason?: unknown }>).find((d) => d.queue === queue)
    : undefined;
  return String(record?.reason ?? message.headers?.['x-first-death-reason'] ?? 'dead-lettered');
};

/** A message back into `group`'s queue after `delayMs` (at once when 0), as attempt `attempt`. */
export const redelivery = (
  message: AsyncMessage,
  group: string,
  attempt: number,
  delayMs: number,
  due?: number,
): Publication => {
  const common = {
    routingKey: group,
    mandatory: true,
    durable: true,
    type: eventNameOf(message),
  };
  if (delayMs <= 0)
    return { envelope: { ...common, exchange: '', headers: { [headers.attempt]: attempt } }, body: bodyOf(message) };
  const { bucket, remaining } = delayBucket(delayMs);
  const dueAt = due ?? (remaining > 0 ? Date.now() + delayMs : undefined);
  return {
    envelope: {
      ...common,
      exchange: delayExchange,
      headers: {
        [headers.attempt]: attempt,
        [headers.delay]: String(bucket),
        ...(dueAt === undefined ? {} : { [headers.due]: dueAt }),
      },
    },
    body: bodyOf(message),
  };
};

/**
 * One process's consumers of a group: the group's queue, and its `:dead` queue, whose messages
 * (dead-lettered by the broker past the delivery limit) are handed over marked `deadLettered`
 * to be recorded in the service's dead-letter store. rabbitmq-client's Consumer recovers them
 * (new channel, topology redeclared, consumer re-registered) after a lost connection, a channel
 * error or a deleted queue; it acks or nacks on the channel the message came on.
 */
export class GroupSubscription implements Subscription {
  private readonly consumers: Consumer[] = [];
  private closing = false;
  private waiting: Array<() => void> = [];
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly context: GroupContext,
    private readonly group: string,
    private readonly onDelivery: OnDelivery,
  ) {}

  async start(eventNames: readonly string[], prefetch: number): Promise<void> {
    const { connection, topology } = this.context;
    const main = connection.createConsumer(
      {
        ...groupConsumerTopology(this.group, eventNames, topology),
        qos: { prefetchCount: prefetch },
        concurrency: prefetch,
      },
      (message) => this.lingered().then(() => this.handle(message)),
    );
    // Few at a time: recording them is rare and each waits for the database.
    const dead = connection.createConsumer(
      { ...deadConsumerTopology(this.group), qos: { prefetchCount: 8 }, concurrency: 8 },
      (message) => this.handleDead(message),
    );
    for (const consumer of [main, dead]) {
      consumer.on('error', (error: unknown) =>
        this.context.logger?.warn(
          { group: this.group, err: errorMessage(error) },
          'event transport: RabbitMQ consumer error; it recovers by itself',
        ),
      );
      this.consumers.push(consumer);
    }
    await Promise.all(this.consumers.map((c) => this.ready(c)));
  }

  /**
   * Waits for the deliveries in hand to settle, then closes the channels. While the broker is
   * unreachable a consumer's close would wait for its pending reconnect (up to the acquire
   * timeout): past `closeTimeoutMs` it is left to the connection's close, and whatever it held
   * unacked is redelivered by the broker.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.consumers.map((c) =>
        Promise.race([c.close(), new Promise((resolve) => setTimeout(resolve, this.context.closeTimeoutMs).unref())]),
      ),
    );
  }

  private ready(consumer: Consumer): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.context.logger?.warn({ group: this.group }, 'event transport: RabbitMQ consumer not ready yet; going on');
        resolve();
      }, this.context.readyTimeoutMs);
      consumer.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves in the same tick for every delivery that arrived within `lingerMs` of the first. */
  private lingered(): Promise<void> {
    if (this.context.lingerMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = undefined;
        const waiting = this.waiting;
        this.waiting = [];
        for (const release of waiting) release();
      }, this.context.lingerMs);
    });
  }

  private async handle(message: AsyncMessage): Promise<ConsumerStatus> {
    const attempt = attemptOf(message);
    const due = numberHeader(message, headers.due);
    if (due > Date.now()) {
      // A delay longer than the longest delay queue: wait out the rest.
      await this.context.control.publish([redelivery(message, this.group, attempt, due - Date.now(), due)]);
      return ConsumerStatus.ACK;
    }
    let settled = false;
    const delivery: Delivery = {
      id: `${this.group}#${message.deliveryTag}`,
      queue: this.group,
      eventName: eventNameOf(message),
      body: bodyOf(message),
      attempt,
      // The basic.ack itself goes out when this handler returns, on the channel it came on.
      ack: async () => {
        settled = true;
      },
      retryLater: async (delayMs) => {
        if (settled) return;
        await this.context.control.publish([redelivery(message, this.group, attempt + 1, delayMs)]);
        settled = true;
      },
    };
    await this.handOver(delivery);
    // The acks of a batch settle in the same tick: one write for all of them.
    holdWrites(this.context.connection);
    if (settled) return ConsumerStatus.ACK;
    // Unsettled (its database is down, say): back later, as after the PostgreSQL transport's lease.
    try {
      await this.context.control.publish([
        redelivery(message, this.group, attempt + 1, this.context.unsettledRedeliveryMs),
      ]);
      return ConsumerStatus.ACK;
    } catch {
      return ConsumerStatus.REQUEUE;
    }
  }

  /** Never nacked: left in hand until the service has recorded it (or this process stops). */
  private async handleDead(message: AsyncMessage): Promise<ConsumerStatus> {
    const deliveries = this.context.topology.deliveryLimit + 1;
    for (;;) {
      let settled = false;
      const delivery: Delivery = {
        id: `${this.group}:dead#${message.deliveryTag}`,
        queue: this.group,
        eventName: eventNameOf(message),
        body: bodyOf(message),
        attempt: deliveries,
        deadLettered: { reason: `${deathReason(message, this.group)} (delivered ${deliveries} times, never acked)` },
        ack: async () => {
          settled = true;
        },
        retryLater: async () => undefined,
      };
      await this.handOver(delivery);
      if (settled) return ConsumerStatus.ACK;
      if (this.closing) return ConsumerStatus.REQUEUE;
      await new Promise((resolve) => setTimeout(resolve, this.context.unsettledRedeliveryMs));
    }
  }

  private async handOver(delivery: Delivery): Promise<void> {
    const inFlight = this.context.inFlight;
    inFlight.set(this.group, (inFlight.get(this.group) ?? 0) + 1);
    try {
      await this.onDelivery(delivery);
    } catch (error) {
      this.context.logger?.warn(
        { group: this.group, delivery: delivery.id, err: errorMessage(error) },
        'event transport: delivery not settled; it will be redelivered',
      );
    } finally {
      inFlight.set(this.group, (inFlight.get(this.group) ?? 1) - 1);
    }
  }
}
