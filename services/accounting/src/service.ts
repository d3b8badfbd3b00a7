import { accountReplica, serviceAccountStandings } from '@ates/account-replica';
import { apiScope } from '@ates/http';
import { defineService } from '@ates/service';
import { authenticate, serviceTokenVerifier } from '@ates/token-verifier';
import { migrations } from '../migrations/index.js';
import { registerAccountRoutes } from './accounts/routes.js';
import { registerCorrectionRoutes } from './corrections/routes.js';
import { accountingEnv, calendarOf } from './config.js';
import type { AccountingDb } from './db.js';
import { registerDashboard } from './dashboard/routes.js';
import { registerDayRoutes } from './days/routes.js';
import { startDayCloser } from './days/scheduler.js';
import { ledgerConsumer } from './ledger/consumer.js';
import { registerMailMetrics } from './mail/metrics.js';
import { startMailSender } from './mail/sender.js';
import { accountingTasks } from './tasks/consumer.js';

/**
 * The accounting service (REQUIREMENTS A1–A7): prices, the ledger and balances fed by the
 * tracker's events, the daily close with payouts and their emails, its API and its dashboard.
 */
export const accountingService = defineService<typeof accountingEnv, AccountingDb>({
  name: 'accounting',
  description: 'Accounts, prices, balances, audit log and daily payouts (REQUIREMENTS A1–A7).',
  defaultPort: 4002,
  env: accountingEnv,
  migrations,
  consumers: [accountReplica<AccountingDb>('accounting'), accountingTasks],
  consumersFor: (config) => [ledgerConsumer(calendarOf(config))],
  produces: {
    'Task.Priced': { versions: [1] },
    'Transaction.Applied': { versions: [1] },
    'Payout.Made': { versions: [1] },
    'BusinessDay.Closed': { versions: [1] },
  },
  setup: async (ctx) => {
    const { app, db, config, logger, metrics, onStop } = ctx;
    const calendar = calendarOf(config);
    // Deactivations and role changes count at once, from accounting's own copy of accounts.
    const { verifier } = serviceTokenVerifier({ config, db, logger, accounts: serviceAccountStandings(ctx) });
    await app.register(async (scope) => {
      const api = apiScope(scope);
      authenticate(api, verifier);
      registerAccountRoutes(api, db, calendar);
      registerDayRoutes(api, db, calendar);
      registerCorrectionRoutes(api, db, calendar);
    });
    // The dashboard (A1, A2, A7): its own scope, outside the bearer-token API; signed in through auth.
    await app.register(async (scope) => registerDashboard(scope, { db, config, calendar, verifier, logger }));
    registerMailMetrics(metrics, db);
    if (config.SMTP_URL) {
      const sender = startMailSender({ db, smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger, metrics });
      onStop(() => sender.stop());
    } else {
      logger.warn('SMTP_URL is not set: payout emails wait in the mail outbox until it is');
    }
    const closer = startDayCloser({ db, calendar, logger });
    onStop(() => closer.stop());
  },
});
