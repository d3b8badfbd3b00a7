import path from 'node:path';
import { readConfig } from '@ates/config';
import { withDatabase } from '@ates/db';
import { runningClusterUrl } from '@ates/embedded-pg';
import { configError } from '@ates/errors';
import type { ServiceName } from '@ates/service';
import { startEnv } from './start/start-config.js';
import { databaseOf } from './start/start.js';

/**
 * The database a service's operator commands (`ates auth …`, `ates accounting …`) work on:
 * DATABASE_URL when set (any deployment), otherwise that service's database on the embedded
 * PostgreSQL that a running `npm start` uses.
 */
export const serviceDatabaseUrl = async (
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> => {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const { ATES_HOME } = readConfig({ ATES_HOME: startEnv.ATES_HOME }, env);
  const cluster = await runningClusterUrl(path.join(ATES_HOME, 'postgres'));
  if (!cluster)
    throw configError(
      `Set DATABASE_URL to the ${service} service's database, or start aTES (npm start) so that its embedded PostgreSQL in ${ATES_HOME} is running.`,
    );
  return withDatabase(cluster, databaseOf(service));
};
