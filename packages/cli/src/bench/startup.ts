import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, runCli } from '../testing/run-cli.js';

const runs = 5;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const environment = async (home: string): Promise<NodeJS.ProcessEnv> => ({
  ATES_HOME: home,
  ATES_PG_PORT: String(await freePort()),
  AUTH_PORT: String(await freePort()),
  TRACKER_PORT: String(await freePort()),
  ACCOUNTING_PORT: String(await freePort()),
  ANALYTICS_PORT: String(await freePort()),
  MAILDEV_SMTP_PORT: String(await freePort()),
  MAILDEV_WEB_PORT: String(await freePort()),
  LOG_LEVEL: 'warn',
});

/** Milliseconds from launching `ates start` until it prints the URL table (all services ready). */
const timeToReady = async (env: NodeJS.ProcessEnv): Promise<number> => {
  const started = performance.now();
  const run = runCli(['start'], env);
  await run.waitFor(/Press Ctrl-C to stop/, 120_000);
  const elapsed = performance.now() - started;
  run.child.kill('SIGTERM');
  if ((await run.exited) !== 0) throw new Error(`ates start did not stop cleanly:\n${run.output()}`);
  return elapsed;
};

const newHome = async (): Promise<string> => {
  const home = await mkdtemp(path.join(tmpdir(), 'ates-bench-'));
  await chmod(home, 0o755);
  return home;
};

/**
 * `npm run bench:startup`: the median of 5 for time-to-all-ready on a first start (empty
 * ATES_HOME: initdb, databases, migrations) and on a restart (same ATES_HOME). The compiled
 * bundle is warmed first, as it is after the first `npm start` of a checkout.
 */
export const benchStartup = async (): Promise<void> => {
  const homes: string[] = [];
  try {
    const warm = await newHome();
    homes.push(warm);
    await timeToReady(await environment(warm));
    const first: number[] = [];
    const restart: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const home = await newHome();
      homes.push(home);
      const env = await environment(home);
      first.push(await timeToReady(env));
      restart.push(await timeToReady(env));
      console.log(
        `run ${i + 1}: first start ${(first.at(-1) ?? 0).toFixed(0)} ms, restart ${(restart.at(-1) ?? 0).toFixed(0)} ms`,
      );
    }
    const fmt = (v: readonly number[]): string =>
      `median ${(median(v) / 1000).toFixed(2)} s (min ${(Math.min(...v) / 1000).toFixed(2)}, max ${(Math.max(...v) / 1000).toFixed(2)})`;
    console.log(`\nfirst start (empty ATES_HOME): ${fmt(first)}`);
    console.log(`restart (same ATES_HOME):      ${fmt(restart)}`);
  } finally {
    await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
  }
};
