import { serviceDatabaseUrl } from '../service-database.js';

/**
 * The auth database `ates auth …` works on: DATABASE_URL when set (any deployment), otherwise the
 * `ates_auth` database of the embedded PostgreSQL that a running `npm start` uses.
 */
export const authDatabaseUrl = (env: NodeJS.ProcessEnv = process.env): Promise<string> =>
  serviceDatabaseUrl('auth', env);
