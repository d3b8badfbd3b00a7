import { httpUrl } from '@ates/config';
import type { Dashboard } from '@ates/roles';
import type { DashboardLinks } from '@ates/ui';

/**
 * Where each dashboard lives, for the navigation of the others: one variable per dashboard, spread
 * into the env of every service that links to it (a dashboard's own URL is its PUBLIC_URL).
 */
export const dashboardUrlEnv = {
  TRACKER_URL: httpUrl(
    'Public base URL of the tracker dashboard, linked from the navigation.',
    'http://localhost:4001',
  ),
  ACCOUNTING_URL: httpUrl(
    'Public base URL of the accounting dashboard, linked from the navigation.',
    'http://localhost:4002',
  ),
  ANALYTICS_URL: httpUrl(
    'Public base URL of the analytics dashboard, linked from the navigation.',
    'http://localhost:4003',
  ),
};

/** The link variables of every dashboard but `self`'s (its own URL is PUBLIC_URL). */
export const otherDashboardUrls = <D extends 'tracker' | 'accounting' | 'analytics'>(
  self: D,
): Omit<typeof dashboardUrlEnv, `${Uppercase<D>}_URL`> => {
  const { [`${self.toUpperCase()}_URL` as keyof typeof dashboardUrlEnv]: _own, ...others } = dashboardUrlEnv;
  return others as Omit<typeof dashboardUrlEnv, `${Uppercase<D>}_URL`>;
};

export interface LinkConfig {
  readonly PUBLIC_URL: string;
  readonly AUTH_ISSUER: string;
  readonly TRACKER_URL?: string;
  readonly ACCOUNTING_URL?: string;
  readonly ANALYTICS_URL?: string;
}

/** Each dashboard's home, as `self` links to it; the admin pages live under the auth service's /admin. */
export const dashboardLinksOf = (self: Dashboard, config: LinkConfig): DashboardLinks => {
  const url = (d: 'tracker' | 'accounting' | 'analytics', configured: string | undefined) =>
    `${d === self ? config.PUBLIC_URL : (configured ?? '')}/`;
  return {
    tracker: url('tracker', config.TRACKER_URL),
    accounting: url('accounting', config.ACCOUNTING_URL),
    analytics: url('analytics', config.ANALYTICS_URL),
    admin: `${config.AUTH_ISSUER}/admin/`,
  };
};
