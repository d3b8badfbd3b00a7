import type { ConfigOf } from '@ates/config';
import { otherDashboardUrls } from '@ates/dashboard-pages';
import { dashboardSessionEnv } from '@ates/dashboard-session';

/**
 * The tracker's variables: the dashboard session's (which include the token verifier's
 * AUTH_ISSUER and AUTH_INTERNAL_URL) and where the other dashboards live, for the navigation.
 */
export const trackerEnv = {
  ...dashboardSessionEnv('http://localhost:4001'),
  ...otherDashboardUrls('tracker'),
};

export type TrackerConfig = ConfigOf<typeof trackerEnv>;
