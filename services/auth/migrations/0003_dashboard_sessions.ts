import { createDashboardSessionsTable } from '@ates/dashboard-session';

// The admin pages' sessions: the admin dashboard signs in through this auth service like every
// other dashboard (see @ates/dashboard-session).
export const up = createDashboardSessionsTable;
