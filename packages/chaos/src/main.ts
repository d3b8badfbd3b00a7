import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { freshSeed, parseDuration } from '@ates/cli/random';
import type { SimulationSummary } from '@ates/cli/simulate';
import { checkInvariants, isSettled, openDatabases, settledFigures, type Verdict } from './invariants.js';
import { describeFault, faultSchedule, services, type Fault } from './schedule.js';
import { ChaosSystem } from './system.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = path.join(root, 'bin', 'ates.js');
const run = promisify(execFile);
/** The run's own lines on stdout (the services' go to system.log in the home). */
const say = (line: string): void => void process.stdout.write(`${line}\n`);
/** Our environment without the compiled entry of this process: a child `bin/ates.js` builds or finds its own. */
const withoutEntry = (): NodeJS.ProcessEnv => {
  const { ATES_CLI_ENTRY: _entry, ...rest } = process.env;
  return rest;
};
/** Tries `work` again (PostgreSQL may be restarting under another fault) for up to 30 s. */
const retrying = async <T>(work: () => Promise<T>): Promise<T> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 30) throw error;
      await sleep(1_000);
    }
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const usage = `npm run chaos -- [--duration 3m] [--seed N] [--size 20] [--instances N] [--keep] [--sabotage]
  EVENT_TRANSPORT_URL=amqp://guest:guest@127.0.0.1:5672/<vhost> runs it on RabbitMQ (the vhost is created);
  ATES_CHAOS_RABBITMQ_NODE names the node that rabbitmqctl stops and starts (default: rabbitmqctl's own).`;

interface Options {
  readonly durationS: number;
  readonly seed: number;
  readonly size: number;
  readonly instances: number;
  readonly rabbitmqUrl: string | undefined;
  readonly keep: boolean;
  /** Before the checks, add a cent to one balance behind accounting's back and one to a day's fees in analytics: the report must say so. */
  readonly sabotage: boolean;
}

const readOptions = (): Options => {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '3m' },
      seed: { type: 'string' },
      size: { type: 'string', default: '20' },
      instances: { type: 'string' },
      keep: { type: 'boolean', default: false },
      sabotage: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    say(usage);
    process.exit(0);
  }
  const durationS = parseDuration(values.duration);
  if (!durationS || durationS < 60)
    throw new Error(`--duration must be at least a minute (e.g. 3m), not ${values.duration}\n${usage}`);
  const rabbitmqUrl = process.env.EVENT_TRANSPORT_URL || undefined;
  return {
    durationS,
    seed: values.seed === undefined ? freshSeed() : Number(values.seed),
    size: Number(values.size),
    instances: Number(values.instances ?? (rabbitmqUrl ? 2 : 1)),
    rabbitmqUrl,
    keep: values.keep,
    sabotage: values.sabotage,
  };
};

const rabbitmqctl = async (...args: string[]): Promise<void> => {
  const node = process.env.ATES_CHAOS_RABBITMQ_NODE;
  await run('rabbitmqctl', [...(node ? ['-n', node] : []), '-q', ...args], { timeout: 120_000 });
};

/** The day ends this far into the work: its close (and accounting's death in it) happens under load. */
const dayEndOf = (startMs: number, durationS: number): { dayEnd: string; atS: number } => {
  const target = new Date(startMs + durationS * 500);
  target.setUTCSeconds(0, 0);
  target.setUTCMinutes(target.getUTCMinutes() + 1);
  const minutes = target.getUTCHours() * 60 + target.getUTCMinutes();
  // The run crosses midnight: let the day end at midnight, as it does by default.
  if (minutes === 0 || target.getUTCDate() !== new Date(startMs).getUTCDate())
    return { dayEnd: '24:00', atS: Math.max(0, (target.getTime() - startMs) / 1000) };
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return { dayEnd: `${hh}:${mm}`, atS: (target.getTime() - startMs) / 1000 };
};

/** The running `ates simulate`, stopped with the system on Ctrl-C. */
let simulationChild: ReturnType<typeof spawn> | undefined;

type Done = Fault & { startedAt: number; endedAt: number; note: string };

const main = async (): Promise<number> => {
  const options = readOptions();
  const { ensureBuilt } = (await import(path.join(root, 'bin', 'build.js'))) as { ensureBuilt(): Promise<string> };
  const entry = await ensureBuilt();
  const home = await mkdtemp(path.join(tmpdir(), 'ates-chaos-'));
  await chmod(home, 0o755); // as root, PostgreSQL runs as the postgres user and must enter it
  const transport = options.rabbitmqUrl
    ? `RabbitMQ ${new URL(options.rabbitmqUrl).pathname}`
    : 'the embedded PostgreSQL transport';
  say(
    `chaos: seed ${options.seed}, ${options.durationS} s, ${options.size} people, ${options.instances} instance(s) of each service, ${transport}; data in ${home}`,
  );
  if (options.rabbitmqUrl) {
    const vhost = decodeURIComponent(new URL(options.rabbitmqUrl).pathname.slice(1));
    if (!vhost)
      throw new Error('EVENT_TRANSPORT_URL must name a vhost of its own for the chaos run, e.g. …:5672/ates-chaos');
    await rabbitmqctl('add_vhost', vhost).catch(() => undefined);
    await rabbitmqctl(
      'set_permissions',
      '-p',
      vhost,
      new URL(options.rabbitmqUrl).username || 'guest',
      '.*',
      '.*',
      '.*',
    );
  }

  const bootStartedAt = Date.now();
  // The day end is set before the services start; the work starts about a minute later.
  const day = dayEndOf(bootStartedAt + 60_000, options.durationS);
  const system = new ChaosSystem({
    home,
    entry,
    instances: options.instances,
    rabbitmqUrl: options.rabbitmqUrl,
    dayEnd: day.dayEnd,
  });
  const stopOnSignal = () => {
    simulationChild?.kill('SIGTERM');
    void system.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    return await work(options, system, home, bootStartedAt, day);
  } catch (error) {
    await system.stop().catch(() => undefined);
    throw error;
  }
};

const work = async (
  options: Options,
  system: ChaosSystem,
  home: string,
  bootStartedAt: number,
  day: { dayEnd: string; atS: number },
): Promise<number> => {
  await system.start();
  say(
    `chaos: the system is up in ${((Date.now() - bootStartedAt) / 1000).toFixed(1)} s; the business day ends at ${day.dayEnd} UTC`,
  );
  const admin = await system.demoAdmin();

  const reportFile = path.join(home, 'simulation.json');
  const workStartedAt = Date.now();
  const dayEndS = Math.max(5, (bootStartedAt + 60_000 + day.atS * 1000 - workStartedAt) / 1000);
  const faults = faultSchedule({
    seed: options.seed,
    durationS: options.durationS,
    instances: options.instances,
    rabbitmq: Boolean(options.rabbitmqUrl),
    dayEndS,
  });
  const simulation = spawn(
    process.execPath,
    [
      bin,
      'simulate',
      '--size',
      String(options.size),
      '--duration',
      String(options.durationS),
      '--seed',
      String(options.seed),
      '--reassign-every',
      '1',
      '--concurrency',
      '4',
      '--report',
      reportFile,
      '--auth-url',
      system.url('auth'),
      '--tracker-url',
      system.url('tracker'),
      '--accounting-url',
      system.url('accounting'),
      '--analytics-url',
      system.url('analytics'),
    ],
    {
      env: { ...withoutEntry(), ATES_ADMIN_EMAIL: admin.email, ATES_ADMIN_PASSWORD: admin.password },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  simulationChild = simulation;
  let simulationOutput = '';
  simulation.stdout.on('data', (chunk: Buffer) => (simulationOutput += chunk.toString()));
  const simulated = new Promise<number | null>((resolve) => simulation.once('exit', resolve));

  const done: Done[] = [];
  const inject = async (fault: Fault): Promise<void> => {
    await sleep(Math.max(0, workStartedAt + fault.atS * 1000 - Date.now()));
    const startedAt = Date.now();
    let note = '';
    try {
      switch (fault.kind) {
        case 'kill': {
          const instance = system.of(fault.service)[fault.instance];
          note = instance ? `pid ${system.kill(instance) ?? 'none (restarting)'}` : 'no such instance';
          break;
        }
        case 'kill-relay-holder': {
          // Between two holders (one just died, PostgreSQL just restarted) nobody holds it: wait for one.
          let holder = await retrying(() => system.relayHolder(fault.service));
          for (let i = 0; !holder && i < 30; i++) {
            await sleep(1_000);
            holder = await retrying(() => system.relayHolder(fault.service));
          }
          note = holder ? `${holder.label}, pid ${system.kill(holder) ?? 'none'}` : 'nobody held it (between holders)';
          break;
        }
        case 'restart-postgres':
          await system.restartPostgres(fault.forS * 1000);
          break;
        case 'restart-rabbitmq':
          await rabbitmqctl('stop_app');
          await sleep(fault.forS * 1000);
          await rabbitmqctl('start_app');
          break;
        case 'cut-links':
          system.cutLinks(fault.service);
          await sleep(fault.forS * 1000);
          system.restoreLinks(fault.service);
          break;
        case 'stop-auth':
          await system.stopService('auth');
          await sleep(fault.forS * 1000);
          system.startService('auth');
          break;
        case 'kill-during-close':
          note = await killDuringClose(system);
          break;
      }
    } catch (error) {
      note = `failed to inject: ${(error as Error).message}`;
    }
    const entry: Done = { ...fault, startedAt, endedAt: Date.now(), note };
    done.push(entry);
    say(
      `chaos: +${((startedAt - workStartedAt) / 1000).toFixed(0).padStart(4)} s  ${describeFault(fault)}${note ? ` — ${note}` : ''}`,
    );
  };
  const injected = Promise.all(faults.map(inject));
  const code = await simulated;
  await injected;
  if (code !== 0) throw new Error(`ates simulate exited with ${code}:\n${simulationOutput}`);
  say(simulationOutput.trimEnd());
  const summary = JSON.parse(await readFile(reportFile, 'utf8')) as SimulationSummary;

  // Settle: every outbox sent, every fee and reward posted, every mail out, no close in progress.
  const db = await openDatabases(system.adminUrl);
  const settleStartedAt = Date.now();
  let figures = await settledFigures(db);
  while (!isSettled(figures) && Date.now() - settleStartedAt < 300_000) {
    await sleep(2_000);
    figures = await settledFigures(db);
  }
  say(
    `chaos: ${isSettled(figures) ? 'settled' : 'NOT settled'} after ${((Date.now() - settleStartedAt) / 1000).toFixed(0)} s: ${JSON.stringify(figures)}`,
  );
  if (options.sabotage) {
    const [row] = await db.query('accounting')<{ account_id: string }>(
      'update balances set balance = balance + 1 where account_id = (select account_id from balances order by account_id limit 1) returning account_id',
    );
    say(`chaos: --sabotage: one cent added to the balance of ${row?.account_id} behind accounting's back`);
    const [day] = await db.query('analytics')<{ day: string }>(
      'update day_figures set fees = fees + 1 where day = (select max(day) from day_figures) returning day::text as day',
    );
    say(`chaos: --sabotage: one cent added to analytics' fees of ${day?.day} behind its back`);
  }
  const graceMs = 45_000;
  let verdicts = await checkInvariants({ db, mailUrl: system.mailUrl(), summary, faults: done, graceMs });
  const letters = verdicts.find((v) => v.name === 'no open dead letters');
  if (letters && !letters.held) {
    say('chaos: dead letters, listed, then replayed:');
    for (const p of letters.problems) say(`  ${p}`);
    for (const service of services) {
      const env = {
        ...withoutEntry(),
        DATABASE_URL: `${system.adminUrl.replace(/\/postgres$/, '')}/ates_${service}`,
        EVENT_TRANSPORT_URL: options.rabbitmqUrl ?? `${system.adminUrl.replace(/\/postgres$/, '')}/ates_bus`,
      };
      await run(process.execPath, [bin, 'dlq', 'replay', '--all', '--service', service], { env }).catch((e: Error) =>
        say(`  replay in ${service}: ${e.message}`),
      );
    }
    await sleep(10_000);
    verdicts = await checkInvariants({ db, mailUrl: system.mailUrl(), summary, faults: done, graceMs });
  }
  await db.close();
  if (!options.keep) await system.stop();

  const broken = verdicts.filter((v) => !v.held);
  const report = reportOf(options, done, summary, verdicts, figures);
  await writeFile(path.join(home, 'chaos-report.txt'), report);
  say(report);
  if (options.keep) say(`chaos: the system keeps running (--keep); its data is in ${home}`);
  return broken.length === 0 ? 0 : 1;
};

/**
 * The day ends while the work goes on; accounting's scheduler closes it within 30 s (and at every
 * start). Its database is watched for the close in progress, and accounting is SIGKILLed then.
 * The watch outlasts PostgreSQL being down (another fault may restart it meanwhile: a 30-minute
 * RabbitMQ run lost this fault to `ECONNREFUSED` that way); the close waits for it too.
 */
const killDuringClose = async (system: ChaosSystem): Promise<string> => {
  const db = await openDatabases(system.adminUrl);
  try {
    const deadline = Date.now() + 90_000;
    let lastError: string | undefined;
    while (Date.now() < deadline) {
      const [row] = await db
        .query('accounting')<{ closing: number; closed: number; unsent: number }>(
          `select count(*) filter (where status = 'closing')::int as closing, count(*) filter (where status = 'closed')::int as closed,
                  (select count(*)::int from mails where sent_at is null) as unsent from business_days`,
        )
        .catch((error: Error) => {
          lastError = error.message;
          return [];
        });
      if (row && (row.closing > 0 || (row.closed > 0 && row.unsent > 0))) {
        const pids = system.of('accounting').map((i) => system.kill(i));
        return `${row.closing > 0 ? 'the day was closing' : 'closed, payout emails still unsent'}; killed ${pids.join(', ')}`;
      }
      if (row && row.closed > 0) return 'the close finished between two looks (no kill)';
      await sleep(row ? 5 : 200);
    }
    return `no close within 90 s${lastError ? ` (last error: ${lastError})` : ''}`;
  } finally {
    await db.close();
  }
};

const reportOf = (
  options: Options,
  faults: readonly Done[],
  summary: SimulationSummary,
  verdicts: readonly Verdict[],
  figures: object,
): string => {
  const lines = [
    '',
    `aTES chaos report — seed ${options.seed}, ${options.durationS} s, ${options.size} people, ${options.instances} instance(s), ${options.rabbitmqUrl ? 'RabbitMQ' : 'PostgreSQL transport'}`,
    `  faults injected: ${faults.length}`,
    ...[...faults]
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((f) => `    +${String(Math.round(f.atS)).padStart(4)} s ${describeFault(f)}${f.note ? ` (${f.note})` : ''}`),
    `  requests made: ${summary.requests.total} (${summary.failures.length} answered 5xx or not at all), ${summary.requests.sign_ins} sign-ins`,
    `  work: ${summary.tasks.created} tasks created, ${summary.tasks.completed} completed, ${summary.tasks.reassign_calls} reassigns moving ${summary.tasks.reassigned}, ${summary.accounts.role_changes} role changes, ${summary.accounts.deactivated} deactivations`,
    `  events at the end: ${JSON.stringify(figures)}`,
    '  invariants:',
    ...verdicts.flatMap((v) => [
      `    ${v.held ? 'HELD  ' : 'BROKEN'} ${v.name} — ${v.figures}`,
      ...v.problems.map((p) => `           ${p}`),
    ]),
    '',
  ];
  const broken = verdicts.filter((v) => !v.held);
  lines.push(
    broken.length === 0
      ? 'chaos: every invariant held.'
      : `chaos: ${broken.length} invariant(s) broken: ${broken.map((v) => v.name).join('; ')}`,
  );
  return `${lines.join('\n')}\n`;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
