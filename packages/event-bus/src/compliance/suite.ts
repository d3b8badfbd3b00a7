/**
 * The transport compliance suite: what every transport must do for the event bus to keep its
 * promises (nothing lost, nothing applied twice, bad input parked with a reason, order kept per
 * producer). One suite, parameterised by transport: the PostgreSQL transport runs it in
 * `npm test`; a RabbitMQ transport will run the same tests by providing its own `TransportTarget`.
 *
 * It runs the real pieces — outbox, relay, consumer runtime, dead letters — against a real
 * service database and the transport under test; crashes are real processes killed with
 * SIGKILL and the outage is a real TCP cut. Waits are bounded polls of database state, never
 * assertions about time.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createLogger } from '@ates/logger';
import type { AnyEvent } from '@ates/schema-registry';
import { consumer, startConsumer, type ConsumerDefinition, type RunningConsumer } from '../consumer.js';
import { listDeadLetters, getDeadLetter, replayDeadLetters } from '../dead-letters.js';
import { publishMany } from '../outbox.js';
import { testRegistry } from '../test-events.js';
import { OutboxRelay, type RelayOptions } from '../relay.js';
import type { Transport } from '../transport.js';
import {
  appliedRows,
  countApplied,
  deferred,
  eventually,
  recording,
  unsentCount,
  type Handle,
  openServiceDatabase,
  ping,
  pingV2,
  spawnFixture,
  type Fixture,
  type ServiceDatabase,
  type TestTables,
} from './support.js';
import { TcpProxy } from './tcp-proxy.js';

export interface Provisioned {
  readonly url: string;
  drop(): Promise<void>;
}

/** How the suite reaches the transport under test. */
export interface TransportTarget {
  /**
   * File URL of a module exporting `connect(url: string): Promise<Transport>`. The suite and its
   * child processes (the SIGKILL tests) both connect through it.
   */
  readonly module: string;
  /** A fresh, empty broker namespace (a database, a virtual host) for one test. */
  provision(): Promise<Provisioned>;
  /** A fresh PostgreSQL database for the service side (outbox, inbox, dead letters). */
  serviceDatabase(): Promise<Provisioned>;
  /** The TCP endpoint `url` points at. */
  endpoint(url: string): { readonly host: string; readonly port: number };
  /** `url`, pointed at host:port instead (the suite's proxy, to cut the connection). */
  via(url: string, host: string, port: number): string;
}

const logger = createLogger('compliance', 'silent');
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** What a test of the suite works with; passed to a transport's own extra tests too. */
export interface ComplianceContext {
  /** This test's service database (outbox, inbox, dead letters, `applied`). */
  readonly service: ServiceDatabase;
  /** This test's broker namespace. */
  readonly broker: Provisioned;
  connect(url?: string): Promise<Transport>;
  run(definition: ConsumerDefinition<TestTables>, transport: Transport): Promise<RunningConsumer>;
  relay(transport: Transport, options?: Partial<RelayOptions>): OutboxRelay;
  produce(events: readonly AnyEvent[]): Promise<void>;
  child(file: string, env: Record<string, string>): Fixture;
  drained(transport: Transport, group: string): Promise<true>;
  /** Runs after the test, before the broker and database are dropped. */
  cleanup(fn: () => Promise<unknown>): void;
}

/**
 * The suite, and `extra` tests of the transport's own (broker restarts, …) registered in the same
 * `describe` with the same harness, so that they run one after another with the shared ones.
 */
export const describeTransportCompliance = (
  name: string,
  target: TransportTarget,
  extra?: (context: ComplianceContext) => void,
): void => {
  describe(`transport compliance: ${name}`, () => {
    let service: ServiceDatabase;
    let broker: Provisioned;
    let cleanups: Array<() => Promise<unknown>>;
    let connectModule: { connect(url: string): Promise<Transport> };

    beforeEach(async () => {
      cleanups = [];
      connectModule = (await import(target.module)) as typeof connectModule;
      const serviceDb = await target.serviceDatabase();
      broker = await target.provision();
      service = await openServiceDatabase(serviceDb.url);
      cleanups.push(
        () => serviceDb.drop(),
        () => broker.drop(),
        () => service.close(),
      );
    });

    afterEach(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    const connect = async (url = broker.url): Promise<Transport> => {
      const transport = await connectModule.connect(url);
      cleanups.push(() => transport.close());
      return transport;
    };

    const run = async (definition: ConsumerDefinition<TestTables>, transport: Transport): Promise<RunningConsumer> => {
      const running = await startConsumer(consumer(definition), {
        db: service.db,
        transport,
        logger,
        registry: testRegistry,
      });
      cleanups.push(() => running.stop());
      return running;
    };

    const relay = (transport: Transport, options: Partial<RelayOptions> = {}): OutboxRelay => {
      const started = new OutboxRelay({
        databaseUrl: service.url,
        transport,
        logger,
        lockKey: 'compliance',
        pollIntervalMs: 200,
        standbyIntervalMs: 100,
        ...options,
      }).start();
      cleanups.push(() => started.stop());
      return started;
    };

    const produce = (events: readonly AnyEvent[]): Promise<void> =>
      service.db.transaction().execute((tx) => publishMany(tx, events, { registry: testRegistry }));

    const child = (file: string, env: Record<string, string>): Fixture => {
      const spawned = spawnFixture(fixture(file), {
        TRANSPORT_MODULE: target.module,
        SERVICE_DATABASE_URL: service.url,
        ...env,
      });
      cleanups.push(() => spawned.kill('SIGKILL'));
      return spawned;
    };

    const drained = (transport: Transport, group: string) =>
      eventually(`${group}'s queue to drain`, async () => (await transport.lag(group)) === 0);

    test('fans out every event to each subscribed group, once', async () => {
      const transport = await connect();
      await run({ name: 'test.one', handlers: { 'Test.Pinged': recording('test.one') } }, transport);
      await run({ name: 'test.two', handlers: { 'Test.Pinged': recording('test.two') } }, transport);
      relay(transport);
      await produce(Array.from({ length: 20 }, (_, i) => ping(i + 1)));
      for (const group of ['test.one', 'test.two']) {
        await eventually(`${group} to apply 20 events`, async () => (await countApplied(service.db, group)) >= 20);
        await drained(transport, group);
        expect((await appliedRows(service.db, group)).map((r) => r.seq).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
      }
    });

    test('a group declared before it ever ran gets every event published meanwhile; declaring again never unbinds', async () => {
      const group = 'test.durable';
      const transport = await connect();
      await transport.declare(group, ['Test.Pinged']);
      relay(transport);
      await produce(Array.from({ length: 5 }, (_, i) => ping(i + 1)));
      await eventually('the outbox to be sent', async () => (await unsentCount(service.db)) === 0);
      // A deploy that declares the group with other names adds them; Test.Pinged stays bound.
      await transport.declare(group, ['Account.Created']);
      await run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);
      await eventually('the 5 events kept for the group', async () => (await countApplied(service.db, group)) === 5);
      await produce([ping(6)]);
      await eventually('an event after it started', async () => (await countApplied(service.db, group)) === 6);
      expect((await appliedRows(service.db, group)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);

      // Only an explicit unbind stops the routing.
      await transport.unbind(group, ['Test.Pinged']);
      await transport.publish([{ eventName: 'Test.Pinged', body: JSON.stringify(ping(7)) }]);
      await transport.sendToGroup(group, [{ eventName: 'Test.Pinged', body: JSON.stringify(ping(8)) }]);
      await eventually(
        'the event sent to the group directly',
        async () => (await countApplied(service.db, group)) === 7,
      );
      await drained(transport, group);
      expect((await appliedRows(service.db, group)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    });

    test('competing consumers of one group share the work, and no delivery is handed to two of them', async () => {
      const group = 'test.compete';
      const handled: Record<string, string[]> = { a: [], b: [] };
      // Each instance's first handler waits until the other instance has started one: the test
      // passes only if both were handed deliveries at the same time.
      const started = { a: deferred(), b: deferred() };
      const instance = (me: 'a' | 'b', other: 'a' | 'b'): Handle =>
        recording(group, me, async (event) => {
          handled[me]?.push(event.event_id);
          started[me].resolve();
          await started[other].promise;
        });
      await run({ name: group, concurrency: 2, handlers: { 'Test.Pinged': instance('a', 'b') } }, await connect());
      await run({ name: group, concurrency: 2, handlers: { 'Test.Pinged': instance('b', 'a') } }, await connect());
      const producer = await connect();
      relay(producer);
      await produce(Array.from({ length: 100 }, (_, i) => ping(i + 1)));
      await eventually('100 events applied', async () => (await countApplied(service.db, group)) >= 100);
      await drained(producer, group);
      const all = [...(handled.a ?? []), ...(handled.b ?? [])];
      expect(handled.a?.length).toBeGreaterThan(0);
      expect(handled.b?.length).toBeGreaterThan(0);
      expect(new Set(all).size).toBe(100);
      expect(all).toHaveLength(100); // no delivery handled twice
      expect(await countApplied(service.db, group)).toBe(100);
    });

    test('a consumer stopped in the middle of a handler lets it finish and settle: nothing comes back', async () => {
      const group = 'test.stop';
      const entered = deferred();
      const release = deferred();
      let calls = 0;
      const transport = await connect();
      const slow = recording(group, 'first', async () => {
        calls += 1;
        entered.resolve();
        await release.promise;
      });
      const first = await run({ name: group, handlers: { 'Test.Pinged': slow } }, transport);
      relay(transport);
      await produce([ping(1)]);
      await entered.promise;
      const stopping = first.stop();
      release.resolve();
      await stopping;
      await drained(transport, group); // acked, not waiting for its lease to run out
      await run(
        { name: group, handlers: { 'Test.Pinged': recording(group, 'second', () => void (calls += 1)) } },
        await connect(),
      );
      await produce([ping(2)]);
      await eventually('the second event to be applied', async () => (await countApplied(service.db, group)) === 2);
      expect((await appliedRows(service.db, group)).map((r) => [r.seq, r.instance])).toEqual([
        [1, 'first'],
        [2, 'second'],
      ]);
      expect(calls).toBe(2);
    });

    test('the same event delivered twice is applied once', async () => {
      const group = 'test.twice';
      let calls = 0;
      const transport = await connect();
      await run({ name: group, handlers: { 'Test.Pinged': recording(group, '', () => void (calls += 1)) } }, transport);
      const event = ping(1);
      const message = { eventName: event.event_name, body: JSON.stringify(event) };
      await transport.publish([message]);
      await transport.publish([message]);
      await eventually('the event to be applied', async () => (await countApplied(service.db, group)) === 1);
      await drained(transport, group);
      expect(await countApplied(service.db, group)).toBe(1);
      expect(calls).toBe(1); // the duplicate was recognised before the handler ran
    });

    test('a handler that fails twice and then succeeds is applied once, with its attempts recorded', async () => {
      const group = 'test.flaky';
      let calls = 0;
      const transport = await connect();
      // One immediate retry, then a redelivery: the two failures use both mechanisms.
      await run(
        {
          name: group,
          immediateRetries: 1,
          redeliveryDelaysMs: [20, 20],
          handlers: {
            'Test.Pinged': recording(group, '', () => {
              calls += 1;
              if (calls <= 2) throw new Error(`flaky failure ${calls}`);
            }),
          },
        },
        transport,
      );
      relay(transport);
      const event = ping(1);
      await produce([event]);
      await eventually('the event to be applied', async () => (await countApplied(service.db, group)) === 1);
      await drained(transport, group);
      const inbox = await service.db.selectFrom('inbox').selectAll().where('consumer', '=', group).execute();
      expect(inbox).toMatchObject([{ event_id: event.event_id, attempts: 3 }]);
      expect(calls).toBe(3);
      expect(await countApplied(service.db, group)).toBe(1);
      expect(await listDeadLetters(service.db, { consumer: group })).toEqual([]);
    });

    test('a handler that always fails ends in dead letters after the configured tries, while later events flow', async () => {
      const group = 'test.poison';
      let poisonCalls = 0;
      const transport = await connect();
      await run(
        {
          name: group,
          immediateRetries: 1,
          redeliveryDelaysMs: [20, 20],
          handlers: {
            'Test.Pinged': recording(group, '', (event) => {
              if (event.data.note !== 'poison') return;
              poisonCalls += 1;
              throw new Error('cannot digest poison');
            }),
          },
        },
        transport,
      );
      relay(transport);
      const poison = ping(1, 'poison');
      await produce([poison, ...Array.from({ length: 10 }, (_, i) => ping(i + 2))]);
      await eventually('the 10 good events to be applied', async () => (await countApplied(service.db, group)) === 10);
      const [letter] = await eventually('a dead letter', async () => {
        const letters = await listDeadLetters(service.db, { consumer: group });
        return letters.length > 0 && letters;
      });
      await drained(transport, group);
      const full = await getDeadLetter(service.db, letter?.id ?? 0);
      // 3 deliveries (the first and 2 redeliveries) of 2 tries each.
      expect(poisonCalls).toBe(6);
      expect(full).toMatchObject({
        consumer: group,
        eventId: poison.event_id,
        eventName: 'Test.Pinged',
        eventVersion: 1,
        reason: 'handler failed: cannot digest poison',
        error: 'cannot digest poison',
        attempts: 6,
        state: 'open',
        envelope: { event_id: poison.event_id, data: { note: 'poison' } },
      });
      expect(full.queue).toBeTruthy();
      expect(full.stack).toContain('cannot digest poison');
      expect(JSON.parse(full.body)).toMatchObject({ event_id: poison.event_id });
      expect(await listDeadLetters(service.db, { consumer: group })).toHaveLength(1);
    });

    test('an unaccepted version and an invalid payload go straight to dead letters', async () => {
      const group = 'test.v1only';
      let calls = 0;
      const transport = await connect();
      await run({ name: group, handlers: { 'Test.Pinged': recording(group, '', () => void (calls += 1)) } }, transport);
      const v2 = pingV2(1);
      const invalid = { ...ping(2), data: { producer_seq: 2 } };
      await transport.publish([
        { eventName: 'Test.Pinged', body: JSON.stringify(v2) },
        { eventName: 'Test.Pinged', body: JSON.stringify(invalid) },
      ]);
      const letters = await eventually('two dead letters', async () => {
        const found = await listDeadLetters(service.db, { consumer: group });
        return found.length === 2 && found;
      });
      await drained(transport, group);
      expect(letters.map((l) => [l.reason, l.attempts])).toEqual([
        ['version 2 of Test.Pinged is not accepted by test.v1only', 0],
        ['invalid event: missing data field note', 0],
      ]);
      expect(calls).toBe(0);
    });

    test('garbage bytes, non-JSON, a missing envelope field and an unknown event name become dead letters with readable reasons; the consumer goes on', async () => {
      const group = 'test.garbage';
      const transport = await connect();
      // One at a time, so that the dead letters are written in the order the bodies were sent.
      await run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);
      const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => ((i * 97 + 13) % 255) + 1));
      const { event_id: _dropped, ...missingId } = ping(3);
      const unknownName = { ...ping(4), event_name: 'Test.Unheard' };
      const good = ping(5);
      await transport.publish(
        [
          bytes.toString('utf8'),
          '{"event_id": "not closed',
          JSON.stringify(missingId),
          JSON.stringify(unknownName),
          JSON.stringify(good),
        ].map((body) => ({ eventName: 'Test.Pinged', body })),
      );
      await eventually('the good event to be applied', async () => (await countApplied(service.db, group)) === 1);
      const letters = await eventually('four dead letters', async () => {
        const found = await listDeadLetters(service.db, { consumer: group });
        return found.length === 4 && found;
      });
      expect(letters.map((l) => l.reason)).toEqual([
        'body is not JSON',
        'body is not JSON',
        'invalid event: missing envelope field event_id',
        'invalid event: unknown event Test.Unheard v1',
      ]);
      const garbage = await getDeadLetter(service.db, letters[0]?.id ?? 0);
      expect(garbage.body).toBe(bytes.toString('utf8')); // the body as received, for inspection
      expect(garbage.error).toMatch(/JSON/);
      expect((await getDeadLetter(service.db, letters[3]?.id ?? 0)).eventName).toBe('Test.Unheard');
    });

    test('a dead letter replayed after the fix is applied once', async () => {
      const group = 'test.replay';
      let broken = true;
      const transport = await connect();
      await run(
        {
          name: group,
          immediateRetries: 0,
          redeliveryDelaysMs: [],
          handlers: {
            'Test.Pinged': recording(group, '', () => {
              if (broken) throw new Error('bug in the handler');
            }),
          },
        },
        transport,
      );
      relay(transport);
      const events = [ping(1), ping(2)];
      await produce(events);
      const letters = await eventually('two dead letters', async () => {
        const found = await listDeadLetters(service.db, { consumer: group });
        return found.length === 2 && found;
      });
      broken = false; // the fix is deployed
      expect(await replayDeadLetters(service.db, transport, { id: letters[0]?.id ?? 0 })).toBe(1);
      expect(await replayDeadLetters(service.db, transport, { consumer: group })).toBe(1);
      await expect(replayDeadLetters(service.db, transport, { id: letters[0]?.id ?? 0 })).rejects.toMatchObject({
        code: 'dead_letter.settled',
      });
      await eventually('both events applied', async () => (await countApplied(service.db, group)) === 2);
      // Replaying the same letters again (say, by a second operator) changes nothing: the inbox has them.
      await transport.sendToGroup(
        group,
        events.map((e) => ({ eventName: e.event_name, body: JSON.stringify(e) })),
      );
      await drained(transport, group);
      // Each applied exactly once; the two letters may have been written (and so replayed) in either order.
      expect((await appliedRows(service.db, group)).map((r) => r.seq).sort()).toEqual([1, 2]);
      expect(await listDeadLetters(service.db, { consumer: group })).toEqual([]);
      expect((await listDeadLetters(service.db, { consumer: group, all: true })).map((l) => l.state)).toEqual([
        'replayed',
        'replayed',
      ]);
    });

    test('a relay killed with SIGKILL between commit and send, or between send and storing its cursor, delivers every event after restart', async () => {
      const group = 'test.relaykill';
      const transport = await connect();
      await run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);

      // Killed after reading a batch, before sending it.
      await produce(Array.from({ length: 25 }, (_, i) => ping(i + 1)));
      const first = child('relay-process.ts', { TRANSPORT_URL: broker.url, MODE: 'hang-before-publish' });
      await first.waitFor(/about to publish/);
      await first.kill('SIGKILL');
      // Killed after the transport confirmed a batch, before storing its cursor: it will be sent twice.
      const second = child('relay-process.ts', { TRANSPORT_URL: broker.url, MODE: 'hang-after-publish' });
      await second.waitFor(/published 10/);
      await second.kill('SIGKILL');
      expect(await unsentCount(service.db)).toBe(25);

      // The restarted relay (here in this process) finds every row still unsent.
      relay(transport);
      await eventually('all 25 events applied', async () => (await countApplied(service.db, group)) >= 25);
      await eventually('the outbox to be sent', async () => (await unsentCount(service.db)) === 0);
      await drained(transport, group);
      expect((await appliedRows(service.db, group)).map((r) => r.seq)).toEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
    });

    test('a consumer killed in the middle of a handler gets the event again and applies it once', async () => {
      const group = 'test.consumerkill';
      const transport = await connect();
      const doomed = child('consumer-process.ts', { TRANSPORT_URL: broker.url, CONSUMER: group });
      await doomed.waitFor(/consumer started/);
      relay(transport);
      const event = ping(7);
      await produce([event]);
      await doomed.waitFor(/in handler 7/);
      await doomed.kill('SIGKILL');
      await run({ name: group, handlers: { 'Test.Pinged': recording(group, 'survivor') } }, transport);
      await eventually('the event to be applied', async () => (await countApplied(service.db, group)) === 1);
      await drained(transport, group);
      // The doomed process's insert died with its transaction; only the survivor's remains.
      expect(await appliedRows(service.db, group)).toMatchObject([{ event_id: event.event_id, instance: 'survivor' }]);
      expect(
        await service.db.selectFrom('inbox').select('event_id').where('consumer', '=', group).execute(),
      ).toHaveLength(1);
    });

    test("the transport unreachable for 30 s loses nothing, and each producer's order is kept when it returns", async () => {
      const group = 'test.outage';
      const endpoint = target.endpoint(broker.url);
      const proxy = new TcpProxy(endpoint.host, endpoint.port);
      await proxy.start();
      cleanups.push(() => proxy.stop());
      const behindProxy = target.via(broker.url, '127.0.0.1', proxy.port);
      const transport = await connect(behindProxy);
      await run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);
      // The default pauses (1, 3, 5, 10, 30 s) would make the relay come back up to 30 s after the
      // transport does; shorter ones keep the suite quick without changing what is checked.
      relay(transport, { retryDelaysMs: [200, 500, 1_000], batchSize: 7 });

      // Two producers: the outbox's own order interleaves them; each one's sequence must survive.
      const producerA = (seq: number) => ping(seq, 'A');
      const producerB = (seq: number) => ping(seq, 'B');
      await produce([1, 2, 3, 4, 5].map(producerA));
      await produce([1, 2, 3].map(producerB));
      await eventually('the first events to arrive', async () => (await countApplied(service.db, group)) === 8);

      await proxy.stop();
      for (let batch = 0; batch < 6; batch += 1) {
        await produce([6 + batch * 5, 7 + batch * 5, 8 + batch * 5, 9 + batch * 5, 10 + batch * 5].map(producerA));
        await produce([4 + batch * 2, 5 + batch * 2].map(producerB));
      }
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      expect(await unsentCount(service.db)).toBe(42); // all of it waits in the outbox
      expect(await countApplied(service.db, group)).toBe(8);

      await proxy.start();
      await eventually(
        'every event to arrive after the outage',
        async () => (await countApplied(service.db, group)) === 50,
        { timeoutMs: 60_000 },
      );
      await drained(transport, group);
      const rows = await appliedRows(service.db, group);
      expect(rows.filter((r) => r.note === 'A').map((r) => r.seq)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
      expect(rows.filter((r) => r.note === 'B').map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    }, 150_000);

    extra?.({
      get service() {
        return service;
      },
      get broker() {
        return broker;
      },
      connect,
      run,
      relay,
      produce,
      child: (file, env) => child(file, env),
      drained,
      cleanup: (fn) => cleanups.push(fn),
    });
  });
};
