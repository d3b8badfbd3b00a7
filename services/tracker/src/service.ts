import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';

/** The tracker service. */
export const trackerService = defineService({
  name: 'tracker',
  description: 'The task tracker: random assignment, reassign, completion (REQUIREMENTS T1–T6).',
  defaultPort: 4001,
  env: {},
  migrations,
  setup: async () => {},
});
