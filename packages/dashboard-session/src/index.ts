/**
 * How an aTES dashboard signs its visitors in (OpenID Connect code flow with PKCE against the
 * auth service) and keeps them signed in (a server-side session behind a signed cookie). See
 * docs/auth.md, "Dashboards".
 */
export { registerDashboardSession } from './plugin.js';
export { safeReturnTo } from './return-to.js';
export type { DashboardSession, DashboardSessionOptions } from './plugin.js';
export { dashboardSessionEnv, dashboardClientIds } from './env.js';
export type { DashboardSessionConfig } from './env.js';
export {
  addDashboardSessionsRefreshClaim,
  createDashboardSessionsTable,
  dashboardSessionsMigration,
} from './migration.js';
export { deleteSessionsOf, purgeExpiredSessions } from './store.js';
