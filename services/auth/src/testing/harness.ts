import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as client from 'openid-client';
import { afterAll, beforeAll } from 'vitest';
import { createDb, createPool } from '@ates/db';
import { createServiceApp, listen } from '@ates/http';
import { createLogger } from '@ates/logger';
import { authenticate, serviceTokenVerifier } from '@ates/token-verifier';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { freePort } from '@ates/testing/ports';
import { registerApplication } from '../applications/applications.js';
import type { AuthDb } from '../db.js';
import type { DemoCredential } from '../demo/seed.js';
import { authService } from '../service.js';
import { CookieBrowser, authorizationRequest, discoverClient, formAction, signInWithClient } from '@ates/sign-in';

export { freePort };
export { discoverClient, openSignedIn, signInThroughBrowser, signInWithClient } from '@ates/sign-in';

export const testSecret = (): string => randomBytes(32).toString('base64url');

export interface RunningAuth {
  readonly issuer: string;
  readonly env: Readonly<Record<string, string>>;
  readonly service: RunningService;
  /** The demo accounts seeded at the first start, with their passwords. */
  readonly demo: readonly DemoCredential[];
  /** A connection of the test's own to the auth database. */
  readonly db: AuthDb;
  stop(): Promise<void>;
  /** Stops and starts the service again on the same port and database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs the real auth service (its `runService`, as `ates serve auth` does) on a free port
 * against `database`, with demo accounts seeded and their passwords read back. `transport` is
 * the event transport's database (EVENT_TRANSPORT_URL); one is created for the test when not
 * given, and dropped by `close`.
 */
export const startAuth = async (
  database: TestDatabase,
  overrides: Record<string, string> = {},
  transport?: TestDatabase,
): Promise<RunningAuth> => {
  const ownTransport = transport ? undefined : await createTestDatabase('bus');
  const port = overrides.PORT ? Number(overrides.PORT) : await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const demoFile = path.join(tmpdir(), `ates-demo-${randomBytes(6).toString('hex')}.json`);
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    EVENT_TRANSPORT_URL: (transport ?? ownTransport)?.url ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '5',
    AUTH_ISSUER: issuer,
    AUTH_COOKIE_KEYS: `${testSecret()},${testSecret()}`,
    DASHBOARD_CLIENT_SECRET: testSecret(),
    DASHBOARD_SESSION_SECRET: testSecret(),
    SEED_DEMO_ACCOUNTS: 'true',
    DEMO_ACCOUNTS_FILE: demoFile,
    ...overrides,
  };
  const pool = createPool(database.url, { max: 3 });
  const db = createDb(pool) as unknown as AuthDb;
  let service = await runService(authService, env);
  const demo = JSON.parse(await readFile(demoFile, 'utf8').catch(() => '[]')) as DemoCredential[];
  await rm(demoFile, { force: true });
  let stopped = false;
  return {
    issuer,
    env,
    get service() {
      return service;
    },
    demo,
    db,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await service.stop();
    },
    restart: async () => {
      if (!stopped) await service.stop();
      service = await runService(authService, env);
      stopped = false;
    },
    close: async () => {
      if (!stopped) await service.stop();
      stopped = true;
      await db.destroy();
      await ownTransport?.drop();
    },
  };
};

/**
 * The auth service for the tests of one file: started on a fresh database before them, stopped and
 * dropped after. Read `.current` inside tests and hooks.
 */
export const authForTests = (overrides: Record<string, string> = {}): { readonly current: RunningAuth } => {
  let database: TestDatabase | undefined;
  let running: RunningAuth | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('auth');
    running = await startAuth(database, overrides);
  });
  afterAll(async () => {
    await running?.close();
    await database?.drop();
  });
  return {
    get current() {
      if (!running) throw new Error('the auth service starts in beforeAll');
      return running;
    },
  };
};

export const demoAccount = (auth: RunningAuth, role: DemoCredential['role']): DemoCredential => {
  const found = auth.demo.find((d) => d.role === role);
  if (!found) throw new Error(`no demo ${role}`);
  return found;
};

/**
 * A stand-in for any aTES service: the shared HTTP shell with `@ates/token-verifier` as a
 * service uses it (remote JWKS, cached in its own database), answering `GET /api/me` with the
 * caller. Proves what a service accepts without depending on another service's code.
 */
export const startProbeService = async (
  issuer: string,
  database: TestDatabase,
): Promise<{ url: string; close(): Promise<void> }> => {
  const logger = createLogger('probe', 'silent');
  const pool = createPool(database.url, { max: 2 });
  const db = createDb(pool);
  const app = await createServiceApp({
    service: 'probe',
    version: '0',
    description: 'token probe',
    logger,
    readiness: [],
  });
  const { verifier } = serviceTokenVerifier({
    config: { AUTH_ISSUER: issuer, AUTH_INTERNAL_URL: undefined },
    db,
    logger,
  });
  await app.register(async (api) => {
    authenticate(api, verifier);
    api.get('/api/me', async (request) => request.caller);
  });
  const url = await listen(app, await freePort(), '127.0.0.1');
  return {
    url,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
};

const testRedirectUri = 'http://127.0.0.1:9/test-callback';

/** The first-party test application of this auth service, registered at first use. */
const testClient = async (auth: RunningAuth): Promise<client.Configuration> => {
  let registered = testClients.get(auth.issuer);
  if (!registered) {
    const { application, clientSecret } = await registerApplication(auth.db, {
      name: 'Test client',
      redirect_uris: [testRedirectUri],
      first_party: true,
    });
    registered = await discoverClient(auth.issuer, application.client_id, clientSecret);
    testClients.set(auth.issuer, registered);
  }
  return registered;
};

/**
 * Signs `credentials` in through the real flow (a first-party test application, the sign-in
 * page, the code exchange with PKCE) and returns the tokens for the aTES services.
 */
export const signIn = async (
  auth: RunningAuth,
  credentials: { email: string; password: string },
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> =>
  signInWithClient(await testClient(auth), credentials, testRedirectUri);

/** A browser on the sign-in page of a fresh authorization request, and where its form posts. */
export const signInForm = async (auth: RunningAuth): Promise<{ browser: CookieBrowser; action: string }> => {
  const { url } = await authorizationRequest(await testClient(auth), testRedirectUri);
  const browser = new CookieBrowser();
  const page = await browser.navigate(url.href, (next) => next.origin === auth.issuer);
  const action = formAction(page.body, '/login', page.url);
  if (!action) throw new Error(`no sign-in form: ${page.status} ${page.body.slice(0, 300)}`);
  return { browser, action };
};

const testClients = new Map<string, client.Configuration>();

/** One JSON API call to the auth service with a bearer token: status, content type and parsed body. */
export const callApi = async (
  auth: Pick<RunningAuth, 'issuer'>,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; contentType: string; json: unknown }> => {
  const response = await fetch(`${auth.issuer}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    json: (text ? JSON.parse(text) : undefined) as unknown,
  };
};
