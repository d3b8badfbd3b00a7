// `npm run bench:accounting` — accounting's performance, measured (see docs/PERFORMANCE.md):
//   1. a reassign of N open tasks (100,000 by default): the producer commits N Task.Assigned in
//      one transaction (as the tracker's reassign does), and the clock runs until the real
//      accounting service has priced every task and posted every fee. Baseline, in the same run:
//      the same N events drained by a consumer group that does nothing but its inbox (what the
//      event bus alone costs).
//   2. the close of a day with M accounts to pay (10,000 by default), against a plain
//      INSERT … SELECT of M rows into the same PostgreSQL.
// Medians of ROUNDS (3) runs, each on fresh databases. Runs on an embedded PostgreSQL in a
// temporary directory (or ATES_BENCH_DATABASE_URL's server).
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, ensureDatabase, migrate, withDatabase } from '@ates/db';
import { consumer, eventBusMigrations, publishMany, startEventBus, type EventBus } from '@ates/event-bus';
import { createLogger } from '@ates/logger';
import { newEnvelope } from '@ates/schema-registry';
import { runService } from '@ates/service';
import { benchServer } from '@ates/testing/bench-server';
import { freePort } from '@ates/testing/ports';
import { migrations } from '../migrations/index.js';
import type { AccountingDb } from '../src/db.js';
import { closeDay } from '../src/days/commands.js';
import { accountingService } from '../src/service.js';

const rounds = Number(process.env.ROUNDS ?? 3);
const tasks = Number(process.env.BENCH_TASKS ?? 100_000);
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const logger = createLogger('bench', 'warn');
const utc = { timeZone: 'UTC', dayEndMinutes: 1440 };

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const server = () => benchServer('accounting');

let serial = 0;
const freshDatabase = async (admin: string, name: string): Promise<string> => {
  const database = `bench_${Date.now()}_${(serial += 1)}_${name}`;
  await ensureDatabase(admin, database);
  return withDatabase(admin, database);
};

const until = async (read: () => Promise<number>, target: number): Promise<void> => {
  while ((await read()) < target) await new Promise((resolve) => setTimeout(resolve, 50));
};

/** A producer with its own outbox and relay, as the tracker has: it commits the reassign's events in one transaction. */
const producer = async (admin: string, busUrl: string): Promise<{ db: Kysely<unknown>; bus: EventBus }> => {
  const url = await freshDatabase(admin, 'producer');
  const db = createDb<unknown>(createPool(url, { max: 4 }));
  await migrate(db, eventBusMigrations, 'producer');
  const bus = await startEventBus({ service: 'tracker', db, databaseUrl: url, transport: busUrl, logger });
  return { db, bus };
};

const reassign = (n: number) => {
  const workers = Array.from({ length: 10 }, () => randomUUID());
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) =>
    newEnvelope(
      'Task.Assigned',
      1,
      {
        task_id: randomUUID(),
        assignee_id: workers[i % 10] as string,
        previous_assignee_id: workers[(i + 1) % 10] as string,
        assigned_at: now,
      },
      { producer: 'tracker' },
    ),
  );
};

/** Commits the events at the producer; answers when every one was consumed, by `done`. */
const publishAndWait = async (admin: string, busUrl: string, done: () => Promise<number>) => {
  const { db, bus } = await producer(admin, busUrl);
  const events = reassign(tasks);
  const started = performance.now();
  await db.transaction().execute((tx) => publishMany(tx, events));
  const committed = performance.now() - started;
  await until(done, tasks);
  const consumed = performance.now() - started;
  await bus.stop();
  await db.destroy();
  return { committed, consumed };
};

/** Baseline: a consumer group that only records the events in its inbox. */
const drainBaseline = async (admin: string) => {
  const busUrl = await freshDatabase(admin, 'bus');
  const sinkUrl = await freshDatabase(admin, 'sink');
  const sinkDb = createDb<unknown>(createPool(sinkUrl, { max: 4 }));
  await migrate(sinkDb, eventBusMigrations, 'sink');
  let seen = 0;
  const sink = await startEventBus({
    service: 'sink',
    db: sinkDb,
    databaseUrl: sinkUrl,
    transport: busUrl,
    logger,
    consumers: [
      consumer({
        name: 'bench.sink',
        handlers: { 'Task.Assigned': { versions: [1] } },
        batchSize: 2_000, // as accounting.ledger
        concurrency: 2,
        applyBatch: async (_tx, events) => void (seen += events.length),
      }),
    ],
  });
  const result = await publishAndWait(admin, busUrl, async () => seen);
  await sink.stop();
  await sinkDb.destroy();
  return result;
};

/** The real accounting service: every task priced and every fee posted. */
const drainAccounting = async (admin: string) => {
  const busUrl = await freshDatabase(admin, 'bus');
  const url = await freshDatabase(admin, 'accounting');
  const service = await runService(accountingService, {
    DATABASE_URL: url,
    EVENT_TRANSPORT_URL: busUrl,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    AUTH_ISSUER: 'http://127.0.0.1:9',
    DASHBOARD_CLIENT_SECRET: 'c'.repeat(32),
    DASHBOARD_SESSION_SECRET: 's'.repeat(32),
  });
  const db = createDb<AccountingDb>(createPool(url, { max: 2 }));
  // Polled every 50 ms while the clock runs, so it must cost next to nothing: the entries posted
  // are the sum of the versions of the 10 workers' balances (each entry adds one). A count(*) of
  // `transactions` took 20 ms a time at 100,000 rows, 14 s of the server's time over a round.
  const posted = async () =>
    Number((await sql<{ n: string | null }>`select sum(version) as n from balances`.execute(db)).rows[0]?.n ?? 0);
  const result = await publishAndWait(admin, busUrl, posted);
  const priced = (await sql<{ n: number }>`select count(*)::integer as n from task_prices`.execute(db)).rows[0]?.n;
  if (priced !== tasks) throw new Error(`${priced} tasks priced, expected ${tasks}`);
  const fees = (
    await sql<{ n: number }>`select count(*)::integer as n from transactions where kind = 'fee'`.execute(db)
  ).rows[0]?.n;
  if (fees !== tasks) throw new Error(`${fees} fees posted, expected ${tasks}`);
  await db.destroy();
  await service.stop();
  return result;
};

/** M accounts, each with one reward on `day`: a consistent ledger, every account owed a payout. */
const seedAccounts = async (db: Kysely<AccountingDb>, day: string): Promise<void> => {
  await sql`
    with people as (select gen_random_uuid() as id, 2000 + (i % 21) * 100 as amount from generate_series(1, ${accounts}) i),
    entries as (
      insert into transactions (transaction_id, idempotency_key, account_id, kind, amount, balance_after, account_version, task_id, business_day, occurred_at)
      select gen_random_uuid(), 'reward:' || gen_random_uuid(), id, 'reward', amount, amount, 1, gen_random_uuid(), ${day}::date, ${day}::date + time '12:00'
      from people
    )
    insert into balances (account_id, balance, version) select id, amount, 1 from people`.execute(db);
};

const closeRound = async (admin: string) => {
  const url = await freshDatabase(admin, 'close');
  const db = createDb<AccountingDb>(createPool(url, { max: 4 }));
  await migrate(db, [...eventBusMigrations, ...migrations], 'accounting');
  const day = '2026-03-02';
  await seedAccounts(db, day);
  await sql`create table bench_plain (id bigint generated always as identity primary key, account_id uuid not null, amount bigint not null, created_at timestamptz not null default now())`.execute(
    db,
  );
  let started = performance.now();
  await sql`insert into bench_plain (account_id, amount) select gen_random_uuid(), i from generate_series(1, ${accounts}) i`.execute(
    db,
  );
  const plain = performance.now() - started;
  started = performance.now();
  const summary = await closeDay(db, day, { calendar: utc });
  const close = performance.now() - started;
  if (summary.payout_count !== accounts) throw new Error(`${summary.payout_count} paid, expected ${accounts}`);
  await db.destroy();
  return { plain, close };
};

const main = async (): Promise<void> => {
  const pg = await server();
  try {
    const baseline: { committed: number; consumed: number }[] = [];
    const posting: { committed: number; consumed: number }[] = [];
    for (let i = 0; i < rounds; i += 1) {
      baseline.push(await drainBaseline(pg.url));
      posting.push(await drainAccounting(pg.url));
      console.log(
        `round ${i + 1}: ${tasks.toLocaleString('en')} Task.Assigned — no-op group drained after ${seconds(baseline.at(-1)?.consumed ?? 0)}; accounting priced and posted all after ${seconds(posting.at(-1)?.consumed ?? 0)} (committed in ${seconds(posting.at(-1)?.committed ?? 0)})`,
      );
    }
    const [base, acc] = [median(baseline.map((r) => r.consumed)), median(posting.map((r) => r.consumed))];
    console.log(
      `\nreassign of ${tasks.toLocaleString('en')}: accounting done after ${seconds(acc)} (goal ≤ 20 s); no-op group ${seconds(base)}; ratio ${(acc / base).toFixed(2)}`,
    );
    console.log(
      `accounting's own cost: ${((acc - base) / 1000).toFixed(2)} s, ${Math.round(tasks / (acc / 1000)).toLocaleString('en')} fees/s end to end\n`,
    );

    const closes: { plain: number; close: number }[] = [];
    for (let i = 0; i < rounds; i += 1) {
      closes.push(await closeRound(pg.url));
      console.log(
        `round ${i + 1}: close of a day with ${accounts.toLocaleString('en')} payouts ${seconds(closes.at(-1)?.close ?? 0)}; plain INSERT … SELECT of as many rows ${seconds(closes.at(-1)?.plain ?? 0)}`,
      );
    }
    const [plain, close] = [median(closes.map((r) => r.plain)), median(closes.map((r) => r.close))];
    console.log(
      `\nday close, ${accounts.toLocaleString('en')} payouts: ${seconds(close)}; plain insert ${seconds(plain)}; ratio ${(close / plain).toFixed(1)}`,
    );
  } finally {
    await pg.stop();
  }
};

await main();
