import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { eventually, ping } from './compliance/support.js';
import { eventBusMigrations } from './migrations.js';
import { outboxStatus } from './outbox-status.js';
import { OutboxRelay } from './relay.js';
import { RecordingTransport, capturingLogger } from './test-support.js';

let database: TestDatabase;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase('bus_migrations');
  db = createDb(createPool(database.url, { max: 2, applicationName: 'ates-bus-migrations-test' }));
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('0000_event_bus_outbox_sent_by_cursor', () => {
  test('an outbox upgraded with sent and unsent rows keeps the sent ones for replays and sends only the unsent, in order', async () => {
    const cursorMigration = eventBusMigrations.findIndex((m) => m.name === '0000_event_bus_outbox_sent_by_cursor');
    await migrate(db, eventBusMigrations.slice(0, cursorMigration), 'bus-migrations-test');
    const pings = [1, 2, 3, 4, 5].map((seq) => ping(seq));
    for (const event of pings)
      await sql`insert into outbox (event_id, event_name, event_version, envelope)
                values (${event.event_id}, ${event.event_name}, ${event.event_version}, ${JSON.stringify(event)})`.execute(
        db,
      );
    // The old relay had sent 1 and 2.
    await sql`update outbox set sent_at = now() where position in (select position from outbox order by position limit 2)`.execute(
      db,
    );

    await migrate(db, eventBusMigrations, 'bus-migrations-test');

    const status = await outboxStatus(db);
    expect(status.backlog).toBe(3);
    expect(status.lastSentAt).not.toBeNull();
    const transport = new RecordingTransport();
    const relay = new OutboxRelay({
      databaseUrl: database.url,
      transport,
      logger: capturingLogger().logger,
      lockKey: 'bus-migrations-test',
      pollIntervalMs: 50,
    }).start();
    try {
      await eventually('the unsent rows sent', async () => (await outboxStatus(db)).backlog === 0);
      expect(
        transport.published.map((m) => (JSON.parse(m.body) as { data: { producer_seq: number } }).data.producer_seq),
      ).toEqual([3, 4, 5]);
    } finally {
      await relay.stop();
    }
  });
});
