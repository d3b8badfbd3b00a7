/**
 * A consumer on a real database: `applyBatch` (the fresh events of a batch applied with one call —
 * set-based writes for a backlog — exactly once each, in delivery order, falling back to one
 * delivery at a time when the batch fails), and the trace context a handler runs in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { createLogger } from '@ates/logger';
import { newEnvelope, type AnyEvent } from '@ates/schema-registry';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { currentTraceparent } from '@ates/trace-context';
import { consumer, ConsumerCore } from './consumer.js';
import { eventBusMigrations } from './migrations.js';
import { testRegistry } from './test-events.js';
import type { BusTables } from './tables.js';
import type { Delivery } from './transport.js';

interface Db extends BusTables {
  pings: { seq: number };
}

let database: TestDatabase;
let db: Kysely<Db>;
let calls: number[][];
let failBatchesOver = Infinity;

const pinging = consumer<Db>({
  name: 'test.pings',
  handlers: { 'Test.Pinged': { versions: [1] } },
  applyBatch: async (tx, events) => {
    const seqs = events.map((e) => (e.event_name === 'Test.Pinged' ? e.data.producer_seq : -1));
    calls.push(seqs);
    if (seqs.length > failBatchesOver) throw new Error('this batch is too much');
    await sql`insert into pings (seq) select unnest(${seqs}::integer[])`.execute(tx);
  },
});

const core = () => new ConsumerCore(pinging, { db, logger: createLogger('test', 'silent'), registry: testRegistry });
const ping = (seq: number): AnyEvent =>
  newEnvelope('Test.Pinged', 1, { producer_seq: seq, note: 'batch' }, { producer: 'tracker' });

const deliveries = (events: readonly AnyEvent[]) => {
  const acked: number[] = [];
  const list: Delivery[] = events.map((event, i) => ({
    id: String(i),
    queue: 'test.pings',
    eventName: event.event_name,
    body: JSON.stringify(event),
    attempt: 1,
    ack: async () => void acked.push(i),
    retryLater: async () => {
      throw new Error('not expected to retry');
    },
  }));
  return { list, acked };
};

const stored = async (): Promise<number[]> =>
  (await db.selectFrom('pings').select('seq').orderBy('seq').execute()).map((r) => r.seq);

beforeAll(async () => {
  database = await createTestDatabase('consumer_batch');
  db = createDb<Db>(createPool(database.url, { max: 2 }));
  await migrate(
    db,
    [
      ...eventBusMigrations,
      { name: '0001_pings', up: async (m) => void (await sql`create table pings (seq integer not null)`.execute(m)) },
    ],
    'test',
  );
});

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

beforeEach(async () => {
  calls = [];
  failBatchesOver = Infinity;
  await sql`truncate pings, inbox`.execute(db);
});

describe('a consumer with applyBatch', () => {
  test('applies the fresh events of a batch in one call, in order, each once; duplicates are acked and skipped', async () => {
    const events = [1, 2, 3, 4, 5].map(ping);
    await core().onDeliveries(deliveries(events.slice(0, 2)).list);
    const second = deliveries([...events, events[2] as AnyEvent]);
    await core().onDeliveries(second.list);
    expect(calls).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(await stored()).toEqual([1, 2, 3, 4, 5]);
    expect(second.acked.sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('applies a single delivery as a batch of one', async () => {
    await core().onDelivery(deliveries([ping(7)]).list[0] as Delivery);
    expect(calls).toEqual([[7]]);
    expect(await stored()).toEqual([7]);
  });

  test('when a batch fails, rolls it back and applies each delivery on its own', async () => {
    failBatchesOver = 1;
    const { list, acked } = deliveries([8, 9, 10].map(ping));
    await core().onDeliveries(list);
    expect(calls).toEqual([[8, 9, 10], [8], [9], [10]]);
    expect(await stored()).toEqual([8, 9, 10]);
    expect(acked.sort()).toEqual([0, 1, 2]);
  });

  test('is refused at declaration when a handler has no handle and there is no applyBatch', () => {
    expect(() => consumer<Db>({ name: 'test.broken', handlers: { 'Test.Pinged': { versions: [1] } } })).toThrow(
      /no handle for Test\.Pinged and no applyBatch/,
    );
  });
});

describe('a handler', () => {
  test('runs in a span of the trace of the event it handles, so the events it produces continue it', async () => {
    let seen: string | undefined;
    const tracing = new ConsumerCore(
      consumer<Db>({
        name: 'test.tracing',
        handlers: { 'Test.Pinged': { versions: [1], handle: async () => void (seen = currentTraceparent()) } },
      }),
      { db, logger: createLogger('test', 'silent'), registry: testRegistry },
    );
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = newEnvelope(
      'Test.Pinged',
      1,
      { producer_seq: 1, note: 'traced' },
      { producer: 'tracker', traceparent },
    );
    await tracing.handle(JSON.stringify(event), 1, 'test.tracing');
    expect(seen).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(seen).not.toBe(traceparent);
  });
});
