import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids } from '../testing/processes.js';
import { freePort, isAlive, occupyPort, runCli } from '../testing/run-cli.js';

// `npm start` as a new user runs it: a real supervisor, real processes, a real embedded
// PostgreSQL in a throw-away ATES_HOME, on ports picked so that nothing else clashes.
let home: string;
let env: NodeJS.ProcessEnv;
const services = ['auth', 'tracker', 'accounting', 'analytics'] as const;
const ports: Record<(typeof services)[number] | 'pg' | 'smtp' | 'mail', number> = {
  auth: 0,
  tracker: 0,
  accounting: 0,
  analytics: 0,
  pg: 0,
  smtp: 0,
  mail: 0,
};

const postgresPid = async (): Promise<number> =>
  Number((await readFile(path.join(home, 'postgres/data/postmaster.pid'), 'utf8')).split('\n')[0]);
const adminUrl = async (database: string): Promise<string> => {
  const password = (await readFile(path.join(home, 'postgres/password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.ATES_PG_PORT}/${database}`;
};
const query = async (database: string, text: string): Promise<pg.QueryResult> => {
  const client = new pg.Client({ connectionString: await adminUrl(database) });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
};
/** One line, no stack trace: what a user sees for bad input. */
const expectOneClearLine = (output: string, pattern: RegExp): void => {
  const line = output.split('\n').find((l) => pattern.test(l));
  expect(line, output).toBeDefined();
  expect(output).not.toMatch(/\n\s+at /);
};

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'ates-start-'));
  await chmod(home, 0o755); // as root, PostgreSQL runs as the postgres user and must enter it
  for (const name of [...services, 'pg', 'smtp', 'mail'] as const) ports[name] = await freePort();
  env = {
    ATES_HOME: home,
    ATES_PG_PORT: String(ports.pg),
    AUTH_PORT: String(ports.auth),
    TRACKER_PORT: String(ports.tracker),
    ACCOUNTING_PORT: String(ports.accounting),
    ANALYTICS_PORT: String(ports.analytics),
    MAILDEV_SMTP_PORT: String(ports.smtp),
    MAILDEV_WEB_PORT: String(ports.mail),
    LOG_LEVEL: 'warn',
  };
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('npm start', () => {
  it('brings every service up on an embedded PostgreSQL, then stops cleanly leaving no process behind', async () => {
    const run = runCli(['start'], env);
    await run.waitFor(/Press Ctrl-C to stop/);
    for (const name of services) {
      expect(run.output()).toContain(`http://localhost:${ports[name]}`);
      const ready = await fetch(`http://127.0.0.1:${ports[name]}/health/ready`);
      expect(ready.status, name).toBe(200);
    }
    // MailDev catches the payout emails: its inbox is in the table and its REST API answers.
    expect(run.output()).toMatch(
      new RegExp(`maildev +http://localhost:${ports.mail} +payout emails \\(SMTP 127\\.0\\.0\\.1:${ports.smtp}\\)`),
    );
    expect((await fetch(`http://127.0.0.1:${ports.mail}/email`)).status).toBe(200);
    const databases = (
      await query('postgres', "select datname from pg_database where datname like 'ates_%' order by 1")
    ).rows.map((r) => r.datname);
    expect(databases).toEqual(expect.arrayContaining(services.map((s) => `ates_${s}`)));
    await query(
      'ates_tracker',
      'create table survives_restart (note text); insert into survives_restart values ($$kept$$)',
    );

    const pids = [...childPids(run.child.pid ?? 0), await postgresPid()];
    expect(pids.length).toBeGreaterThanOrEqual(5);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(run.output()).toContain('aTES stopped.');
  });

  it('comes back with the data of the previous run, and refuses a second start while running', async () => {
    const run = runCli(['start'], env);
    await run.waitFor(/Press Ctrl-C to stop/);
    expect((await query('ates_tracker', 'select note from survives_restart')).rows).toEqual([{ note: 'kept' }]);

    const second = runCli(['start'], env);
    expect(await second.exited).toBe(78);
    expectOneClearLine(second.output(), /^ates start: aTES is already running from this data directory \(pid \d+/);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('restarts a service that crashes', async () => {
    const run = runCli(['start'], env);
    await run.waitFor(/Press Ctrl-C to stop/);
    const tracker = childPids(run.child.pid ?? 0);
    const victim = tracker.find((pid) =>
      execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).includes('serve tracker'),
    );
    expect(victim).toBeDefined();
    process.kill(victim ?? 0, 'SIGKILL');
    await run.waitFor(/tracker +\| exited \(SIGKILL\); restarting in \d+ ms/);
    await expect
      .poll(
        async () => (await fetch(`http://127.0.0.1:${ports.tracker}/health/ready`).catch(() => undefined))?.status,
        { timeout: 20_000 },
      )
      .toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('npm start with bad input ends with one clear line and a non-zero exit', () => {
  it('names an invalid variable', async () => {
    const run = runCli(['start'], { ...env, ATES_PG_PORT: 'abc' });
    expect(await run.exited).toBe(78);
    expectOneClearLine(
      run.output(),
      /^ates start: Invalid environment variable ATES_PG_PORT="abc": expected a TCP port/,
    );
  });

  it('names a port already in use, and touches no data', async () => {
    const blocker = await occupyPort(ports.tracker);
    try {
      const run = runCli(['start'], env);
      expect(await run.exited).toBe(78);
      expectOneClearLine(
        run.output(),
        new RegExp(`^ates start: Port ${ports.tracker} is already in use; it is needed for the tracker service`),
      );
    } finally {
      blocker.close();
    }
  });

  it('names the embedded PostgreSQL port when it is taken', async () => {
    const blocker = await occupyPort(ports.pg);
    try {
      const run = runCli(['start'], env);
      expect(await run.exited).toBe(78);
      expectOneClearLine(
        run.output(),
        new RegExp(`^ates start: Port ${ports.pg} is already in use; it is needed for embedded PostgreSQL`),
      );
    } finally {
      blocker.close();
    }
  });

  // Only root runs PostgreSQL as another user (postgres refuses root); for anyone else the case cannot arise.
  it.runIf(process.getuid?.() === 0)('names a data directory PostgreSQL cannot enter', async () => {
    const closed = await mkdtemp(path.join(tmpdir(), 'ates-closed-'));
    try {
      const run = runCli(['start'], { ...env, ATES_HOME: path.join(closed, 'home') });
      expect(await run.exited).not.toBe(0);
      expect(run.output()).not.toMatch(/\n\s+at /);
      expect(run.output().trim().split('\n')).toHaveLength(1);
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });

  it('names a data directory that cannot be written', async () => {
    const file = path.join(home, 'a-file');
    await writeFile(file, 'not a directory');
    const run = runCli(['start'], { ...env, ATES_HOME: path.join(file, 'data') });
    expect(await run.exited).toBe(78);
    expectOneClearLine(run.output(), /^ates start: Data directory .*a-file\/data cannot be created \(ENOTDIR\)/);
  });
});

describe('ates serve with bad input', () => {
  it('names a missing DATABASE_URL', async () => {
    const run = runCli(['serve', 'tracker'], { DATABASE_URL: '', EVENT_TRANSPORT_URL: '' });
    expect(await run.exited).toBe(78);
    expectOneClearLine(run.output(), /^ates serve tracker: Missing environment variable [A-Z_]+/);
  });

  it('names an unreachable database', async () => {
    const port = await freePort();
    const run = runCli(['serve', 'analytics'], {
      DATABASE_URL: `postgres://x:secret@127.0.0.1:${port}/analytics`,
      EVENT_TRANSPORT_URL: `postgres://x:secret@127.0.0.1:${port}/bus`,
      PORT: String(await freePort()),
      DASHBOARD_CLIENT_SECRET: 'c'.repeat(32),
      DASHBOARD_SESSION_SECRET: 's'.repeat(32),
    });
    expect(await run.exited).toBe(69);
    expectOneClearLine(
      run.output(),
      new RegExp(`^ates serve analytics: Cannot reach PostgreSQL at 127.0.0.1:${port}/analytics.*connection refused`),
    );
    expect(run.output()).not.toContain('secret');
  });

  it('names an unknown service', async () => {
    const run = runCli(['serve', 'payroll'], {});
    expect(await run.exited).toBe(78);
    expectOneClearLine(
      run.output(),
      /^ates serve: Unknown service "payroll": expected one of auth, tracker, accounting, analytics\.$/,
    );
  });
});
