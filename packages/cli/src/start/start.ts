import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readConfig } from '@ates/config';
import { ensureDatabase, withClient, withDatabase } from '@ates/db';
import { connectTransport, isBrokerUrl, redactBrokerUrl } from '@ates/event-bus';
import { assertPortFree, startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';
import { configError } from '@ates/errors';
import type { ServiceName } from '@ates/service';
import type { DeclaredGroup } from '../bus/declare.js';
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

/** One process of a service: instance i (from 0) listens on the service's port + 100·i. */
interface Instance {
  readonly service: ServiceName;
  readonly index: number;
  readonly port: number;
  /** `tracker`, or `tracker#2` when there are several. */
  readonly label: string;
}

export const instancesOf = (config: StartConfig, names: readonly ServiceName[], count: number): Instance[] =>
  names.flatMap((service) =>
    Array.from({ length: count }, (_, index) => ({
      service,
      index,
      port: portOf(config, service) + 100 * index,
      label: count > 1 ? `${service}#${index + 1}` : service,
    })),
  );

/** Two instances computed onto the same port (ports less than 100 apart): say which, before anything starts. */
const assertDistinctPorts = (instances: readonly Instance[]): void => {
  const seen = new Map<number, string>();
  for (const i of instances) {
    const other = seen.get(i.port);
    if (other)
      throw configError(
        `Port ${i.port} would serve both ${other} and ${i.label}: with several instances, instance i listens on its service's port + 100·i, so keep the service ports at least 100 apart or start fewer instances.`,
      );
    seen.set(i.port, i.label);
  }
};

/** Databases of the embedded cluster, one per service. */
export const databaseOf = (name: ServiceName): string => `ates_${name}`;

/** The event transport's database on the embedded cluster, shared by every service. */
export const busDatabase = 'ates_bus';

const urlTable = (config: StartConfig, names: readonly ServiceName[], instances: readonly Instance[]): string => {
  const width = Math.max(11, ...instances.map((i) => i.label.length + 1));
  const rows = instances.map(
    (i) => `  ${i.label.padEnd(width)} ${`http://localhost:${i.port}`.padEnd(26)}http://localhost:${i.port}/docs`,
  );
  const events = config.EVENT_TRANSPORT_URL
    ? `events on RabbitMQ ${redactBrokerUrl(config.EVENT_TRANSPORT_URL)}`
    : `events in ${busDatabase}`;
  return [
    '',
    `aTES is up — data in ${config.ATES_HOME}`,
    `  ${'service'.padEnd(width)} ${'url'.padEnd(26)}api docs`,
    ...rows,
    `  ${'maildev'.padEnd(width)} ${`http://localhost:${config.MAILDEV_WEB_PORT}`.padEnd(26)}payout emails (SMTP 127.0.0.1:${config.MAILDEV_SMTP_PORT})`,
    `  ${'postgres'.padEnd(width)} 127.0.0.1:${config.ATES_PG_PORT} (embedded; databases ${names.map(databaseOf).join(', ')}; ${events})`,
    `  ${'metrics'.padEnd(width)} <url>/metrics with Authorization: Bearer <METRICS_TOKEN of ${path.join(config.ATES_HOME, 'secrets.json')}>`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
};

/** Where the auth service writes the demo accounts it creates on a first start; printed once, then deleted. */
export const demoAccountsFile = (config: StartConfig): string => path.join(config.ATES_HOME, 'demo-accounts.json');

/**
 * What each service needs besides its database and port: the public URLs of the auth service and
 * the dashboards, and only the secrets it uses. Services reach auth on 127.0.0.1, which is where
 * the children listen, while browsers see http://localhost:<port>.
 */
export const serviceEnv = (config: StartConfig, name: ServiceName, secrets: StartSecrets): NodeJS.ProcessEnv => {
  const publicUrl = (n: ServiceName) => `http://localhost:${portOf(config, n)}`;
  const shared = {
    AUTH_ISSUER: publicUrl('auth'),
    AUTH_INTERNAL_URL: `http://127.0.0.1:${config.AUTH_PORT}`,
    PUBLIC_URL: publicUrl(name),
    // Every dashboard links to the others (auth registers them as clients; the rest navigate).
    TRACKER_URL: publicUrl('tracker'),
    ACCOUNTING_URL: publicUrl('accounting'),
    ANALYTICS_URL: publicUrl('analytics'),
    METRICS_TOKEN: secrets.METRICS_TOKEN,
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
export const start = async (options: { instances?: string } = {}): Promise<void> => {
  let config: StartConfig;
  let release: (() => Promise<void>) | undefined;
  let postgres: RunningPostgres | undefined;
  try {
    config = readConfig(startEnv, {
      ...process.env,
      ...(options.instances === undefined ? {} : { ATES_INSTANCES: options.instances }),
    });
    if (config.EVENT_TRANSPORT_URL && !isBrokerUrl(config.EVENT_TRANSPORT_URL))
      throw configError(
        'EVENT_TRANSPORT_URL for `npm start` must be an amqp:// URL (RabbitMQ), or unset for the embedded transport.',
      );
    await mkdir(config.ATES_HOME, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw configError(
        `Data directory ${config.ATES_HOME} cannot be created (${error.code}): set ATES_HOME to a writable directory.`,
      );
    });
    release = await acquirePidLock(path.join(config.ATES_HOME, 'ates.pid'));
    const names = serviceNamesInOrder;
    const instances = instancesOf(config, names, config.ATES_INSTANCES);
    assertDistinctPorts(instances);
    await Promise.all([
      ...instances.map((i) =>
        assertPortFree(i.port, `the ${i.label} service (set ${i.service.toUpperCase()}_PORT to use another)`),
      ),
      assertPortFree(config.MAILDEV_SMTP_PORT, 'MailDev’s SMTP server (set MAILDEV_SMTP_PORT to use another)'),
      assertPortFree(config.MAILDEV_WEB_PORT, 'MailDev’s inbox (set MAILDEV_WEB_PORT to use another)'),
    ]);
    const pgLog = path.join(config.ATES_HOME, 'postgres.log');
    postgres = await startEmbeddedPostgres({
      dir: path.join(config.ATES_HOME, 'postgres'),
      port: config.ATES_PG_PORT,
      onLog: (line) => void appendFile(pgLog, `${line}\n`).catch(() => undefined),
    });
    const transportUrl = config.EVENT_TRANSPORT_URL || withDatabase(postgres.adminUrl, busDatabase);
    await ensureDatabases(postgres.adminUrl, [
      ...names.map(databaseOf),
      ...(config.EVENT_TRANSPORT_URL ? [] : [busDatabase]),
    ]);
    const entry = cliEntry();
    await declareGroups(config, transportUrl, names, entry);
    const secrets = await loadOrCreateSecrets(config.ATES_HOME);
    await supervise(config, names, instances, entry, postgres, release, secrets, transportUrl);
  } catch (error) {
    await postgres?.stop().catch(() => undefined);
    await release?.();
    process.exitCode = reportFatal('ates start', error);
  }
};

/** Creates those of `databases` the cluster lacks; on a restart, one query finds them all there. */
const ensureDatabases = async (adminUrl: string, databases: readonly string[]): Promise<void> => {
  const existing = await withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database');
    return new Set(rows.map((r) => r.datname));
  });
  for (const database of databases) if (!existing.has(database)) await ensureDatabase(adminUrl, database);
};

/** What `declareAll` declared, and for which build of the services (`ATES_CLI_ENTRY`). */
interface DeclaredManifest {
  readonly build: string;
  readonly groups: readonly DeclaredGroup[];
}

const readManifest = async (file: string, build: string): Promise<readonly DeclaredGroup[] | undefined> => {
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as DeclaredManifest;
    return manifest.build === build && Array.isArray(manifest.groups) ? manifest.groups : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Every service's consumer groups, declared before any service starts: the events that auth
 * publishes as it seeds the demo accounts on a first start are kept for the groups that copy
 * accounts, whichever service comes up first.
 *
 * Which groups those are comes from the service definitions, and loading all four (oidc-provider,
 * Fastify, every dashboard…) cost the supervisor more than a second before any service could
 * start. So what was declared is kept in `manifest` with the build it came from: a restart of the
 * same build declares the same groups again (idempotent; the transport may be another one) without
 * loading any service code, and a new build loads the definitions once and rewrites it.
 */
const declareAll = async (
  transportUrl: string,
  names: readonly ServiceName[],
  manifest: string,
  build: string,
): Promise<void> => {
  const transport = await connectTransport(transportUrl, { applicationName: 'ates-start' });
  try {
    const known = await readManifest(manifest, build);
    if (known) {
      for (const { group, events } of known) await transport.declare(group, events);
      return;
    }
    const { declareServices } = await import('../bus/declare.js');
    const groups = await declareServices(transport, names);
    await writeFile(manifest, `${JSON.stringify({ build, groups } satisfies DeclaredManifest, null, 2)}\n`);
  } finally {
    await transport.close();
  }
};

/**
 * Declares the groups of `names` as `ates start` does, remembering them in the home for a restart,
 * for the build `entry` the services run from (a caller outside bin/ates.js, `npm run chaos`, has
 * no ATES_CLI_ENTRY of its own).
 */
export const declareGroups = (
  config: StartConfig,
  transportUrl: string,
  names: readonly ServiceName[],
  entry: string,
): Promise<void> => declareAll(transportUrl, names, path.join(config.ATES_HOME, 'declared-groups.json'), entry);

const supervise = async (
  config: StartConfig,
  names: readonly ServiceName[],
  instances: readonly Instance[],
  entry: string,
  postgres: RunningPostgres,
  release: () => Promise<void>,
  secrets: StartSecrets,
  transportUrl: string,
): Promise<void> => {
  const width = Math.max(...instances.map((i) => i.label.length));
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
  const children = instances.map(
    (instance) =>
      new Supervised(
        {
          name: instance.label,
          command: process.execPath,
          args: ['--enable-source-maps', entry, 'serve', instance.service],
          announcesListening: true,
          env: {
            ...process.env,
            ...serviceEnv(config, instance.service, secrets),
            DATABASE_URL: withDatabase(postgres.adminUrl, databaseOf(instance.service)),
            EVENT_TRANSPORT_URL: transportUrl,
            PORT: String(instance.port),
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
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(exitCodes.ok));
  // Every group is declared already (declareAll), so the services may start in any order.
  for (const child of children) child.start();
  // A service is asked whether it is ready only once it says it listens: polling four processes
  // that are still loading took CPU from them (most of the supervisor's own, on 2 CPUs).
  const ready = await Promise.all([
    ...instances.map(async (i, index) => {
      await children[index]?.whenListening(stopWaiting.signal);
      return waitUntilReady(`http://127.0.0.1:${i.port}/health/ready`, stopWaiting.signal);
    }),
    waitUntilReady(mail.readyUrl, stopWaiting.signal),
  ]);
  if (ready.every(Boolean)) {
    process.stdout.write(`${urlTable(config, names, instances)}\n`);
    const demo = await demoAccountsTable(config);
    if (demo) process.stdout.write(`${demo}\n`);
  }
};
