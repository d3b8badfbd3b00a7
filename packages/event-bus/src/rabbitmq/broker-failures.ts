/**
 * RabbitMQ's own failure tests, run after the shared compliance suite in the same `describe`
 * (one at a time: a broker restart must not land in the middle of another test). Each uses the
 * real outbox, relay and consumer runtime against a fresh virtual host; failures are the
 * broker's or the network's for real (rabbitmqctl, the suite's TCP proxy, SIGKILL).
 */
import { expect, test } from 'vitest';
import { Connection } from 'rabbitmq-client';
import type { ComplianceContext } from '../compliance/suite.js';
import { appliedRows, countApplied, eventually, ping, recording, unsentCount } from '../compliance/support.js';
import { TcpProxy } from '../compliance/tcp-proxy.js';
import { getDeadLetter, listDeadLetters, replayDeadLetters } from '../dead-letters.js';
import type { Delivery } from '../transport.js';
import { closeConnections, connectionsOf, deleteQueue, restartBroker } from './test-broker.js';
import { delayExchange } from './topology.js';
import { firstNode, parseBrokerUrl, viaNode } from './url.js';

const unsent = (c: ComplianceContext): Promise<number> => unsentCount(c.service.db);

const vhostOf = (url: string): string => parseBrokerUrl(url).vhost;
const quickRelay = { retryDelaysMs: [200, 500, 1_000] };
const seqs = (from: number, count: number, note = 'ok') =>
  Array.from({ length: count }, (_, i) => ping(from + i, note));

export const rabbitFailureTests = (c: ComplianceContext): void => {
  test('a broker restart: confirmed messages and a delayed redelivery survive it, events produced meanwhile wait in the outbox', async () => {
    const group = 'test.restart';
    const transport = await c.connect();
    let delayedCalls = 0;
    const definition = {
      name: group,
      concurrency: 1, // one transaction at a time, so that `applied` is in delivery order
      immediateRetries: 0,
      redeliveryDelaysMs: [10_000],
      handlers: {
        'Test.Pinged': recording(group, '', (event) => {
          if (event.data.note === 'delayed' && ++delayedCalls === 1) throw new Error('not yet');
        }),
      },
    };
    const first = await c.run(definition, transport);
    c.relay(transport, quickRelay);
    await c.produce([ping(0, 'delayed')]);
    await eventually('the first try of the delayed event', async () => delayedCalls === 1);
    await first.stop();
    // Confirmed and in the queue, with nobody consuming: they must outlive the restart.
    await c.produce(seqs(1, 20, 'stored'));
    await eventually('the outbox to be sent', async () => (await unsent(c)) === 0);

    await restartBroker(async () => {
      await c.produce(seqs(21, 20, 'waiting'));
      await eventually('the relay to be refused', async () => (await unsent(c)) === 20);
    });

    await c.run(definition, transport); // the same transport: it reconnected by itself
    await eventually('all 41 events applied', async () => (await countApplied(c.service.db, group)) === 41, {
      timeoutMs: 60_000,
    });
    await c.drained(transport, group);
    const rows = await appliedRows(c.service.db, group);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(41);
    expect(rows.filter((r) => r.note === 'stored').map((r) => r.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(rows.filter((r) => r.note === 'waiting').map((r) => r.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 21),
    );
    expect(delayedCalls).toBe(2);
    expect(await listDeadLetters(c.service.db, { consumer: group })).toEqual([]);
  }, 150_000);

  test('connections forced closed by the broker come back, consumers included, and nothing is lost', async () => {
    const group = 'test.forced';
    const transport = await c.connect();
    await c.run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);
    c.relay(transport, quickRelay);
    await c.produce(seqs(1, 10));
    await eventually('the first 10 events', async () => (await countApplied(c.service.db, group)) === 10);
    const vhost = vhostOf(c.broker.url);
    const before = await connectionsOf(vhost);
    expect(await closeConnections(vhost)).toBeGreaterThanOrEqual(2);
    await c.produce(seqs(11, 10));
    await eventually('all 20 events', async () => (await countApplied(c.service.db, group)) === 20);
    await c.drained(transport, group);
    const after = await connectionsOf(vhost);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    expect((await appliedRows(c.service.db, group)).map((r) => r.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  }, 60_000);

  test('a blackholed link is detected (publish timeout, heartbeats) and everything arrives once it heals', async () => {
    const group = 'test.blackhole';
    const { host, port } = firstNode(c.broker.url);
    const proxy = new TcpProxy(host, port);
    await proxy.start();
    c.cleanup(() => proxy.stop());
    const transport = await c.connect(viaNode(c.broker.url, '127.0.0.1', proxy.port));
    await c.run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);
    const relay = c.relay(transport, quickRelay);
    await c.produce(seqs(1, 5));
    await eventually('the first 5 events', async () => (await countApplied(c.service.db, group)) === 5);

    proxy.blackhole();
    // No reset, no error: only the publish timeout tells a publisher the link is dead.
    await expect(
      transport.publish([{ eventName: 'Test.Pinged', body: JSON.stringify(ping(99, 'direct')) }]),
    ).rejects.toThrow(/timed out|RabbitMQ/);
    await c.produce(seqs(6, 10));
    await eventually('the relay to notice', async () => relay.state().failures > 0);
    expect(await countApplied(c.service.db, group)).toBe(5);

    proxy.restore();
    await eventually('all 15 events', async () => (await countApplied(c.service.db, group)) >= 15, {
      timeoutMs: 60_000,
    });
    await eventually('the outbox to be sent', async () => (await unsent(c)) === 0);
    await c.drained(transport, group);
    // The one published straight to the broker may or may not have made it before the cut.
    const rows = (await appliedRows(c.service.db, group)).filter((r) => r.note === 'ok');
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  }, 90_000);

  test('a channel error closes only that channel: the connection and the other channels carry on', async () => {
    const group = 'test.channel';
    const transport = await c.connect();
    let calls = 0;
    await c.run(
      {
        name: group,
        immediateRetries: 0,
        redeliveryDelaysMs: [100],
        handlers: {
          'Test.Pinged': recording(group, '', (event) => {
            if (event.data.note === 'retry' && ++calls === 1) throw new Error('once');
          }),
        },
      },
      transport,
    );
    c.relay(transport, quickRelay);
    await c.produce(seqs(1, 3));
    await eventually('the first events', async () => (await countApplied(c.service.db, group)) === 3);
    const vhost = vhostOf(c.broker.url);
    const before = (await connectionsOf(vhost)).sort();
    // Behind the transport's back: its next delayed redelivery hits a missing exchange, which is
    // a channel error (404) on the channel that publishes it.
    const admin = new Connection(c.broker.url);
    try {
      await admin.exchangeDelete({ exchange: delayExchange });
    } finally {
      await admin.close();
    }
    await c.produce([ping(4, 'retry'), ...seqs(5, 3)]);
    await eventually(
      'the retried event, on a fresh channel',
      async () => (await countApplied(c.service.db, group)) === 7,
    );
    await c.drained(transport, group);
    expect(calls).toBe(2);
    expect((await connectionsOf(vhost)).sort()).toEqual(before);
    expect(await listDeadLetters(c.service.db, { consumer: group })).toEqual([]);
  }, 60_000);

  test("a group's queue deleted behind the service's back is declared again, with its bindings", async () => {
    const group = 'test.deleted';
    const transport = await c.connect();
    await c.run({ name: group, concurrency: 1, handlers: { 'Test.Pinged': recording(group) } }, transport);
    c.relay(transport, quickRelay);
    await c.produce(seqs(1, 3));
    await eventually('the first events', async () => (await countApplied(c.service.db, group)) === 3);
    await deleteQueue(vhostOf(c.broker.url), group);
    // Until it is back, events have nowhere to go (as with any unbound exchange): wait for it.
    const probe = new Connection(c.broker.url);
    try {
      await eventually('the queue to be declared again', async () => {
        await probe.queueDeclare({ queue: group, passive: true });
        return true;
      });
    } finally {
      await probe.close();
    }
    await c.produce(seqs(4, 3));
    await eventually('events after the deletion', async () => (await countApplied(c.service.db, group)) === 6);
    expect((await appliedRows(c.service.db, group)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  test('a consumer SIGKILLed on the same message past the delivery limit: a dead letter with the broker’s reason, never a loss', async () => {
    const group = 'test.crashloop';
    const transport = await c.connect();
    c.relay(transport, quickRelay);
    const event = ping(7);
    await transport.declare(group, ['Test.Pinged']);
    await c.produce([event]);
    // compliance-connect sets a delivery limit of 2: the third return dead-letters it.
    for (let round = 1; round <= 3; round += 1) {
      const doomed = c.child('consumer-process.ts', { TRANSPORT_URL: c.broker.url, CONSUMER: group });
      await doomed.waitFor(/in handler 7/);
      await doomed.kill('SIGKILL');
    }
    await c.run({ name: group, handlers: { 'Test.Pinged': recording(group, 'survivor') } }, transport);
    const [letter] = await eventually('the broker dead letter, recorded', async () => {
      const letters = await listDeadLetters(c.service.db, { consumer: group });
      return letters.length > 0 && letters;
    });
    const full = await getDeadLetter(c.service.db, letter?.id ?? 0);
    expect(full).toMatchObject({ consumer: group, eventId: event.event_id, state: 'open', attempts: 3 });
    expect(full.reason).toMatch(/^dead-lettered by the broker: delivery_limit/);
    expect(await countApplied(c.service.db, group)).toBe(0);
    // Like any dead letter: replayed after the fix, applied once.
    expect(await replayDeadLetters(c.service.db, transport, { consumer: group })).toBe(1);
    await eventually('the replayed event', async () => (await countApplied(c.service.db, group)) === 1);
    expect(await appliedRows(c.service.db, group)).toMatchObject([{ event_id: event.event_id, instance: 'survivor' }]);
  }, 90_000);

  test('sending to a group whose queue does not exist is a failure (mandatory), not a silent drop', async () => {
    const transport = await c.connect();
    const message = { eventName: 'Test.Pinged', body: JSON.stringify(ping(1)) };
    await expect(transport.sendToGroup('test.nobody', [message])).rejects.toThrow(/unroutable/);
    await transport.declare('test.nobody', ['Test.Pinged']);
    await transport.sendToGroup('test.nobody', [message]);
    await eventually('the message in its queue', async () => (await transport.lag('test.nobody')) === 1);
  });

  test('a delay is never delivered early, and a short delay overtakes a long one', async () => {
    const group = 'test.delays';
    const transport = await c.connect();
    const retriedAt = new Map<number, number>();
    const arrivals: Array<{ seq: number; waited: number }> = [];
    const delays: Record<number, number> = { 1: 1_000, 2: 100 };
    const subscription = await transport.subscribe(
      group,
      ['Test.Pinged'],
      async (delivery: Delivery) => {
        const seq = (JSON.parse(delivery.body) as { data: { producer_seq: number } }).data.producer_seq;
        if (delivery.attempt === 1) {
          retriedAt.set(seq, Date.now());
          return delivery.retryLater(delays[seq] ?? 0);
        }
        arrivals.push({ seq, waited: Date.now() - (retriedAt.get(seq) ?? 0) });
        return delivery.ack();
      },
      { prefetch: 4 },
    );
    c.cleanup(() => subscription.close());
    await transport.publish([1, 2].map((seq) => ({ eventName: 'Test.Pinged', body: JSON.stringify(ping(seq)) })));
    await eventually('both redeliveries', async () => arrivals.length === 2);
    expect(arrivals.map((a) => a.seq)).toEqual([2, 1]);
    for (const { seq, waited } of arrivals) expect(waited).toBeGreaterThanOrEqual(delays[seq] ?? 0);
  });
};
