/**
 * `npm run bench:bus` — the event bus's figures on this machine (see docs/PERFORMANCE.md):
 *
 *   (a) baseline: plain single-row INSERTs, one connection, one after another;
 *   (b) sustained end-to-end throughput, one producer (one event per single-statement
 *       transaction, into the outbox) → relay → PostgreSQL transport → two consumer groups with
 *       trivial handlers, as a ratio to (a);
 *   (c) latency from the outbox insert to the handler's commit at a steady 1,000 events/s;
 *   (d) time to drain a backlog of 100,000 events from the outbox through both groups (and the
 *       time to write them with one publishMany, the tracker's reassign case).
 *
 * (b)–(d) run for each transport: our PostgreSQL transport, RabbitMQ (the machine's broker, a
 * fresh virtual host per measurement), and pg-boss 10 in the same rig (bench/pg-boss-transport.ts),
 * the alternative the event-backbone issue asked to measure. RabbitMQ's ratio is also taken
 * against a raw baseline of the broker measured just before: rabbitmq-client publishing to one
 * quorum queue on a confirm channel, no outbox — one message at a time (confirm awaited, the
 * shape of (a)) and pipelined (windows of 500, the relay's batch).
 *
 * Each figure is the median of several runs, each on fresh databases. Uses ATES_BENCH_DATABASE_URL
 * (a superuser URL) when set, otherwise starts an embedded PostgreSQL in a temporary directory.
 * BENCH_RUNS (default 3), BENCH_SECONDS (default 8) and BENCH_TRANSPORTS (default
 * `postgres,rabbitmq,pg-boss`) adjust the effort; ATES_TEST_RABBITMQ_URL names the broker.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { createDb, createPool, migrate, withClient, withDatabase } from '@ates/db';
import { startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';
import { createLogger } from '@ates/logger';
import { newEnvelope, type AnyEvent } from '@ates/schema-registry';
import { connectPostgresTransport } from '../src/postgres/transport.js';
import { consumer, startConsumer, type RunningConsumer } from '../src/consumer.js';
import { eventBusMigrations } from '../src/migrations.js';
import { publish, publishMany } from '../src/outbox.js';
import { OutboxRelay } from '../src/relay.js';
import { testRegistry } from '../src/test-events.js';
import type { Transport } from '../src/transport.js';
import { freePort } from '@ates/testing/ports';
import { connectRabbitTransport } from '../src/rabbitmq/transport.js';
import { createTestVhost } from '../src/rabbitmq/test-broker.js';
import { connectPgBossTransport } from './pg-boss-transport.js';
import { rabbitBaseline } from './rabbit-baseline.js';
import { cpuTimes, stealShare } from './cpu.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const groups = ['bench.one', 'bench.two'] as const;
const concurrency = 8;
const latencyProducers = 4;
const logger = createLogger('bench', 'warn');
interface Namespace {
  readonly url: string;
  drop(): Promise<void>;
}
/** Each transport: where a measurement's fresh namespace comes from, and how to connect to it. */
const transportKinds = {
  postgres: {
    namespace: (serverUrl: string) => freshDatabase(serverUrl),
    connect: (url: string) => connectPostgresTransport({ url, poolSize: 6, logger }),
  },
  rabbitmq: {
    namespace: (): Promise<Namespace> => createTestVhost('bench'),
    connect: (url: string) => connectRabbitTransport({ url, logger }),
  },
  'pg-boss': {
    namespace: (serverUrl: string) => freshDatabase(serverUrl),
    connect: (url: string) => connectPgBossTransport({ url, poolSize: 6 }),
  },
} as const;
type TransportKind = keyof typeof transportKinds;
const chosen = (process.env.BENCH_TRANSPORTS ?? 'postgres,rabbitmq,pg-boss')
  .split(',')
  .map((t) => t.trim()) as TransportKind[];
for (const kind of chosen)
  if (!(kind in transportKinds))
    throw new Error(`BENCH_TRANSPORTS: unknown transport ${kind} (known: ${Object.keys(transportKinds).join(', ')})`);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// A payload about the size of a real CUD event.
const note = 'x'.repeat(200);
let seq = 0;
/** The bench's events are the tests' Test.Pinged, which only the test registry knows. */
const withTestEvents = { registry: testRegistry };
const event = (): AnyEvent => newEnvelope('Test.Pinged', 1, { producer_seq: ++seq, note }, { producer: 'bench' });

let dbCounter = 0;
/** A fresh database; dropped by the returned function. */
const freshDatabase = async (serverUrl: string): Promise<Namespace> => {
  const name = `ates_bench_${process.pid}_${++dbCounter}`;
  await withClient(serverUrl, (c) => c.query(`create database "${name}"`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () =>
      withClient(serverUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
};

/** (a) Plain single-row INSERT rate: one connection, autocommit, one after another. */
const baseline = async (serverUrl: string): Promise<number> => {
  const database = await freshDatabase(serverUrl);
  try {
    return await withClient(database.url, async (client) => {
      await client.query(
        'create table baseline (id bigint generated always as identity primary key, body text not null, created_at timestamptz not null default now())',
      );
      const body = JSON.stringify(event());
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < seconds * 1000) {
        await client.query('insert into baseline (body) values ($1)', [body]);
        n += 1;
      }
      return n / ((performance.now() - started) / 1000);
    });
  } finally {
    await database.drop();
  }
};

interface Rig {
  readonly db: Kysely<unknown>;
  readonly serviceUrl: string;
  readonly transport: Transport;
  /** Commit-to-ack latencies (ms) and counts, per group. */
  readonly applied: Record<string, number>;
  readonly latencies: number[];
  startRelay(): OutboxRelay;
  startConsumers(): Promise<RunningConsumer[]>;
  close(): Promise<void>;
}

/**
 * A service database and a transport database, with the bus's tables. The transport is wrapped
 * to note when each delivery is acked: the consumer acks only after the handler's transaction
 * committed, so ack time − event_time is insert-to-commit latency (plus the ack call itself).
 */
const rig = async (serverUrl: string, kind: TransportKind): Promise<Rig> => {
  const serviceDb = await freshDatabase(serverUrl);
  const busDb = await transportKinds[kind].namespace(serverUrl);
  const db = createDb<unknown>(createPool(serviceDb.url, { max: 2 * concurrency + 2 }));
  await migrate(db, eventBusMigrations, 'bench');
  const real = await transportKinds[kind].connect(busDb.url);
  const applied: Record<string, number> = Object.fromEntries(groups.map((g) => [g, 0]));
  const latencies: number[] = [];
  const transport: Transport = {
    name: real.name,
    publish: (m) => real.publish(m),
    sendToGroup: (g, m) => real.sendToGroup(g, m),
    check: () => real.check(),
    lag: (g) => real.lag(g),
    close: () => real.close(),
    declare: (g, names) => real.declare(g, names),
    unbind: (g, names) => real.unbind(g, names),
    subscribe: (group, names, onDelivery, options) =>
      real.subscribe(
        group,
        names,
        (delivery) =>
          onDelivery({
            ...delivery,
            retryLater: (ms) => delivery.retryLater(ms),
            ack: () => {
              const now = Date.now();
              applied[group] = (applied[group] ?? 0) + 1;
              const time = /"event_time": ?"([^"]+)"/.exec(delivery.body)?.[1];
              if (time) latencies.push(now - Date.parse(time));
              return delivery.ack();
            },
          }),
        options,
      ),
  };
  const stops: Array<() => Promise<void>> = [];
  return {
    db,
    serviceUrl: serviceDb.url,
    transport,
    applied,
    latencies,
    startRelay: () => {
      const relay = new OutboxRelay({ databaseUrl: serviceDb.url, transport, logger, lockKey: 'bench' }).start();
      stops.push(() => relay.stop());
      return relay;
    },
    startConsumers: async () => {
      const running = await Promise.all(
        groups.map((name) =>
          startConsumer(
            consumer({
              name,
              concurrency,
              handlers: { 'Test.Pinged': { versions: [1], handle: async () => undefined } },
            }),
            { db, transport, logger, registry: testRegistry },
          ),
        ),
      );
      stops.push(...running.map((r) => () => r.stop()));
      return running;
    },
    close: async () => {
      for (const stop of stops.reverse()) await stop();
      await transport.close();
      await db.destroy();
      await serviceDb.drop();
      await busDb.drop();
    },
  };
};

const waitApplied = async (r: Rig, n: number): Promise<void> => {
  while (groups.some((g) => (r.applied[g] ?? 0) < n)) await sleep(5);
};

/** (b) One producer as fast as it goes, a transaction per event, for `seconds`; events per second through both groups. */
const throughput = async (serverUrl: string, kind: TransportKind): Promise<{ rate: number; produced: number }> => {
  const r = await rig(serverUrl, kind);
  try {
    await r.startConsumers();
    r.startRelay();
    const started = performance.now();
    let produced = 0;
    while (performance.now() - started < seconds * 1000) {
      await publish(r.db, event(), withTestEvents); // a single-statement transaction, like the baseline's INSERT
      produced += 1;
    }
    await waitApplied(r, produced);
    return { rate: produced / ((performance.now() - started) / 1000), produced };
  } finally {
    await r.close();
  }
};

/**
 * (c) A steady 1,000 events/s for `seconds`, from a few producer connections (one alone cannot
 * keep that pace on a small machine while the rest runs); latency percentiles over both groups.
 */
const latency = async (
  serverUrl: string,
  kind: TransportKind,
): Promise<{ p50: number; p99: number; max: number; n: number; rate: number }> => {
  const r = await rig(serverUrl, kind);
  try {
    await r.startConsumers();
    r.startRelay();
    await sleep(500);
    const started = performance.now();
    const total = 1_000 * seconds;
    let produced = 0;
    const producer = async (): Promise<void> => {
      while (produced < total) {
        const due = Math.min(total, Math.floor(performance.now() - started)); // one per millisecond
        if (produced < due) {
          produced += 1; // taken before the await: each slot goes to one producer
          await publish(r.db, event(), withTestEvents);
        } else {
          await sleep(1);
        }
      }
    };
    await Promise.all(Array.from({ length: latencyProducers }, producer));
    const rate = produced / ((performance.now() - started) / 1000);
    await waitApplied(r, produced);
    return {
      p50: percentile(r.latencies, 50),
      p99: percentile(r.latencies, 99),
      max: Math.max(...r.latencies),
      n: r.latencies.length,
      rate,
    };
  } finally {
    await r.close();
  }
};

/** (d) 100,000 events written with one publishMany, then relayed and consumed by both groups. */
const drain = async (serverUrl: string, kind: TransportKind): Promise<{ writeMs: number; drainMs: number }> => {
  const r = await rig(serverUrl, kind);
  try {
    const events = Array.from({ length: 100_000 }, event);
    const writeStarted = performance.now();
    await r.db.transaction().execute((tx) => publishMany(tx, events, withTestEvents));
    const writeMs = performance.now() - writeStarted;
    const started = performance.now();
    await r.startConsumers();
    r.startRelay();
    await waitApplied(r, events.length);
    return { writeMs, drainMs: performance.now() - started };
  } finally {
    await r.close();
  }
};

const main = async (): Promise<void> => {
  let embedded: RunningPostgres | undefined;
  let tempDir: string | undefined;
  let serverUrl = process.env.ATES_BENCH_DATABASE_URL;
  try {
    if (!serverUrl) {
      tempDir = await mkdtemp(path.join(tmpdir(), 'ates-bench-'));
      await chmod(tempDir, 0o755); // the server may run as the postgres user
      const port = await freePort();
      process.stdout.write(`starting an embedded PostgreSQL on 127.0.0.1:${port} in ${tempDir}…\n`);
      embedded = await startEmbeddedPostgres({ dir: tempDir, port });
      serverUrl = embedded.adminUrl;
    }
    const version = await withClient(
      serverUrl,
      async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v,
    );
    // Other work on the machine skews every figure here: the load is printed with them.
    process.stdout.write(`${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)} at start\n`);
    process.stdout.write(
      `PostgreSQL ${version}; ${runs} runs of ${seconds} s per measurement; consumers: 2 groups × ${concurrency} transactions × batches of up to 16\n\n`,
    );

    interface Figures {
      thr: number[];
      ratio: number[];
      /** RabbitMQ only: ratios to the broker's raw baselines, one at a time and pipelined. */
      brokerRatio: number[];
      brokerPipelinedRatio: number[];
      p50: number[];
      p99: number[];
      rate: number[];
      writes: number[];
      drains: number[];
    }
    const base: number[] = [];
    const brokerBase: number[] = [];
    const brokerPipelined: number[] = [];
    const figures = new Map<TransportKind, Figures>(
      chosen.map((k) => [
        k,
        {
          thr: [],
          ratio: [],
          brokerRatio: [],
          brokerPipelinedRatio: [],
          p50: [],
          p99: [],
          rate: [],
          writes: [],
          drains: [],
        },
      ]),
    );
    const cpuAtStart = cpuTimes();
    for (let run = 1; run <= runs; run += 1) {
      const runCpu = cpuTimes();
      process.stdout.write(`run ${run}:\n`);
      for (const kind of chosen) {
        const f = figures.get(kind) as Figures;
        // The disk's flush rate drifts within minutes on a shared machine: each ratio is taken
        // against a baseline measured just before it.
        const b = await baseline(serverUrl);
        base.push(b);
        const raw = kind === 'rabbitmq' ? await rabbitBaseline(seconds) : undefined;
        const t = await throughput(serverUrl, kind);
        const l = await latency(serverUrl, kind);
        const d = await drain(serverUrl, kind);
        f.thr.push(t.rate);
        f.ratio.push(t.rate / b);
        if (raw) {
          brokerBase.push(raw.oneAtATime);
          brokerPipelined.push(raw.pipelined);
          f.brokerRatio.push(t.rate / raw.oneAtATime);
          f.brokerPipelinedRatio.push(t.rate / raw.pipelined);
          process.stdout.write(
            `  rabbitmq raw baseline: ${raw.oneAtATime.toFixed(0)} confirmed publishes/s one at a time, ${raw.pipelined.toFixed(0)}/s pipelined (one quorum queue, no outbox)\n`,
          );
        }
        f.p50.push(l.p50);
        f.p99.push(l.p99);
        f.rate.push(l.rate);
        f.writes.push(d.writeMs);
        f.drains.push(d.drainMs);
        process.stdout.write(
          `  ${kind.padEnd(8)} baseline ${b.toFixed(0)} inserts/s | end-to-end ${t.rate.toFixed(0)} events/s (${t.produced} events, ratio ${(t.rate / b).toFixed(2)}) | ` +
            `latency at ${l.rate.toFixed(0)}/s: p50 ${l.p50} ms p99 ${l.p99} ms max ${l.max} ms (${l.n} deliveries) | 100k: publishMany ${(d.writeMs / 1000).toFixed(1)} s, drain ${(d.drainMs / 1000).toFixed(1)} s\n`,
        );
      }
      process.stdout.write(
        `  CPU stolen by the hypervisor during run ${run}: ${(stealShare(runCpu) * 100).toFixed(0)} %\n`,
      );
    }
    const b = median(base);
    const lines = [
      '',
      `Medians of ${runs} runs:`,
      `  (a) baseline single-row INSERT: ${b.toFixed(0)} rows/s (each ratio below is the median of per-run ratios to the baseline measured just before)`,
    ];
    for (const [kind, f] of figures) {
      lines.push(
        `  ${kind}:`,
        `    (b) end-to-end, 1 producer → 2 groups: ${median(f.thr).toFixed(0)} events/s = ${median(f.ratio).toFixed(2)} × baseline (target ≥ 0.40)`,
        ...(f.brokerRatio.length > 0
          ? [
              `        = ${median(f.brokerRatio).toFixed(2)} × the broker's raw baseline one at a time (${median(brokerBase).toFixed(0)}/s), ${median(f.brokerPipelinedRatio).toFixed(2)} × pipelined (${median(brokerPipelined).toFixed(0)}/s) (target ≥ 0.40)`,
            ]
          : []),
        `    (c) at ${median(f.rate).toFixed(0)} events/s (${latencyProducers} producers offering 1,000/s), insert → commit: p50 ${median(f.p50)} ms, p99 ${median(f.p99)} ms (target p99 ≤ ${kind === 'rabbitmq' ? 30 : 50} ms)`,
        `    (d) 100,000-event backlog: publishMany ${(median(f.writes) / 1000).toFixed(1)} s, drained through both groups in ${(median(f.drains) / 1000).toFixed(1)} s`,
      );
    }
    lines.push(
      `  load average ${loadavg()[0]?.toFixed(1)} at the end; CPU stolen by the hypervisor over the whole bench: ${(stealShare(cpuAtStart) * 100).toFixed(0)} %`,
      '',
    );
    process.stdout.write(lines.join('\n'));
  } finally {
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
};

await main();
