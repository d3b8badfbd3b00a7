import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import {
  CookieBrowser,
  callApi,
  demoAccount,
  hiddenInput,
  openSignedIn,
  signIn,
  startAuth,
  testSecret,
  type RunningAuth,
} from '@ates/auth/testing';
import { createDb, createPool } from '@ates/db';
import { runService, type RunningService } from '@ates/service';
import {
  createTestDatabase,
  eventually,
  freePort,
  startHangingProxy,
  type HangingProxy,
  type TestDatabase,
} from '@ates/testing';
import type { TrackerDb } from '../db.js';
import { trackerService } from '../service.js';

// Issue 9 against the running system: the real auth service, and two processes of the tracker on
// one database (as past one machine), reaching auth through a proxy that can hang like a process
// stopped with SIGSTOP.
//  - Defect 5: a deactivation or a role change counts at once in every tracker process, whichever
//    consumed the event, though the tokens are still valid.
//  - Defect 3: a dashboard form's return_to cannot send the browser to another site.
//  - Defect 2: with auth hung, dashboard refreshes hold no database connection: the API keeps
//    answering, readiness stays green, and the dashboard serves on still-valid tokens.

let authDb: TestDatabase;
let trackerDb: TestDatabase;
let transport: TestDatabase;
let auth: RunningAuth;
let proxy: HangingProxy;
let trackers: RunningService[] = [];
let db: Kysely<TrackerDb>;
let issuer: string;
let trackerUrl: string;
let adminToken: string;

const poolSize = 3;

const api = async (process: RunningService, token: string, method: string, path: string, body?: unknown) =>
  callApi({ issuer: process.url }, token, method, path, body);

const idOf = async (email: string): Promise<string> =>
  (await db.selectFrom('accounts').select('public_id').where('email', '=', email).executeTakeFirstOrThrow()).public_id;

const dashboard = async (who: { email: string; password: string }) => {
  const browser = new CookieBrowser();
  const page = await openSignedIn(browser, `${trackerUrl}/`, [trackerUrl, issuer], who);
  expect(page.status, `${page.url} ${page.location} ${page.body.slice(0, 300)}`).toBe(200);
  return { browser, csrf: hiddenInput(page.body, '_csrf') as string };
};

beforeAll(async () => {
  [authDb, trackerDb, transport] = await Promise.all([
    createTestDatabase('auth'),
    createTestDatabase('tracker'),
    createTestDatabase('bus'),
  ]);
  const [authPort, trackerPort, secondPort] = [await freePort(), await freePort(), await freePort()];
  issuer = `http://127.0.0.1:${authPort}`;
  trackerUrl = `http://127.0.0.1:${trackerPort}`;
  proxy = await startHangingProxy({ host: '127.0.0.1', port: authPort });
  const clientSecret = testSecret();
  const env = {
    DATABASE_URL: trackerDb.url,
    EVENT_TRANSPORT_URL: transport.url,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: String(poolSize),
    AUTH_ISSUER: issuer,
    AUTH_INTERNAL_URL: proxy.url,
    PUBLIC_URL: trackerUrl,
    DASHBOARD_CLIENT_SECRET: clientSecret,
    DASHBOARD_SESSION_SECRET: testSecret(),
  };
  // Both processes first, so that their consumer is bound when auth seeds the demo accounts.
  trackers = [
    await runService(trackerService, { ...env, PORT: String(trackerPort) }),
    await runService(trackerService, { ...env, PORT: String(secondPort) }),
  ];
  auth = await startAuth(
    authDb,
    { PORT: String(authPort), AUTH_ISSUER: issuer, TRACKER_URL: trackerUrl, DASHBOARD_CLIENT_SECRET: clientSecret },
    transport,
  );
  db = createDb<TrackerDb>(createPool(trackerDb.url, { max: 2 }));
  await eventually('n >= auth.demo.length', async () => {
    const n = Number((await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db)).rows[0]?.n);
    return n >= auth.demo.length;
  });
  adminToken = (await signIn(auth, demoAccount(auth, 'admin'))).access_token;
});

afterAll(async () => {
  for (const tracker of trackers) await tracker.stop();
  await proxy?.close();
  await db?.destroy();
  await auth?.close();
  await Promise.all([authDb?.drop(), trackerDb?.drop(), transport?.drop()]);
});

describe('security of the running tracker', () => {
  it('sends a dashboard form back only to a page of the tracker, whatever its return_to says', async () => {
    const worker = demoAccount(auth, 'worker');
    const { browser, csrf } = await dashboard(worker);
    for (const returnTo of ['/\t/evil.example/', '/\n/evil.example', '/\\evil.example', '/?x=1\r\nSet-Cookie: a=b']) {
      const created = await browser.post(`${trackerUrl}/tasks`, {
        _csrf: csrf,
        title: 'Water the ficus',
        jira_id: '',
        description: '',
        return_to: returnTo,
      });
      expect(created.status, JSON.stringify(returnTo)).toBe(303);
      expect(new URL(created.location as string).origin).toBe(trackerUrl);
    }
    // And through the sign-in itself.
    const page = await openSignedIn(
      new CookieBrowser(),
      `${trackerUrl}/login?return_to=/%09/evil.example`,
      [trackerUrl, issuer],
      worker,
    );
    expect(page.status).toBe(200);
    expect(new URL(page.url).origin).toBe(trackerUrl);
  });

  it('answers a form field holding a NUL with 400, not 500', async () => {
    // (A form cannot carry an unpaired surrogate: browsers encode it as U+FFFD.)
    const { browser, csrf } = await dashboard(demoAccount(auth, 'accountant'));
    for (const fields of [{ title: 'NUL \u0000 inside' }, { title: 'ok', description: 'NUL \u0000' }]) {
      const form = { _csrf: csrf, jira_id: '', description: '', ...fields };
      const refused = await browser.post(`${trackerUrl}/tasks`, form);
      expect(refused.status, JSON.stringify(fields)).toBe(400);
      expect(refused.body).toContain('NUL');
    }
  });

  it('refuses a deactivated worker at once in every process, on a token still valid for minutes', async () => {
    const worker = auth.demo.filter((d) => d.role === 'worker')[4] as (typeof auth.demo)[number];
    const token = (await signIn(auth, worker)).access_token;
    const [first, second] = trackers as [RunningService, RunningService];
    const created = await api(second, token, 'POST', '/api/tasks', { title: 'Before', description: '' });
    expect(created.status).toBe(201);
    expect((await api(first, token, 'GET', '/api/tasks')).status).toBe(200);

    const id = await idOf(worker.email);
    expect((await callApi(auth, adminToken, 'POST', `/api/accounts/${id}/deactivate`)).status).toBe(200);
    for (const process of trackers)
      await eventually('status === 401', async () => {
        const status = (await api(process, token, 'GET', '/api/tasks')).status;
        return status === 401;
      });
    const refused = await api(first, token, 'POST', '/api/tasks', { title: 'After', description: '' });
    expect(refused.status).toBe(401);
    expect((refused.json as { detail: string }).detail).toMatch(/deactivated/);
    expect((await api(second, token, 'POST', '/api/tasks/reassign')).status).toBe(401);
  });

  it('applies a role change at once: a demoted manager cannot reassign, a promoted worker can', async () => {
    const manager = demoAccount(auth, 'manager');
    const worker = auth.demo.filter((d) => d.role === 'worker')[3] as (typeof auth.demo)[number];
    const [managerToken, workerToken] = [
      (await signIn(auth, manager)).access_token,
      (await signIn(auth, worker)).access_token,
    ];
    const [managerId, workerId] = [await idOf(manager.email), await idOf(worker.email)];
    const role = (id: string, to: string) => callApi(auth, adminToken, 'PUT', `/api/accounts/${id}/role`, { role: to });
    expect((await role(managerId, 'worker')).status).toBe(200);
    expect((await role(workerId, 'manager')).status).toBe(200);
    for (const process of trackers) {
      await eventually('status === 403', async () => {
        const status = (await api(process, managerToken, 'POST', '/api/tasks/reassign')).status;
        return status === 403;
      });
      await eventually('status === 200', async () => {
        const status = (await api(process, workerToken, 'POST', '/api/tasks/reassign')).status;
        return status === 200;
      });
    }
    expect((await role(managerId, 'manager')).status).toBe(200);
    expect((await role(workerId, 'worker')).status).toBe(200);
  });

  it('keeps its pool free while auth hangs: dashboard refreshes wait on auth, not on the database', async () => {
    const people = [
      demoAccount(auth, 'accountant'),
      ...auth.demo.filter((d) => d.role === 'worker').slice(0, poolSize - 1),
    ];
    const browsers = await Promise.all(people.map(dashboard));
    const apiToken = (await signIn(auth, demoAccount(auth, 'admin'))).access_token;
    // Every session is due for a refresh, its token still valid: each page asks auth.
    await sql`update dashboard_sessions set access_expires_at = now() + interval '10 seconds' where status = 'active'`.execute(
      db,
    );
    proxy.hang();
    const pages = browsers.map(({ browser }) => browser.get(`${trackerUrl}/`));
    await eventually('n >= people.length', async () => {
      const n = proxy.stalledWrites;
      return n >= people.length;
    });

    // As many refreshes hang as the pool has connections; the API and readiness do not notice.
    const [first] = trackers as [RunningService];
    expect((await api(first, apiToken, 'GET', '/api/tasks?assignee=all')).status).toBe(200);
    expect((await fetch(`${first.url}/health/ready`)).status).toBe(200);

    // The refreshes time out; the pages are served on the still-valid tokens.
    expect((await Promise.all(pages)).map((p) => p.status)).toEqual(people.map(() => 200));
    // The failure is remembered: the next page does not ask the hung auth again.
    const stalled = proxy.stalledWrites;
    expect((await (browsers[0] as { browser: CookieBrowser }).browser.get(`${trackerUrl}/`)).status).toBe(200);
    expect(proxy.stalledWrites).toBe(stalled);

    // A session whose token no longer works, while auth cannot renew it: asked to sign in again
    // (never a 5xx), and kept for when auth is back.
    await sql`update dashboard_sessions set access_token = 'gone', access_expires_at = now() - interval '1 minute'`.execute(
      db,
    );
    const expired = await (browsers[1] as { browser: CookieBrowser }).browser.get(`${trackerUrl}/`);
    expect(expired.status).toBe(401);
    expect(expired.body).toContain('Sign in again');
    const kept = await sql<{
      n: number;
    }>`select count(*)::int as n from dashboard_sessions where status = 'active'`.execute(db);
    expect(kept.rows[0]?.n).toBeGreaterThanOrEqual(people.length);
    proxy.resume();
  });
});
