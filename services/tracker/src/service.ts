import { accountReplica, serviceAccountStandings } from '@ates/account-replica';
import { apiScope } from '@ates/http';
import { defineService } from '@ates/service';
import { authenticate, serviceTokenVerifier } from '@ates/token-verifier';
import { migrations } from '../migrations/index.js';
import { trackerEnv } from './dashboard/config.js';
import { registerDashboard } from './dashboard/routes.js';
import type { TrackerDb } from './db.js';
import { keptAssignees } from './tasks/assignees.js';
import { registerTaskRoutes } from './tasks/routes.js';

/** The task tracker (REQUIREMENTS T1–T6): its API, its copy of accounts, its dashboard. */
export const trackerService = defineService<typeof trackerEnv, TrackerDb>({
  name: 'tracker',
  description: 'The task tracker: random assignment, reassign, completion (REQUIREMENTS T1–T6).',
  defaultPort: 4001,
  env: trackerEnv,
  migrations,
  consumers: [accountReplica<TrackerDb>('tracker')],
  // Task.Created v1 (the Jira id inside the title) is retired since T6; retained v1 events may
  // still be replayed, so consumers keep accepting both.
  produces: {
    'Task.Created': { versions: [2], retired: [1] },
    'Task.Assigned': { versions: [1] },
    'Task.Completed': { versions: [1] },
  },
  setup: async (ctx) => {
    const { app, db, config, logger } = ctx;
    // Deactivations and role changes count at once, from the tracker's own copy of accounts.
    const standings = serviceAccountStandings(ctx);
    const { verifier } = serviceTokenVerifier({ config, db, logger, accounts: standings });
    // New tasks: assignees drawn from memory kept by the same notifications, relay woken by us.
    const tasks = { assignees: keptAssignees(db, standings), wakeRelay: ctx.bus.wakeRelay };
    await app.register(async (scope) => {
      const api = apiScope(scope);
      authenticate(api, verifier);
      registerTaskRoutes(api, db, tasks);
    });
    // The dashboard (T1, T5): its own scope, outside the bearer-token API; signed in through auth.
    await app.register(async (scope) => registerDashboard(scope, { db, config, verifier, logger, tasks }));
  },
});
