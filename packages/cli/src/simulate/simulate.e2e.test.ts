import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverClient, signInWithClient, type Credentials } from '@ates/sign-in';
import { eventually } from '@ates/testing';
import { freePort, runCli, type CliRun } from '../testing/run-cli.js';
import { simulatorRedirectUri } from './people.js';
import type { SimulationSummary } from './simulate.js';

// `ates simulate` against a fresh `npm start`, as a new user would run it: with the demo admin
// that the first start printed. Then the summary is checked against what each service's own API
// says — the simulator's counts are only its view; the services are the truth.

let home: string;
let system: CliRun;
let env: NodeJS.ProcessEnv;
let admin: Credentials;
const url = (port: string | undefined) => `http://localhost:${port}`;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'ates-simulate-'));
  await chmod(home, 0o755); // as root, PostgreSQL runs as the postgres user and must enter it
  env = { ATES_HOME: home, LOG_LEVEL: 'warn' };
  for (const name of [
    'ATES_PG_PORT',
    'AUTH_PORT',
    'TRACKER_PORT',
    'ACCOUNTING_PORT',
    'ANALYTICS_PORT',
    'MAILDEV_SMTP_PORT',
    'MAILDEV_WEB_PORT',
  ])
    env[name] = String(await freePort());
  system = runCli(['start'], env);
  await system.waitFor(/Demo accounts \(shown this once[^\n]*\n[^\n]*\n/, 110_000);
  const line = /^ {2}admin +(\S+) +(\S+)/m.exec(system.output());
  if (!line) throw new Error(`no demo admin in the output:\n${system.output()}`);
  admin = { email: line[1] as string, password: line[2] as string };
});

afterAll(async () => {
  system?.child.kill('SIGTERM');
  await system?.exited;
  await rm(home, { recursive: true, force: true });
});

const get = async (base: string, token: string, path: string): Promise<Record<string, unknown>> => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

describe('ates simulate', () => {
  it('runs a seeded company day through the public interfaces, and its summary is what the services hold', async () => {
    const report = path.join(home, 'simulation.json');
    const run = runCli(
      [
        'simulate',
        '--size',
        '6',
        '--duration',
        '12',
        '--seed',
        '42',
        '--reassign-every',
        '3',
        '--report',
        report,
        '--admin-email',
        admin.email,
        '--admin-password',
        admin.password,
      ],
      env,
    );
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/Simulation \S+ \(seed 42, 6 people/);
    const summary = JSON.parse(await readFile(report, 'utf8')) as SimulationSummary;
    expect(summary.failures).toEqual([]);
    expect(summary.accounts.created).toBe(6);
    expect(summary.tasks.created).toBeGreaterThan(0);
    expect(summary.tasks.completed).toBeGreaterThan(0);
    expect(summary.tasks.reassign_calls).toBeGreaterThan(0);

    // The application the simulator registered on the admin pages signs the admin in here too.
    const config = await discoverClient(url(env.AUTH_PORT), summary.client_id, undefined);
    const token = (await signInWithClient(config, admin, simulatorRedirectUri)).access_token;

    // Auth: every account it created, with the role and state it left them in.
    const accounts = await get(url(env.AUTH_PORT), token, '/api/accounts?q=sim.uberpopug.example&per_page=100');
    expect(accounts.total).toBe(6);
    const byId = new Map(
      (accounts.items as Array<{ public_id: string; role: string; active: boolean }>).map((a) => [a.public_id, a]),
    );
    for (const a of summary.accounts.items) expect(byId.get(a.id)).toMatchObject({ role: a.role, active: a.active });

    // Tracker: every task created (a fresh system has no others), and the completed ones done.
    const all = await get(url(env.TRACKER_PORT), token, '/api/tasks?assignee=all&page_size=1');
    expect(all.total).toBe(summary.tasks.created);
    const done = await get(url(env.TRACKER_PORT), token, '/api/tasks?assignee=all&status=done&page_size=1');
    expect(done.total).toBe(summary.tasks.completed);

    // Accounting: one fee per assignment (creation and every move), one reward per completion.
    const ledger = await eventually('every fee and reward in accounting', async () => {
      const list = await get(url(env.ACCOUNTING_PORT), token, '/api/accounts?page_size=200');
      let fees = 0;
      let rewards = 0;
      for (const account of list.items as Array<{ id: string }>) {
        for (let page = 1; ; page++) {
          const entries = await get(
            url(env.ACCOUNTING_PORT),
            token,
            `/api/accounts/${account.id}/transactions?page_size=200&page=${page}`,
          );
          const items = entries.items as Array<{ kind: string }>;
          fees += items.filter((e) => e.kind === 'fee').length;
          rewards += items.filter((e) => e.kind === 'reward').length;
          if (items.length < 200) break;
        }
      }
      const expected = { fees: summary.tasks.created + summary.tasks.reassigned, rewards: summary.tasks.completed };
      return fees === expected.fees && rewards === expected.rewards && { fees, rewards };
    });
    expect(ledger.rewards).toBe(summary.tasks.completed);
  });
});
