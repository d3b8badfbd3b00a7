import path from 'node:path';
import { readConfig } from '@ates/config';
import { withDatabase } from '@ates/db';
import { runningClusterUrl } from '@ates/embedded-pg';
import { configError } from '@ates/errors';
import { startEnv } from '../start/start-config.js';
import { databaseOf } from '../start/start.js';

/**
 * The auth database `ates auth …` works on: DATABASE_URL when set (any deployment), otherwise the
 * `ates_auth` database of the embedded PostgreSQL that a running `npm start` uses.
 */
export const authDatabaseUrl = async (env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const { ATES_HOME } = readConfig({ ATES_HOME: startEnv.ATES_HOME }, env);
  const cluster = await runningClusterUrl(path.join(ATES_HOME, 'postgres'));
  if (!cluster)
    throw configError(
      `Set DATABASE_URL to the auth service's database, or start aTES (npm start) so that its embedded PostgreSQL in ${ATES_HOME} is running.`,
    );
  return withDatabase(cluster, databaseOf('auth'));
};
