import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';

/** The analytics service. */
export const analyticsService = defineService({
  name: 'analytics',
  description: "Management's earnings and the most expensive tasks (REQUIREMENTS N1–N3).",
  defaultPort: 4003,
  env: {},
  migrations,
  setup: async () => {},
});
