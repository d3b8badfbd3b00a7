import type { Migration } from '@ates/db';
import * as accounts from './0001_accounts.js';
import * as tasks from './0002_tasks.js';
import * as accountsPartial from './0003_accounts_partial.js';
import * as taskPrices from './0004_task_prices.js';
import * as ledger from './0005_ledger.js';
import * as businessDays from './0006_business_days.js';
import * as mails from './0007_mails.js';
import * as dashboardSessions from './0008_dashboard_sessions.js';
import * as dashboardSessionsRefreshClaim from './0009_dashboard_sessions_refresh_claim.js';
import * as reversals from './0010_reversals.js';

/** Every migration of this service, in order. A released migration never changes. */
export const migrations: readonly Migration[] = [
  { name: '0001_accounts', up: accounts.up },
  { name: '0002_tasks', up: tasks.up },
  { name: '0003_accounts_partial', up: accountsPartial.up },
  { name: '0004_task_prices', up: taskPrices.up },
  { name: '0005_ledger', up: ledger.up },
  { name: '0006_business_days', up: businessDays.up },
  { name: '0007_mails', up: mails.up },
  { name: '0008_dashboard_sessions', up: dashboardSessions.up },
  { name: '0009_dashboard_sessions_refresh_claim', up: dashboardSessionsRefreshClaim.up },
  { name: '0010_reversals', up: reversals.up },
];
