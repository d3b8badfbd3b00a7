import { businessDayEnv, calendarOf } from '@ates/business-days';
import type { ConfigOf } from '@ates/config';
import { otherDashboardUrls } from '@ates/dashboard-pages';
import { dashboardSessionEnv } from '@ates/dashboard-session';

/**
 * Analytics' variables: the dashboard session's (with the token verifier's AUTH_ISSUER and
 * AUTH_INTERNAL_URL), the business-day calendar it shares with accounting — it must be the one
 * accounting runs with, so that "today" means the same day in both — and where the other
 * dashboards live.
 */
export const analyticsEnv = {
  ...dashboardSessionEnv('http://localhost:4003'),
  ...businessDayEnv,
  ...otherDashboardUrls('analytics'),
};

export type AnalyticsConfig = ConfigOf<typeof analyticsEnv>;

export { calendarOf };
