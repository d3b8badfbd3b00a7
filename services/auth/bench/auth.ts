import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createDb, createPool, ensureDatabase, withDatabase } from '@ates/db';
import { startEmbeddedPostgres } from '@ates/embedded-pg';
import { createServiceApp, listen } from '@ates/http';
import { createLogger } from '@ates/logger';
import { decodeProtectedHeader, importJWK, jwtVerify, type JSONWebKeySet, type JWK } from 'jose';
import { authenticate, createTokenVerifier, remoteJwks, type AccountStanding } from '@ates/token-verifier';
import { hashPassword, verifyPassword } from '../src/accounts/passwords.js';
import { registerApplication } from '../src/applications/applications.js';
import type { AuthDb } from '../src/db.js';
import type { DemoCredential } from '../src/demo/seed.js';
import { discoverClient, freePort, signInWithClient } from '../src/testing/harness.js';

/**
 * `npm run bench:auth`. Runs the auth service as `ates serve auth` does (its own process, an
 * embedded PostgreSQL in a temporary directory) and measures:
 *
 *  1. token verifications per second in a service: `@ates/token-verifier` verifying one RS256
 *     access token issued by that auth service, with its key already cached — the work every
 *     API request of every service does; no call to auth. In a loop on one core, in alternating
 *     rounds: plain `jose.jwtVerify` against the key imported once (the cost of the signature
 *     check), the verifier with its token cache off (every token verified from scratch, as for a
 *     token seen for the first time), and the verifier answering the same token again from its
 *     cache — both with the caller's account standing looked up in memory, as in a service. Then
 *     an authenticated HTTP endpoint of a service shell under autocannon, cache on and off.
 *  2. sign-ins per second: complete sign-ins of a demo worker through the provider, as a browser
 *     and a dashboard do them — authorization request, sign-in page, form post (scrypt check),
 *     resume, redirect with the code, then the code exchange with PKCE at the token endpoint
 *     (JWT access token, ID token, refresh token) — from 8 concurrent clients; and, for
 *     reference, one scrypt password check at a time, which is what bounds them.
 */
const verifyLoopMs = 2_000;
const verifyRounds = 3;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const signIns = 200;
const signInConcurrency = 8;

const waitForReady = async (url: string, child: ChildProcess): Promise<void> => {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`auth exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export const benchAuth = async (): Promise<void> => {
  const home = await mkdtemp(path.join(tmpdir(), 'ates-bench-auth-'));
  await chmod(home, 0o755);
  const postgres = await startEmbeddedPostgres({ dir: path.join(home, 'postgres'), port: await freePort() });
  let child: ChildProcess | undefined;
  let db: AuthDb | undefined;
  try {
    await ensureDatabase(postgres.adminUrl, 'ates_auth');
    await ensureDatabase(postgres.adminUrl, 'ates_bus');
    const databaseUrl = withDatabase(postgres.adminUrl, 'ates_auth');
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const demoFile = path.join(home, 'demo.json');
    const entry = process.env.ATES_CLI_ENTRY;
    if (!entry) throw new Error('run through the ates command: npm run bench:auth');
    child = spawn(process.execPath, [entry, 'serve', 'auth'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        EVENT_TRANSPORT_URL: withDatabase(postgres.adminUrl, 'ates_bus'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AUTH_ISSUER: issuer,
        AUTH_COOKIE_KEYS: randomBytes(32).toString('base64url'),
        DASHBOARD_CLIENT_SECRET: randomBytes(32).toString('base64url'),
        DASHBOARD_SESSION_SECRET: randomBytes(32).toString('base64url'),
        SEED_DEMO_ACCOUNTS: 'true',
        DEMO_ACCOUNTS_FILE: demoFile,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitForReady(issuer, child);
    const demo = JSON.parse(await readFile(demoFile, 'utf8')) as DemoCredential[];
    db = createDb(createPool(databaseUrl, { max: 2 })) as unknown as AuthDb;
    const redirectUri = 'http://127.0.0.1:9/bench-callback';
    const { application, clientSecret } = await registerApplication(db, {
      name: 'Bench client',
      redirect_uris: [redirectUri],
      first_party: true,
    });
    const config = await discoverClient(issuer, application.client_id, clientSecret);

    // One demo account per client: the sign-in throttle counts attempts still being checked, so
    // more than a few at once for one account would be refused as guessing.
    const signInOnce = (client: number) =>
      signInWithClient(config, demo[client % demo.length] as DemoCredential, redirectUri);

    console.log(
      `auth bench — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at start`,
    );

    // 1a. The verifier alone, beside plain jose on the same token, in alternating rounds.
    const token = (await signInOnce(0)).access_token;
    const jwks = (await (await fetch(`${issuer}/oidc/jwks`)).json()) as JSONWebKeySet;
    const { kid } = decodeProtectedHeader(token);
    const publicKey = await importJWK(jwks.keys.find((k) => k.kid === kid) as JWK, 'RS256');
    const keys = remoteJwks({ url: `${issuer}/oidc/jwks` });
    // What a service's copy of accounts answers, from memory (see bench:standings).
    const standings = new Map<string, AccountStanding>();
    const accounts = { of: async (id: string) => standings.get(id) };
    const verifierWith = (maxCachedTokens?: number) =>
      createTokenVerifier({
        issuer,
        audience: 'urn:ates:api',
        keys,
        keysVersion: keys.version,
        accounts,
        ...(maxCachedTokens === undefined ? {} : { maxCachedTokens }),
      });
    const uncached = verifierWith(0);
    const verifier = verifierWith();
    const caller = await verifier.verify(token);
    standings.set(caller.id, { role: caller.role, active: true, roleVersion: 0, activeVersion: 0 });
    const plainJose = () =>
      jwtVerify(token, publicKey, { issuer, audience: 'urn:ates:api', algorithms: ['RS256'], clockTolerance: 30 });
    await plainJose();
    const rate = async (work: () => Promise<unknown>, ms: number): Promise<number> => {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < ms) {
        await work();
        n += 1;
      }
      return n / ((performance.now() - t0) / 1000);
    };
    const rounds: Array<{ jose: number; uncached: number; cached: number }> = [];
    for (let round = 0; round < verifyRounds; round += 1) {
      rounds.push({
        jose: await rate(plainJose, verifyLoopMs),
        uncached: await rate(() => uncached.verify(token), verifyLoopMs),
        cached: await rate(() => verifier.verify(token), verifyLoopMs),
      });
    }
    const perRound = (pick: (r: (typeof rounds)[number]) => number) =>
      `${count(median(rounds.map(pick)))} /s (rounds: ${rounds.map((r) => count(pick(r))).join(', ')})`;
    const ratios = rounds.map((r) => r.jose / r.uncached);
    console.log(
      `token verification, one at a time on one core, median of ${verifyRounds} alternating rounds of ${verifyLoopMs / 1000} s:`,
    );
    console.log(`  plain jose.jwtVerify, key imported once:                  ${perRound((r) => r.jose)}`);
    console.log(`  @ates/token-verifier, every token verified (no cache):    ${perRound((r) => r.uncached)}`);
    console.log(
      `    = ${median(ratios).toFixed(2)} × the time of plain jose (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; goal ≤ 1.5)`,
    );
    console.log(
      `  @ates/token-verifier, the same token again (kept):       ${perRound((r) => r.cached)} (goal ≥ 100,000)`,
    );

    // 1b. An authenticated endpoint of a service shell, with the token kept and without.
    const logger = createLogger('bench', 'silent');
    for (const [label, shellVerifier] of [
      ['token kept', verifier],
      ['every request verified', uncached],
    ] as const) {
      const app = await createServiceApp({
        service: 'bench',
        version: '0',
        description: 'bench',
        logger,
        readiness: [],
      });
      await app.register(async (api) => {
        authenticate(api, shellVerifier);
        api.get('/api/me', async (request) => ({ id: request.caller.id }));
      });
      const serviceUrl = await listen(app, await freePort(), '127.0.0.1');
      // Not counted: the first second of a new app is JIT warm-up (and its schemas' compiles).
      await autocannon({
        url: `${serviceUrl}/api/me`,
        connections: 20,
        duration: 1,
        headers: { authorization: `Bearer ${token}` },
      });
      const result = await autocannon({
        url: `${serviceUrl}/api/me`,
        connections: 20,
        duration: 5,
        headers: { authorization: `Bearer ${token}` },
      });
      await app.close();
      if (result.non2xx > 0) throw new Error(`${result.non2xx} requests were refused`);
      console.log(
        `authenticated GET in a service shell, autocannon 20 connections, ${label}:`.padEnd(96) +
          `${count(result.requests.average)} req/s (p99 ${result.latency.p99} ms)`,
      );
    }

    // 2. Full sign-ins, and for reference the password check alone (what bounds them).
    const hash = await hashPassword('reference password');
    let checked = 0;
    const h0 = performance.now();
    while (performance.now() - h0 < 3_000) {
      await verifyPassword('reference password', hash);
      checked += 1;
    }
    const checkMs = (performance.now() - h0) / checked;
    console.log(
      `password check alone (scrypt N=2^15, one at a time):              ${(1000 / checkMs).toFixed(1)} /s (${checkMs.toFixed(0)} ms each)`,
    );
    await signInOnce(0); // warm
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: signInConcurrency }, async (_, client) => {
        while (done < signIns) {
          done += 1;
          await signInOnce(client);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `full sign-ins (page, scrypt, code, token exchange), ${signInConcurrency} clients:   ${(done / seconds).toFixed(1)} /s (${done} in ${seconds.toFixed(1)} s)`,
    );
  } finally {
    await db?.destroy();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await postgres.stop();
    await rm(home, { recursive: true, force: true });
  }
};
