export {
  createPool,
  createDb,
  assertReachable,
  ensureDatabase,
  explainConnectionError,
  survivesLostConnections,
  withClient,
  withDatabase,
} from './connect.js';
export type { PoolOptions } from './connect.js';
export { migrate } from './migrate.js';
export type { Migration, MigrationResult } from './migrate.js';
