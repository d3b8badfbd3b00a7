import { configError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import { connectPostgresTransport, type PostgresTransportOptions } from './postgres/transport.js';
import { connectRabbitTransport, type RabbitTransportOptions } from './rabbitmq/transport.js';
import { isBrokerUrl } from './rabbitmq/url.js';
import type { Transport } from './transport.js';

export interface ConnectOptions {
  readonly logger?: Logger;
  readonly applicationName?: string;
  readonly postgres?: Omit<PostgresTransportOptions, 'url' | 'logger' | 'applicationName'>;
  readonly rabbitmq?: Omit<RabbitTransportOptions, 'url' | 'logger' | 'applicationName'>;
}

/**
 * Connects the transport named by `url` (`EVENT_TRANSPORT_URL`): a `postgres://` URL is the
 * embedded PostgreSQL transport in that database, an `amqp://` (or `amqps://`) URL RabbitMQ,
 * with several comma-separated hosts for a cluster. Both pass the same compliance suite.
 */
export const connectTransport = (url: string, options: ConnectOptions = {}): Promise<Transport> => {
  const { postgres, rabbitmq, ...common } = options;
  if (isBrokerUrl(url)) return connectRabbitTransport({ ...common, ...rabbitmq, url });
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol === 'postgres:' || protocol === 'postgresql:')
    return connectPostgresTransport({ ...common, ...postgres, url });
  return Promise.reject(
    configError(
      `Unsupported event transport ${JSON.stringify(protocol || url.slice(0, 20))}: EVENT_TRANSPORT_URL must be a postgres:// or amqp:// URL.`,
    ),
  );
};
