import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readConfig } from '@ates/config';
import { ensureDatabase, withDatabase } from '@ates/db';
import { assertPortFree, startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';
import { AppError } from '@ates/errors';
import type { ServiceName } from '@ates/service';
import { serviceNamesInOrder } from '../services.js';
import { exitCodes, reportFatal } from '../exit.js';
import { acquirePidLock } from './pid-lock.js';
import { waitUntilReady } from './ready.js';
import { startEnv, type StartConfig } from './start-config.js';
import { Supervised } from './supervisor.js';

const stopDeadlineMs = 10_000;

/** The compiled CLI that bin/ates.js runs; children are started from the same build. */
const cliEntry = (): string => {
  const entry = process.env.ATES_CLI_ENTRY;
  if (!entry) throw new AppError('config', 'ates start must be run through bin/ates.js (npm start), which compiles the services first.');
  return entry;
};

const portOf = (config: StartConfig, name: ServiceName): number =>
  ({ auth: config.AUTH_PORT, tracker: config.TRACKER_PORT, accounting: config.ACCOUNTING_PORT, analytics: config.ANALYTICS_PORT })[name];

/** Databases of the embedded cluster, one per service. */
export const databaseOf = (name: ServiceName): string => `ates_${name}`;

const urlTable = (config: StartConfig, names: readonly ServiceName[]): string => {
  const rows = names.map((n) => `  ${n.padEnd(11)} http://localhost:${portOf(config, n)}`.padEnd(40) + `http://localhost:${portOf(config, n)}/docs`);
  return [
    '',
    `aTES is up — data in ${config.ATES_HOME}`,
    `  ${'service'.padEnd(11)} ${'url'.padEnd(26)}api docs`,
    ...rows,
    `  ${'postgres'.padEnd(11)} 127.0.0.1:${config.ATES_PG_PORT} (embedded; databases ${names.map(databaseOf).join(', ')})`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
};

/**
 * `ates start` (what `npm start` runs): the whole system on one machine. Embedded PostgreSQL with
 * one database per service, each service in its own supervised process, a URL table once all are
 * ready, and a clean stop — services first, PostgreSQL last — on Ctrl-C or SIGTERM.
 */
export const start = async (): Promise<void> => {
  let config: StartConfig;
  let release: (() => Promise<void>) | undefined;
  let postgres: RunningPostgres | undefined;
  try {
    config = readConfig(startEnv);
    await mkdir(config.ATES_HOME, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new AppError('config', `Data directory ${config.ATES_HOME} cannot be created (${error.code}): set ATES_HOME to a writable directory.`);
    });
    release = await acquirePidLock(path.join(config.ATES_HOME, 'ates.pid'));
    const names = serviceNamesInOrder;
    for (const name of names) await assertPortFree(portOf(config, name), `the ${name} service (set ${name.toUpperCase()}_PORT to use another)`);
    const pgLog = path.join(config.ATES_HOME, 'postgres.log');
    postgres = await startEmbeddedPostgres({
      dir: path.join(config.ATES_HOME, 'postgres'),
      port: config.ATES_PG_PORT,
      onLog: (line) => void appendFile(pgLog, `${line}\n`).catch(() => undefined),
    });
    for (const name of names) await ensureDatabase(postgres.adminUrl, databaseOf(name));
    const entry = cliEntry();
    await supervise(config, names, entry, postgres, release);
  } catch (error) {
    await postgres?.stop().catch(() => undefined);
    await release?.();
    process.exitCode = reportFatal('ates start', error);
  }
};

const supervise = async (config: StartConfig, names: readonly ServiceName[], entry: string, postgres: RunningPostgres, release: () => Promise<void>): Promise<void> => {
  const width = Math.max(...names.map((n) => n.length));
  const stopWaiting = new AbortController();
  let stopping: Promise<void> | undefined;
  const shutdown = (code: number, reason?: string): Promise<void> =>
    (stopping ??= (async () => {
      if (reason) console.error(`ates start: ${reason}`);
      stopWaiting.abort();
      const force = setTimeout(() => process.exit(exitCodes.failure), stopDeadlineMs + 2_000);
      await Promise.all(children.map((c) => c.stop(stopDeadlineMs - 3_000)));
      await postgres.stop();
      await release();
      clearTimeout(force);
      process.stdout.write('aTES stopped.\n');
      process.exitCode = code;
    })());
  const children = names.map(
    (name) =>
      new Supervised(
        {
          name,
          command: process.execPath,
          args: ['--enable-source-maps', entry, 'serve', name],
          env: {
            ...process.env,
            DATABASE_URL: withDatabase(postgres.adminUrl, databaseOf(name)),
            PORT: String(portOf(config, name)),
            HOST: '127.0.0.1',
            LOG_LEVEL: config.LOG_LEVEL,
          },
        },
        width,
        { onFatal: (child) => void shutdown(exitCodes.config, `the ${child} service cannot start (its reason is logged above); stopping.`) },
      ),
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(exitCodes.ok));
  for (const child of children) child.start();
  const ready = await Promise.all(names.map((n) => waitUntilReady(`http://127.0.0.1:${portOf(config, n)}/health/ready`, stopWaiting.signal)));
  if (ready.every(Boolean)) process.stdout.write(`${urlTable(config, names)}\n`);
};
