import { accountReplica } from '@ates/account-replica';
import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';
import type { AccountingDb } from './db.js';
import { accountingTasks } from './tasks/consumer.js';

/**
 * The accounting service (REQUIREMENTS A1–A7). For now it keeps its copies of accounts and
 * tasks, fed by events; prices, balances and payouts are the accounting issue's work.
 */
export const accountingService = defineService<Record<string, never>, AccountingDb>({
  name: 'accounting',
  description: 'Accounts, prices, balances, audit log and daily payouts (REQUIREMENTS A1–A7).',
  defaultPort: 4002,
  env: {},
  migrations,
  consumers: [accountReplica<AccountingDb>('accounting'), accountingTasks],
  setup: async () => {},
});
