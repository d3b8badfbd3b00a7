import path from 'node:path';
import type { Kysely } from 'kysely';
import { readConfig } from '@ates/config';
import { createDb, createPool, withDatabase } from '@ates/db';
import { runningClusterUrl } from '@ates/embedded-pg';
import { configError } from '@ates/errors';
import { connectTransport, type Transport } from '@ates/event-bus';
import { serviceNames, type ServiceName } from '@ates/service';
import { startEnv } from '../start/start-config.js';
import { busDatabase, databaseOf } from '../start/start.js';

export interface BusTarget {
  readonly service: ServiceName;
  /** The service's database: outbox, inbox, dead letters. */
  readonly databaseUrl: string;
  /** The event transport (replays go there). */
  readonly transportUrl: string;
}

/**
 * Where `ates dlq` and `ates outbox` work for one service: DATABASE_URL and EVENT_TRANSPORT_URL
 * when set (any deployment), otherwise the service's database and `ates_bus` on the embedded
 * PostgreSQL of a running `npm start` (found through $ATES_HOME/postgres).
 */
export const busTarget = async (service: string, env: NodeJS.ProcessEnv = process.env): Promise<BusTarget> => {
  if (!(serviceNames as readonly string[]).includes(service)) {
    throw configError(`Unknown service ${JSON.stringify(service)}: expected one of ${serviceNames.join(', ')}.`);
  }
  const name = service as ServiceName;
  if (env.DATABASE_URL && env.EVENT_TRANSPORT_URL)
    return { service: name, databaseUrl: env.DATABASE_URL, transportUrl: env.EVENT_TRANSPORT_URL };
  const { ATES_HOME } = readConfig({ ATES_HOME: startEnv.ATES_HOME }, env);
  const cluster = await embeddedAdminUrl(ATES_HOME);
  if (!cluster) {
    throw configError(
      `Set DATABASE_URL (the ${name} database) and EVENT_TRANSPORT_URL, or start aTES (npm start) so that its embedded PostgreSQL in ${ATES_HOME} is running.`,
    );
  }
  return {
    service: name,
    databaseUrl: env.DATABASE_URL ?? withDatabase(cluster, databaseOf(name)),
    transportUrl: env.EVENT_TRANSPORT_URL ?? withDatabase(cluster, busDatabase),
  };
};

/**
 * The event transport alone (for `ates bus`): EVENT_TRANSPORT_URL when set, otherwise `ates_bus`
 * on the embedded PostgreSQL of a running `npm start`.
 */
export const transportTarget = async (env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  if (env.EVENT_TRANSPORT_URL) return env.EVENT_TRANSPORT_URL;
  const { ATES_HOME } = readConfig({ ATES_HOME: startEnv.ATES_HOME }, env);
  const cluster = await embeddedAdminUrl(ATES_HOME);
  if (!cluster)
    throw configError(
      `Set EVENT_TRANSPORT_URL, or start aTES (npm start) so that its embedded PostgreSQL in ${ATES_HOME} is running.`,
    );
  return withDatabase(cluster, busDatabase);
};

/** The superuser URL of the embedded cluster under `home` (password file and running port), if it runs. */
export const embeddedAdminUrl = (home: string): Promise<string | undefined> =>
  runningClusterUrl(path.join(home, 'postgres'));

/** Runs `work` with the service's database (and the transport, when asked), closing both after. */
export const withBus = async <T>(
  target: BusTarget,
  work: (db: Kysely<unknown>, transport: () => Promise<Transport>) => Promise<T>,
): Promise<T> => {
  const db = createDb<unknown>(createPool(target.databaseUrl, { max: 2, applicationName: 'ates-cli' }));
  let transport: Transport | undefined;
  try {
    return await work(
      db,
      async () => (transport ??= await connectTransport(target.transportUrl, { applicationName: 'ates-cli' })),
    );
  } finally {
    await transport?.close();
    await db.destroy();
  }
};
