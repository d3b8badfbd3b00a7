import type { Channel } from 'rabbitmq-client';

/**
 * The broker-side layout, declared with identical arguments by every process on every (re)connect
 * (RabbitMQ refuses a redeclaration with different arguments, so they must never depend on who
 * declares):
 *
 * - `ates.events`, a topic exchange; routing key = event name. A group's queue is bound to the
 *   names it handles.
 * - one quorum queue per consumer group, named after it, with an explicit delivery limit: a
 *   message whose consumers keep dying on it is dead-lettered (at least once) into
 *   `<group>:dead`, which the group's processes drain into the service's dead-letter store.
 * - delayed redelivery: `ates.delay`, a headers exchange, routes on `ates-delay` to one of a fixed
 *   set of quorum queues with a fixed TTL each (so the head of a queue always expires first, and
 *   a short delay never waits behind a long one); an expired message is dead-lettered through the
 *   default exchange with its own routing key, which is the group's queue name.
 *
 * `:` cannot occur in a group name, so the derived names never collide with a group's.
 */
export const eventsExchange = 'ates.events';
export const delayExchange = 'ates.delay';
export const deadQueue = (group: string): string => `${group}:dead`;
export const delayQueue = (ms: number): string => `ates:delay:${ms}ms`;

/** TTLs of the delay queues. A delay waits in the smallest one that is not shorter. */
export const delayBucketsMs: readonly number[] = [
  25, 100, 250, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 1_800_000,
];

/**
 * Where a delay of `ms` waits: the smallest bucket not shorter than it, so it is never early.
 * Longer than the longest bucket: the longest, and `remaining` says what is left to wait when
 * it comes back (the consumer side delays it again).
 */
export const delayBucket = (ms: number): { readonly bucket: number; readonly remaining: number } => {
  const longest = delayBucketsMs[delayBucketsMs.length - 1] as number;
  const bucket = delayBucketsMs.find((b) => b >= ms) ?? longest;
  return { bucket, remaining: Math.max(0, ms - bucket) };
};

/** Message headers the transport sets and reads. */
export const headers = {
  /** The delivery attempt the next delivery of this message is (set on redelivery). */
  attempt: 'ates-attempt',
  /** Epoch ms before which a delayed message must not be handled (only for delays past the longest bucket). */
  due: 'ates-due',
  /** Which delay queue, for the headers exchange. */
  delay: 'ates-delay',
} as const;

const quorum = { 'x-queue-type': 'quorum' } as const;
/** At-least-once dead-lettering needs reject-publish; without it RabbitMQ silently falls back to at-most-once. */
const safeDeadLettering = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } as const;

export interface TopologyOptions {
  /** Redeliveries (unacked returns) after which a group's message is dead-lettered. */
  readonly deliveryLimit: number;
}

export const groupQueueArguments = (group: string, options: TopologyOptions): Record<string, unknown> => ({
  ...quorum,
  'x-delivery-limit': options.deliveryLimit,
  'x-dead-letter-exchange': '',
  'x-dead-letter-routing-key': deadQueue(group),
  ...safeDeadLettering,
});

/**
 * Messages in `<group>:dead` wait for the service to record them. They are never nacked, only
 * left unacked while the service's database is down; the explicit, very high limit keeps
 * RabbitMQ 4's default limit of 20 from dropping them after a few restarts.
 */
export const deadQueueArguments: Record<string, unknown> = { ...quorum, 'x-delivery-limit': 1_000_000 };

const delayQueueArguments = (ms: number): Record<string, unknown> => ({
  ...quorum,
  'x-message-ttl': ms,
  'x-dead-letter-exchange': '',
  ...safeDeadLettering,
});

/** The exchanges and delay queues every process relies on. */
export const declareShared = async (ch: Channel): Promise<void> => {
  await ch.exchangeDeclare({ exchange: eventsExchange, type: 'topic', durable: true });
  await ch.exchangeDeclare({ exchange: delayExchange, type: 'headers', durable: true });
  for (const ms of delayBucketsMs) {
    await ch.queueDeclare({ queue: delayQueue(ms), durable: true, arguments: delayQueueArguments(ms) });
    await ch.queueBind({
      queue: delayQueue(ms),
      exchange: delayExchange,
      arguments: { 'x-match': 'all', [headers.delay]: String(ms) },
    });
  }
};

/** What rabbitmq-client's Consumer redeclares for a group on every (re)connect. */
export const groupConsumerTopology = (group: string, eventNames: readonly string[], options: TopologyOptions) => ({
  queue: group,
  queueOptions: { durable: true, arguments: groupQueueArguments(group, options) },
  exchanges: [{ exchange: eventsExchange, type: 'topic', durable: true }],
  queueBindings: eventNames.map((routingKey) => ({ queue: group, exchange: eventsExchange, routingKey })),
});

export const deadConsumerTopology = (group: string) => ({
  queue: deadQueue(group),
  queueOptions: { durable: true, arguments: deadQueueArguments },
});

/** A group's queues and bindings, declared without consuming (`Transport.declare`). */
export const declareGroup = async (
  ch: Channel,
  group: string,
  eventNames: readonly string[],
  options: TopologyOptions,
): Promise<void> => {
  const dead = deadConsumerTopology(group);
  await ch.queueDeclare({ queue: dead.queue, ...dead.queueOptions });
  const topology = groupConsumerTopology(group, eventNames, options);
  await ch.queueDeclare({ queue: topology.queue, ...topology.queueOptions });
  for (const binding of topology.queueBindings) await ch.queueBind(binding);
};
