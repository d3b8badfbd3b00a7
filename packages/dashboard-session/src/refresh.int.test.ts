import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import * as oidc from 'openid-client';
import { createDb, createPool, migrate } from '@ates/db';
import { createLogger } from '@ates/logger';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import type { Caller } from '@ates/token-verifier';
import { createSessionCrypto, hashSessionId } from './crypto.js';
import { addDashboardSessionsRefreshClaim, createDashboardSessionsTable } from './migration.js';
import { createRefresher } from './refresh.js';
import { findActive, insertActive, sessionDb, type SessionTables } from './store.js';

// The token refresh of dashboard sessions against a real PostgreSQL and a token endpoint this
// test controls: one refresh per session across instances, none holding a connection while the
// auth service is asked, a refusal ending the session, and a hung auth service remembered.

type Mode = 'answer' | 'refuse' | 'hang';
let mode: Mode = 'answer';
let tokenRequests = 0;
let endpoint: Server;
let issuer: string;
let database: TestDatabase;
let db: Kysely<SessionTables>;
const crypto = createSessionCrypto(['s'.repeat(40)]);
const viewer: Caller = {
  id: '6f1c1c8e-8f4e-4b8e-9b53-0d8a5b0c1a11',
  role: 'worker',
  name: 'Kiwi',
  email: 'k@x.example',
};
const logger = createLogger('test', 'silent');

const answer = (request: IncomingMessage, response: ServerResponse) => {
  tokenRequests += 1;
  request.resume();
  if (mode === 'hang') return;
  if (mode === 'refuse') {
    response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
    return;
  }
  const body = { access_token: `fresh-${tokenRequests}`, token_type: 'Bearer', expires_in: 900, refresh_token: 'r2' };
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/** A dashboard instance: its own pool (of one connection, to show none is held) and refresher. */
const instance = () => {
  const pool = createDb<SessionTables>(createPool(database.url, { max: 1 }));
  const configuration = new oidc.Configuration(
    { issuer, token_endpoint: `${issuer}/token` },
    'dashboard',
    { client_secret: 'secret' },
    oidc.ClientSecretBasic('secret'),
  );
  oidc.allowInsecureRequests(configuration);
  configuration.timeout = 1;
  const refresher = createRefresher({
    db: sessionDb(pool),
    crypto,
    discover: async () => configuration,
    verify: async () => viewer,
    log: logger,
    authTimeoutMs: 1_000,
  });
  return { pool, refresher };
};

let seq = 0;
const session = async (expiresInMs: number): Promise<string> => {
  seq += 1;
  const idHash = hashSessionId(`session-${seq}`);
  await insertActive(db, {
    idHash,
    viewer,
    sid: null,
    accessToken: crypto.seal('old'),
    accessExpiresAt: new Date(Date.now() + expiresInMs),
    refreshToken: crypto.seal('r1'),
    csrfToken: 'csrf',
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return idHash;
};

beforeAll(async () => {
  endpoint = createServer(answer);
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  database = await createTestDatabase('sessions');
  db = createDb<SessionTables>(createPool(database.url, { max: 2 }));
  await migrate(
    db as unknown as Kysely<unknown>,
    [
      { name: '0001_dashboard_sessions', up: createDashboardSessionsTable },
      { name: '0002_refresh_claim', up: addDashboardSessionsRefreshClaim },
    ],
    'test',
  );
});
afterAll(async () => {
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
  await db.destroy();
  await database.drop();
});
beforeEach(() => {
  mode = 'answer';
  tokenRequests = 0;
});

describe('refreshing a dashboard session', () => {
  it('asks the auth service once for a session due in two instances at once, and both get the new token', async () => {
    const [a, b] = [instance(), instance()];
    try {
      const idHash = await session(-60_000);
      const [fromA, fromB] = await Promise.all([a.refresher.current(idHash), b.refresher.current(idHash)]);
      expect(tokenRequests).toBe(1);
      for (const s of [fromA, fromB]) expect(crypto.open(s?.accessToken ?? '')).toBe('fresh-1');
      expect(crypto.open((await findActive(db, idHash))?.refreshToken ?? '')).toBe('r2');
    } finally {
      await Promise.all([a.pool.destroy(), b.pool.destroy()]);
    }
  });

  it('leaves a session alone whose token has time left', async () => {
    const a = instance();
    try {
      const idHash = await session(600_000);
      expect(crypto.open((await a.refresher.current(idHash))?.accessToken ?? '')).toBe('old');
      expect(tokenRequests).toBe(0);
    } finally {
      await a.pool.destroy();
    }
  });

  it('ends the session when the auth service refuses the refresh token', async () => {
    mode = 'refuse';
    const a = instance();
    try {
      const idHash = await session(-60_000);
      expect(await a.refresher.current(idHash)).toBeUndefined();
      expect(await findActive(db, idHash)).toBeUndefined();
    } finally {
      await a.pool.destroy();
    }
  });

  it('holds no connection while auth hangs, remembers the failure, and keeps the session', async () => {
    mode = 'hang';
    const a = instance();
    try {
      const idHash = await session(10_000);
      const pending = a.refresher.current(idHash);
      await eventually('n === 1', async () => {
        const n = tokenRequests;
        return n === 1;
      });
      // The instance's only connection is free while its refresh waits on auth.
      expect((await sql<{ one: number }>`select 1 as one`.execute(a.pool)).rows[0]?.one).toBe(1);
      expect(crypto.open((await pending)?.accessToken ?? '')).toBe('old');
      expect(a.refresher.authUnreachable()).toBe(true);
      // Remembered: the next request does not ask again, and the claim was given back.
      await a.refresher.current(idHash);
      expect(tokenRequests).toBe(1);
      const row = await sql<{ claimed: Date | null }>`
        select refresh_claimed_until as claimed from dashboard_sessions where id_hash = ${idHash}`.execute(db);
      expect(row.rows[0]?.claimed).toBeNull();
    } finally {
      await a.pool.destroy();
    }
  });

  it('lets an instance that waited on another try itself when the other found auth unreachable', async () => {
    mode = 'hang';
    const [a, b] = [instance(), instance()];
    try {
      const idHash = await session(-60_000);
      const results = await Promise.all([a.refresher.current(idHash), b.refresher.current(idHash)]);
      // One after the other, never both at once; each instance now knows auth is unreachable.
      expect(tokenRequests).toBe(2);
      expect([a, b].map((i) => i.refresher.authUnreachable())).toEqual([true, true]);
      expect(results.map((r) => crypto.open(r?.accessToken ?? ''))).toEqual(['old', 'old']);
      expect(await findActive(db, idHash)).toBeDefined();
    } finally {
      await Promise.all([a.pool.destroy(), b.pool.destroy()]);
    }
  });
});
