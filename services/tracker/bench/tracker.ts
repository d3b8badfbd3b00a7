// `npm run bench:tracker` — the tracker's performance, measured (see docs/PERFORMANCE.md):
//   1. create-task requests/s and p99 (autocannon, 50 connections, through the token check,
//      the random assignment and the outbox) beside a plain Fastify route doing one INSERT into
//      the same PostgreSQL with the same pool size;
//   2. the time to reassign 10,000 and 100,000 open tasks until every Task.Assigned has been
//      handled by a consumer on the other side of the event transport.
// Runs on an embedded PostgreSQL in a temporary directory (or ATES_BENCH_DATABASE_URL's server).
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, ensureDatabase, migrate, withDatabase } from '@ates/db';
import { connectTransport, consumer, eventBusMigrations, startConsumer } from '@ates/event-bus';
import { createLogger } from '@ates/logger';
import { runService } from '@ates/service';
import { benchServer } from '@ates/testing/bench-server';
import { freePort } from '@ates/testing/ports';
import { apiAudience } from '@ates/token-verifier';
import { createTestKey, startJwksServer } from '@ates/token-verifier/testing';
import { trackerService } from '../src/service.js';
import { reassignAll } from '../src/tasks/commands.js';
import type { TrackerDb } from '../src/db.js';

const rounds = Number(process.env.ROUNDS ?? 3);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
// `BENCH_PHASES=create` or `=reassign` runs one half only (for profiling one of them).
const phases = new Set((process.env.BENCH_PHASES ?? 'create,reassign').split(','));
const connections = 50;
const poolSize = 10;

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const load = async (url: string, headers: Record<string, string>, body: string) => {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    duration: durationSeconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
};

const server = () => benchServer('tracker');

const main = async (): Promise<void> => {
  const pg = await server();
  const run = `bench_${Date.now()}`;
  const urls = {
    tracker: withDatabase(pg.url, `${run}_tracker`),
    bus: withDatabase(pg.url, `${run}_bus`),
    sink: withDatabase(pg.url, `${run}_sink`),
  };
  for (const name of Object.values(urls)) await ensureDatabase(pg.url, new URL(name).pathname.slice(1));

  const key = await createTestKey('bench');
  const jwks = await startJwksServer([key.publicJwk]);
  const issuer = jwks.url.replace(/\/oidc\/jwks$/, '');
  const tracker = await runService(trackerService, {
    DATABASE_URL: urls.tracker,
    EVENT_TRANSPORT_URL: urls.bus,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    AUTH_ISSUER: issuer,
    DATABASE_POOL_SIZE: String(poolSize),
    // Required by the tracker's dashboard, which the benchmark does not use.
    DASHBOARD_CLIENT_SECRET: 'c'.repeat(32),
    DASHBOARD_SESSION_SECRET: 's'.repeat(32),
  });
  const db: Kysely<TrackerDb> = createDb(createPool(urls.tracker, { max: 4 }));
  const manager = randomUUID();
  await sql`insert into accounts (public_id, email, full_name, role, active, version)
            select gen_random_uuid(), 'w' || i || '@x', 'Worker ' || i, 'worker', true, 1 from generate_series(1, 10) i`.execute(
    db,
  );
  await sql`insert into accounts (public_id, email, full_name, role, active, version) values (${manager}, 'm@x', 'Manager', 'manager', true, 1)`.execute(
    db,
  );
  const token = await key.sign(
    { sub: manager, role: 'manager', name: 'Manager', email: 'm@x' },
    { issuer, audience: apiAudience, expiresIn: '2h' },
  );

  // The baseline: the same framework, the same server, one INSERT per request.
  const plainPool = createPool(urls.tracker, { max: poolSize });
  await plainPool.query(
    'create table if not exists bench_plain (id bigint generated always as identity primary key, title text not null, created_at timestamptz not null default now())',
  );
  const plain = Fastify();
  plain.post('/plain', async (request, reply) => {
    const { title } = request.body as { title: string };
    await plainPool.query('insert into bench_plain (title) values ($1)', [title]);
    return reply.status(201).send({ ok: true });
  });
  const plainUrl = await plain.listen({ port: await freePort(), host: '127.0.0.1' });

  const body = JSON.stringify({
    title: 'Change the green of the button',
    jira_id: 'UBERPOP-42',
    description: 'Marketing wants a greener green.',
  });
  const created: { rps: number; p99: number }[] = [];
  const baseline: { rps: number; p99: number }[] = [];
  for (let i = 0; i < (phases.has('create') ? rounds : 0); i += 1) {
    baseline.push(await load(`${plainUrl}/plain`, {}, body));
    created.push(await load(`${tracker.url}/api/tasks`, { authorization: `Bearer ${token}` }, body));
    console.log(
      `round ${i + 1}: plain INSERT ${baseline.at(-1)?.rps.toFixed(0)} req/s p99 ${baseline.at(-1)?.p99} ms; create-task ${created.at(-1)?.rps.toFixed(0)} req/s p99 ${created.at(-1)?.p99} ms`,
    );
  }
  if (phases.has('create')) {
    const createRps = median(created.map((r) => r.rps));
    const plainRps = median(baseline.map((r) => r.rps));
    console.log(`\ncreate-task: median ${createRps.toFixed(0)} req/s, p99 ${median(created.map((r) => r.p99))} ms`);
    console.log(
      `plain INSERT route: median ${plainRps.toFixed(0)} req/s, p99 ${median(baseline.map((r) => r.p99))} ms`,
    );
    console.log(`ratio create-task / plain: ${(createRps / plainRps).toFixed(2)} (goal ≥ 0.5)\n`);
  }
  await plain.close();
  await plainPool.end();

  // Reassign: a consumer on the far side of the transport counts Task.Assigned events.
  const sinkDb = createDb(createPool(urls.sink, { max: 4 }));
  await migrate(sinkDb, eventBusMigrations, 'sink');
  const transport = await connectTransport(urls.bus, { logger: createLogger('bench', 'warn') });
  let seen = 0;
  const sink = await startConsumer(
    consumer({
      name: 'bench.assigned',
      concurrency: 8,
      handlers: {
        'Task.Assigned': {
          versions: [1],
          handle: async () => {
            seen += 1;
          },
        },
      },
    }),
    { db: sinkDb, transport, logger: createLogger('bench', 'warn') },
  );
  for (const size of phases.has('reassign') ? [10_000, 100_000] : []) {
    await sql`update tasks set status = 'done' where status = 'open'`.execute(db);
    await sql`insert into tasks (title, description, assignee_id, creator_id)
              select 'Bench task ' || i, '', (select public_id from accounts where role = 'worker' limit 1), ${manager}
              from generate_series(1, ${size}) i`.execute(db);
    seen = 0;
    const started = performance.now();
    const reassigned = await reassignAll(db, { id: manager, role: 'manager' });
    const committed = performance.now() - started;
    while (seen < reassigned) await new Promise((resolve) => setTimeout(resolve, 20));
    const consumed = performance.now() - started;
    console.log(
      `reassign ${reassigned.toLocaleString('en')} open tasks: committed (tasks + outbox) in ${(committed / 1000).toFixed(2)} s, every Task.Assigned consumed after ${(consumed / 1000).toFixed(2)} s`,
    );
  }
  await sink.stop();
  await transport.close();
  await sinkDb.destroy();
  await db.destroy();
  await tracker.stop();
  await jwks.close();
  await pg.stop();
};

await main();
