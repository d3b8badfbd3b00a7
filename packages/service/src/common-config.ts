import { integer, oneOf, port, postgresUrl, text, transportUrl, type ConfigOf } from '@ates/config';

/** Variables every service reads. Service-specific ones are declared in its definition. */
export const commonEnv = (defaultPort: number) => ({
  DATABASE_URL: postgresUrl("The service's own PostgreSQL database (required when a service runs alone)."),
  EVENT_TRANSPORT_URL: transportUrl(
    'Where events travel between services: a PostgreSQL database of its own for the embedded transport, shared by every service (`npm start` uses `ates_bus` on its cluster), or RabbitMQ (`amqp://user:password@host:5672/vhost`, several comma-separated hosts for a cluster). Required when a service runs alone.',
  ),
  PORT: port('HTTP port of the service.', defaultPort),
  HOST: text('Interface the HTTP server binds to.', '0.0.0.0'),
  LOG_LEVEL: oneOf('Log level.', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  DATABASE_POOL_SIZE: integer("Connections in the service's database pool.", 10, 1, 200),
});

export type CommonConfig = ConfigOf<ReturnType<typeof commonEnv>>;
