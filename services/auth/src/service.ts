import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';

/** The auth service. */
export const authService = defineService({
  name: 'auth',
  description: 'Accounts, roles and single sign-on for every dashboard (REQUIREMENTS U1–U3).',
  defaultPort: 4000,
  env: {},
  migrations,
  setup: async () => {},
});
