import { Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'kysely';
import { readConfig, type Spec } from '@ates/config';
import { assertReachable, createDb, createPool, migrate, type Migration } from '@ates/db';
import { configError } from '@ates/errors';
import { eventBusMigrations, publish, publishMany, startEventBus } from '@ates/event-bus';
import { registerEventCatalog } from '@ates/event-catalog';
import { createServiceApp, listen, type ReadinessCheck } from '@ates/http';
import { createLogger, type Logger } from '@ates/logger';
import { commonEnv, type CommonConfig } from './common-config.js';
import type { ServiceContext, ServiceDefinition } from './definition.js';

export interface RunningService {
  readonly url: string;
  readonly logger: Logger;
  /** Stops taking requests, finishes in-flight work, runs cleanup, closes the pool. */
  stop(): Promise<void>;
}

const version = '0.1.0';

/** The event bus's tables first, then the service's own; one ledger, so names must not clash. */
const withBusMigrations = (own: readonly Migration[]): Migration[] => {
  const all = [...eventBusMigrations, ...own];
  const names = all.map((m) => m.name);
  const clash = names.find((name, i) => names.indexOf(name) !== i);
  if (clash)
    throw configError(`Migration name ${clash} is used twice (the event bus's migrations start with 0000_event_bus_).`);
  return all;
};

/**
 * Starts one service from environment variables only: checks the database answers, migrates it
 * (serialised by an advisory lock), builds the HTTP shell, runs the service's setup and listens.
 * Any failure before listening undoes what was started and rethrows.
 */
export const runService = async <S extends Spec, DB>(
  definition: ServiceDefinition<S, DB>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> => {
  const config = readConfig({ ...commonEnv(definition.defaultPort), ...definition.env }, env) as ServiceContext<
    S,
    DB
  >['config'] &
    CommonConfig;
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  await assertReachable(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, {
    max: config.DATABASE_POOL_SIZE,
    applicationName: `ates-${definition.name}`,
  });
  const db = createDb<DB>(pool);
  const cleanups: Array<() => Promise<void>> = [];
  let closeHttp: (() => Promise<void>) | undefined;
  let closing: Promise<void> | undefined;
  // HTTP first (no new requests, in-flight ones finish), then background work, newest first.
  const closeAll = (): Promise<void> =>
    (closing ??= (async () => {
      await closeHttp?.();
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error: unknown) => logger.error({ err: error }, 'cleanup failed'));
      }
      await db.destroy();
    })());
  try {
    const { applied } = await migrate(db, withBusMigrations(definition.migrations), definition.name);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const metrics = new Registry();
    metrics.setDefaultLabels({ service: definition.name });
    collectDefaultMetrics({ register: metrics });
    const readiness: ReadinessCheck[] = [
      { name: 'database', check: async () => void (await sql`select 1`.execute(db)) },
    ];
    const app = await createServiceApp({
      service: definition.name,
      version,
      description: definition.description,
      logger,
      readiness,
      metrics,
      ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    });
    closeHttp = () => app.close();
    // Relay and consumers start before setup, and so stop after the service's own background work.
    const bus = await startEventBus({
      service: definition.name,
      db,
      databaseUrl: config.DATABASE_URL,
      transport: config.EVENT_TRANSPORT_URL,
      logger,
      metrics,
      consumers: [...(definition.consumers ?? []), ...(definition.consumersFor?.(config) ?? [])],
    });
    cleanups.push(() => bus.stop());
    readiness.push({ name: 'event transport', check: () => bus.check() });
    await definition.setup({
      name: definition.name,
      config,
      logger,
      pool,
      db,
      app,
      metrics,
      bus: { publish, publishMany, wakeRelay: () => bus.relay.wake() },
      addReadiness: (check) => readiness.push(check),
      onStop: (stop) => cleanups.push(stop),
    });
    // After setup, so that it reuses the UI assets a dashboard of the service may already serve.
    registerEventCatalog(app);
    const url = await listen(app, config.PORT, config.HOST);
    logger.info({ url, port: config.PORT }, 'service listening');
    return { url, logger, stop: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
