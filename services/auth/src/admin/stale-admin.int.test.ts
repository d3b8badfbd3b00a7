import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CookieBrowser, hiddenInput } from '@ates/sign-in';
import { authForTests, callApi, demoAccount, openSignedIn, signIn, type RunningAuth } from '../testing/harness.js';

// Issue 9, defect 1: an admin who was demoted or deactivated kept admin powers until their token
// expired on the applications API and the account list (only the token's role was checked). A
// deactivated admin's token registered a first-party application redirecting to an outside host —
// a code for any signed-in person, without consent. Every admin action, API and admin pages alike,
// now acts as the account is in auth's database at that moment.

const running = authForTests();
let auth: RunningAuth;
let adminToken: string;
let seq = 0;

const evilApplication = {
  name: 'Totally the tracker',
  redirect_uris: ['https://evil.example/callback'],
  first_party: true,
};

/** An admin of their own (a token and a signed-in admin page), whom the demo admin can then change. */
const anotherAdmin = async () => {
  seq += 1;
  const email = `stale.admin.${seq}@uberpopug.example`;
  const password = 'stale-admin-password';
  const created = await callApi(auth, adminToken, 'POST', '/api/accounts', {
    email,
    full_name: `Stale Admin ${seq}`,
    role: 'admin',
    password,
  });
  expect(created.status).toBe(201);
  const id = (created.json as { account: { public_id: string } }).account.public_id;
  const token = (await signIn(auth, { email, password })).access_token;
  // Used once while still an admin: the verifier keeps the verified token from now on, so what
  // follows checks that a change applies to a token answered from that cache too.
  expect((await callApi(auth, token, 'GET', '/api/applications')).status).toBe(200);
  const browser = new CookieBrowser();
  const page = await openAdmin(browser, '/admin/applications', { email, password });
  expect(page.status).toBe(200);
  const csrf = hiddenInput(page.body, '_csrf') as string;
  /** The outside application, through the admin page's form. */
  const registerThroughPage = () =>
    browser.post(`${auth.issuer}/admin/applications`, {
      _csrf: csrf,
      name: evilApplication.name,
      redirect_uris: evilApplication.redirect_uris[0] as string,
      kind: 'confidential',
    });
  return { id, token, browser, registerThroughPage };
};

const openAdmin = (browser: CookieBrowser, path: string, credentials?: { email: string; password: string }) =>
  openSignedIn(browser, `${auth.issuer}${path}`, [auth.issuer], credentials);

const applicationCount = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from applications`.execute(auth.db)).rows[0]?.n;

/** Every admin-only API request, as `token` sends it: what each answers. */
const adminRequests = async (token: string, someone: string) => ({
  listApplications: (await callApi(auth, token, 'GET', '/api/applications')).status,
  registerApplication: (await callApi(auth, token, 'POST', '/api/applications', evilApplication)).status,
  deleteApplication: (await callApi(auth, token, 'DELETE', '/api/applications/tracker-dashboard')).status,
  listAccounts: (await callApi(auth, token, 'GET', '/api/accounts')).status,
  readAccount: (await callApi(auth, token, 'GET', `/api/accounts/${someone}`)).status,
});

beforeAll(async () => {
  auth = running.current;
  adminToken = (await signIn(auth, demoAccount(auth, 'admin'))).access_token;
});

describe('an admin whose account changed acts as the account is now, not as the token says', () => {
  it('a demoted admin is refused every admin request with 403, on their still-valid token', async () => {
    const stale = await anotherAdmin();
    const before = await applicationCount();
    const demoted = await callApi(auth, adminToken, 'PUT', `/api/accounts/${stale.id}/role`, { role: 'manager' });
    expect(demoted.status).toBe(200);
    expect(await adminRequests(stale.token, stale.id)).toEqual({
      listApplications: 403,
      registerApplication: 403,
      deleteApplication: 403,
      listAccounts: 403,
      readAccount: 403,
    });
    const refused = await callApi(auth, stale.token, 'GET', '/api/applications');
    expect((refused.json as { detail: string }).detail).toMatch(/yours is manager/);
    expect(await applicationCount()).toBe(before);
  });

  it('a deactivated admin is refused every admin request with 401: no application redirecting outside', async () => {
    const stale = await anotherAdmin();
    const before = await applicationCount();
    expect((await callApi(auth, adminToken, 'POST', `/api/accounts/${stale.id}/deactivate`)).status).toBe(200);
    expect(await adminRequests(stale.token, stale.id)).toEqual({
      listApplications: 401,
      registerApplication: 401,
      deleteApplication: 401,
      listAccounts: 401,
      readAccount: 401,
    });
    expect(await applicationCount()).toBe(before);
    expect(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from applications where name = ${evilApplication.name}`.execute(auth.db)
      ).rows[0]?.n,
    ).toBe(0);
  });

  it("a demoted admin's admin pages refuse them, though their session still says admin", async () => {
    const stale = await anotherAdmin();
    const before = await applicationCount();
    expect((await callApi(auth, adminToken, 'PUT', `/api/accounts/${stale.id}/role`, { role: 'worker' })).status).toBe(
      200,
    );
    const page = await stale.browser.get(`${auth.issuer}/admin/applications`);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Admin is not for your role: you are signed in as a worker.');
    const registered = await stale.registerThroughPage();
    expect(registered.status).toBe(403);
    expect(await applicationCount()).toBe(before);
  });

  it("a deactivated admin's admin pages end their session, even when nothing told the dashboard", async () => {
    const stale = await anotherAdmin();
    const before = await applicationCount();
    // Behind every API's back, as a missed back-channel logout would leave it: the session row stays.
    await sql`update accounts set active = false, version = version + 1 where public_id = ${stale.id}`.execute(auth.db);
    const registered = await stale.registerThroughPage();
    expect(registered.status).toBe(303);
    expect(registered.location).toMatch(/\/admin\/login\?return_to=/);
    expect(await applicationCount()).toBe(before);
    const again = await openAdmin(stale.browser, '/admin/applications');
    expect(again.body).toContain('name="password"');
  });
});
