import formbody from '@fastify/formbody';
import { dashboardClientIds } from '@ates/dashboard-session';
import { defineService } from '@ates/service';
import { apiAudience, createTokenVerifier } from '@ates/token-verifier';
import { registerUiAssets } from '@ates/ui';
import { migrations } from '../migrations/index.js';
import { createAccountCommands } from './accounts/commands.js';
import { registerAccountRoutes } from './accounts/routes.js';
import { authAccountStandings } from './accounts/standings.js';
import { registerAdminPages } from './admin/routes.js';
import { registerConfiguredDashboards } from './applications/applications.js';
import { registerApplicationRoutes } from './applications/routes.js';
import { authEnv, lifetimesFor } from './config.js';
import type { AuthDatabase } from './db.js';
import { seedDemoAccounts } from './demo/seed.js';
import { purgeExpired, revokeAccountAccess } from './oidc/adapter.js';
import { createOidcHost, mountProvider } from './oidc/host.js';
import { registerInteractionRoutes } from './oidc/interactions.js';
import { createOidcPages } from './oidc/pages.js';
import { createSignInThrottle } from './oidc/sign-in-throttle.js';
import { deleteUnpublishedKeys, ensureSigningKey } from './oidc/signing-keys.js';

/** Where the auth service's own admin dashboard lives, under its public URL. */
export const adminBasePath = '/admin';

const housekeepingMs = 60_000;
const keyCheckMs = 30_000;

/** The auth service: accounts and roles, the OpenID Connect provider, applications (REQUIREMENTS U1–U3). */
export const authService = defineService({
  name: 'auth',
  description: 'Accounts, roles and single sign-on for every dashboard (REQUIREMENTS U1–U3).',
  defaultPort: 4000,
  env: authEnv,
  migrations,
  produces: {
    'Account.Created': { versions: [1] },
    'Account.Updated': { versions: [1] },
    'Account.Deactivated': { versions: [1] },
    'Account.RoleChanged': { versions: [1] },
  },
  setup: async (ctx) => {
    const { config, logger, app } = ctx;
    const db = ctx.db.withTables<AuthDatabase>();

    await ensureSigningKey(db);
    const dashboards = [
      { clientId: dashboardClientIds.tracker, name: 'aTES Tasks', baseUrl: config.TRACKER_URL },
      { clientId: dashboardClientIds.accounting, name: 'aTES Accounting', baseUrl: config.ACCOUNTING_URL },
      { clientId: dashboardClientIds.analytics, name: 'aTES Analytics', baseUrl: config.ANALYTICS_URL },
      { clientId: dashboardClientIds.admin, name: 'aTES Admin', baseUrl: `${config.AUTH_ISSUER}${adminBasePath}` },
    ];
    await registerConfiguredDashboards(db, dashboards, config.DASHBOARD_CLIENT_SECRET);

    const host = await createOidcHost(db, {
      issuer: config.AUTH_ISSUER,
      logger,
      cookieKeys: config.AUTH_COOKIE_KEYS,
      ttl: lifetimesFor(config),
      trustProxy: config.AUTH_TRUST_PROXY,
      pages: createOidcPages(),
      trustedOrigins: dashboards.map((d) => d.baseUrl),
    });

    await app.register(formbody);
    registerUiAssets(app);
    mountProvider(app, host, config.AUTH_ISSUER);
    registerInteractionRoutes(app, { db, host, throttle: createSignInThrottle(db) });

    // Auth verifies its own access tokens against its key table: no HTTP call to itself. Every
    // admin action — API and admin pages — acts as the account is now, not as its token says.
    const verifier = createTokenVerifier({
      issuer: config.AUTH_ISSUER,
      audience: apiAudience,
      keys: host.verificationKeys,
      accounts: authAccountStandings(db),
    });
    const accounts = createAccountCommands({
      db,
      publish: (tx, events) => ctx.bus.publishMany(tx, events),
      revokeAccess: revokeAccountAccess,
      sessionsEnded: (sessions) => host.notifySessionsEnded(sessions, logger),
    });
    await registerAccountRoutes(app, { accounts, verifier });
    await registerApplicationRoutes(app, { db, verifier });

    // The admin pages sign in through this very provider, as every dashboard does, in a scope of
    // their own (their form parser, error pages and flash messages are not the API's).
    await app.register(async (scope) =>
      registerAdminPages(scope, { db, accounts, config, verifier, logger, basePath: adminBasePath }),
    );
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${adminBasePath}/`, 303));

    if (config.SEED_DEMO_ACCOUNTS) await seedDemoAccounts({ db, accounts, logger, file: config.DEMO_ACCOUNTS_FILE });

    // Housekeeping: expired provider rows, ended rate-limit windows, keys nobody can need; and
    // adopting keys rotated by `ates auth rotate-keys` or another instance.
    const throttle = createSignInThrottle(db);
    const housekeeping = setInterval(() => {
      void Promise.all([purgeExpired(db), throttle.purge(), deleteUnpublishedKeys(db)]).then(
        ([rows, windows, keys]) => {
          if (rows + windows + keys > 0) logger.debug({ rows, windows, keys }, 'expired auth data deleted');
        },
        (error: unknown) => logger.warn({ err: error }, 'auth housekeeping failed; it runs again in a minute'),
      );
    }, housekeepingMs);
    const keyCheck = setInterval(() => {
      host.reloadKeys().then(
        (changed) => {
          if (changed) logger.info({ kids: host.kids() }, 'signing keys changed; provider rebuilt');
        },
        (error: unknown) => logger.warn({ err: error }, 'could not check the signing keys'),
      );
    }, keyCheckMs);
    housekeeping.unref();
    keyCheck.unref();
    ctx.onStop(async () => {
      clearInterval(housekeeping);
      clearInterval(keyCheck);
    });
  },
});
