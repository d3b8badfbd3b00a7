import { readFile, rm, mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverClient, signInWithClient } from '@ates/auth/testing';
import { outboxBacklogSql } from '@ates/event-bus';
import { createTestVhost, type TestVhost } from '@ates/event-bus/test-broker';
import { declaredConsumers, type ServiceName } from '@ates/service';
import { eventually } from '@ates/testing';
import { serviceLoaders, serviceNamesInOrder } from '../services.js';
import { freePort, runCli, type CliRun } from '../testing/run-cli.js';
import { childProcesses } from '../testing/processes.js';

// The "whole system on RabbitMQ": `npm start -- --instances 2` with EVENT_TRANSPORT_URL on
// the machine's broker (a fresh virtual host), a popug day through the real APIs, one instance of
// every service SIGKILLed half-way, and then every event of every producer is in the inbox of
// every consumer group that handles it — exactly once, since the inbox is keyed by event id —
// with no dead letter anywhere.

const services = serviceNamesInOrder;
let home: string;
let vhost: TestVhost;
let env: NodeJS.ProcessEnv;
let run: CliRun;
const ports = {} as Record<ServiceName, number>;

/** A port p such that p and p + 100 are free: instance 2 of the service listens on p + 100. */
const freePairPort = async (taken: Set<number>): Promise<number> => {
  for (;;) {
    const port = await freePort();
    if (port + 100 > 65_535 || taken.has(port) || taken.has(port + 100)) continue;
    const server = (await import('node:net')).createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port + 100, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (ok) {
      taken.add(port).add(port + 100);
      return port;
    }
  }
};

const database = async (name: string): Promise<pg.Client> => {
  const password = (await readFile(path.join(home, 'postgres/password'), 'utf8')).trim();
  const client = new pg.Client({
    connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.ATES_PG_PORT}/ates_${name}`,
  });
  await client.connect();
  return client;
};

const demoPasswords = (output: string): Map<string, { email: string; password: string }[]> => {
  const byRole = new Map<string, { email: string; password: string }[]>();
  for (const [, role = '', email = '', password = ''] of output.matchAll(
    /^ {2}(admin|manager|accountant|worker) +(\S+@\S+) +(\S+)/gm,
  ))
    byRole.set(role, [...(byRole.get(role) ?? []), { email, password }]);
  return byRole;
};

beforeAll(async () => {
  vhost = await createTestVhost('start');
  home = await mkdtemp(path.join(tmpdir(), 'ates-start-rmq-'));
  await chmod(home, 0o755);
  const taken = new Set<number>();
  for (const name of services) ports[name] = await freePairPort(taken);
  env = {
    ATES_HOME: home,
    ATES_PG_PORT: String(await freePort()),
    AUTH_PORT: String(ports.auth),
    TRACKER_PORT: String(ports.tracker),
    ACCOUNTING_PORT: String(ports.accounting),
    ANALYTICS_PORT: String(ports.analytics),
    EVENT_TRANSPORT_URL: vhost.url,
    MAILDEV_SMTP_PORT: String(await freePort()),
    MAILDEV_WEB_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  run = runCli(['start', '--instances', '2'], env);
  await run.waitFor(/Press Ctrl-C to stop/, 120_000);
}, 180_000);

afterAll(async () => {
  run?.child.kill('SIGTERM');
  await run?.exited;
  await vhost?.drop();
  await rm(home, { recursive: true, force: true });
});

describe('npm start -- --instances 2 on RabbitMQ', () => {
  it('prints every instance, and a popug day reaches every consumer group once, one instance of each service killed half-way', async () => {
    for (const name of services) {
      expect(run.output()).toContain(`http://localhost:${ports[name]} `);
      expect(run.output()).toContain(`http://localhost:${ports[name] + 100} `);
    }
    expect(run.output()).toMatch(/events on RabbitMQ amqp:\/\/guest:\*\*\*@/);

    const registered = runCli(
      ['auth', 'add-app', '--name', 'e2e', '--redirect-uri', 'http://127.0.0.1:9/cb', '--first-party'],
      env,
    );
    expect(await registered.exited).toBe(0);
    const clientId = /client_id +(\S+)/.exec(registered.output())?.[1] ?? '';
    const clientSecret = /client_secret +(\S+)/.exec(registered.output())?.[1] ?? '';
    const issuer = `http://localhost:${ports.auth}`;
    const oauth = await discoverClient(issuer, clientId, clientSecret);
    const token = async (who: { email: string; password: string }) =>
      (await signInWithClient(oauth, who, 'http://127.0.0.1:9/cb')).access_token;
    const people = demoPasswords(run.output());
    const manager = await token(people.get('manager')?.[0] ?? { email: '', password: '' });
    const admin = await token(people.get('admin')?.[0] ?? { email: '', password: '' });
    // Signed in before noon: the issuer's address is instance 1 of auth, which is about to die.
    const workers = await Promise.all((people.get('worker') ?? []).slice(0, 3).map(token));
    const call = async (port: number, route: string, bearer: string, body?: unknown) => {
      const response = await fetch(`http://127.0.0.1:${port}${route}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(response.status, `${route}: ${await response.clone().text()}`).toBeLessThan(300);
      return response.json() as Promise<Record<string, unknown>>;
    };

    // Morning, on both instances of each service.
    const instancePort = (name: ServiceName, i: number) => ports[name] + 100 * i;
    for (let i = 0; i < 4; i += 1)
      await call(instancePort('auth', i % 2), '/api/accounts', admin, {
        email: `hire${i}@uberpopug.example`,
        full_name: `Hire ${i}`,
        role: 'worker',
      });
    for (let i = 0; i < 20; i += 1)
      await call(instancePort('tracker', i % 2), '/api/tasks', manager, {
        title: `Morning task ${i}`,
        description: 'd',
      });
    await call(instancePort('tracker', 1), '/api/tasks/reassign', manager, {});

    // Noon: one instance of every service dies without warning; the supervisor restarts it.
    const victims = await childProcesses(run.child.pid ?? 0);
    const killed = services.map((name) => {
      const victim = victims.find(
        (p) => p.args.includes(`serve ${name}`) && p.env.PORT === String(instancePort(name, 0)),
      );
      expect(victim, name).toBeDefined();
      process.kill(victim?.pid ?? 0, 'SIGKILL');
      return name;
    });
    expect(killed).toHaveLength(4);

    // Afternoon, on the survivors: more tasks, reassigning, and the workers finish what they have.
    for (let i = 0; i < 10; i += 1)
      await call(instancePort('tracker', 1), '/api/tasks', manager, { title: `Afternoon task ${i}`, description: 'd' });
    await call(instancePort('tracker', 1), '/api/tasks/reassign', manager, {});
    for (const bearer of workers) {
      const mine = (await call(instancePort('tracker', 1), '/api/tasks?status=open', bearer)) as {
        items: { id: string }[];
      };
      for (const task of mine.items)
        await call(instancePort('tracker', 1), `/api/tasks/${task.id}/complete`, bearer, {});
    }

    // Evening: every event of every producer in every group that handles it, once.
    const groups = (
      await Promise.all(services.map(async (s) => ({ s, consumers: declaredConsumers(await serviceLoaders[s]()) })))
    ).flatMap(({ s, consumers }) =>
      consumers.map((c) => ({ service: s, group: c.name, events: Object.keys(c.handlers) })),
    );
    expect(groups.length).toBeGreaterThanOrEqual(4);
    const clients = Object.fromEntries(
      await Promise.all(services.map(async (s) => [s, await database(s)] as const)),
    ) as Record<ServiceName, pg.Client>;
    try {
      const produced = async (names: readonly string[]): Promise<string[]> => {
        const ids: string[] = [];
        for (const s of services) {
          const { rows } = await clients[s].query<{ id: string }>(
            'select envelope->>$2 as id from outbox where event_name = any($1::text[])',
            [names, 'event_id'],
          );
          ids.push(...rows.map((r) => r.id));
        }
        return ids.sort();
      };
      for (const { service, group, events } of groups) {
        const expected = await produced(events);
        expect(expected.length, group).toBeGreaterThan(0);
        const received = await eventually(
          `${group} to receive ${expected.length} events`,
          async () => {
            const { rows } = await clients[service].query<{ id: string }>(
              'select event_id::text as id from inbox where consumer = $1 order by 1',
              [group],
            );
            return rows.length >= expected.length && rows.map((r) => r.id);
          },
          { timeoutMs: 90_000, intervalMs: 250 },
        );
        expect(received, group).toEqual(expected);
      }
      for (const s of services) {
        expect((await clients[s].query('select id, consumer, reason from dead_letters')).rows, s).toEqual([]);
        expect((await clients[s].query(outboxBacklogSql)).rows[0], s).toEqual({ n: 0 });
      }
    } finally {
      await Promise.all(Object.values(clients).map((c) => c.end()));
    }
    expect(run.output()).toMatch(/exited \(SIGKILL\); restarting/);
  }, 300_000);
});
