import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createPool } from '@ates/db';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, freePort, type TestDatabase } from '@ates/testing';
import { apiAudience } from '@ates/token-verifier';
import { createTestKey, startJwksServer, type JwksServer, type TestKey } from '@ates/token-verifier/testing';
import { trackerService } from '../service.js';

// The tracker also serves its dashboard, whose secrets it requires; this test does not sign in to it.
const dashboardSecrets = { DASHBOARD_CLIENT_SECRET: 'c'.repeat(32), DASHBOARD_SESSION_SECRET: 's'.repeat(32) };

// The tracker's JSON API as a client sees it: the real service process code (migrations, event
// bus, token check) on real PostgreSQL, with tokens signed by a test key the service fetches from
// a JWKS endpoint, as it would from the auth service.
let service: RunningService;
let jwks: JwksServer;
let key: TestKey;
let issuer: string;
const databases: TestDatabase[] = [];

const people = {
  worker: randomUUID(),
  other: randomUUID(),
  accountant: randomUUID(),
  manager: randomUUID(),
  admin: randomUUID(),
};
type Person = keyof typeof people;

const tokenOf = (who: Person): Promise<string> =>
  key.sign(
    { sub: people[who], role: who === 'other' ? 'worker' : who, name: who, email: `${who}@uberpopug.example` },
    { issuer, audience: apiAudience },
  );

const call = async (who: Person | undefined, method: string, path: string, body?: unknown) => {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${await tokenOf(who)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
  };
};

const fields = (body: Record<string, unknown>): string[] =>
  ((body.errors ?? []) as { field: string }[]).map((e) => e.field);

let trackerUrl = '';
const withAccounts = async (rows: { id: string; role: string; active?: boolean }[]) => {
  const db = createDb(createPool(trackerUrl, { max: 1 }));
  await sql`truncate accounts`.execute(db);
  for (const r of rows) {
    await sql`insert into accounts (public_id, email, full_name, role, active, version) values (${r.id}, ${`${r.id}@x`}, 'x', ${r.role}, ${r.active ?? true}, 1)`.execute(
      db,
    );
  }
  await db.destroy();
};

beforeAll(async () => {
  const [tracker, bus] = await Promise.all([createTestDatabase('tracker_api'), createTestDatabase('bus')]);
  databases.push(tracker, bus);
  trackerUrl = tracker.url;
  key = await createTestKey('test-key');
  jwks = await startJwksServer([key.publicJwk]);
  issuer = jwks.url.replace(/\/oidc\/jwks$/, '');
  service = await runService(trackerService, {
    DATABASE_URL: tracker.url,
    EVENT_TRANSPORT_URL: bus.url,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: issuer,
    ...dashboardSecrets,
  });
  await withAccounts([
    { id: people.worker, role: 'worker' },
    { id: people.other, role: 'worker', active: false },
    { id: people.manager, role: 'manager' },
    { id: people.admin, role: 'admin' },
  ]);
});
afterAll(async () => {
  await service?.stop();
  await jwks?.close();
  await Promise.all(databases.map((d) => d.drop()));
});

describe('tracker API', () => {
  it('refuses a request without a token with 401 problem details', async () => {
    const response = await call(undefined, 'GET', '/api/tasks');
    expect(response.status).toBe(401);
    expect(response.type).toMatch(/^application\/problem\+json/);
  });

  it('creates a task for the only eligible account and lists it as theirs', async () => {
    const created = await call('manager', 'POST', '/api/tasks', {
      title: 'Change the green of the button',
      jira_id: 'UBERPOP-42',
      description: 'greener',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      assignee_id: people.worker,
      status: 'open',
      jira_id: 'UBERPOP-42',
      creator_id: people.manager,
    });
    const mine = await call('worker', 'GET', '/api/tasks?status=open');
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: created.body.id }] });
    expect((await call('worker', 'GET', `/api/tasks/${String(created.body.id)}`)).status).toBe(200);
  });

  it("carries the caller's trace (W3C traceparent) into the events the request produces", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await fetch(`${service.url}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf('manager')}`, 'content-type': 'application/json', traceparent },
      body: JSON.stringify({ title: 'Traced task', description: '' }),
    });
    const { id } = (await response.json()) as { id: string };
    const db = createDb(createPool(trackerUrl, { max: 1 }));
    const { rows } = await sql<{ traceparent: string }>`
      select envelope->>'traceparent' as traceparent from outbox
      where envelope->'data'->>'public_id' = ${id} or envelope->'data'->>'task_id' = ${id}`.execute(db);
    await db.destroy();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it.each([
    [{ title: '[UBERPOP-42] — old style', description: '' }, 'body.title'],
    [{ title: '', description: '' }, 'body.title'],
    [{ title: '   ', description: '' }, 'body.title'],
    [{ title: 'x'.repeat(201), description: '' }, 'body.title'],
    [{ title: 'ok', jira_id: 'uberpop 42', description: '' }, 'body.jira_id'],
    [{ title: 'ok', description: '', colour: 'green' }, 'body.colour'],
    [{ title: 'ok' }, 'body.description'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const response = await call('worker', 'POST', '/api/tasks', body);
    expect(response.status).toBe(400);
    expect(fields(response.body)).toContain(field);
  });

  it('lets only the assignee complete, once', async () => {
    const created = await call('manager', 'POST', '/api/tasks', { title: 'Feed the parrots', description: '' });
    const id = String(created.body.id);
    expect((await call('manager', 'POST', `/api/tasks/${id}/complete`)).status).toBe(403);
    expect((await call('worker', 'POST', `/api/tasks/${randomUUID()}/complete`)).status).toBe(404);
    const done = await call('worker', 'POST', `/api/tasks/${id}/complete`);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    const again = await call('worker', 'POST', `/api/tasks/${id}/complete`);
    expect(again.status).toBe(409);
  });

  it('lets managers and admins reassign, and refuses workers and accountants with 403', async () => {
    expect((await call('worker', 'POST', '/api/tasks/reassign')).status).toBe(403);
    expect((await call('accountant', 'POST', '/api/tasks/reassign')).status).toBe(403);
    const reassigned = await call('admin', 'POST', '/api/tasks/reassign');
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.reassigned).toBeGreaterThanOrEqual(1);
  });

  it("refuses a worker listing someone else's tasks, and lets a manager", async () => {
    expect((await call('worker', 'GET', `/api/tasks?assignee=${people.manager}`)).status).toBe(403);
    expect((await call('manager', 'GET', `/api/tasks?assignee=${people.worker}`)).status).toBe(200);
    expect((await call('manager', 'GET', '/api/tasks?assignee=nobody')).status).toBe(400);
  });

  it('answers 409 "no eligible assignee" and saves nothing when nobody can take a task', async () => {
    await withAccounts([
      { id: people.manager, role: 'manager' },
      { id: people.admin, role: 'admin' },
    ]);
    const before = await call('manager', 'GET', '/api/tasks?assignee=all');
    const response = await call('manager', 'POST', '/api/tasks', { title: 'Nobody can do this', description: '' });
    expect(response.status).toBe(409);
    expect(String(response.body.detail)).toMatch(/^No eligible assignee/);
    expect(response.body.code).toBe('task.no_eligible_assignee');
    expect((await call('manager', 'GET', '/api/tasks?assignee=all')).body.total).toBe(before.body.total);
  });

  it('documents the API in OpenAPI', async () => {
    const spec = (await (await fetch(`${service.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/tasks', '/api/tasks/{id}', '/api/tasks/reassign', '/api/tasks/{id}/complete']),
    );
  });
});
