import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { readConfig } from '@ates/config';
import { ensureDatabase, withDatabase } from '@ates/db';
import { startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';
import {
  busDatabase,
  databaseOf,
  declareGroups,
  demoAccountsFile,
  loadOrCreateSecrets,
  mailDev,
  serviceEnv,
  startEnv,
  Supervised,
  waitUntilReady,
  type StartConfig,
} from '@ates/cli/system';
import { freePort } from '@ates/testing/ports';
import { startLinkProxy, type LinkProxy } from './proxy.js';
import { services, type Service } from './schedule.js';

export interface SystemOptions {
  readonly home: string;
  /** The CLI entry bin/build.js compiled: the services run from it, as under `npm start`. */
  readonly entry: string;
  readonly instances: number;
  /** amqp://…/vhost for RabbitMQ; undefined for the embedded transport (ates_bus). */
  readonly rabbitmqUrl: string | undefined;
  /** ACCOUNTING_DAY_END for the run: the day ends, and is closed, while the faults go on. */
  readonly dayEnd: string;
}

export interface Instance {
  readonly service: Service;
  readonly index: number;
  readonly label: string;
  readonly port: number;
  readonly process: Supervised;
  /** Its link to its own database, and to the event transport. */
  readonly database: LinkProxy;
  readonly transport: LinkProxy;
}

/**
 * The system `ates start` runs — the same environment for every service (serviceEnv), the same
 * declared consumer groups, MailDev — but each process reaches its database and the event
 * transport through its own TCP proxy, so that one service's links can be cut, and PostgreSQL
 * is ours to restart. Children's output goes to `system.log` in the home.
 */
export class ChaosSystem {
  readonly instances: Instance[] = [];
  readonly log: WriteStream;
  config!: StartConfig;
  private postgres!: RunningPostgres;
  private mail!: Supervised;
  adminUrl = '';

  constructor(readonly options: SystemOptions) {
    this.log = createWriteStream(path.join(options.home, 'system.log'), { flags: 'a' });
  }

  url(service: Service): string {
    return `http://localhost:${this.portOf(service)}`;
  }

  private portOf(service: Service): number {
    return {
      auth: this.config.AUTH_PORT,
      tracker: this.config.TRACKER_PORT,
      accounting: this.config.ACCOUNTING_PORT,
      analytics: this.config.ANALYTICS_PORT,
    }[service];
  }

  async start(): Promise<void> {
    const port = async () => String(await freePort());
    this.config = readConfig(startEnv, {
      ATES_HOME: this.options.home,
      ATES_PG_PORT: await port(),
      AUTH_PORT: await port(),
      TRACKER_PORT: await port(),
      ACCOUNTING_PORT: await port(),
      ANALYTICS_PORT: await port(),
      MAILDEV_SMTP_PORT: await port(),
      MAILDEV_WEB_PORT: await port(),
      LOG_LEVEL: 'warn',
      ...(this.options.rabbitmqUrl ? { EVENT_TRANSPORT_URL: this.options.rabbitmqUrl } : {}),
    });
    await this.startPostgres();
    for (const service of services) await ensureDatabase(this.adminUrl, databaseOf(service));
    if (!this.options.rabbitmqUrl) await ensureDatabase(this.adminUrl, busDatabase);
    const transportUrl = this.options.rabbitmqUrl ?? withDatabase(this.adminUrl, busDatabase);
    await declareGroups(this.config, transportUrl, services, this.options.entry);
    const secrets = await loadOrCreateSecrets(this.config.ATES_HOME);
    const transportTarget = new URL(transportUrl);
    const width = 14;
    for (const service of services) {
      for (let index = 0; index < this.options.instances; index++) {
        const database = await startLinkProxy({ host: '127.0.0.1', port: this.config.ATES_PG_PORT });
        const transport = await startLinkProxy({ host: '127.0.0.1', port: Number(transportTarget.port || 5672) });
        const viaProxy = (url: string, proxy: LinkProxy) => {
          const u = new URL(url);
          u.port = String(proxy.port);
          return u.toString();
        };
        const label = this.options.instances > 1 ? `${service}#${index + 1}` : service;
        const instancePort = index === 0 ? this.portOf(service) : await freePort();
        const child = new Supervised(
          {
            name: label,
            command: process.execPath,
            args: ['--enable-source-maps', this.options.entry, 'serve', service],
            env: {
              ...process.env,
              ...serviceEnv(this.config, service, secrets),
              DATABASE_URL: viaProxy(withDatabase(this.adminUrl, databaseOf(service)), database),
              EVENT_TRANSPORT_URL: viaProxy(transportUrl, transport),
              PORT: String(instancePort),
              HOST: '127.0.0.1',
              LOG_LEVEL: 'warn',
              ACCOUNTING_DAY_END: this.options.dayEnd,
              ATES_CLI_ENTRY: this.options.entry,
            },
          },
          width,
          { onFatal: (name) => this.log.write(`${name} cannot start (configuration); it stays down\n`) },
          this.log,
        );
        this.instances.push({ service, index, label, port: instancePort, process: child, database, transport });
      }
    }
    const mail = mailDev(this.config);
    this.mail = new Supervised(mail, width, { onFatal: () => undefined }, this.log);
    this.mail.start();
    for (const instance of this.instances) instance.process.start();
    await this.ready();
  }

  /** Every instance and MailDev answer ready. */
  async ready(timeoutMs = 180_000): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    const answered = await Promise.all([
      ...this.instances.map((i) => waitUntilReady(`http://127.0.0.1:${i.port}/health/ready`, signal)),
      waitUntilReady(mailDev(this.config).readyUrl, signal),
    ]);
    if (!answered.every(Boolean)) throw new Error(`the system was not ready within ${timeoutMs / 1000} s`);
  }

  /** The demo admin that auth seeded on its first start. */
  async demoAdmin(): Promise<{ email: string; password: string }> {
    const accounts = JSON.parse(await readFile(demoAccountsFile(this.config), 'utf8')) as Array<{
      email: string;
      password: string;
      role: string;
    }>;
    const admin = accounts.find((a) => a.role === 'admin');
    if (!admin) throw new Error('auth seeded no demo admin');
    return admin;
  }

  mailUrl(): string {
    return `http://127.0.0.1:${this.config.MAILDEV_WEB_PORT}`;
  }

  private async startPostgres(): Promise<void> {
    this.postgres = await startEmbeddedPostgres({
      dir: path.join(this.options.home, 'postgres'),
      port: this.config.ATES_PG_PORT,
      onLog: (line) => this.log.write(`postgres       | ${line}\n`),
    });
    this.adminUrl = this.postgres.adminUrl;
  }

  async restartPostgres(downMs: number): Promise<void> {
    await this.postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.startPostgres();
  }

  of(service: Service): Instance[] {
    return this.instances.filter((i) => i.service === service);
  }

  kill(instance: Instance): number | undefined {
    const pid = instance.process.pid;
    if (pid) process.kill(pid, 'SIGKILL');
    return pid;
  }

  /**
   * The instance whose relay holds the service's relay lock: the backend holding the advisory
   * lock, under the relay's application name, is reached through one instance's proxy.
   */
  async relayHolder(service: Service): Promise<Instance | undefined> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ client_port: number }>(
        `select a.client_port from pg_stat_activity a join pg_locks l on l.pid = a.pid
          where l.locktype = 'advisory' and l.granted and a.datname = $1 and a.application_name = $2`,
        [databaseOf(service), `ates-${service}-relay`],
      );
      const ports = new Set(rows.map((r) => r.client_port));
      return this.of(service).find((i) => i.database.upstreamPorts().some((p) => ports.has(p)));
    } finally {
      await client.end();
    }
  }

  cutLinks(service: Service): void {
    for (const i of this.of(service)) {
      i.database.cut();
      i.transport.cut();
    }
  }

  restoreLinks(service: Service): void {
    for (const i of this.of(service)) {
      i.database.restore();
      i.transport.restore();
    }
  }

  async stopService(service: Service): Promise<void> {
    await Promise.all(this.of(service).map((i) => i.process.stop(10_000)));
  }

  startService(service: Service): void {
    for (const i of this.of(service)) i.process.start();
  }

  private stopped: Promise<void> | undefined;

  /** Services, MailDev, the proxies, PostgreSQL last; once, however often it is called. */
  stop(): Promise<void> {
    return (this.stopped ??= this.stopEverything());
  }

  private async stopEverything(): Promise<void> {
    await Promise.all([...this.instances.map((i) => i.process.stop(10_000)), this.mail?.stop(5_000)]);
    await Promise.all(this.instances.flatMap((i) => [i.database.close(), i.transport.close()]));
    await this.postgres?.stop();
    await new Promise((resolve) => this.log.end(resolve));
  }
}
