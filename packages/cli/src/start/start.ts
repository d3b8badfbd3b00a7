import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { readConfig } from '@ates/config';
import { ensureDatabase, withDatabase } from '@ates/db';
import { assertPortFree, startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';
import { configError } from '@ates/errors';
import type { ServiceName } from '@ates/service';
import { serviceNamesInOrder } from '../services.js';
import { exitCodes, reportFatal } from '../exit.js';
import { acquirePidLock } from './pid-lock.js';
import { mailDev } from './maildev.js';
import { loadOrCreateSecrets, type StartSecrets } from './secrets.js';
import { waitUntilReady } from './ready.js';
import { startEnv, type StartConfig } from './start-config.js';
import { Supervised } from './supervisor.js';

const stopDeadlineMs = 10_000;

/** The compiled CLI that bin/ates.js runs; children are started from the same build. */
const cliEntry = (): string => {
  const entry = process.env.ATES_CLI_ENTRY;
  if (!entry)
    throw configError('ates start must be run through bin/ates.js (npm start), which compiles the services first.');
  return entry;
};

const portOf = (config: StartConfig, name: ServiceName): number =>
  ({
    auth: config.AUTH_PORT,
    tracker: config.TRACKER_PORT,
    accounting: config.ACCOUNTING_PORT,
    analytics: config.ANALYTICS_PORT,
  })[name];

/** Databases of the embedded cluster, one per service. */
export const databaseOf = (name: ServiceName): string => `ates_${name}`;

/** The event transport's database on the embedded cluster, shared by every service. */
export const busDatabase = 'ates_bus';

const urlTable = (config: StartConfig, names: readonly ServiceName[]): string => {
  const rows = names.map(
    (n) =>
      `  ${n.padEnd(11)} http://localhost:${portOf(config, n)}`.padEnd(40) +
      `http://localhost:${portOf(config, n)}/docs`,
  );
  return [
    '',
    `aTES is up — data in ${config.ATES_HOME}`,
    `  ${'service'.padEnd(11)} ${'url'.padEnd(26)}api docs`,
    ...rows,
    `  ${'maildev'.padEnd(11)} ${`http://localhost:${config.MAILDEV_WEB_PORT}`.padEnd(26)}payout emails (SMTP 127.0.0.1:${config.MAILDEV_SMTP_PORT})`,
    `  ${'postgres'.padEnd(11)} 127.0.0.1:${config.ATES_PG_PORT} (embedded; databases ${names.map(databaseOf).join(', ')}; events in ${busDatabase})`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
};

/** Where the auth service writes the demo accounts it creates on a first start; printed once, then deleted. */
const demoAccountsFile = (config: StartConfig): string => path.join(config.ATES_HOME, 'demo-accounts.json');

/**
 * What each service needs besides its database and port: the public URLs of the auth service and
 * the dashboards, and only the secrets it uses. Services reach auth on 127.0.0.1, which is where
 * the children listen, while browsers see http://localhost:<port>.
 */
const serviceEnv = (config: StartConfig, name: ServiceName, secrets: StartSecrets): NodeJS.ProcessEnv => {
  const publicUrl = (n: ServiceName) => `http://localhost:${portOf(config, n)}`;
  const shared = {
    AUTH_ISSUER: publicUrl('auth'),
    AUTH_INTERNAL_URL: `http://127.0.0.1:${config.AUTH_PORT}`,
    PUBLIC_URL: publicUrl(name),
    // Every dashboard links to the others (auth registers them as clients; the rest navigate).
    TRACKER_URL: publicUrl('tracker'),
    ACCOUNTING_URL: publicUrl('accounting'),
    ANALYTICS_URL: publicUrl('analytics'),
  };
  if (name === 'auth') {
    return {
      ...shared,
      AUTH_COOKIE_KEYS: secrets.AUTH_COOKIE_KEYS,
      DASHBOARD_CLIENT_SECRET: secrets.DASHBOARD_CLIENT_SECRET,
      DASHBOARD_SESSION_SECRET: secrets.DASHBOARD_SESSION_SECRET,
      SEED_DEMO_ACCOUNTS: 'true',
      DEMO_ACCOUNTS_FILE: demoAccountsFile(config),
    };
  }
  return {
    ...shared,
    DASHBOARD_CLIENT_SECRET: secrets.DASHBOARD_CLIENT_SECRET,
    DASHBOARD_SESSION_SECRET: secrets.DASHBOARD_SESSION_SECRET,
    ...(name === 'accounting' ? { SMTP_URL: mailDev(config).smtpUrl } : {}),
  };
};

/** The demo accounts the auth service created on this start, if any: printed once, the file deleted. */
const demoAccountsTable = async (config: StartConfig): Promise<string | undefined> => {
  const file = demoAccountsFile(config);
  let accounts: Array<{ full_name: string; email: string; role: string; password: string }>;
  try {
    accounts = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  await rm(file, { force: true });
  const width = Math.max(...accounts.map((a) => a.email.length));
  return [
    'Demo accounts (shown this once; passwords are not stored anywhere else — `ates auth reset-password --email …` sets new ones):',
    ...accounts.map((a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(width)}  ${a.password}   ${a.full_name}`),
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
      throw configError(
        `Data directory ${config.ATES_HOME} cannot be created (${error.code}): set ATES_HOME to a writable directory.`,
      );
    });
    release = await acquirePidLock(path.join(config.ATES_HOME, 'ates.pid'));
    const names = serviceNamesInOrder;
    for (const name of names)
      await assertPortFree(portOf(config, name), `the ${name} service (set ${name.toUpperCase()}_PORT to use another)`);
    await assertPortFree(config.MAILDEV_SMTP_PORT, 'MailDev’s SMTP server (set MAILDEV_SMTP_PORT to use another)');
    await assertPortFree(config.MAILDEV_WEB_PORT, 'MailDev’s inbox (set MAILDEV_WEB_PORT to use another)');
    const pgLog = path.join(config.ATES_HOME, 'postgres.log');
    postgres = await startEmbeddedPostgres({
      dir: path.join(config.ATES_HOME, 'postgres'),
      port: config.ATES_PG_PORT,
      onLog: (line) => void appendFile(pgLog, `${line}\n`).catch(() => undefined),
    });
    const created = new Set<ServiceName>();
    for (const name of names) if (await ensureDatabase(postgres.adminUrl, databaseOf(name))) created.add(name);
    await ensureDatabase(postgres.adminUrl, busDatabase);
    const secrets = await loadOrCreateSecrets(config.ATES_HOME);
    const entry = cliEntry();
    await supervise(config, names, entry, postgres, release, secrets, created.has('auth'));
  } catch (error) {
    await postgres?.stop().catch(() => undefined);
    await release?.();
    process.exitCode = reportFatal('ates start', error);
  }
};

const supervise = async (
  config: StartConfig,
  names: readonly ServiceName[],
  entry: string,
  postgres: RunningPostgres,
  release: () => Promise<void>,
  secrets: StartSecrets,
  firstStart: boolean,
): Promise<void> => {
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
            ...serviceEnv(config, name, secrets),
            DATABASE_URL: withDatabase(postgres.adminUrl, databaseOf(name)),
            EVENT_TRANSPORT_URL: withDatabase(postgres.adminUrl, busDatabase),
            PORT: String(portOf(config, name)),
            HOST: '127.0.0.1',
            LOG_LEVEL: config.LOG_LEVEL,
          },
        },
        width,
        {
          onFatal: (child) =>
            void shutdown(
              exitCodes.config,
              `the ${child} service cannot start (its reason is logged above); stopping.`,
            ),
        },
      ),
  );
  const mail = mailDev(config);
  children.push(
    new Supervised(mail, width, {
      onFatal: () => void shutdown(exitCodes.config, 'MailDev cannot start (its reason is logged above); stopping.'),
    }),
  );
  children.at(-1)?.start();
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(exitCodes.ok));
  const readyUrl = (n: ServiceName) => `http://127.0.0.1:${portOf(config, n)}/health/ready`;
  if (firstStart) {
    // On the first start of an empty system, auth creates the demo accounts as it starts. The
    // services that copy accounts must be subscribed to the Account events by then (a consumer
    // group receives what is published after it subscribes), so they start first; a service is
    // ready only once its consumers are subscribed.
    const others = names.filter((n) => n !== 'auth');
    names.forEach((n, i) => n !== 'auth' && children[i]?.start());
    await Promise.all(others.map((n) => waitUntilReady(readyUrl(n), stopWaiting.signal)));
    if (!stopWaiting.signal.aborted) children[names.indexOf('auth')]?.start();
  } else {
    for (const child of children) child.start();
  }
  const ready = await Promise.all([
    ...names.map((n) => waitUntilReady(readyUrl(n), stopWaiting.signal)),
    waitUntilReady(mail.readyUrl, stopWaiting.signal),
  ]);
  if (ready.every(Boolean)) {
    process.stdout.write(`${urlTable(config, names)}\n`);
    const demo = await demoAccountsTable(config);
    if (demo) process.stdout.write(`${demo}\n`);
  }
};
