import { httpUrl, secret, type ConfigOf, type Variable } from '@ates/config';
import { tokenVerifierEnv } from '@ates/token-verifier';

const secrets = (description: string): Variable<string[]> => ({
  description,
  expected: 'comma-separated random strings of at least 32 characters each',
  parse: (raw) => {
    const list = raw.split(',').map((s) => s.trim());
    if (list.some((s) => s.length < 32)) throw new Error('invalid');
    return list;
  },
});

/**
 * Variables of a service with a dashboard; spread into its definition's `env`:
 *
 *   env: { ...dashboardSessionEnv('http://localhost:4001') }
 *
 * They include the token verifier's (AUTH_ISSUER, AUTH_INTERNAL_URL).
 */
export const dashboardSessionEnv = (defaultPublicUrl: string) => ({
  ...tokenVerifierEnv,
  PUBLIC_URL: httpUrl(
    'Public base URL of this dashboard as browsers reach it; its /callback must be registered at the auth service.',
    defaultPublicUrl,
  ),
  DASHBOARD_CLIENT_SECRET: secret(
    'OAuth client secret of the aTES dashboards (the same value the auth service is given).',
  ),
  DASHBOARD_SESSION_SECRET: secrets(
    "Secrets that sign the dashboard's session cookie and encrypt its stored tokens, comma-separated, newest first.",
  ),
});

export type DashboardSessionConfig = ConfigOf<ReturnType<typeof dashboardSessionEnv>>;

/** The OAuth client id of each aTES dashboard, as the auth service registers them. */
export const dashboardClientIds = {
  tracker: 'tracker-dashboard',
  accounting: 'accounting-dashboard',
  analytics: 'analytics-dashboard',
  admin: 'auth-admin',
} as const;
