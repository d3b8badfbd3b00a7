import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { registerApplication } from '../applications/applications.js';
import { CookieBrowser } from '@ates/sign-in';
import {
  demoAccount,
  discoverClient,
  signInThroughBrowser,
  startAuth,
  startProbeService,
  type RunningAuth,
} from '../testing/harness.js';
import { publishedKeys, rotateSigningKey } from './signing-keys.js';

// The "Done when", first part: an independent OpenID Connect client (openid-client, not
// our dashboard package) discovers the provider, completes the code flow with PKCE as a seeded
// worker through the real sign-in page, refreshes, calls userinfo, and a service accepts the
// access token — and refuses every kind of bad token. Then: restarting auth keeps sessions and
// refresh tokens, and a key rotation keeps old tokens valid.

const api = 'urn:ates:api';
const redirectUri = 'http://127.0.0.1:9/callback';

let authDb: TestDatabase;
let probeDb: TestDatabase;
let auth: RunningAuth;
let probe: { url: string; close(): Promise<void> };
let config: client.Configuration;

const me = (token: string) => fetch(`${probe.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });

/** One full authorization: returns the tokens and the browser (which keeps the SSO session). */
const authorize = async (
  browser: CookieBrowser,
  credentials: { email: string; password: string } | undefined,
  extra: Record<string, string> = {},
) => {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    resource: api,
    ...extra,
  });
  const callback = await signInThroughBrowser(browser, url, credentials, redirectUri);
  return client.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: verifier, expectedState: state },
    { resource: api },
  );
};

beforeAll(async () => {
  authDb = await createTestDatabase('auth');
  probeDb = await createTestDatabase('probe');
  auth = await startAuth(authDb);
  probe = await startProbeService(auth.issuer, probeDb);
  const { application, clientSecret } = await registerApplication(auth.db, {
    name: 'Independent RP',
    redirect_uris: [redirectUri],
    first_party: true,
  });
  config = await discoverClient(auth.issuer, application.client_id, clientSecret);
});

afterAll(async () => {
  await probe?.close();
  await auth?.close();
  await probeDb?.drop();
  await authDb?.drop();
});

describe('OpenID Connect with an independent client', () => {
  it('discovers the provider: code flow with PKCE, JWKS, userinfo, end session', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(auth.issuer);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.jwks_uri).toBe(`${auth.issuer}/oidc/jwks`);
    expect(metadata.userinfo_endpoint).toBe(`${auth.issuer}/oidc/me`);
    expect(metadata.end_session_endpoint).toBe(`${auth.issuer}/oidc/session/end`);
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
  });

  it('signs a seeded worker in through the sign-in page; a service accepts the access token; refresh and userinfo work', async () => {
    const worker = demoAccount(auth, 'worker');
    const tokens = await authorize(new CookieBrowser(), worker);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const idClaims = tokens.claims();
    expect(idClaims?.iss).toBe(auth.issuer);

    // The access token is a JWT for the services, naming the account and its role.
    const [header, payload] = tokens.access_token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({
      iss: auth.issuer,
      aud: api,
      sub: idClaims?.sub,
      role: 'worker',
      name: worker.full_name,
      email: worker.email,
    });

    const accepted = await me(tokens.access_token);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({
      id: idClaims?.sub,
      role: 'worker',
      name: worker.full_name,
      email: worker.email,
    });

    // A refresh without a resource gives the token for userinfo; with it, a new service token.
    const forUserinfo = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    const userinfo = await client.fetchUserInfo(config, forUserinfo.access_token, idClaims?.sub as string);
    expect(userinfo).toMatchObject({ sub: idClaims?.sub, name: worker.full_name, email: worker.email, role: 'worker' });
    const refreshed = await client.refreshTokenGrant(
      config,
      (forUserinfo.refresh_token ?? tokens.refresh_token) as string,
      { resource: api },
    );
    expect((await me(refreshed.access_token)).status).toBe(200);
  });

  it('never tells whether an account exists', async () => {
    const browser = new CookieBrowser();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const page = await browser.navigate(url.href, (next) => next.origin === auth.issuer);
    const action = page.body.match(/action="([^"]*\/login)"/)?.[1] as string;
    const unknown = await browser.post(new URL(action, auth.issuer).href, {
      email: 'nobody@uberpopug.example',
      password: 'whatever-password-1',
    });
    const wrong = await browser.post(new URL(action, auth.issuer).href, {
      email: demoAccount(auth, 'manager').email,
      password: 'whatever-password-1',
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (body: string) => body.match(/role="alert"[^>]*>.*?<p>([^<]*)<\/p>/s)?.[1];
    expect(message(unknown.body)).toBe('The email or password is incorrect.');
    expect(message(wrong.body)).toBe(message(unknown.body));
  });

  it('refuses sign-in for a while after repeated failures, even with the right password, and says so', async () => {
    const lori = auth.demo.find((d) => d.email.startsWith('lori.')) as { email: string; password: string };
    const browser = new CookieBrowser();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const page = await browser.navigate(url.href, (next) => next.origin === auth.issuer);
    const action = new URL(page.body.match(/action="([^"]*\/login)"/)?.[1] as string, auth.issuer).href;
    for (let i = 0; i < 5; i++)
      expect((await browser.post(action, { email: lori.email, password: `wrong password ${i}` })).status).toBe(401);
    const throttled = await browser.post(action, lori);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.body).toContain('Too many failed sign-ins. Try again in 15 minutes.');
  });
});

describe('tokens a service must refuse', () => {
  const claims = {
    sub: '11111111-2222-4333-8444-555555555555',
    role: 'admin',
    name: 'Mallory',
    email: 'mallory@example.com',
  };
  const activeKey = async () => {
    const [key] = await publishedKeys(auth.db);
    if (!key) throw new Error('no signing key');
    return { kid: key.kid, private: await importJWK(key.privateJwk, 'RS256') };
  };
  type SigningKeyObject = Awaited<ReturnType<typeof importJWK>>;
  const sign = async (options: {
    issuer?: string;
    audience?: string;
    exp?: number;
    key?: { kid: string; private: SigningKeyObject };
  }) => {
    const key = options.key ?? (await activeKey());
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(options.issuer ?? auth.issuer)
      .setAudience(options.audience ?? api)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key.private);
  };

  it('accepts a token signed with the real key (the control case)', async () => {
    expect((await me(await sign({}))).status).toBe(200);
  });

  it.each([
    ['expired', () => sign({ exp: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    [
      'signed with another key',
      async () => {
        const { privateKey } = await generateKeyPair('RS256', { extractable: true });
        const real = await activeKey();
        return sign({ key: { kid: real.kid, private: privateKey } });
      },
      /signature does not match/,
    ],
    [
      'signed with a key auth never published',
      async () => {
        const { privateKey } = await generateKeyPair('RS256', { extractable: true });
        return sign({ key: { kid: 'not-published', private: privateKey } });
      },
      /does not publish/,
    ],
    [
      'with alg none',
      async () => {
        const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, iss: auth.issuer, aud: api, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      },
      /algorithm/,
    ],
    ['for another audience', () => sign({ audience: 'urn:other:api' }), /another audience/],
    ['from another issuer', () => sign({ issuer: 'http://127.0.0.1:1' }), /another issuer/],
  ])('answers 401 to a token %s', async (_label, make, reason) => {
    const response = await me(await make());
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await response.json()) as { detail: string }).toMatchObject({
      status: 401,
      detail: expect.stringMatching(reason),
    });
  });
});

describe('restarts and key rotation', () => {
  it('keeps the sign-in session and refresh tokens across an auth restart', async () => {
    const browser = new CookieBrowser();
    const first = await authorize(browser, demoAccount(auth, 'accountant'));
    await auth.restart();
    // Same browser: the session cookie still opens a session, so no sign-in page this time.
    const second = await authorize(browser, undefined);
    expect(second.claims()?.sub).toBe(first.claims()?.sub);
    const refreshed = await client.refreshTokenGrant(config, first.refresh_token as string, { resource: api });
    expect((await me(refreshed.access_token)).status).toBe(200);
  });

  it('publishes a rotated key at once and signs with it only from its activation', async () => {
    const before = await publishedKeys(auth.db);
    const rotation = await rotateSigningKey(auth.db, { maxTokenLifetimeSeconds: 900 });
    const after = await publishedKeys(auth.db);
    expect(after.map((k) => [k.kid, k.signing])).toEqual([
      [before[0]?.kid, true],
      [rotation.newKid, false],
    ]);
    expect(rotation.activatesAt.getTime() - Date.now()).toBeGreaterThan(590_000);
    expect(rotation.retiredKeyPublishedUntil?.getTime()).toBe(rotation.activatesAt.getTime() + 960_000);
  });

  it('after a key rotation, signs with the new key; tokens signed with the old one stay valid', async () => {
    const before = await authorize(new CookieBrowser(), demoAccount(auth, 'manager'));
    const kidOf = (jwt: string) =>
      (JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()) as { kid: string }).kid;
    const oldKid = kidOf(before.access_token);
    const rotation = await rotateSigningKey(auth.db, { maxTokenLifetimeSeconds: 900, activationDelaySeconds: 0 });
    await auth.restart(); // a running instance adopts it within 30 s; a restart does at once
    const after = await authorize(new CookieBrowser(), demoAccount(auth, 'manager'));
    expect(kidOf(after.access_token)).toBe(rotation.newKid);
    const jwks = (await (await fetch(`${auth.issuer}/oidc/jwks`)).json()) as { keys: JWK[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([rotation.newKid, oldKid]));
    expect(jwks.keys[0]?.kid).toBe(rotation.newKid);
    expect(jwks.keys.every((k) => k.d === undefined && k.p === undefined)).toBe(true);
    // The service that cached the old key set still accepts the old token…
    expect((await me(before.access_token)).status).toBe(200);
    // …and a service that fetches the keys now accepts both.
    const freshDb = await createTestDatabase('probe');
    const fresh = await startProbeService(auth.issuer, freshDb);
    try {
      for (const token of [before.access_token, after.access_token]) {
        expect((await fetch(`${fresh.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
          200,
        );
      }
    } finally {
      await fresh.close();
      await freshDb.drop();
    }
  });
});
