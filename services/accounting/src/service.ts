import { fileURLToPath } from 'node:url';
import { defineService } from '@ates/service';

/** The accounting service. */
export const accountingService = defineService({
  name: 'accounting',
  description: 'Accounts, prices, balances, audit log and daily payouts (REQUIREMENTS A1–A7).',
  defaultPort: 4002,
  env: {},
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  setup: async () => {},
});
