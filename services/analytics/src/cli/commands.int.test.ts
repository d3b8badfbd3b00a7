import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import {
  connectTransport,
  eventBusMigrations,
  OutboxRelay,
  outboxStatus,
  publishMany,
  type Transport,
} from '@ates/event-bus';
import { createLogger } from '@ates/logger';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import { requirementsExample } from '../testing/example.js';
import { utc } from '../testing/fixtures.js';
import { recordedEvents } from '../testing/history.js';
import { startAnalytics, type RunningAnalytics } from '../testing/service.js';
import { rebuild } from './commands.js';

// `ates analytics rebuild` against the real thing: accounting's and the tracker's events sit in
// outboxes of their own databases and reach the running analytics service through real relays
// and the event transport. The model is then damaged, rebuilt from the retained events, and
// every figure the API gave before comes back.

let analytics: RunningAnalytics;
let transport: Transport;
const sources: Array<{ service: string; database: TestDatabase; db: Kysely<unknown>; relay: OutboxRelay }> = [];
const example = requirementsExample();
const printed: string[] = [];

/** Every figure the API gives about the example's days. */
const figures = async () => {
  const paths = [
    '/api/earnings?from=2026-02-28&to=2026-03-04',
    ...['2026-03-01', '2026-03-02', '2026-03-03'].map((d) => `/api/summary?day=${d}`),
    ...['2026-03-01', '2026-03-02', '2026-03-03'].map((d) => `/api/most-expensive-task?period=day&date=${d}`),
    '/api/most-expensive-task?period=week&date=2026-03-03',
    '/api/most-expensive-task?period=month&date=2026-03-03',
    '/api/most-expensive-task?from=2026-03-01&to=2026-03-03',
  ];
  return Promise.all(paths.map(async (p) => (await analytics.get('admin', p)).body));
};
/** The figures once every retained event is sent by its relay and applied by analytics. */
const settled = (label: string, want: (f: unknown[]) => boolean) =>
  eventually(label, async () => {
    const backlog = await Promise.all(sources.map(async (s) => (await outboxStatus(s.db)).backlog));
    const lag = await Promise.all(['analytics.ledger', 'analytics.tasks'].map((g) => transport.lag(g)));
    const f = await figures();
    return [...backlog, ...lag].every((n) => n === 0) && want(f) && f;
  });

beforeAll(async () => {
  analytics = await startAnalytics({ ACCOUNTING_TIMEZONE: 'UTC' });
  transport = await connectTransport(analytics.transportUrl, { applicationName: 'rebuild-test' });
  const events = recordedEvents(example.history, utc);
  for (const service of ['accounting', 'tracker']) {
    const database = await createTestDatabase(service);
    const db = createDb(createPool(database.url, { max: 2 }));
    await migrate(db, eventBusMigrations, service);
    await publishMany(
      db,
      events.filter((e) => e.producer === service),
    );
    const relay = new OutboxRelay({
      databaseUrl: database.url,
      transport,
      logger: createLogger(`${service}-relay`, 'silent'),
      lockKey: service,
    }).start();
    sources.push({ service, database, db, relay });
  }
});

afterAll(async () => {
  for (const s of sources) {
    await s.relay.stop();
    await s.db.destroy();
  }
  await transport?.close();
  await analytics?.close();
  await Promise.all(sources.map((s) => s.database.drop()));
});

describe('ates analytics rebuild (N1–N3)', () => {
  it('empties the model and refills it from the retained events: the same figures come back', async () => {
    const before = await settled(
      'the example through the relays',
      (f) => (f[9] as { reward?: number }).reward === 3800,
    );
    expect((before[0] as { items: unknown[] }).items).toHaveLength(5);
    // The tracker's events are in too: the task has its name.
    expect(before[9]).toMatchObject({ task: { title: 'Write the onboarding guide', jira_id: 'UBERPOP-42' } });

    // The model is damaged (a lost or wrong database): nothing of it is trusted by the rebuild.
    await sql`update day_figures set fees = 0`.execute(analytics.db);
    await sql`delete from tasks`.execute(analytics.db);
    await sql`update balances set balance = -1`.execute(analytics.db);
    expect(await figures()).not.toEqual(before);

    await rebuild({
      databaseUrl: analytics.databaseUrl,
      transportUrl: analytics.transportUrl,
      sources: sources.map((s) => ({ service: s.service, databaseUrl: s.database.url })),
      env: { ACCOUNTING_TIMEZONE: 'UTC' },
      print: (line) => printed.push(line),
    });
    const after = await settled('the rebuilt figures', (f) => JSON.stringify(f) === JSON.stringify(before));
    expect(after).toEqual(before);
    const events = recordedEvents(example.history, utc);
    const count = (producer: string, names: string[]) =>
      events.filter((e) => e.producer === producer && names.includes(e.event_name)).length;
    expect(printed).toContain(
      `Sent ${count('accounting', ['Transaction.Applied', 'Payout.Made', 'BusinessDay.Closed'])} retained accounting events to analytics.ledger.`,
    );
    expect(printed).toContain(
      `Sent ${count('tracker', ['Task.Created', 'Task.Completed'])} retained tracker events to analytics.tasks.`,
    );
  });

  it('refuses a database analytics never set up, with what to do', async () => {
    const empty = await createTestDatabase('empty');
    try {
      await expect(
        rebuild({
          databaseUrl: empty.url,
          transportUrl: analytics.transportUrl,
          sources: [],
          env: {},
          print: () => undefined,
        }),
      ).rejects.toThrow(/not set up yet/);
    } finally {
      await empty.drop();
    }
  });
});
