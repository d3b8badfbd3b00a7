import { accountReplica, serviceAccountStandings } from '@ates/account-replica';
import { apiScope } from '@ates/http';
import { defineService } from '@ates/service';
import { authenticate, serviceTokenVerifier } from '@ates/token-verifier';
import { migrations } from '../migrations/index.js';
import { analyticsEnv, calendarOf } from './config.js';
import type { AnalyticsDb } from './db.js';
import { registerDashboard } from './dashboard/routes.js';
import { analyticsLedger } from './ledger/consumer.js';
import { registerReportRoutes } from './reports/routes.js';
import { analyticsTasks } from './tasks/consumer.js';

/**
 * The analytics service (REQUIREMENTS N1–N3): its own model of management's earnings, the
 * accounts in the negative and the most expensive tasks, fed only by accounting's and the
 * tracker's events and rebuilt from them.
 */
export const analyticsService = defineService<typeof analyticsEnv, AnalyticsDb>({
  name: 'analytics',
  description: "Management's earnings and the most expensive tasks (REQUIREMENTS N1–N3).",
  defaultPort: 4003,
  env: analyticsEnv,
  migrations,
  consumers: [accountReplica<AnalyticsDb>('analytics'), analyticsLedger],
  consumersFor: (config) => [analyticsTasks(calendarOf(config))],
  setup: async (ctx) => {
    const { app, db, config, logger } = ctx;
    const calendar = calendarOf(config);
    // Deactivations and role changes count at once, from analytics' own copy of accounts.
    const { verifier } = serviceTokenVerifier({ config, db, logger, accounts: serviceAccountStandings(ctx) });
    await app.register(async (scope) => {
      const api = apiScope(scope);
      authenticate(api, verifier);
      registerReportRoutes(api, db, calendar);
    });
    // The dashboard (N1–N3): its own scope, outside the bearer-token API; signed in through auth.
    await app.register(async (scope) => registerDashboard(scope, { db, config, calendar, verifier, logger }));
  },
});
