import type { Transport } from '../transport.js';
import { connectPostgresTransport } from './transport.js';

/**
 * How the compliance suite (and its child processes) connect the PostgreSQL transport: a short
 * lease, so that a killed consumer's delivery comes back within seconds, and quick polling.
 */
export const connect = (url: string): Promise<Transport> =>
  connectPostgresTransport({ url, leaseMs: 3_000, pollIntervalMs: 200, sweepIntervalMs: 500 });
