import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { callApi, demoAccount, signIn, startAuth, type RunningAuth } from '../testing/harness.js';

// The admin-only accounts API over HTTP, with a real admin token: what it accepts, every refusal
// it answers with (4xx problem details naming the reason or the fields), the events each change
// leaves in the outbox, and that a refused change saves nothing.

let database: TestDatabase;
let auth: RunningAuth;
let adminToken: string;
let adminId: string;
let workerToken: string;

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface AccountJson {
  public_id: string;
  email: string;
  full_name: string;
  role: string;
  active: boolean;
  version: number;
}

const call = (method: string, path: string, body?: unknown, token = adminToken) =>
  callApi(auth, token, method, path, body);

const outbox = async (publicId: string) =>
  (
    await sql<{
      event_name: string;
      envelope: { data: Record<string, unknown>; producer: string; correlation_id: string };
    }>`
      select event_name, envelope from outbox where envelope->'data'->>'public_id' = ${publicId} order by position`.execute(
      auth.db,
    )
  ).rows;

let seq = 0;
const newAccount = async (role = 'worker') => {
  seq += 1;
  const created = await call('POST', '/api/accounts', {
    email: `Popug.${seq}@Example.com`,
    full_name: `Test Popug ${seq}`,
    role,
  });
  expect(created.status).toBe(201);
  return (created.json as { account: AccountJson }).account;
};

beforeAll(async () => {
  database = await createTestDatabase('auth');
  auth = await startAuth(database);
  const admin = await signIn(auth, demoAccount(auth, 'admin'));
  adminToken = admin.access_token;
  adminId = admin.claims()?.sub as string;
  workerToken = (await signIn(auth, demoAccount(auth, 'worker'))).access_token;
});

afterAll(async () => {
  await auth?.close();
  await database?.drop();
});

describe('creating accounts', () => {
  it('creates an account with a generated password, shown once, and publishes Account.Created', async () => {
    const created = await call('POST', '/api/accounts', {
      email: 'Rio.Ara@Example.com',
      full_name: 'Rio Ara',
      role: 'worker',
    });
    expect(created.status).toBe(201);
    const { account, generated_password } = created.json as { account: AccountJson; generated_password: string };
    expect(account).toMatchObject({
      email: 'rio.ara@example.com',
      full_name: 'Rio Ara',
      role: 'worker',
      active: true,
      version: 1,
    });
    expect(generated_password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await outbox(account.public_id)).toEqual([
      expect.objectContaining({
        event_name: 'Account.Created',
        envelope: expect.objectContaining({
          producer: 'auth',
          data: expect.objectContaining({ public_id: account.public_id, version: 1, role: 'worker' }),
        }),
      }),
    ]);
    // The new person can sign in with it.
    const tokens = await signIn(auth, { email: 'rio.ara@example.com', password: generated_password });
    expect(tokens.claims()?.sub).toBe(account.public_id);
  });

  it('answers 409 to a duplicate email, whatever its case, and saves nothing', async () => {
    const before = await call('GET', '/api/accounts?per_page=100');
    const duplicate = await call('POST', '/api/accounts', {
      email: 'RIO.ARA@example.com',
      full_name: 'Another Rio',
      role: 'manager',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.contentType).toMatch(/application\/problem\+json/);
    expect((duplicate.json as Problem).detail).toBe('An account with the email rio.ara@example.com already exists.');
    expect((await call('GET', '/api/accounts?per_page=100')).json).toMatchObject({
      total: (before.json as { total: number }).total,
    });
  });

  it('answers 400 naming each missing or malformed field', async () => {
    const bad = await call('POST', '/api/accounts', {
      email: 'not-an-email',
      role: 'overlord',
      password: 'short',
      nickname: 'x',
    });
    expect(bad.status).toBe(400);
    const fields = ((bad.json as Problem).errors ?? []).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.email', 'body.full_name', 'body.role', 'body.password', 'body.nickname']),
    );
  });

  it("refuses a token that is not an admin's with 403, and no token with 401", async () => {
    expect(
      (await call('POST', '/api/accounts', { email: 'x@example.com', full_name: 'X', role: 'worker' }, workerToken))
        .status,
    ).toBe(403);
    const anonymous = await fetch(`${auth.issuer}/api/accounts`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="ates"');
  });
});

describe('bad input (issue 9: each of these was a 500, or silently coerced)', () => {
  const account = { email: 'odd.input@example.com', full_name: 'Odd Input', role: 'worker' };
  it.each([
    ['POST', '/api/accounts', { ...account, full_name: 'NUL \u0000 name' }, 'body.full_name'],
    ['POST', '/api/accounts', { ...account, full_name: 'lone \udc00' }, 'body.full_name'],
    ['POST', '/api/accounts', { ...account, role: ['manager'] }, 'body.role'],
    ['POST', '/api/accounts', { ...account, full_name: 42 }, 'body.full_name'],
    ['POST', '/api/applications', { name: 'NUL \u0000 app', redirect_uris: ['https://a.example/cb'] }, 'body.name'],
    ['POST', '/api/applications', { name: 'App', redirect_uris: ['https://a.example/\u0000'] }, 'body.redirect_uris.0'],
    ['POST', '/api/applications', { name: 'App', redirect_uris: 'https://a.example/cb' }, 'body.redirect_uris'],
    ['GET', '/api/accounts?q=%00', undefined, 'querystring.q'],
    ['GET', '/api/accounts?page=1e18', undefined, 'querystring.page'],
    ['GET', '/api/accounts/urn:uuid:00000000-0000-4000-8000-000000000000', undefined, 'params.public_id'],
    ['DELETE', '/api/applications/x%00', undefined, 'params.client_id'],
  ])('%s %s %j → 400 naming %s, nothing saved', async (method, path, body, field) => {
    const rows = async () =>
      (
        await sql<{
          n: number;
        }>`select (select count(*) from accounts) + (select count(*) from applications) as n`.execute(auth.db)
      ).rows[0]?.n;
    const before = await rows();
    const response = await call(method, path, body);
    expect(response.status).toBe(400);
    expect(((response.json as Problem).errors ?? []).map((e) => e.field)).toContain(field);
    expect(await rows()).toBe(before);
  });
});

describe('listing and reading', () => {
  it('pages and searches by email or name, in any case', async () => {
    const page = await call('GET', '/api/accounts?per_page=3&page=1');
    expect(page.json).toMatchObject({ page: 1, per_page: 3, items: expect.any(Array) });
    expect((page.json as { items: unknown[] }).items).toHaveLength(3);
    const found = await call('GET', '/api/accounts?q=KIWI');
    expect((found.json as { items: AccountJson[] }).items.map((a) => a.email)).toEqual([
      'kiwi.budgie@uberpopug.example',
    ]);
    const literal = await call('GET', `/api/accounts?q=${encodeURIComponent('%')}`);
    expect((literal.json as { total: number }).total).toBe(0);
  });

  it('answers 404 to an unknown id and 400 to a malformed one', async () => {
    expect((await call('GET', '/api/accounts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const malformed = await call('GET', '/api/accounts/42');
    expect(malformed.status).toBe(400);
    expect((malformed.json as Problem).errors?.[0]?.field).toBe('params.public_id');
  });
});

describe('changing accounts', () => {
  it('updates the name and email, raising the version and publishing Account.Updated', async () => {
    const account = await newAccount();
    const updated = await call('PATCH', `/api/accounts/${account.public_id}`, {
      full_name: 'Renamed Popug',
      email: 'renamed@example.com',
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ full_name: 'Renamed Popug', email: 'renamed@example.com', version: 2 });
    expect((await outbox(account.public_id)).map((e) => [e.event_name, e.envelope.data.version])).toEqual([
      ['Account.Created', 1],
      ['Account.Updated', 2],
    ]);
    // The same values again change nothing.
    expect(
      (await call('PATCH', `/api/accounts/${account.public_id}`, { full_name: 'Renamed Popug' })).json,
    ).toMatchObject({ version: 2 });
    expect(await outbox(account.public_id)).toHaveLength(2);
  });

  it('answers 400 to an empty change and 409 to an email another account has', async () => {
    const account = await newAccount();
    expect((await call('PATCH', `/api/accounts/${account.public_id}`, {})).status).toBe(400);
    const taken = await call('PATCH', `/api/accounts/${account.public_id}`, {
      email: demoAccount(auth, 'manager').email.toUpperCase(),
    });
    expect(taken.status).toBe(409);
  });

  it('changes a role, publishing Account.Updated and Account.RoleChanged with one correlation id', async () => {
    const account = await newAccount();
    const changed = await call('PUT', `/api/accounts/${account.public_id}/role`, { role: 'manager' });
    expect(changed.json).toMatchObject({ role: 'manager', version: 2 });
    const events = await outbox(account.public_id);
    expect(events.map((e) => e.event_name)).toEqual(['Account.Created', 'Account.Updated', 'Account.RoleChanged']);
    expect(events[2]?.envelope.data).toMatchObject({ old_role: 'worker', new_role: 'manager', version: 2 });
    expect(events[1]?.envelope.correlation_id).toBe(events[2]?.envelope.correlation_id);
  });

  it('refuses an admin demoting or deactivating themselves with 409 and the reason', async () => {
    const demote = await call('PUT', `/api/accounts/${adminId}/role`, { role: 'worker' });
    expect(demote.status).toBe(409);
    expect((demote.json as Problem).detail).toMatch(/your own role/);
    const deactivate = await call('POST', `/api/accounts/${adminId}/deactivate`);
    expect(deactivate.status).toBe(409);
    expect((deactivate.json as Problem).detail).toMatch(/your own account/);
    expect(await outbox(adminId)).toHaveLength(1);
  });

  it('deactivates an account: it cannot sign in, its sessions end, and the events say so', async () => {
    const account = await newAccount();
    const { generated_password } = (
      await call('POST', `/api/accounts/${account.public_id}/password`, { password: 'a-new-password-123' })
    ).json as { generated_password?: string };
    expect(generated_password).toBeUndefined();
    await signIn(auth, { email: account.email, password: 'a-new-password-123' });
    expect(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from oidc_payloads where account_id = ${account.public_id}`.execute(auth.db)
      ).rows[0]?.n,
    ).toBeGreaterThan(0);
    const deactivated = await call('POST', `/api/accounts/${account.public_id}/deactivate`);
    expect(deactivated.json).toMatchObject({ active: false, version: 2 });
    expect((await outbox(account.public_id)).map((e) => e.event_name)).toEqual([
      'Account.Created',
      'Account.Updated',
      'Account.Deactivated',
    ]);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from oidc_payloads where account_id = ${account.public_id}`.execute(auth.db);
    expect(left.rows[0]?.n).toBe(0);
    await expect(signIn(auth, { email: account.email, password: 'a-new-password-123' })).rejects.toThrow(
      /sign-in failed: 401/,
    );
    // Activating lets them back in.
    expect((await call('POST', `/api/accounts/${account.public_id}/activate`)).json).toMatchObject({
      active: true,
      version: 3,
    });
    await expect(signIn(auth, { email: account.email, password: 'a-new-password-123' })).resolves.toBeDefined();
  });

  it('never leaves the company without an active admin', async () => {
    // A second admin demotes the first (allowed: two admins), and cannot then be demoted by anyone.
    const second = await newAccount('admin');
    const password = 'second-admin-password';
    await call('POST', `/api/accounts/${second.public_id}/password`, { password });
    const secondToken = (await signIn(auth, { email: second.email, password })).access_token;
    expect((await call('PUT', `/api/accounts/${adminId}/role`, { role: 'manager' }, secondToken)).status).toBe(200);
    // The first admin's token still says admin; the change is refused because the account no longer is.
    const stale = await call('PUT', `/api/accounts/${second.public_id}/role`, { role: 'worker' });
    expect(stale.status).toBe(403);
    expect((stale.json as Problem).detail).toMatch(/yours is manager/);
    // Restore, for the other tests.
    expect((await call('PUT', `/api/accounts/${adminId}/role`, { role: 'admin' }, secondToken)).status).toBe(200);
  });
});
