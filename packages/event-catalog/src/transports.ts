import type { JsonObject } from '@ates/schema-registry';
import type { AsyncApiServer } from './asyncapi.js';

/** The RabbitMQ exchange every event is published to (the RabbitMQ transport declares it). */
export const eventsExchange = 'ates.events';

/**
 * The two transports an event can travel by; which one is chosen by `EVENT_TRANSPORT_URL`, and
 * every channel is on both. Hosts are those of `npm start` (the embedded PostgreSQL's default
 * port) and of a local broker: in a deployment the URL says where.
 */
export const servers: Readonly<Record<string, AsyncApiServer>> = {
  postgres: {
    host: 'localhost:54329',
    pathname: '/ates_bus',
    protocol: 'postgresql',
    title: 'PostgreSQL transport (the embedded default)',
    description:
      'Tables of their own in one database shared by every service: `ates_bus` on the embedded cluster under `npm start`, any PostgreSQL that `EVENT_TRANSPORT_URL` names. A message is a row; each consumer group bound to its name gets a delivery row, which the group\'s processes claim with `FOR UPDATE SKIP LOCKED`, woken by `LISTEN/NOTIFY`. See docs/event-bus.md, "The PostgreSQL transport".',
  },
  rabbitmq: {
    host: 'localhost:5672',
    pathname: '/',
    protocol: 'amqp',
    protocolVersion: '0.9.1',
    title: 'RabbitMQ',
    description: `When \`EVENT_TRANSPORT_URL\` is an \`amqp://\` URL: every event is published with publisher confirms to the topic exchange \`${eventsExchange}\`, its name as the routing key; each consumer group has a durable queue named after the group, bound to the names it accepts.`,
  },
};

/** How a channel (one event name) maps onto AMQP: a routing key on the events exchange. */
export const amqpChannelBinding: JsonObject = {
  is: 'routingKey',
  exchange: { name: eventsExchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
  bindingVersion: '0.3.0',
};
