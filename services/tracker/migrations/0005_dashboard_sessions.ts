import { createDashboardSessionsTable } from '@ates/dashboard-session';

// The dashboard's sign-in sessions (@ates/dashboard-session): one table of its own, touching
// nothing of the tracker's. Released with the package; it never changes.
export const up = createDashboardSessionsTable;
