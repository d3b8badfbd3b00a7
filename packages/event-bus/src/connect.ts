import { configError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { connectPostgresTransport, type PostgresTransportOptions } from './postgres/transport.js';
import type { Transport } from './transport.js';

export interface ConnectOptions extends Omit<PostgresTransportOptions, 'url'> {
  readonly logger?: Logger;
}

/**
 * Connects the transport named by `url` (`EVENT_TRANSPORT_URL`): a `postgres://` URL is the
 * embedded PostgreSQL transport in that database. RabbitMQ (`amqp://`) is the planned second
 * transport; it implements the same `Transport` interface and passes the same compliance suite.
 */
export const connectTransport = (url: string, options: ConnectOptions = {}): Promise<Transport> => {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol === 'postgres:' || protocol === 'postgresql:') return connectPostgresTransport({ ...options, url });
  return Promise.reject(
    configError(
      `Unsupported event transport ${JSON.stringify(protocol || url.slice(0, 20))}: EVENT_TRANSPORT_URL must be a postgres:// URL.`,
    ),
  );
};
