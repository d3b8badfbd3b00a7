import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { demoAccount, freePort, signIn, startAuth, testSecret, type RunningAuth } from '@ates/auth/testing';
import { createDb, createPool } from '@ates/db';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import type { TrackerDb } from '../db.js';
import { trackerService } from '../service.js';

// The auth issue's "Done when", second part, with both real services on the embedded event
// transport: creating an account and changing a role reach the tracker's `accounts` table through
// events; and the tracker keeps serving tokens already issued while auth is stopped — also after
// the tracker itself restarts, from the keys it stored.

let authDb: TestDatabase;
let trackerDb: TestDatabase;
let transport: TestDatabase;
let auth: RunningAuth;
let tracker: RunningService;
let trackerEnv: Record<string, string>;
let db: Kysely<TrackerDb>;
let adminToken: string;

const replicaRow = (publicId: string) =>
  db
    .selectFrom('accounts')
    .select(['email', 'full_name', 'role', 'active', 'version'])
    .where('public_id', '=', publicId)
    .executeTakeFirst();

/** Waits (bounded) until `read` gives a value that satisfies `done`, and says how long it took. */
const timed = async <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) => {
  const started = performance.now();
  const value = await eventually(what, async () => {
    const current = await read();
    return done(current) ? { current } : undefined;
  });
  return { value: value.current, ms: performance.now() - started };
};

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${path.startsWith('http') ? '' : auth.issuer}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
  });

beforeAll(async () => {
  [authDb, trackerDb, transport] = await Promise.all([
    createTestDatabase('auth'),
    createTestDatabase('tracker'),
    createTestDatabase('bus'),
  ]);
  // The tracker first: its consumer must be subscribed before auth seeds the demo accounts at
  // its first start (as `npm start` orders them on an empty system).
  const authPort = await freePort();
  trackerEnv = {
    DATABASE_URL: trackerDb.url,
    EVENT_TRANSPORT_URL: transport.url,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: `http://127.0.0.1:${authPort}`,
    PUBLIC_URL: 'http://127.0.0.1:4001',
    DASHBOARD_CLIENT_SECRET: testSecret(),
    DASHBOARD_SESSION_SECRET: testSecret(),
  };
  tracker = await runService(trackerService, trackerEnv);
  auth = await startAuth(
    authDb,
    { PORT: String(authPort), DASHBOARD_CLIENT_SECRET: trackerEnv.DASHBOARD_CLIENT_SECRET as string },
    transport,
  );
  db = createDb<TrackerDb>(createPool(trackerDb.url, { max: 2 }));
  adminToken = (await signIn(auth, demoAccount(auth, 'admin'))).access_token;
});

afterAll(async () => {
  await tracker?.stop();
  await db?.destroy();
  await auth?.close();
  await Promise.all([authDb?.drop(), trackerDb?.drop(), transport?.drop()]);
});

describe('accounts reach the tracker through events', () => {
  it('has every demo account, from their Account.Created events', async () => {
    const { value } = await timed(
      'every demo account in the copy',
      () =>
        db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      (row) => Number(row.n) === auth.demo.length,
    );
    expect(Number(value.n)).toBe(8);
  });

  it('copies a new account, then its role change', async () => {
    const created = await api('/api/accounts', adminToken, {
      method: 'POST',
      body: JSON.stringify({ email: 'rio.ara@uberpopug.example', full_name: 'Rio Ara', role: 'worker' }),
    });
    expect(created.status).toBe(201);
    const { account } = (await created.json()) as { account: { public_id: string } };
    const first = await timed(
      'the new account in the copy',
      () => replicaRow(account.public_id),
      (row) => row !== undefined,
    );
    expect(first.value).toEqual({
      email: 'rio.ara@uberpopug.example',
      full_name: 'Rio Ara',
      role: 'worker',
      active: true,
      version: 1,
    });

    expect(
      (
        await api(`/api/accounts/${account.public_id}/role`, adminToken, {
          method: 'PUT',
          body: JSON.stringify({ role: 'manager' }),
        })
      ).status,
    ).toBe(200);
    const second = await timed(
      'the role change in the copy',
      () => replicaRow(account.public_id),
      (row) => row?.role === 'manager',
    );
    expect(second.value).toMatchObject({ role: 'manager', version: 2, active: true });

    expect((await api(`/api/accounts/${account.public_id}/deactivate`, adminToken, { method: 'POST' })).status).toBe(
      200,
    );
    const third = await timed(
      'the deactivation in the copy',
      () => replicaRow(account.public_id),
      (row) => row?.active === false,
    );
    expect(third.value).toMatchObject({ active: false, version: 3 });
    // For the record (not asserted: machines differ): how long the events took to arrive.
    process.stderr.write(
      `[e2e] account event → tracker replica: created ${first.ms.toFixed(0)} ms, role ${second.ms.toFixed(0)} ms, deactivated ${third.ms.toFixed(0)} ms\n`,
    );
  });
});

describe('the tracker while auth is down (U3)', () => {
  it('serves a token issued before auth stopped, also after restarting itself', async () => {
    const worker = demoAccount(auth, 'worker');
    const token = (await signIn(auth, worker)).access_token;
    const tasks = `${tracker.url}/api/tasks`;
    expect((await api(tasks, token)).status).toBe(200);

    await auth.stop();
    await expect(fetch(`${auth.issuer}/oidc/jwks`)).rejects.toThrow();
    expect((await api(tasks, token)).status).toBe(200);

    await tracker.stop();
    tracker = await runService(trackerService, trackerEnv);
    const afterRestart = await api(`${tracker.url}/api/tasks`, token);
    expect(afterRestart.status).toBe(200);
    const stored = await sql<{ n: number }>`select count(*)::int as n from token_verifier_jwks`.execute(db);
    expect(stored.rows[0]?.n).toBe(1);
    // A forged token is still refused: the cached keys are the auth service's, nothing else.
    expect((await api(`${tracker.url}/api/tasks`, `${token.slice(0, -4)}AAAA`)).status).toBe(401);
  });
});
