import { httpUrl, integer, oneOf, secret, type ConfigOf, type Variable } from '@ates/config';

const secrets = (description: string): Variable<string[]> => ({
  description,
  expected: 'comma-separated random strings of at least 32 characters each',
  parse: (raw) => {
    const list = raw.split(',').map((s) => s.trim());
    if (list.length === 0 || list.some((s) => s.length < 32)) throw new Error('invalid');
    return list;
  },
});

const flag = (description: string, fallback: 'true' | 'false'): Variable<boolean> => {
  const parse = oneOf(description, ['true', 'false'] as const, fallback);
  return { ...parse, parse: (raw) => parse.parse(raw) === 'true' };
};

const optionalPath = (description: string): Variable<string | undefined> => ({
  description,
  default: '',
  expected: 'a file path, or empty',
  parse: (raw) => (raw === '' ? undefined : raw),
});

/** The auth service's own variables (the common ones — DATABASE_URL, PORT, … — come from @ates/service). */
export const authEnv = {
  AUTH_ISSUER: httpUrl(
    'Issuer identifier of the auth service: its public base URL, which tokens carry as `iss` and browsers are sent to.',
    'http://localhost:4000',
  ),
  AUTH_COOKIE_KEYS: secrets(
    'Secrets that sign the sign-in session cookies, comma-separated, newest first; keep older ones listed while their cookies may still be around.',
  ),
  DASHBOARD_CLIENT_SECRET: secret(
    'Client secret shared by the aTES dashboards (tracker, accounting, analytics, auth admin), registered as first-party OAuth applications at start.',
  ),
  DASHBOARD_SESSION_SECRET: secrets(
    "Secrets that sign the admin dashboard's session cookie and encrypt its stored tokens, comma-separated, newest first.",
  ),
  TRACKER_URL: httpUrl(
    'Public base URL of the tracker dashboard, registered as an OAuth application.',
    'http://localhost:4001',
  ),
  ACCOUNTING_URL: httpUrl(
    'Public base URL of the accounting dashboard, registered as an OAuth application.',
    'http://localhost:4002',
  ),
  ANALYTICS_URL: httpUrl(
    'Public base URL of the analytics dashboard, registered as an OAuth application.',
    'http://localhost:4003',
  ),
  AUTH_ACCESS_TOKEN_TTL: integer(
    'Lifetime of access tokens in seconds: how long a role change or deactivation can take to reach the services, and how long a retired signing key stays published.',
    900,
    60,
    86_400,
  ),
  AUTH_TRUST_PROXY: flag(
    'Trust X-Forwarded-* headers (set true behind a TLS-terminating proxy, so that secure cookies and client addresses are right).',
    'false',
  ),
  SEED_DEMO_ACCOUNTS: flag(
    'On the first start of an empty system, create demo accounts (one admin, manager and accountant, five workers) with random passwords.',
    'false',
  ),
  DEMO_ACCOUNTS_FILE: optionalPath(
    'Where the demo accounts and their passwords are written (mode 600) when they are created; `npm start` prints and deletes it.',
  ),
};

export type AuthConfig = ConfigOf<typeof authEnv>;

/** Lifetimes in seconds. */
export interface TokenLifetimes {
  readonly accessToken: number;
  readonly idToken: number;
  readonly refreshToken: number;
  readonly session: number;
}

/** Token lifetimes follow from one setting; see docs/auth.md. */
export const lifetimesFor = (config: Pick<AuthConfig, 'AUTH_ACCESS_TOKEN_TTL'>): TokenLifetimes => ({
  accessToken: config.AUTH_ACCESS_TOKEN_TTL,
  idToken: config.AUTH_ACCESS_TOKEN_TTL,
  refreshToken: 14 * 24 * 3600,
  session: 14 * 24 * 3600,
});

/** The longest a token signed now stays valid: how long a retired signing key stays published. */
export const maxSignedTokenLifetime = (config: Pick<AuthConfig, 'AUTH_ACCESS_TOKEN_TTL'>): number => {
  const ttl = lifetimesFor(config);
  return Math.max(ttl.accessToken, ttl.idToken);
};
