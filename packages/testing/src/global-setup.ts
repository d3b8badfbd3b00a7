import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { assertReachable } from '@ates/db';
import { startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the integration tests run against. */
    testDatabaseUrl: string;
  }
}

const startOwnCluster = async (): Promise<{ url: string; stop: () => Promise<void> }> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ates-test-pg-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must enter it
  const port = await freePort();
  let embedded: RunningPostgres;
  try {
    embedded = await startEmbeddedPostgres({ dir, port });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  process.stderr.write(`[tests] PostgreSQL under test: embedded, 127.0.0.1:${port}\n`);
  return {
    url: embedded.adminUrl,
    stop: async () => {
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

/**
 * Integration tests need a real PostgreSQL. `ATES_TEST_DATABASE_URL` names one (CI points it at
 * the machine's 127.0.0.1:5432); when it is set and does not answer, the run fails — nothing is
 * skipped silently. When unset, each test project starts its own embedded cluster in a temporary directory
 * on a free port, so that test runs side by side never share (or stop) each other's server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.ATES_TEST_DATABASE_URL;
  if (given) {
    await assertReachable(given);
    project.provide('testDatabaseUrl', given);
    process.stderr.write(`[tests] PostgreSQL under test: ${new URL(given).host} (ATES_TEST_DATABASE_URL)\n`);
    return async () => undefined;
  }
  // Vitest loads this file once per project (int, e2e): each gets a cluster of its own.
  const cluster = await startOwnCluster();
  project.provide('testDatabaseUrl', cluster.url);
  return cluster.stop;
}
