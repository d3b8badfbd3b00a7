/**
 * The event bus: transactional outbox and relay, idempotent consumers with retries and dead
 * letters, and the transports they run on. See docs/event-bus.md.
 */
export { eventBusMigrations, outboxChannel } from './migrations.js';
export { outboxInsert, publish, publishMany } from './outbox.js';
export type { Change, Decide, Decision } from './decision.js';
export type { Executor, OutboxInsertOptions, PublishOptions } from './outbox.js';
export { OutboxRelay, defaultRelayRetryDelaysMs } from './relay.js';
export type { RelayOptions, RelayState } from './relay.js';
export { consumer, declareConsumers, startConsumer, ConsumerCore, defaultRedeliveryDelaysMs } from './consumer.js';
export type {
  ConsumerDefinition,
  ConsumerDependencies,
  EventHandler,
  EventHandlers,
  HandlerContext,
  Outcome,
  RunningConsumer,
} from './consumer.js';
export {
  listDeadLetters,
  getDeadLetter,
  replayDeadLetters,
  discardDeadLetters,
  countOpenDeadLetters,
  writeDeadLetter,
} from './dead-letters.js';
export type {
  DeadLetter,
  DeadLetterSummary,
  DeadLetterState,
  DeadLetterSelection,
  ListDeadLettersOptions,
  NewDeadLetter,
} from './dead-letters.js';
export { outboxBacklogSql, outboxStatus, replayOutbox } from './outbox-status.js';
export type { OutboxStatus, ReplayOutboxOptions } from './outbox-status.js';
export { BusMetrics } from './metrics.js';
export { startEventBus } from './bus.js';
export type { EventBus, EventBusOptions } from './bus.js';
export { connectTransport } from './connect.js';
export type { ConnectOptions } from './connect.js';
export { connectPostgresTransport, PostgresTransport } from './postgres/transport.js';
export type { PostgresTransportOptions } from './postgres/transport.js';
export { transportMigrations } from './postgres/migrations.js';
export { connectRabbitTransport, RabbitTransport } from './rabbitmq/transport.js';
export type { RabbitTransportOptions } from './rabbitmq/transport.js';
export { isBrokerUrl, parseBrokerUrl, redact as redactBrokerUrl } from './rabbitmq/url.js';
export { PartialPublishError, confirmedBefore } from './transport.js';
export type { Delivery, OnDelivery, OutgoingMessage, SubscribeOptions, Subscription, Transport } from './transport.js';
