import { writeFile } from 'node:fs/promises';
import { readConfig } from '@ates/config';
import { configError } from '@ates/errors';
import { startEnv } from '../start/start-config.js';
import type { Targets } from './api.js';
import { freshSeed, parseDuration } from './random.js';
import { simulate, type Progress, type SimulationSummary } from './simulate.js';

export interface SimulateCommandOptions {
  size?: string;
  duration?: string;
  seed?: string;
  concurrency?: string;
  reassignEvery?: string;
  demo?: boolean;
  adminEmail?: string;
  adminPassword?: string;
  report?: string;
  authUrl?: string;
  trackerUrl?: string;
  accountingUrl?: string;
  analyticsUrl?: string;
}

const positive = (name: string, text: string | undefined, fallback: number, max: number): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw configError(`--${name} must be a whole number from 0 to ${max}, not "${text}".`);
  return value;
};

/** The services of a local `npm start` (its ports from the same variables), unless told otherwise. */
const targetsOf = (options: SimulateCommandOptions, env: NodeJS.ProcessEnv): Targets => {
  const ports = readConfig(startEnv, env);
  const local = (port: number) => `http://localhost:${port}`;
  return {
    auth: options.authUrl ?? local(ports.AUTH_PORT),
    tracker: options.trackerUrl ?? local(ports.TRACKER_PORT),
    accounting: options.accountingUrl ?? local(ports.ACCOUNTING_PORT),
    analytics: options.analyticsUrl ?? local(ports.ANALYTICS_PORT),
  };
};

/** A bar on a terminal, redrawn in place; elsewhere (CI logs, a pipe) one line per tenth. */
const progressBar = (stream: NodeJS.WriteStream) => {
  let lastTenth = -1;
  return (p: Progress): void => {
    const width = 30;
    const filled = Math.round(p.done * width);
    const line = `${p.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(p.done * 100)).padStart(3)}%  tasks ${p.tasksCreated}  done ${p.tasksCompleted}  reassigns ${p.reassigns}  failed requests ${p.failures}`;
    if (stream.isTTY) {
      stream.write(`\r${line}${p.phase === 'finished' ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(p.done * 10) + (p.phase === 'accounts' ? 0 : 100);
    if (tenth !== lastTenth || p.phase === 'finished') stream.write(`${line}\n`);
    lastTenth = tenth;
  };
};

export const summaryLines = (s: SimulationSummary): string[] => {
  const statuses = (counts: Readonly<Record<string, number>>) =>
    Object.entries(counts)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const seconds = (Date.parse(s.finished_at) - Date.parse(s.started_at)) / 1000;
  return [
    '',
    `Simulation ${s.run} (seed ${s.seed}, ${s.size} people, ${seconds.toFixed(0)} s; application ${s.client_id})`,
    `  accounts     ${s.accounts.created} created, ${s.accounts.role_changes} role changes, ${s.accounts.deactivated} deactivated`,
    `  tasks        ${s.tasks.created} created, ${s.tasks.completed} completed, ${s.tasks.reassign_calls} reassigns moving ${s.tasks.reassigned} tasks${s.tasks.reassigns_unanswered ? ` (${s.tasks.reassigns_unanswered} unanswered)` : ''}`,
    `  refusals     ${statuses(s.refusals)}`,
    `  requests     ${s.requests.total}, ${s.requests.sign_ins} sign-ins (${s.requests.failed_sign_ins} failed)`,
    ...Object.entries(s.requests.by_service)
      .filter(([, counts]) => Object.keys(counts).length > 0)
      .map(([service, counts]) => `    ${service.padEnd(11)} ${statuses(counts)}`),
    `  failures     ${s.failures.length} requests answered 5xx or not at all`,
    ...s.failures
      .slice(0, 10)
      .map((f) => `    ${f.at} ${f.service} ${f.method} ${f.path} → ${f.status || (f.error ?? 'no answer')}`),
    ...(s.failures.length > 10 ? [`    … and ${s.failures.length - 10} more (all in --report)`] : []),
    '',
  ];
};

/** `ates simulate`: options to a run, a progress bar on stderr, the summary on stdout. */
export const simulateCommand = async (
  options: SimulateCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> => {
  const adminEmail = options.adminEmail ?? env.ATES_ADMIN_EMAIL;
  const adminPassword = options.adminPassword ?? env.ATES_ADMIN_PASSWORD;
  if (!adminEmail || !adminPassword)
    throw configError(
      'ates simulate signs in as an admin: give --admin-email and --admin-password (or ATES_ADMIN_EMAIL and ATES_ADMIN_PASSWORD) — the demo admin `npm start` printed on its first start, or one made with `ates auth create-account --role admin`.',
    );
  const durationSeconds = parseDuration(options.duration ?? '60');
  if (durationSeconds === undefined || durationSeconds < 1)
    throw configError(`--duration must be seconds or e.g. 90s, 3m, 1h30m, not "${options.duration}".`);
  const seed = options.seed === undefined ? freshSeed() : positive('seed', options.seed, 0, 2 ** 31);
  const demo = options.demo === true;
  const size = positive('size', options.size, demo ? 12 : 20, 5_000);
  if (size < 3) throw configError('--size must be at least 3: a manager, an accountant and a worker.');
  console.error(`ates simulate: seed ${seed}${demo ? ', a demo day' : `, ${durationSeconds} s`}, ${size} people`);
  const summary = await simulate({
    targets: targetsOf(options, env),
    admin: { email: adminEmail, password: adminPassword },
    size,
    durationSeconds,
    seed,
    concurrency: positive('concurrency', options.concurrency, 4, 64) || 1,
    reassignEverySeconds: positive('reassign-every', options.reassignEvery, 15, 86_400),
    demo,
    onProgress: progressBar(process.stderr),
  });
  for (const line of summaryLines(summary)) console.log(line);
  if (options.report) await writeFile(options.report, `${JSON.stringify(summary, null, 2)}\n`);
};
