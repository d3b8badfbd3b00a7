import { addDashboardSessionsRefreshClaim } from '@ates/dashboard-session';

// The dashboard's token refresh claims its session with one UPDATE instead of a row lock held
// across the call to the auth service (issue 9).
export const up = addDashboardSessionsRefreshClaim;
