import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { assertReachable } from '@ates/db';
import { runningClusterUrl, startEmbeddedPostgres, type RunningPostgres } from '@ates/embedded-pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server the integration tests run against. */
    testDatabaseUrl: string;
  }
}

let embedded: RunningPostgres | undefined;

/**
 * Integration tests need a real PostgreSQL. `ATES_TEST_DATABASE_URL` names one (CI points it at
 * the machine's 127.0.0.1:5432); when it is set and does not answer, the run fails — nothing is
 * skipped silently. When unset, an embedded cluster is started under `$ATES_HOME/test-postgres`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.ATES_TEST_DATABASE_URL;
  if (given) {
    await assertReachable(given);
    project.provide('testDatabaseUrl', given);
    process.stderr.write(`[int] PostgreSQL under test: ${new URL(given).host} (ATES_TEST_DATABASE_URL)\n`);
  } else {
    const home = process.env.ATES_HOME ?? path.resolve('.ates');
    const port = Number(process.env.ATES_TEST_PG_PORT ?? 54339);
    const dir = path.join(home, 'test-postgres');
    // Two test runs at once (a watcher and a full run) share the cluster the first one started.
    const shared = await runningClusterUrl(dir);
    if (!shared) embedded = await startEmbeddedPostgres({ dir, port });
    const url = shared ?? embedded?.adminUrl ?? '';
    project.provide('testDatabaseUrl', url);
    process.stderr.write(`[int] PostgreSQL under test: embedded, 127.0.0.1:${new URL(url).port}${shared ? ' (shared with another run)' : ''}\n`);
  }
  return async () => {
    await embedded?.stop();
  };
}
