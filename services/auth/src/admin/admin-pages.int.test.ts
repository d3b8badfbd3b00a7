import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import * as client from 'openid-client';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { registerApplication } from '../applications/applications.js';
import { CookieBrowser, formAction, hiddenInput, type Page } from '@ates/sign-in';
import {
  demoAccount,
  discoverClient,
  openSignedIn,
  signInThroughBrowser,
  startAuth,
  type RunningAuth,
} from '../testing/harness.js';

// The admin dashboard as a browser uses it — which is also the end-to-end test of
// @ates/dashboard-session: sign-in through the provider and back, the session cookie, CSRF on
// forms, token refresh, and sign-out that ends the session everywhere.

let database: TestDatabase;
let auth: RunningAuth;

const sameOrigin = (next: URL) => next.origin === auth.issuer;

/** Opens `path` in `browser`, signing in with `credentials` when the provider asks. */
const open = (browser: CookieBrowser, path: string, credentials?: { email: string; password: string }): Promise<Page> =>
  openSignedIn(browser, `${auth.issuer}${path}`, [auth.issuer], credentials);

const csrfOf = (page: Page): string => {
  const token = hiddenInput(page.body, '_csrf');
  if (!token) throw new Error('no CSRF token on the page');
  return token;
};

const sessionRows = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from dashboard_sessions where status = 'active'`.execute(auth.db))
    .rows[0]?.n ?? 0;

beforeAll(async () => {
  database = await createTestDatabase('auth');
  auth = await startAuth(database);
});
afterAll(async () => {
  await auth?.close();
  await database?.drop();
});

describe('admin pages', () => {
  it('send a visitor through sign-in and back to the page they asked for', async () => {
    const browser = new CookieBrowser();
    const page = await open(browser, '/admin/accounts?q=kiwi', demoAccount(auth, 'admin'));
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${auth.issuer}/admin/accounts?q=kiwi`);
    expect(page.body).toContain('Kiwi Budgie');
    expect(page.body).not.toContain('Polly Popug');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    // The session cookie is httpOnly and SameSite=Lax; the database keeps only a hash of its id.
    const cookies = browser.cookiesFor(`${auth.issuer}/admin/`);
    const value = cookies['auth-admin_session'] as string;
    expect(value).toBeDefined();
    const stored = await sql<{
      id_hash: string;
    }>`select id_hash from dashboard_sessions where status = 'active'`.execute(auth.db);
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(value.split('.')[0]);
  });

  it.each([
    ['a tab before a second slash', '/%09/evil.example/phish'],
    ['a newline before a second slash', '/%0a/evil.example'],
    ['a backslash', '/%5cevil.example'],
    ['CR and LF', '/admin/accounts%0d%0aSet-Cookie:%20stolen=1'],
  ])('come back after sign-in only to a page of their own, whatever return_to holds (%s)', async (_what, returnTo) => {
    const browser = new CookieBrowser();
    const page = await open(browser, `/admin/login?return_to=${returnTo}`, demoAccount(auth, 'admin'));
    expect(page.status).toBeLessThan(500);
    expect(new URL(page.url).origin).toBe(auth.issuer);
    expect(page.location === undefined || new URL(page.location).origin === auth.issuer).toBe(true);
    expect(page.headers.get('set-cookie') ?? '').not.toContain('stolen');
  });

  it('create an account through the form, refuse a form without the CSRF token, and show field errors', async () => {
    const browser = new CookieBrowser();
    const form = await open(browser, '/admin/accounts/new', demoAccount(auth, 'admin'));
    const csrf = csrfOf(form);
    const created = await browser.post(`${auth.issuer}/admin/accounts`, {
      _csrf: csrf,
      full_name: 'Cora Conure',
      email: 'cora@uberpopug.example',
      role: 'worker',
      password: '',
    });
    expect(created.status).toBe(201);
    expect(created.body).toContain('It is shown only now');
    expect(created.body).toMatch(/<code class="code">[A-Za-z0-9]{20}<\/code>/);

    const forged = await browser.post(`${auth.issuer}/admin/accounts`, {
      full_name: 'Evil',
      email: 'evil@uberpopug.example',
      role: 'admin',
    });
    expect(forged.status).toBe(403);
    const bad = await browser.post(`${auth.issuer}/admin/accounts`, {
      _csrf: csrf,
      full_name: '',
      email: 'cora@uberpopug.example',
      role: 'worker',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Check the fields marked below.');
    const duplicate = await browser.post(`${auth.issuer}/admin/accounts`, {
      _csrf: csrf,
      full_name: 'Cora Again',
      email: 'CORA@uberpopug.example',
      role: 'worker',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toContain('already exists');
  });

  it('refuse an admin demoting themselves, with the reason on the page', async () => {
    const browser = new CookieBrowser();
    const admin = demoAccount(auth, 'admin');
    const list = await open(browser, `/admin/accounts?q=${encodeURIComponent(admin.email)}`, admin);
    const id = /href="\/admin\/accounts\/([0-9a-f-]{36})"/.exec(list.body)?.[1] as string;
    const own = await browser.get(`${auth.issuer}/admin/accounts/${id}`);
    const refused = await browser.post(`${auth.issuer}/admin/accounts/${id}/role`, {
      _csrf: csrfOf(own),
      role: 'worker',
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('You cannot change your own role');
  });

  it('show a worker that the pages are not for their role', async () => {
    const page = await open(new CookieBrowser(), '/admin/accounts', demoAccount(auth, 'worker'));
    expect(page.status).toBe(403);
    expect(page.body).toContain('Admin is not for your role: you are signed in as a worker.');
  });

  it('refresh the access token when it expires, without bothering the person', async () => {
    const browser = new CookieBrowser();
    expect((await open(browser, '/admin/accounts', demoAccount(auth, 'admin'))).status).toBe(200);
    const before = await sql<{
      access_token: string;
    }>`select access_token from dashboard_sessions where status = 'active' order by created_at desc limit 1`.execute(
      auth.db,
    );
    await sql`update dashboard_sessions set access_expires_at = now() - interval '1 minute'`.execute(auth.db);
    const page = await browser.get(`${auth.issuer}/admin/accounts`);
    expect(page.status).toBe(200);
    const after = await sql<{
      access_token: string;
      access_expires_at: Date;
    }>`select access_token, access_expires_at from dashboard_sessions where status = 'active' order by created_at desc limit 1`.execute(
      auth.db,
    );
    expect(after.rows[0]?.access_token).not.toBe(before.rows[0]?.access_token);
    expect(after.rows[0]?.access_expires_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('sign out of every dashboard: the other application loses its refresh token too', async () => {
    const browser = new CookieBrowser();
    const admin = demoAccount(auth, 'admin');
    const accounts = await open(browser, '/admin/accounts', admin);
    // The same person, same browser, in another first-party application: single sign-on.
    const redirectUri = 'http://127.0.0.1:9/other-app';
    const { application, clientSecret } = await registerApplication(auth.db, {
      name: 'Other dashboard',
      redirect_uris: [redirectUri],
      first_party: true,
    });
    const other = await discoverClient(auth.issuer, application.client_id, clientSecret);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(other, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await signInThroughBrowser(browser, url, undefined, redirectUri);
    const otherTokens = await client.authorizationCodeGrant(other, callback, { pkceCodeVerifier: verifier });
    expect(otherTokens.refresh_token).toEqual(expect.any(String));

    const rowsBefore = await sessionRows();
    const signOut = await browser.post(`${auth.issuer}/admin/logout`, { _csrf: csrfOf(accounts) });
    expect(signOut.status).toBe(303);
    expect(await sessionRows()).toBe(rowsBefore - 1);
    const confirm = await browser.get(signOut.location as string);
    expect(confirm.body).toContain('Sign out of all dashboards');
    const done = await browser.post(formAction(confirm.body, '/session/end/confirm', confirm.url) as string, {
      xsrf: hiddenInput(confirm.body, 'xsrf') as string,
      logout: 'yes',
    });
    expect(done.location).toBe(`${auth.issuer}/admin/`);

    await expect(client.refreshTokenGrant(other, otherTokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // And the admin pages ask to sign in again.
    const again = await browser.navigate(`${auth.issuer}/admin/accounts`, sameOrigin);
    expect(again.body).toContain('name="password"');
  });

  it('end at once when the person signs out of every dashboard somewhere else (back-channel logout)', async () => {
    const browser = new CookieBrowser();
    expect((await open(browser, '/admin/accounts', demoAccount(auth, 'admin'))).status).toBe(200);
    const sid = await sql<{
      sid: string | null;
    }>`select sid from dashboard_sessions where status = 'active' order by created_at desc limit 1`.execute(auth.db);
    expect(sid.rows[0]?.sid).toEqual(expect.any(String));
    const rowsBefore = await sessionRows();

    // Sign out through another application's RP-initiated logout, choosing "all dashboards".
    const redirectUri = 'http://127.0.0.1:9/third-app';
    const { application, clientSecret } = await registerApplication(auth.db, {
      name: 'Third dashboard',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: ['http://127.0.0.1:9/bye'],
      first_party: true,
    });
    const third = await discoverClient(auth.issuer, application.client_id, clientSecret);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(third, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    await client.authorizationCodeGrant(third, await signInThroughBrowser(browser, url, undefined, redirectUri), {
      pkceCodeVerifier: verifier,
    });
    const confirm = await browser.get(
      client.buildEndSessionUrl(third, {
        client_id: application.client_id,
        post_logout_redirect_uri: 'http://127.0.0.1:9/bye',
      }).href,
    );
    const done = await browser.post(formAction(confirm.body, '/session/end/confirm', confirm.url) as string, {
      xsrf: hiddenInput(confirm.body, 'xsrf') as string,
      logout: 'yes',
    });
    expect(done.location).toBe('http://127.0.0.1:9/bye');

    // The provider told the admin dashboard, which ended its session before answering.
    expect(await sessionRows()).toBe(rowsBefore - 1);
    const again = await browser.navigate(`${auth.issuer}/admin/accounts`, sameOrigin);
    expect(again.body).toContain('name="password"');
  });

  it('refuse a forged back-channel logout token', async () => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const forged = `${part({ alg: 'none' })}.${part({ iss: auth.issuer, aud: 'auth-admin', sub: 'x', events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })}.`;
    const response = await fetch(`${auth.issuer}/admin/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: forged }),
    });
    expect(response.status).toBe(400);
  });

  it('end the dashboard sessions of an account as it is deactivated', async () => {
    const browserA = new CookieBrowser();
    const form = await open(browserA, '/admin/accounts/new', demoAccount(auth, 'admin'));
    const created = await browserA.post(`${auth.issuer}/admin/accounts`, {
      _csrf: csrfOf(form),
      full_name: 'Second Admin',
      email: 'second.admin@uberpopug.example',
      role: 'admin',
      password: 'second-admin-password',
    });
    expect(created.status).toBe(201);
    const id = /href="\/admin\/accounts\/([0-9a-f-]{36})"/.exec(created.body)?.[1] as string;

    const browserB = new CookieBrowser();
    expect(
      (
        await open(browserB, '/admin/accounts', {
          email: 'second.admin@uberpopug.example',
          password: 'second-admin-password',
        })
      ).status,
    ).toBe(200);

    const page = await browserA.get(`${auth.issuer}/admin/accounts/${id}`);
    const deactivated = await browserA.post(`${auth.issuer}/admin/accounts/${id}/deactivate`, { _csrf: csrfOf(page) });
    expect(deactivated.location).toBe(`${auth.issuer}/admin/accounts/${id}`);
    // The flash cookie carries the outcome across the redirect, once.
    const done = 'Account deactivated; its sessions have ended.';
    expect((await browserA.get(deactivated.location as string)).body).toContain(done);
    expect((await browserA.get(deactivated.location as string)).body).not.toContain(done);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from dashboard_sessions where account_id = ${id}`.execute(auth.db);
    expect(left.rows[0]?.n).toBe(0);
    const again = await browserB.navigate(`${auth.issuer}/admin/accounts`, sameOrigin);
    expect(again.body).toContain('name="password"');
  });
});
