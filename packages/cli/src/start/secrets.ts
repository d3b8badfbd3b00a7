import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { configError } from '@ates/errors';

/**
 * The secrets `npm start` gives the services, generated once into `$ATES_HOME/secrets.json`
 * (mode 600) and reused on every later start, so that sign-in sessions, refresh tokens and
 * dashboard sessions survive restarts. A deployment sets the same variables itself.
 */
export interface StartSecrets {
  /** Signs the auth service's session cookies (AUTH_COOKIE_KEYS). */
  readonly AUTH_COOKIE_KEYS: string;
  /** The dashboards' OAuth client secret (DASHBOARD_CLIENT_SECRET). */
  readonly DASHBOARD_CLIENT_SECRET: string;
  /** Signs the dashboards' session cookies (DASHBOARD_SESSION_SECRET). */
  readonly DASHBOARD_SESSION_SECRET: string;
  /** What a scraper sends to read every service's /metrics (METRICS_TOKEN). */
  readonly METRICS_TOKEN: string;
}

const names = ['AUTH_COOKIE_KEYS', 'DASHBOARD_CLIENT_SECRET', 'DASHBOARD_SESSION_SECRET', 'METRICS_TOKEN'] as const;

const fresh = (): string => randomBytes(32).toString('base64url');

const isComplete = (value: unknown): value is StartSecrets =>
  typeof value === 'object' &&
  value !== null &&
  names.every(
    (n) =>
      typeof (value as Record<string, unknown>)[n] === 'string' &&
      ((value as Record<string, string>)[n] as string).length >= 32,
  );

const writeExclusive = async (file: string, secrets: StartSecrets): Promise<void> => {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(secrets, null, 2)}\n`);
  } finally {
    await handle.close();
  }
};

/** Reads the secrets, creating the file (or the secrets it lacks) on first use. */
export const loadOrCreateSecrets = async (home: string): Promise<StartSecrets> => {
  const file = path.join(home, 'secrets.json');
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw configError(`${file} is unreadable or not JSON; fix or delete it (deleting signs everyone out).`);
  }
  if (isComplete(stored)) {
    // Someone loosened the permissions: tighten them again rather than refuse to start.
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
    return Object.fromEntries(names.map((n) => [n, stored[n]])) as unknown as StartSecrets;
  }
  // Keep the secrets that exist (changing them would sign everyone out); add the missing ones.
  const previous = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<Record<string, unknown>>;
  const secrets = Object.fromEntries(
    names.map((n) => [
      n,
      typeof previous[n] === 'string' && (previous[n] as string).length >= 32 ? previous[n] : fresh(),
    ]),
  ) as unknown as StartSecrets;
  if (stored === undefined) {
    await writeExclusive(file, secrets);
  } else {
    const temporary = `${file}.${process.pid}.tmp`;
    await writeExclusive(temporary, secrets);
    await rename(temporary, file);
  }
  return secrets;
};
