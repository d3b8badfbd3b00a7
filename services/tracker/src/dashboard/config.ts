import { httpUrl, type ConfigOf } from '@ates/config';
import { dashboardSessionEnv } from '@ates/dashboard-session';
import type { DashboardLinks } from '@ates/ui';

/**
 * The tracker's variables: the dashboard session's (which include the token verifier's
 * AUTH_ISSUER and AUTH_INTERNAL_URL) and where the other dashboards live, for the navigation.
 */
export const trackerEnv = {
  ...dashboardSessionEnv('http://localhost:4001'),
  ACCOUNTING_URL: httpUrl(
    'Public base URL of the accounting dashboard, linked from the navigation.',
    'http://localhost:4002',
  ),
  ANALYTICS_URL: httpUrl(
    'Public base URL of the analytics dashboard, linked from the navigation.',
    'http://localhost:4003',
  ),
};

export type TrackerConfig = ConfigOf<typeof trackerEnv>;

/** Each dashboard's home, for `page({ links })`; the admin pages live under the auth service's /admin. */
export const dashboardLinks = (
  config: Pick<TrackerConfig, 'PUBLIC_URL' | 'ACCOUNTING_URL' | 'ANALYTICS_URL' | 'AUTH_ISSUER'>,
): DashboardLinks => ({
  tracker: `${config.PUBLIC_URL}/`,
  accounting: `${config.ACCOUNTING_URL}/`,
  analytics: `${config.ANALYTICS_URL}/`,
  admin: `${config.AUTH_ISSUER}/admin/`,
});
