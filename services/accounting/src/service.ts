import { accountReplica } from '@ates/account-replica';
import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';
import { accountingEnv, calendarOf } from './config.js';
import type { AccountingDb } from './db.js';
import { ledgerConsumer } from './ledger/consumer.js';
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
  setup: async () => {},
});
