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
import { authenticate, createTokenVerifier, remoteJwks } from '@ates/token-verifier';
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
 *     API request of every service does; no call to auth. Measured twice: the verifier alone in
 *     a loop (one core), and an authenticated HTTP endpoint of a service shell under autocannon.
 *  2. sign-ins per second: complete sign-ins of a demo worker through the provider, as a browser
 *     and a dashboard do them — authorization request, sign-in page, form post (scrypt check),
 *     resume, redirect with the code, then the code exchange with PKCE at the token endpoint
 *     (JWT access token, ID token, refresh token) — from 8 concurrent clients; and, for
 *     reference, one scrypt password check at a time, which is what bounds them.
 */
const verifyLoopMs = 5_000;
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
    const worker = (JSON.parse(await readFile(demoFile, 'utf8')) as DemoCredential[]).find(
      (d) => d.role === 'worker',
    ) as DemoCredential;
    db = createDb(createPool(databaseUrl, { max: 2 })) as unknown as AuthDb;
    const redirectUri = 'http://127.0.0.1:9/bench-callback';
    const { application, clientSecret } = await registerApplication(db, {
      name: 'Bench client',
      redirect_uris: [redirectUri],
      first_party: true,
    });
    const config = await discoverClient(issuer, application.client_id, clientSecret);

    const signInOnce = () => signInWithClient(config, worker, redirectUri);

    console.log(
      `auth bench — ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at start`,
    );

    // 1a. The verifier alone.
    const token = (await signInOnce()).access_token;
    const verifier = createTokenVerifier({
      issuer,
      audience: 'urn:ates:api',
      keys: remoteJwks({ url: `${issuer}/oidc/jwks` }),
    });
    await verifier.verify(token);
    let verified = 0;
    const started = performance.now();
    while (performance.now() - started < verifyLoopMs) {
      await verifier.verify(token);
      verified += 1;
    }
    const perSecond = verified / ((performance.now() - started) / 1000);
    console.log(
      `token verification, @ates/token-verifier in a loop (1 core):        ${Math.round(perSecond).toLocaleString('en-US')} /s`,
    );

    // 1b. An authenticated endpoint of a service shell.
    const logger = createLogger('bench', 'silent');
    const app = await createServiceApp({ service: 'bench', version: '0', description: 'bench', logger, readiness: [] });
    await app.register(async (api) => {
      authenticate(api, verifier);
      api.get('/api/me', async (request) => ({ id: request.caller.id }));
    });
    const serviceUrl = await listen(app, await freePort(), '127.0.0.1');
    const result = await autocannon({
      url: `${serviceUrl}/api/me`,
      connections: 20,
      duration: 5,
      headers: { authorization: `Bearer ${token}` },
    });
    await app.close();
    if (result.non2xx > 0) throw new Error(`${result.non2xx} requests were refused`);
    console.log(
      `authenticated GET in a service shell, autocannon 20 connections:  ${Math.round(result.requests.average).toLocaleString('en-US')} req/s (p99 ${result.latency.p99} ms)`,
    );

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
    await signInOnce(); // warm
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: signInConcurrency }, async () => {
        while (done < signIns) {
          done += 1;
          await signInOnce();
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
