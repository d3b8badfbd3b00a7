import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import pg from 'pg';
import { eventually, openServiceDatabase, ping, type ServiceDatabase } from './compliance/support.js';
import { outboxChannel } from './migrations.js';
import { outboxInsert, publish, publishMany } from './outbox.js';
import { outboxEvents, testRegistry } from './testing.js';

const withTestEvents = { registry: testRegistry };

let database: TestDatabase;
let service: ServiceDatabase;

beforeAll(async () => {
  database = await createTestDatabase('outbox');
  service = await openServiceDatabase(database.url);
});
afterAll(async () => {
  await service.close();
  await database.drop();
});

const countOutbox = async (): Promise<number> =>
  (await sql<{ n: number }>`select count(*)::integer as n from outbox`.execute(service.db)).rows[0]?.n ?? 0;

describe('publish', () => {
  test("writes the event in the caller's transaction: it commits and rolls back with it", async () => {
    const before = await countOutbox();
    const kept = ping(1);
    await service.db.transaction().execute((tx) => publish(tx, kept, withTestEvents));
    await expect(
      service.db.transaction().execute(async (tx) => {
        await publish(tx, ping(2), withTestEvents);
        throw new Error('the command failed after publishing');
      }),
    ).rejects.toThrow('the command failed');
    expect(await countOutbox()).toBe(before + 1);
    const row = await service.db
      .selectFrom('outbox')
      .selectAll()
      .where('event_id', '=', kept.event_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ event_name: 'Test.Pinged', event_version: 1, envelope: kept });
  });

  test('refuses an invalid event with an invalid_event error and writes nothing', async () => {
    const before = await countOutbox();
    const invalid = { ...ping(3), data: { producer_seq: 'three', note: 'x' } } as unknown as ReturnType<typeof ping>;
    await expect(service.db.transaction().execute((tx) => publish(tx, invalid, withTestEvents))).rejects.toMatchObject({
      code: 'event.invalid',
      message: 'Cannot publish invalid event Test.Pinged v1: data.producer_seq must be integer.',
    });
    // One bad event in a batch: none of the batch is written, even in a transaction that commits.
    await service.db.transaction().execute(async (tx) => {
      await expect(publishMany(tx, [ping(4), invalid, ping(5)], withTestEvents)).rejects.toMatchObject({
        code: 'event.invalid',
        message: expect.stringContaining('(event 2 of 3)'),
      });
    });
    expect(await countOutbox()).toBe(before);
  });

  // A few events go in as VALUES rows, many as one JSON array: both keep the given order.
  test.each([2, 100, 101, 5_000])('publishMany writes %i events with one statement, in the given order', async (n) => {
    const events = Array.from({ length: n }, (_, i) => ping(i + 1, 'bulk'));
    const { rows: before } = await sql<{
      last: number;
    }>`select coalesce(max(position), 0)::bigint as last from outbox`.execute(service.db);
    // Counts the statements Kysely sends inside the transaction (BEGIN and COMMIT are not queries).
    let statements = 0;
    const counted = service.db.withPlugin({
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await counted.transaction().execute((tx) => publishMany(tx, events, withTestEvents));
    expect(statements).toBe(1);
    const written = await outboxEvents(service.db, before[0]?.last ?? 0);
    expect(written.map((e) => e.event_id)).toEqual(events.map((e) => e.event_id));
  });

  test.each([2, 101])(
    "wake: 'caller' writes %i events in order and leaves the trigger's NOTIFY out; by default it is sent",
    async (n) => {
      const listener = new pg.Client({ connectionString: database.url });
      await listener.connect();
      const heard: string[] = [];
      listener.on('notification', (message) => heard.push(message.channel));
      await listener.query(`listen ${outboxChannel}; listen bench_marker`);
      const { rows: before } = await sql<{
        last: number;
      }>`select coalesce(max(position), 0)::bigint as last from outbox`.execute(service.db);
      const quiet = Array.from({ length: n }, (_, i) => ping(i + 1, 'quiet'));
      await outboxInsert(quiet, { wake: 'caller', ...withTestEvents }).execute(service.db);
      // Notifications arrive in commit order: once the marker is heard, the insert's would have been.
      await sql`select pg_notify('bench_marker', '')`.execute(service.db);
      await eventually('the marker heard', async () => heard.includes('bench_marker'));
      expect(heard).toEqual(['bench_marker']);
      await outboxInsert([ping(1, 'loud')], withTestEvents).execute(service.db);
      await eventually('the default NOTIFY heard', async () => heard.includes(outboxChannel));
      await listener.end();
      const written = await outboxEvents(service.db, before[0]?.last ?? 0);
      expect(written.map((e) => e.event_id).slice(0, n)).toEqual(quiet.map((e) => e.event_id));
    },
  );

  test('onlyIf: no events when the condition is false, and the statement says so', async () => {
    const before = await countOutbox();
    const none = await outboxInsert([ping(1)], { onlyIf: sql`false`, ...withTestEvents }).execute(service.db);
    expect(none.numAffectedRows).toBe(0n);
    const one = await outboxInsert([ping(2)], { onlyIf: sql`true`, wake: 'caller', ...withTestEvents }).execute(
      service.db,
    );
    expect(one.numAffectedRows).toBe(1n);
    expect(await countOutbox()).toBe(before + 1);
  });
});
