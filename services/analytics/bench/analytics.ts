// `npm run bench:analytics [-- --scale S]` — analytics' performance, measured (docs/PERFORMANCE.md):
//   1. ingest: a year of history — at scale 1, 1,000 popugs, about 5,000,000 posted transactions
//      and 1,000,000 completed tasks, with every Task.Created, Task.Priced and Task.Completed —
//      generated day by day as accounting and the tracker would publish it, and fed through the
//      real consumer groups (validation, inbox, applyBatch), 500 events a batch, two batches at a
//      time, as the transport hands them over. The transport itself is not in it (bench:bus
//      measures it). Reported: events/s and transactions/s.
//   2. queries: p50/p99 of each API query, over HTTP against the running service, over random
//      days and ranges of the year (goal p99 ≤ 50 ms).
// --scale S (0 < S ≤ 1) multiplies transactions and tasks; popugs stay 1,000 (fewer below 0.01).
// QUERIES (300) requests per query. Embedded PostgreSQL in a temporary directory (or
// ATES_BENCH_DATABASE_URL's server).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addDays, dayEnd, type BusinessDay } from '@ates/business-days';
import { createDb, createPool, ensureDatabase, withDatabase } from '@ates/db';
import { deliverToGroups } from '@ates/event-bus/testing';
import { newEnvelope, type AnyEvent } from '@ates/schema-registry';
import { runService } from '@ates/service';
import { benchServer } from '@ates/testing/bench-server';
import { freePort } from '@ates/testing/ports';
import { apiAudience } from '@ates/token-verifier';
import { createTestKey, startJwksServer } from '@ates/token-verifier/testing';
import type { AnalyticsDb } from '../src/db.js';
import { analyticsLedger } from '../src/ledger/consumer.js';
import { analyticsService } from '../src/service.js';
import { analyticsTasks } from '../src/tasks/consumer.js';
import { miniLedger, type Ledger } from '../src/testing/history.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scale = Number(arg('scale') ?? process.env.BENCH_SCALE ?? 0.01);
if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], not ${arg('scale')}`);
const popugs = Math.max(50, Math.min(1000, Math.round(1000 * scale * 100)));
const completedTasks = Math.round(1_000_000 * scale);
const queries = Number(process.env.QUERIES ?? 300);
const utc = { timeZone: 'UTC', dayEndMinutes: 1440 };
const firstDay: BusinessDay = '2025-01-01';
const days = 365;

const server = () => benchServer('analytics');

const freshDatabase = async (admin: string, name: string): Promise<string> => {
  const database = `bench_${Date.now()}_${name}`;
  await ensureDatabase(admin, database);
  return withDatabase(admin, database);
};

const random = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

/**
 * One business day of history, as accounting and the tracker publish it: each completed task is
 * created, priced, assigned three to five times (a fee each, four on average: with its reward a
 * task is five of the year's transactions) and completed (its reward); at the close every
 * positive balance is paid out, then BusinessDay.Closed. Balances carry over.
 */
const dayOfHistory = (day: BusinessDay, tasks: number, accounts: readonly string[], ledger: Ledger) => {
  const events: AnyEvent[] = [];
  let transactions = 0;
  let fees = 0;
  let rewards = 0;
  const start = dayEnd(addDays(day, -1), utc).getTime();
  const post = (...args: Parameters<Ledger['post']>) => {
    transactions += 1;
    events.push(...ledger.post(...args));
  };
  for (let i = 0; i < tasks; i += 1) {
    const taskId = randomUUID();
    const at = (k: number) => new Date(start + Math.floor(((i + k / 10) / tasks) * 86_000_000));
    const [fee, reward] = [random(10, 20) * 100, random(20, 40) * 100];
    let assignee = accounts[random(0, accounts.length - 1)] as string;
    events.push(
      newEnvelope(
        'Task.Created',
        2,
        {
          public_id: taskId,
          title: `Task ${day} #${i}`,
          jira_id: i % 3 === 0 ? `UBERPOP-${i}` : null,
          description: '',
          status: 'open',
          assignee_id: assignee,
          created_at: at(0).toISOString(),
        },
        { producer: 'tracker' },
      ),
      newEnvelope(
        'Task.Priced',
        1,
        { task_id: taskId, assignment_fee: fee, completion_reward: reward, priced_at: at(0).toISOString() },
        { producer: 'accounting' },
      ),
    );
    for (let a = 0; a < 3 + (i % 3); a += 1) {
      if (a > 0) assignee = accounts[random(0, accounts.length - 1)] as string;
      post(assignee, 'fee', -fee, taskId, day, at(a));
      fees += fee;
    }
    events.push(
      newEnvelope(
        'Task.Completed',
        1,
        { task_id: taskId, assignee_id: assignee, completed_at: at(5).toISOString() },
        { producer: 'tracker' },
      ),
    );
    post(assignee, 'reward', reward, taskId, day, at(5));
    rewards += reward;
  }
  const closedAt = dayEnd(day, utc).toISOString();
  let payouts = 0;
  let paid = 0;
  for (const [accountId, b] of ledger.balances) {
    if (b.balance <= 0) continue;
    const amount = b.balance;
    post(accountId, 'payout', -amount, null, day, new Date(closedAt));
    payouts += amount;
    paid += 1;
  }
  const negative = [...ledger.balances.values()].filter((b) => b.balance < 0).length;
  events.push(
    newEnvelope(
      'BusinessDay.Closed',
      1,
      {
        business_day: day,
        fees,
        rewards,
        management_earnings: fees - rewards,
        payouts,
        payout_count: paid,
        negative_accounts: negative,
        closed_at: closedAt,
      },
      { producer: 'accounting' },
    ),
  );
  return { events, transactions };
};

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

const main = async (): Promise<void> => {
  const pg = await server();
  try {
    const url = await freshDatabase(pg.url, 'analytics');
    const busUrl = await freshDatabase(pg.url, 'bus');
    const key = await createTestKey('bench');
    const jwks = await startJwksServer([key.publicJwk]);
    const issuer = jwks.url.replace(/\/oidc\/jwks$/, '');
    const service = await runService(analyticsService, {
      DATABASE_URL: url,
      EVENT_TRANSPORT_URL: busUrl,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUTH_ISSUER: issuer,
      DASHBOARD_CLIENT_SECRET: 'c'.repeat(32),
      DASHBOARD_SESSION_SECRET: 's'.repeat(32),
      ACCOUNTING_TIMEZONE: 'UTC',
    });
    const db = createDb<AnalyticsDb>(createPool(url, { max: 4 }));
    // Two feeders: the transport hands a group two batches at once (the groups' concurrency).
    const feeders = [0, 1].map(() => deliverToGroups(db, [analyticsLedger, analyticsTasks(utc)]));

    console.log(
      `scale ${scale}: ${popugs.toLocaleString('en')} popugs, ${completedTasks.toLocaleString('en')} completed tasks over ${days} days`,
    );
    const accounts = Array.from({ length: popugs }, () => randomUUID());
    const ledger = miniLedger();
    let events = 0;
    let transactions = 0;
    let feeding = 0;
    for (let d = 0; d < days; d += 1) {
      const tasks = Math.floor(((d + 1) * completedTasks) / days) - Math.floor((d * completedTasks) / days);
      const history = dayOfHistory(addDays(firstDay, d), tasks, accounts, ledger);
      const started = performance.now();
      const batches: AnyEvent[][] = [];
      for (let i = 0; i < history.events.length; i += 500) batches.push(history.events.slice(i, i + 500));
      let next = 0;
      await Promise.all(
        feeders.map(async (feeder) => {
          while (next < batches.length) await feeder.deliver(batches[next++] as AnyEvent[]);
        }),
      );
      feeding += performance.now() - started;
      events += history.events.length;
      transactions += history.transactions;
      if ((d + 1) % 73 === 0)
        console.log(
          `  day ${d + 1}: ${events.toLocaleString('en')} events, ${transactions.toLocaleString('en')} transactions, ${Math.round(events / (feeding / 1000)).toLocaleString('en')} events/s so far`,
        );
    }
    console.log(
      `\ningest: ${events.toLocaleString('en')} events (${transactions.toLocaleString('en')} transactions) in ${(feeding / 1000).toFixed(1)} s of feeding — ${Math.round(events / (feeding / 1000)).toLocaleString('en')} events/s, ${Math.round(transactions / (feeding / 1000)).toLocaleString('en')} transactions/s`,
    );
    const { rows } = await sql<{ tasks: number; days: number; size: string }>`
      select (select count(*)::integer from tasks where completion_day is not null) as tasks,
             (select count(*)::integer from day_figures) as days,
             pg_size_pretty(pg_database_size(current_database())) as size`.execute(db);
    console.log(
      `model: ${rows[0]?.tasks.toLocaleString('en')} completed tasks, ${rows[0]?.days} days; database ${rows[0]?.size}`,
    );
    await sql`vacuum analyze`.execute(db);

    const token = await key.sign(
      { sub: randomUUID(), role: 'admin', name: 'bench', email: 'bench@uberpopug.example' },
      { issuer, audience: apiAudience },
    );
    const randomDay = () => addDays(firstDay, random(0, days - 1));
    const randomRange = () => {
      const from = randomDay();
      const to = addDays(from, random(0, 365));
      return `from=${from}&to=${to > addDays(firstDay, days - 1) ? addDays(firstDay, days - 1) : to}`;
    };
    const cases: Array<[string, () => string]> = [
      ['GET /api/summary?day=', () => `/api/summary?day=${randomDay()}`],
      ['GET /api/earnings?from=&to= (1–366 days)', () => `/api/earnings?${randomRange()}`],
      ['GET /api/most-expensive-task?from=&to= (1–366 days)', () => `/api/most-expensive-task?${randomRange()}`],
      ['GET /api/most-expensive-task?period=day', () => `/api/most-expensive-task?period=day&date=${randomDay()}`],
      ['GET /api/most-expensive-task?period=week', () => `/api/most-expensive-task?period=week&date=${randomDay()}`],
      ['GET /api/most-expensive-task?period=month', () => `/api/most-expensive-task?period=month&date=${randomDay()}`],
    ];
    console.log(`\nqueries: ${queries} requests each, one at a time, over HTTP`);
    console.log('| query | p50 | p99 | max |\n|---|---|---|---|');
    for (const [label, path] of cases) {
      const times: number[] = [];
      for (let i = 0; i < queries + 20; i += 1) {
        const started = performance.now();
        const response = await fetch(`${service.url}${path()}`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${label}: ${response.status}`);
        if (i >= 20) times.push(performance.now() - started); // the first 20 warm up
      }
      times.sort((a, b) => a - b);
      const ms = (v: number) => `${v.toFixed(1)} ms`;
      console.log(
        `| ${label} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 99))} | ${ms(times.at(-1) ?? 0)} |`,
      );
    }
    await db.destroy();
    await service.stop();
    await jwks.close();
  } finally {
    await pg.stop();
  }
};

await main();
