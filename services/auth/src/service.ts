import { fileURLToPath } from 'node:url';
import { defineService } from '@ates/service';

/** The auth service. */
export const authService = defineService({
  name: 'auth',
  description: 'Accounts, roles and single sign-on for every dashboard (REQUIREMENTS U1–U3).',
  defaultPort: 4000,
  env: {},
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  setup: async () => {},
});
