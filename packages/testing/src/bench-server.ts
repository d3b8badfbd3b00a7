import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@ates/embedded-pg';
import { freePort } from './ports.js';

/**
 * The PostgreSQL server a benchmark runs on: ATES_BENCH_DATABASE_URL's (a superuser URL) when
 * set, otherwise an embedded one in a temporary directory, removed by `stop`.
 */
export const benchServer = async (name: string): Promise<{ url: string; stop(): Promise<void> }> => {
  const given = process.env.ATES_BENCH_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  const dir = await mkdtemp(path.join(tmpdir(), `ates-bench-${name}-`));
  await chmod(dir, 0o755); // run as root, the server runs as the postgres user
  const pg = await startEmbeddedPostgres({ dir, port: await freePort() });
  return {
    url: pg.adminUrl,
    stop: async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};
