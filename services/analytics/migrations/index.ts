import type { Migration } from '@ates/db';
import * as accounts from './0001_accounts.js';
import * as accountsPartial from './0002_accounts_partial.js';
import * as model from './0003_model.js';
import * as dashboardSessions from './0004_dashboard_sessions.js';
import * as dashboardSessionsRefreshClaim from './0005_dashboard_sessions_refresh_claim.js';

/** Every migration of this service, in order. A released migration never changes. */
export const migrations: readonly Migration[] = [
  { name: '0001_accounts', up: accounts.up },
  { name: '0002_accounts_partial', up: accountsPartial.up },
  { name: '0003_model', up: model.up },
  { name: '0004_dashboard_sessions', up: dashboardSessions.up },
  { name: '0005_dashboard_sessions_refresh_claim', up: dashboardSessionsRefreshClaim.up },
];
