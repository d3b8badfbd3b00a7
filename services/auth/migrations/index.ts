import type { Migration } from '@ates/db';
import * as accounts from './0001_accounts.js';
import * as oidc from './0002_oidc.js';
import * as dashboardSessions from './0003_dashboard_sessions.js';
import * as refreshClaim from './0004_dashboard_sessions_refresh_claim.js';

/** Every migration of this service, in order. A released migration never changes. */
export const migrations: readonly Migration[] = [
  { name: '0001_accounts', up: accounts.up },
  { name: '0002_oidc', up: oidc.up },
  { name: '0003_dashboard_sessions', up: dashboardSessions.up },
  { name: '0004_dashboard_sessions_refresh_claim', up: refreshClaim.up },
];
