// `npm run bench:standings` — what checking every request's caller against the service's copy of
// accounts costs (docs/security.md, "Deactivation and role changes count at once"): the same
// question answered from memory (LISTEN/NOTIFY keeping it right) and from the table (one
// primary-key lookup through the pool, what a per-request check without a cache does).
// 10,000 accounts; 50 requests in flight at a time, as under load; medians of three rounds.
// Runs on an embedded PostgreSQL in a temporary directory (or ATES_BENCH_DATABASE_URL's server).
import { randomUUID } from 'node:crypto';
import { createDb, createPool, ensureDatabase, migrate, withDatabase } from '@ates/db';
import { createLogger } from '@ates/logger';
import { benchServer } from '@ates/testing/bench-server';
import { replicaStandings, type AccountReplicaDb } from '../src/index.js';
import { accountsTableMigrations } from '../src/testing.js';

const accounts = 10_000;
const lookups = 50_000;
const inFlight = 50;
const poolSize = 10;

const server = () => benchServer('standings');

/** Lookups per second and the mean time one takes, with `inFlight` at a time. */
const measure = async (ask: (id: string) => Promise<unknown>, ids: readonly string[]) => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < lookups) await ask(ids[next++ % ids.length] as string);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: Math.round(lookups / seconds), microseconds: Math.round((seconds * 1e6 * inFlight) / lookups) };
};

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const main = async (): Promise<void> => {
  const pg = await server();
  const name = `bench_standings_${Date.now()}`;
  await ensureDatabase(pg.url, name);
  const url = withDatabase(pg.url, name);
  const db = createDb<AccountReplicaDb>(createPool(url, { max: poolSize }));
  await migrate(db, accountsTableMigrations, 'bench');
  const ids = Array.from({ length: accounts }, () => randomUUID());
  for (let i = 0; i < ids.length; i += 1_000)
    await db
      .insertInto('accounts')
      .values(
        ids
          .slice(i, i + 1_000)
          .map((id) => ({ public_id: id, email: `${id}@x`, full_name: 'x', role: 'worker', active: true, version: 1 })),
      )
      .execute();
  const standings = replicaStandings({ db, databaseUrl: url, logger: createLogger('bench', 'silent') });
  await standings.ready();
  const fromTable = (id: string) =>
    db
      .selectFrom('accounts')
      .select(['role', 'active', 'role_version', 'active_version'])
      .where('public_id', '=', id)
      .executeTakeFirst();
  await measure(standings.of, ids); // warms the cache
  const rounds = {
    memory: [] as { perSecond: number; microseconds: number }[],
    table: [] as { perSecond: number; microseconds: number }[],
  };
  for (let round = 0; round < 3; round++) {
    rounds.memory.push(await measure(standings.of, ids));
    rounds.table.push(await measure(fromTable, ids));
  }
  const show = (label: string, results: readonly { perSecond: number; microseconds: number }[]) =>
    console.log(
      `  ${label} ${median(results.map((r) => r.perSecond))} lookups/s, ${median(results.map((r) => r.microseconds))} µs each`,
    );
  console.log(`account standings, ${lookups} lookups, ${inFlight} in flight, pool of ${poolSize}, median of 3 rounds:`);
  show('from memory (LISTEN/NOTIFY): ', rounds.memory);
  show('from the table (per request):', rounds.table);
  await standings.stop();
  await db.destroy();
  await pg.stop();
};

await main();
