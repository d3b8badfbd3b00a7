import type { Transport } from '../transport.js';
import { connectRabbitTransport } from './transport.js';

/**
 * How the compliance suite (and its child processes) connect RabbitMQ: a low delivery limit, so
 * that a consumer killed a few times dead-letters its message; short heartbeats and publish
 * timeouts, so that a dead link is noticed within seconds; quick reconnects and redeliveries.
 */
export const connect = (url: string): Promise<Transport> =>
  connectRabbitTransport({
    url,
    deliveryLimit: 2,
    heartbeatSeconds: 1,
    publishTimeoutMs: 3_000,
    reconnectMinMs: 100,
    reconnectMaxMs: 1_000,
    unsettledRedeliveryMs: 500,
  });
