import { accountReplica } from '@ates/account-replica';
import { defineService } from '@ates/service';
import { migrations } from '../migrations/index.js';
import type { AnalyticsDb } from './db.js';

/**
 * The analytics service (REQUIREMENTS N1–N3). For now it keeps its copy of accounts, fed by
 * events; earnings and the most expensive tasks are the analytics issue's work.
 */
export const analyticsService = defineService<Record<string, never>, AnalyticsDb>({
  name: 'analytics',
  description: "Management's earnings and the most expensive tasks (REQUIREMENTS N1–N3).",
  defaultPort: 4003,
  env: {},
  migrations,
  consumers: [accountReplica<AnalyticsDb>('analytics')],
  setup: async () => {},
});
