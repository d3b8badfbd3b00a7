import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { demoAccount, signIn, startAuth, testSecret, type RunningAuth } from '@ates/auth/testing';
import { serviceLoaders, serviceNamesInOrder } from '@ates/cli/services';
import { createDb, createPool } from '@ates/db';
import { runService, type RunningService, type ServiceName } from '@ates/service';
import { createTestDatabase, eventually, freePort, type TestDatabase } from '@ates/testing';
import { fuzzService } from './fuzz.js';
import { tableFingerprint } from './snapshot.js';

// Issue 9, "fuzz every endpoint, for good": the whole system on real PostgreSQL, every service
// started from its definition exactly as `ates serve` starts it, and every operation of every
// service's OpenAPI document fuzzed with tokens of every role. A service or route added later is
// fuzzed here without a line changed. FUZZ_RUNS=500 npx vitest run packages/api-fuzz for a long run.

// Written in the background whatever requests do, so no part of "a refused request changed nothing".
const background = [
  'token_verifier_jwks',
  'oidc_payloads',
  'sign_in_failures',
  'dashboard_sessions',
  'inbox',
  'dead_letters',
  'outbox_relay',
];

const names = serviceNamesInOrder;
const databases = new Map<ServiceName, TestDatabase>();
const running = new Map<ServiceName, { url: string; stop(): Promise<void> }>();
const pools: Kysely<unknown>[] = [];
let transport: TestDatabase;
let auth: RunningAuth;
let tokens: string[] = [];

const hasTable = async (db: Kysely<unknown>, table: string): Promise<boolean> =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_name = ${table}`.execute(db)
  ).rows[0]?.n === 1;

beforeAll(async () => {
  transport = await createTestDatabase('bus');
  for (const name of names) databases.set(name, await createTestDatabase(name));
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const)));
  const urlOf = (n: ServiceName) => `http://127.0.0.1:${ports[n]}`;
  const clientSecret = testSecret();
  const shared = {
    EVENT_TRANSPORT_URL: transport.url,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: urlOf('auth'),
    TRACKER_URL: urlOf('tracker'),
    ACCOUNTING_URL: urlOf('accounting'),
    ANALYTICS_URL: urlOf('analytics'),
    DASHBOARD_CLIENT_SECRET: clientSecret,
    DASHBOARD_SESSION_SECRET: testSecret(),
  };
  // Every other service first, so that their consumers are bound when auth seeds the demo accounts.
  for (const name of names.filter((n) => n !== 'auth')) {
    const service: RunningService = await runService(await serviceLoaders[name](), {
      ...shared,
      DATABASE_URL: (databases.get(name) as TestDatabase).url,
      PORT: String(ports[name]),
      PUBLIC_URL: urlOf(name),
    });
    running.set(name, service);
  }
  auth = await startAuth(databases.get('auth') as TestDatabase, { ...shared, PORT: String(ports.auth) }, transport);
  running.set('auth', { url: auth.issuer, stop: () => auth.close() });
  for (const name of names) pools.push(createDb(createPool((databases.get(name) as TestDatabase).url, { max: 2 })));
  // The demo accounts reach every copy of accounts before anyone is fuzzed.
  for (const db of pools.slice(1))
    if (await hasTable(db, 'accounts'))
      await eventually('n >= auth.demo.length', async () => {
        const n = (await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db)).rows[0]?.n ?? 0;
        return n >= auth.demo.length;
      });
  tokens = [];
  for (const role of ['admin', 'manager', 'accountant', 'worker'] as const)
    tokens.push((await signIn(auth, demoAccount(auth, role))).access_token);
});

afterAll(async () => {
  for (const db of pools) await db.destroy();
  for (const name of [...names].reverse()) await running.get(name)?.stop();
  await Promise.all([...databases.values(), transport].map((d) => d?.drop()));
});

describe('every endpoint of every service, fuzzed from its own OpenAPI document', () => {
  // Consumers first: what a service accepts turns into events for the services after it in the
  // supervisor's order, and those are fuzzed by then, so no copy changes while it is fingerprinted.
  it.each([...names].reverse())('%s', async (name) => {
    const db = pools[names.indexOf(name)] as Kysely<unknown>;
    const report = await fuzzService({
      name,
      url: (running.get(name) as { url: string }).url,
      tokens,
      snapshot: tableFingerprint(db, { exclude: background, countOnly: ['outbox'] }),
    });
    expect(report.requests).toBeGreaterThan(0);
  });
});
