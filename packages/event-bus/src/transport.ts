/**
 * What the event bus needs from a message broker. It is shaped after AMQP so that RabbitMQ can
 * implement it as directly as the embedded PostgreSQL transport does:
 *
 * - `publish` is a confirmed, ordered batch to an exchange that routes by event name;
 * - a consumer group is a durable queue bound to the event names it handles; the processes of
 *   one group compete for its deliveries, and every group gets its own copy (fan-out);
 * - a delivery is acked, or retried later (a delay queue / visibility timeout), and a delivery
 *   whose consumer dies before acking comes back (unacked message / expired lease);
 * - `sendToGroup` puts a message straight into one group's queue (the default exchange), which is
 *   how dead letters and retained events are replayed to one consumer without bothering others.
 *
 * Bodies are text and the transport never parses them: garbage must reach the consumer, which
 * turns it into a dead letter with a readable reason.
 */
export interface OutgoingMessage {
  /** Routing key: the event name, e.g. `Task.Assigned`. */
  readonly eventName: string;
  /** The serialised envelope, exactly as the consumer will receive it. */
  readonly body: string;
  /** Partitioning hint (e.g. the aggregate id) for brokers that order per key; optional. */
  readonly key?: string;
}

export interface Delivery {
  /** Transport-specific id of this delivery, for logs. */
  readonly id: string;
  /** The queue it came from (for the dead-letter record). */
  readonly queue: string;
  /** The routing key it was published with; not trusted (the body says what the event is). */
  readonly eventName: string;
  readonly body: string;
  /** 1 on first delivery, then one more for every redelivery (retry later, or a lost consumer). */
  readonly attempt: number;
  /**
   * Set when the broker itself gave up on the message (RabbitMQ: past the queue's delivery limit,
   * typically a consumer that crashed on it again and again) and hands it over to be recorded as
   * a dead letter in the service's store rather than handled.
   */
  readonly deadLettered?: { readonly reason: string };
  /** Done: the delivery will not come back. */
  ack(): Promise<void>;
  /** Not done: deliver it again, to any consumer of the group, after `delayMs`. */
  retryLater(delayMs: number): Promise<void>;
}

/** Delivery handler. If it throws, the transport redelivers later (as after a consumer crash). */
export type OnDelivery = (delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /** Deliveries handed out at once to this process (and so handled concurrently). */
  readonly prefetch: number;
}

export interface Subscription {
  /** Stops taking deliveries and waits for the ones being handled to settle. */
  close(): Promise<void>;
}

/**
 * Thrown by `publish` when only a prefix of the batch was confirmed: the first `confirmed`
 * messages are durable, the rest are not known to be. The relay moves its cursor past that prefix and
 * retries from the first unconfirmed message, so nothing is resent needlessly and nothing after
 * an unconfirmed message is counted as sent.
 */
export class PartialPublishError extends Error {
  constructor(
    message: string,
    readonly confirmed: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PartialPublishError';
  }
}

/** How many leading messages of a failed `publish` were confirmed anyway (0 when unknown). */
export const confirmedBefore = (error: unknown): number => (error instanceof PartialPublishError ? error.confirmed : 0);

export interface Transport {
  /** Short name for logs and metrics, e.g. `postgres`. */
  readonly name: string;
  /**
   * Resolves only once the broker has durably accepted every message, in the given order, and
   * routed it to every group subscribed to its event name (a group subscribed to nothing gets
   * nothing, as an unbound AMQP exchange drops unroutable messages).
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /**
   * Makes sure `group`'s queue exists and is bound to `eventNames` (bindings are only added, never
   * removed here): from then on the broker keeps every event of those names for the group, whether
   * or not a process of it runs. Services declare their groups before any instance consumes, and
   * operators with `ates bus declare`, so that events published before a group first ran are kept.
   */
  declare(group: string, eventNames: readonly string[]): Promise<void>;
  /** Removes bindings: a deploy's explicit step once no process of the group handles them any more. */
  unbind(group: string, eventNames: readonly string[]): Promise<void>;
  /**
   * Declares the group as `declare` does and hands its deliveries to `onDelivery`, at most
   * `prefetch` at a time. Processes subscribing to the same group compete.
   */
  subscribe(
    group: string,
    eventNames: readonly string[],
    onDelivery: OnDelivery,
    options: SubscribeOptions,
  ): Promise<Subscription>;
  /** Confirmed, ordered delivery to one group only, whatever it is bound to (replays). */
  sendToGroup(group: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /** Resolves when the broker answers; throws with a reason when not (readiness). */
  check(): Promise<void>;
  /** Deliveries waiting in, or being handled from, the group's queue. */
  lag(group: string): Promise<number>;
  close(): Promise<void>;
}
