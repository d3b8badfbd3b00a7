/**
 * pg-boss 10 behind the bus's `Transport` interface — for `npm run bench:bus` only, so that the
 * candidate the issue names runs in the same rig (outbox, relay, consumers with their inbox) as
 * our own PostgreSQL transport. It is set up the fastest way pg-boss 10 allows, to measure it
 * at its best:
 *
 * - publishing: the groups bound to the batch's event names are looked up in pg-boss's
 *   `subscription` table, and every (message, group) pair is written by ONE `insert()` (one
 *   statement), instead of `publish()`'s one `send()` per group and message;
 * - consuming: one worker per group and process, fetching `prefetch` jobs at a time, polling at
 *   pg-boss's minimum interval (0.5 s); a worker that got a full batch is woken at once
 *   (`notifyWorker`), so a backlog drains without pauses. pg-boss 10 has no wake-up on publish:
 *   a worker on an idle queue sees a new job at its next poll.
 *
 * Not a product transport: `retryLater` maps to `fail()` with the queue's retry settings (pg-boss
 * has no per-call delay), and it was not run through the compliance suite.
 */
import PgBoss from 'pg-boss';
import type {
  Delivery,
  OnDelivery,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from '../src/transport.js';

interface BodyData {
  readonly body: string;
  readonly eventName: string;
}

export interface PgBossTransportOptions {
  readonly url: string;
  /** Connections in pg-boss's pool. */
  readonly poolSize?: number;
}

const minimumPollSeconds = 0.5;

export const connectPgBossTransport = async (options: PgBossTransportOptions): Promise<Transport> => {
  // No maintenance or cron loops: only the queue operations are measured.
  const boss = new PgBoss({
    connectionString: options.url,
    max: options.poolSize ?? 6,
    supervise: false,
    schedule: false,
    migrate: true,
  });
  boss.on('error', () => undefined);
  await boss.start();
  const db = boss.getDb();

  const groupsFor = async (eventNames: readonly string[]): Promise<Map<string, string[]>> => {
    const { rows } = (await db.executeSql('select event, name from pgboss.subscription where event = any($1::text[])', [
      [...new Set(eventNames)],
    ])) as {
      rows: Array<{ event: string; name: string }>;
    };
    const groups = new Map<string, string[]>();
    for (const row of rows) groups.set(row.event, [...(groups.get(row.event) ?? []), row.name]);
    return groups;
  };

  const insert = async (jobs: PgBoss.JobInsert<BodyData>[]): Promise<void> => {
    if (jobs.length > 0) await boss.insert(jobs);
  };

  // pg-boss keeps a subscription per (event, queue): declaring is creating both.
  const declare = async (group: string, eventNames: readonly string[]): Promise<void> => {
    await boss.createQueue(group, { name: group, retryLimit: 1_000, retryDelay: 1 });
    for (const eventName of eventNames) await boss.subscribe(eventName, group);
  };

  return {
    name: 'pg-boss',
    publish: async (messages: readonly OutgoingMessage[]) => {
      if (messages.length === 0) return;
      const groups = await groupsFor(messages.map((m) => m.eventName));
      await insert(
        messages.flatMap((m) =>
          (groups.get(m.eventName) ?? []).map((name) => ({ name, data: { body: m.body, eventName: m.eventName } })),
        ),
      );
    },
    sendToGroup: (group, messages) =>
      insert(messages.map((m) => ({ name: group, data: { body: m.body, eventName: m.eventName } }))),
    declare,
    unbind: async (group, eventNames) => {
      for (const eventName of eventNames) await boss.unsubscribe(eventName, group);
    },
    subscribe: async (
      group: string,
      eventNames: readonly string[],
      onDelivery: OnDelivery,
      subscribeOptions: SubscribeOptions,
    ): Promise<Subscription> => {
      await declare(group, eventNames);
      const batchSize = Math.max(1, subscribeOptions.prefetch);
      let workerId = '';
      workerId = await boss.work<BodyData>(
        group,
        { batchSize, pollingIntervalSeconds: minimumPollSeconds, includeMetadata: true },
        async (jobs) => {
          const retry: string[] = [];
          await Promise.all(
            jobs.map((job) => {
              const delivery: Delivery = {
                id: `${group}#${job.id}`,
                queue: group,
                eventName: job.data.eventName,
                body: job.data.body,
                attempt: job.retryCount + 1,
                // pg-boss completes the batch when this callback returns.
                ack: async () => undefined,
                retryLater: async () => {
                  retry.push(job.id);
                },
              };
              return onDelivery(delivery).catch(() => retry.push(job.id));
            }),
          );
          if (retry.length > 0) await boss.fail(group, retry);
          if (jobs.length === batchSize) boss.notifyWorker(workerId);
        },
      );
      return { close: () => boss.offWork({ id: workerId }) };
    },
    check: async () => {
      await db.executeSql('select 1', []);
    },
    lag: (group) => boss.getQueueSize(group),
    close: () => boss.stop({ graceful: true, wait: true, close: true, timeout: 5_000 }),
  };
};
