import { createDashboardSessionsTable } from '@ates/dashboard-session';

// The dashboard's sign-in sessions (@ates/dashboard-session): one table of its own.
export const up = createDashboardSessionsTable;
