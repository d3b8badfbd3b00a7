import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';

/** The accounting service. */
export const accountingService = defineService({
  name: 'accounting',
  description: 'Accounts, prices, balances, audit log and daily payouts (REQUIREMENTS A1–A7).',
  defaultPort: 4002,
  env: {},
  migrations,
  setup: async () => {},
});
