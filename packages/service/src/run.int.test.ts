import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { consumer } from '@ates/event-bus';
import { newEnvelope } from '@ates/schema-registry';
import { createTestDatabase, eventually, freePort, type TestDatabase } from '@ates/testing';
import { defineService, type ServiceContext } from './definition.js';
import { runService, type RunningService } from './run.js';

interface Db {
  events_seen: { event_id: string; seq: number };
}

let database: TestDatabase;
let bus: TestDatabase;
let running: RunningService;
let context: ServiceContext<Record<string, never>, Db> | undefined;
let url: string;
const metricsToken = 'p'.repeat(40);

const definition = defineService<Record<string, never>, Db>({
  name: 'tracker',
  description: 'a service under test',
  defaultPort: 4001,
  env: {},
  migrations: [
    {
      name: '0001_events_seen',
      up: async (db) =>
        void (await sql`create table events_seen (event_id uuid primary key, seq integer not null)`.execute(db)),
    },
  ],
  consumers: [
    consumer<Db>({
      name: 'tracker.seen',
      handlers: {
        'Account.Deactivated': {
          versions: [1],
          handle: async (tx, e) =>
            void (await tx.insertInto('events_seen').values({ event_id: e.event_id, seq: e.data.version }).execute()),
        },
      },
    }),
  ],
  async setup(ctx) {
    context = ctx;
  },
});

beforeAll(async () => {
  database = await createTestDatabase('svc');
  bus = await createTestDatabase('svcbus');
  const port = await freePort();
  running = await runService(definition, {
    DATABASE_URL: database.url,
    EVENT_TRANSPORT_URL: bus.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    METRICS_TOKEN: metricsToken,
  });
  url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await running?.stop();
  await database.drop();
  await bus.drop();
});

describe('a service with the event bus', () => {
  test('migrates the bus tables, publishes through its context, runs its consumers and reports the transport', async () => {
    const ctx = context;
    if (!ctx) throw new Error('setup did not run');
    const { rows } = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(ctx.db);
    expect(rows.map((r) => r.name)).toEqual([
      '0000_event_bus_dead_letters',
      '0000_event_bus_inbox',
      '0000_event_bus_outbox',
      '0000_event_bus_outbox_sent_by_cursor',
      '0000_event_bus_outbox_wake_by_caller',
      '0001_events_seen',
    ]);

    const event = newEnvelope(
      'Account.Deactivated',
      1,
      { public_id: randomUUID(), version: 1, deactivated_at: new Date().toISOString() },
      { producer: 'tracker' },
    );
    await ctx.db.transaction().execute((tx) => ctx.bus.publish(tx, event));
    await eventually(
      'the consumer to apply the event',
      async () => (await ctx.db.selectFrom('events_seen').selectAll().execute()).length > 0,
    );
    expect(await ctx.db.selectFrom('events_seen').selectAll().execute()).toEqual([
      { event_id: event.event_id, seq: 1 },
    ]);

    const ready = await fetch(`${url}/health/ready`);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', 'event transport': 'ok' } });
    const metrics = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
    ).text();
    expect(metrics).toMatch(/^ates_outbox_backlog\{service="tracker"\} 0$/m);
    expect(metrics).toMatch(/^ates_consumer_lag\{consumer="tracker.seen",service="tracker"\} 0$/m);
    expect(metrics).toMatch(/^ates_dead_letters\{consumer="tracker.seen",service="tracker"\} 0$/m);
    const handled = metrics.split('\n').find((line) => line.startsWith('ates_handler_duration_seconds_count{'));
    expect(handled).toContain('consumer="tracker.seen"');
    expect(handled).toContain('event="Account.Deactivated"');
    expect(handled).toMatch(/\} 1$/);
  });
});

describe('the event catalog', () => {
  test('is served by every service: the page with the UI assets, and the AsyncAPI document', async () => {
    const page = await fetch(`${url}/docs/events`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const body = await page.text();
    expect(body).toContain('Event catalog');
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(body)?.[1];
    expect((await fetch(`${url}${css}`)).status).toBe(200);
    const document = (await (await fetch(`${url}/docs/events.json`)).json()) as { asyncapi: string };
    expect(document.asyncapi).toBe('3.0.0');
  });
});
