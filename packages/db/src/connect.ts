import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { AppError } from '@ates/errors';
import { configError, unavailable } from '@ates/errors';

// BIGINT (int8) and NUMERIC come back as strings by default; counts and sequence numbers in this
// system stay far below 2^53, so they are read as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PoolOptions {
  readonly max?: number;
  readonly applicationName?: string;
}

export const createPool = (url: string, options: PoolOptions = {}): pg.Pool => {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'ates',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server (database restart) must not crash the process;
  // the pool drops it and the next checkout reconnects.
  pool.on('error', () => undefined);
  survivesLostConnections(pool);
  return pool;
};

/**
 * pg-pool listens for errors only on idle clients: a checked-out client (a transaction, a
 * session connection between two queries) whose connection is reset or terminated by the server
 * emits 'error' with nobody listening, and that kills the process (found by `npm run chaos`:
 * the tracker and accounting died at every database restart and link cut). The error still
 * rejects the query in flight and the next one; the client is then released with the error and
 * dropped from the pool.
 */
export const survivesLostConnections = (pool: pg.Pool): void => {
  pool.on('connect', (client) => client.on('error', () => undefined));
};

export const createDb = <DB>(pool: pg.Pool): Kysely<DB> => new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });

const describeTarget = (url: string): string => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}/${u.pathname.slice(1)}`;
};

/** Turns a driver's connection failure into one line that names the server and the reason. */
export const explainConnectionError = (url: string, error: unknown): AppError => {
  const e = error as { code?: string; message?: string };
  const target = describeTarget(url);
  const reason =
    e.code === 'ECONNREFUSED'
      ? 'connection refused'
      : e.code === 'ENOTFOUND'
        ? 'host not found'
        : e.code === '3D000'
          ? 'database does not exist'
          : e.code === '28P01' || e.code === '28000'
            ? 'authentication failed'
            : e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')
              ? 'timed out'
              : (e.message ?? String(error));
  return unavailable(`Cannot reach PostgreSQL at ${target}: ${reason}.`, error);
};

/** Opens one connection to prove the server answers; throws an explained `AppError` if not. */
export const assertReachable = async (url: string): Promise<void> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw explainConnectionError(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
};

/** Runs `work` on one short-lived connection (maintenance: CREATE/DROP DATABASE, a quick query). */
export const withClient = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** Replaces the database name in a PostgreSQL URL. */
export const withDatabase = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates `database` on the server of `adminUrl` when it is missing. Safe to call from several
 * processes at once: a concurrent creation is treated as success.
 */
export const ensureDatabase = async (adminUrl: string, database: string): Promise<boolean> => {
  if (!identifier.test(database)) throw configError(`Invalid database name ${JSON.stringify(database)}.`);
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`create database "${database}"`);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw explainConnectionError(adminUrl, error);
  } finally {
    await client.end().catch(() => undefined);
  }
};
