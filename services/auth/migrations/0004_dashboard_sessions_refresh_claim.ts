import { addDashboardSessionsRefreshClaim } from '@ates/dashboard-session';

// The admin pages' token refresh claims its session with one UPDATE instead of a row lock held
// across the call to the provider (@ates/dashboard-session, refresh.ts).
export const up = addDashboardSessionsRefreshClaim;
