import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { eventually, openServiceDatabase, ping, type ServiceDatabase } from './compliance/support.js';
import { BusMetrics } from './metrics.js';
import { outboxInsert, publishMany } from './outbox.js';
import { outboxStatus, replayOutbox } from './outbox-status.js';
import { OutboxRelay, type RelayOptions } from './relay.js';
import { testRegistry } from './test-events.js';
import { RecordingTransport, capturingLogger } from './test-support.js';
import { PartialPublishError, type OutgoingMessage } from './transport.js';

let database: TestDatabase;
let service: ServiceDatabase;
let relays: OutboxRelay[] = [];

beforeAll(async () => {
  database = await createTestDatabase('relay');
  service = await openServiceDatabase(database.url);
});
afterEach(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  relays = [];
  await sql`truncate outbox`.execute(service.db);
});
afterAll(async () => {
  await service.close();
  await database.drop();
});

const startRelay = (transport: RecordingTransport, options: Partial<RelayOptions> = {}): OutboxRelay => {
  const relay = new OutboxRelay({
    databaseUrl: database.url,
    transport,
    logger: capturingLogger().logger,
    lockKey: 'relay-test',
    standbyIntervalMs: 50,
    ...options,
  }).start();
  relays.push(relay);
  return relay;
};
const produce = (seqs: number[], note = 'ok') =>
  service.db.transaction().execute((tx) =>
    publishMany(
      tx,
      seqs.map((s) => ping(s, note)),
      { registry: testRegistry },
    ),
  );
const seqsOf = (transport: RecordingTransport): number[] =>
  transport.published.map((m) => (JSON.parse(m.body) as { data: { producer_seq: number } }).data.producer_seq);
/** Relay connections that LISTEN (the active one and the standbys). */
const standbyConnections = async (): Promise<number> =>
  Number(
    (
      await sql<{ n: string }>`select count(*) as n from pg_stat_activity
        where application_name = 'ates-relay-test-relay' and datname = current_database()`.execute(service.db)
    ).rows[0]?.n ?? 0,
  );
const unsent = async (): Promise<number> => (await outboxStatus(service.db)).backlog;

describe('outbox relay', () => {
  test('is woken by the NOTIFY of the commit, sends in order and moves its cursor past them', async () => {
    const transport = new RecordingTransport();
    // Polling once a minute: only the NOTIFY can make this test finish in time.
    startRelay(transport, { pollIntervalMs: 60_000, batchSize: 4 });
    await produce([1, 2, 3, 4, 5, 6]);
    await produce([7, 8, 9]);
    await eventually('9 events sent', async () => transport.published.length === 9 && (await unsent()) === 0);
    expect(seqsOf(transport)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(transport.published[0]).toMatchObject({ eventName: 'Test.Pinged' });
  });

  test("sends events written with wake: 'caller' when this process's relay is woken, without a NOTIFY", async () => {
    const transport = new RecordingTransport();
    const relay = startRelay(transport, { pollIntervalMs: 60_000 });
    await eventually('the relay active', async () => relay.state().active);
    await outboxInsert([ping(1), ping(2)], { wake: 'caller', registry: testRegistry }).execute(service.db);
    relay.wake();
    await eventually('2 events sent', async () => transport.published.length === 2);
    expect(seqsOf(transport)).toEqual([1, 2]);
  });

  test('a standby relay passes a wake-up on to the active one elsewhere, coalescing wake-ups into NOTIFYs', async () => {
    const transport = new RecordingTransport();
    const active = startRelay(transport, { pollIntervalMs: 60_000 });
    await eventually('the first relay active', async () => active.state().active);
    const standby = startRelay(new RecordingTransport(), { pollIntervalMs: 60_000 });
    await eventually('the second relay connected', async () => (await standbyConnections()) === 2);
    expect(standby.state().active).toBe(false);
    for (let i = 1; i <= 50; i += 1) {
      await outboxInsert([ping(i)], { wake: 'caller', registry: testRegistry }).execute(service.db);
      standby.wake();
    }
    // Woken again while waiting, in case the standby's connection was not in hand at first.
    await eventually('50 events sent', async () => {
      standby.wake();
      return transport.published.length === 50;
    });
    expect(seqsOf(transport)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  test('after a batch confirmed only in part, moves past that prefix and retries from the first unconfirmed row', async () => {
    // The broker confirmed the first 3 of a batch of 5, then the link died.
    class HalfConfirming extends RecordingTransport {
      override async publish(messages: readonly OutgoingMessage[]): Promise<void> {
        this.publishCalls += 1;
        if (this.publishCalls === 1) {
          this.published.push(...messages.slice(0, 3));
          throw new PartialPublishError('confirms stopped after 3', 3);
        }
        this.published.push(...messages);
      }
    }
    const transport = new HalfConfirming();
    startRelay(transport, { batchSize: 5, retryDelaysMs: [50] });
    await produce([1, 2, 3, 4, 5, 6]);
    await eventually('all 6 sent', async () => (await unsent()) === 0 && transport.published.length >= 6);
    expect(seqsOf(transport)).toEqual([1, 2, 3, 4, 5, 6]); // nothing confirmed is sent twice
  });

  test('stores its cursor with the next read, or on its own once the outbox goes quiet, or when stopped', async () => {
    const transport = new RecordingTransport();
    const relay = startRelay(transport, { pollIntervalMs: 60_000, batchSize: 2 });
    await produce([1, 2, 3]); // two batches: the second read stores the cursor past the first
    await eventually(
      '3 sent and the cursor stored without any further NOTIFY',
      async () => transport.published.length === 3 && (await unsent()) === 0,
    );
    // Stopping right after a send stores the cursor before letting go of the outbox.
    await produce([4]);
    await eventually('4 sent', async () => transport.published.length === 4);
    await relay.stop();
    expect(await unsent()).toBe(0);
    expect(seqsOf(transport)).toEqual([1, 2, 3, 4]);
  });

  test('a transaction that commits late is not skipped: rows committed after it wait, then all go in write order', async () => {
    const transport = new RecordingTransport();
    startRelay(transport, { pollIntervalMs: 60_000 });
    await produce([1]);
    await eventually('1 sent', async () => transport.published.length === 1);
    // 2 takes a lower position than 3 but commits after it.
    let commitLate!: () => void;
    const late = service.db.transaction().execute(async (tx) => {
      await publishMany(tx, [ping(2)], { registry: testRegistry });
      await new Promise<void>((resolve) => (commitLate = resolve));
    });
    await eventually('2 written, not committed', async () => commitLate !== undefined);
    try {
      await produce([3]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seqsOf(transport)).toEqual([1]); // 3 waits behind the running transaction
    } finally {
      commitLate();
      await late;
    }
    await eventually('2 and 3 sent', async () => transport.published.length === 3 && (await unsent()) === 0);
    expect(seqsOf(transport)).toEqual([1, 2, 3]);
  });

  test('rows held behind a running transaction that writes no event go out soon after it ends, without a NOTIFY or poll', async () => {
    const transport = new RecordingTransport();
    startRelay(transport, { pollIntervalMs: 60_000 });
    await eventually('the relay active', async () => (await standbyConnections()) === 1);
    let end!: () => void;
    const other = service.db.transaction().execute(async (tx) => {
      await sql`select pg_current_xact_id()`.execute(tx); // takes a transaction id, writes nothing
      await new Promise<void>((resolve) => (end = resolve));
    });
    await eventually('the other transaction running', async () => end !== undefined);
    try {
      await produce([1, 2]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(transport.published).toHaveLength(0);
    } finally {
      end();
      await other;
    }
    await eventually('1 and 2 sent', async () => transport.published.length === 2, { timeoutMs: 5_000 });
    expect(seqsOf(transport)).toEqual([1, 2]);
  });

  test('falls back to polling when no notification comes', async () => {
    const transport = new RecordingTransport();
    startRelay(transport, { pollIntervalMs: 100 });
    await sql`alter table outbox disable trigger outbox_notify`.execute(service.db);
    try {
      await produce([1, 2]);
      await eventually('2 events sent by polling', async () => transport.published.length === 2);
    } finally {
      await sql`alter table outbox enable trigger outbox_notify`.execute(service.db);
    }
  });

  test('keeps unsent rows while the transport fails, alerts when they get old, and sends them in order when it is back', async () => {
    const transport = new RecordingTransport();
    transport.failing = true;
    const { logger, records } = capturingLogger();
    const testStarted = performance.now();
    const relay = startRelay(transport, { logger, retryDelaysMs: [10, 20], stuckAfterMs: 0, batchSize: 3 });
    await produce([1, 2, 3, 4, 5]);
    await eventually('three failed attempts', async () => transport.publishCalls >= 3);
    expect(await unsent()).toBe(5);
    expect(relay.state().failures).toBeGreaterThanOrEqual(3);
    expect(records.filter((r) => r.alert === 'outbox_stuck' && r.resolved === undefined)).toHaveLength(1); // once, not per retry
    const status = await outboxStatus(service.db);
    expect(status.backlog).toBe(5);
    // The oldest unsent event was written before the three failed attempts, and within this test.
    expect(status.oldestUnsentAgeSeconds).toBeGreaterThan(0);
    expect(status.oldestUnsentAgeSeconds).toBeLessThan((performance.now() - testStarted) / 1000 + 1);

    transport.failing = false;
    await eventually('everything sent', async () => (await unsent()) === 0);
    expect(seqsOf(transport)).toEqual([1, 2, 3, 4, 5]);
    expect(relay.state()).toMatchObject({ failures: 0, active: true });
    expect(records.some((r) => r.alert === 'outbox_stuck' && r.resolved === true)).toBe(true);
  });

  test('only one relay of a service is active; a standby takes over when it stops', async () => {
    const first = new RecordingTransport();
    const second = new RecordingTransport();
    const a = startRelay(first);
    await eventually('a relay to become active', async () => a.state().active);
    const b = startRelay(second);
    await produce([1, 2, 3]);
    await eventually('3 events sent', async () => (await unsent()) === 0);
    expect(first.published).toHaveLength(3);
    expect(b.state().active).toBe(false);
    expect(second.published).toHaveLength(0);

    await a.stop();
    await produce([4, 5]);
    await eventually('the standby to send the next events', async () => second.published.length === 2);
    expect(b.state().active).toBe(true);
    expect(seqsOf(second)).toEqual([4, 5]);
  });

  test('deletes sent rows past the retention, keeps recent and unsent ones', async () => {
    await produce([1, 2, 3]);
    await sql`update outbox set created_at = now() - interval '8 days'`.execute(service.db);
    await produce([4]);
    await sql`update outbox set created_at = now() - interval '1 day' where created_at > now() - interval '1 day'`.execute(
      service.db,
    );
    // As if a relay had sent 1–4: the cursor is on the last of them.
    await sql`update outbox_relay set (transaction_id, position) =
                (select transaction_id, position from outbox order by transaction_id desc, position desc limit 1)`.execute(
      service.db,
    );
    await sql`alter table outbox disable trigger outbox_notify`.execute(service.db);
    const transport = new RecordingTransport();
    transport.failing = true; // so that the unsent row stays unsent
    try {
      await produce([5]);
      startRelay(transport, { cleanupIntervalMs: 0, pollIntervalMs: 20 });
      await eventually('expired rows deleted', async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::integer as n from outbox`.execute(service.db);
        return rows[0]?.n === 2;
      });
      const left = await service.db.selectFrom('outbox').select('envelope').orderBy('position').execute();
      expect(left.map((r) => (r.envelope as { data: { producer_seq: number } }).data.producer_seq)).toEqual([4, 5]);
    } finally {
      await sql`alter table outbox enable trigger outbox_notify`.execute(service.db);
    }
  });

  test('replays retained events to one consumer group, in order, optionally filtered', async () => {
    const transport = new RecordingTransport();
    startRelay(transport);
    await produce([1, 2, 3]);
    await eventually('sent', async () => (await unsent()) === 0);
    expect(await replayOutbox(service.db, transport, { group: 'tracker.accounts', batchSize: 2 })).toBe(3);
    expect(
      transport.sent.map((m) => [
        m.group,
        (JSON.parse(m.body) as { data: { producer_seq: number } }).data.producer_seq,
      ]),
    ).toEqual([
      ['tracker.accounts', 1],
      ['tracker.accounts', 2],
      ['tracker.accounts', 3],
    ]);
    expect(await replayOutbox(service.db, transport, { group: 'x.y', eventNames: ['Account.Created'] })).toBe(0);
  });

  test('exposes backlog, oldest unsent age and published count as Prometheus metrics', async () => {
    const registry = new Registry();
    const metrics = BusMetrics.for(registry);
    expect(BusMetrics.for(registry)).toBe(metrics);
    metrics.watchOutbox(service.db);
    const transport = new RecordingTransport();
    transport.failing = true;
    startRelay(transport, { metrics });
    await produce([1, 2]);
    expect(await registry.getSingleMetricAsString('ates_outbox_backlog')).toMatch(/^ates_outbox_backlog 2$/m);
    transport.failing = false;
    await eventually('sent', async () => (await unsent()) === 0);
    expect(await registry.getSingleMetricAsString('ates_outbox_backlog')).toMatch(/^ates_outbox_backlog 0$/m);
    expect(await registry.getSingleMetricAsString('ates_outbox_oldest_unsent_age_seconds')).toMatch(
      /^ates_outbox_oldest_unsent_age_seconds 0$/m,
    );
    expect(await registry.getSingleMetricAsString('ates_events_published_total')).toMatch(
      /^ates_events_published_total 2$/m,
    );
  });
});
