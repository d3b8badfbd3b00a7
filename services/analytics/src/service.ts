import { fileURLToPath } from 'node:url';
import { defineService } from '@ates/service';

/** The analytics service. */
export const analyticsService = defineService({
  name: 'analytics',
  description: "Management's earnings and the most expensive tasks (REQUIREMENTS N1–N3).",
  defaultPort: 4003,
  env: {},
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  setup: async () => {},
});
