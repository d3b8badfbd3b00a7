import { fileURLToPath } from 'node:url';
import { defineService } from '@ates/service';

/** The tracker service. */
export const trackerService = defineService({
  name: 'tracker',
  description: 'The task tracker: random assignment, reassign, completion (REQUIREMENTS T1–T6).',
  defaultPort: 4001,
  env: {},
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  setup: async () => {},
});
