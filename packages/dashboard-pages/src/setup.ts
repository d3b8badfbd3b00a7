import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import {
  dashboardClientIds,
  registerDashboardSession,
  type DashboardSession,
  type DashboardSessionConfig,
} from '@ates/dashboard-session';
import type { Logger } from '@ates/logger';
import { aRole, mayOpenDashboard, type Dashboard } from '@ates/roles';
import type { TokenVerifier } from '@ates/token-verifier';
import { dashboardLabels, registerUiAssets, type DashboardLinks } from '@ates/ui';
import { registerDashboardPages } from './plugin.js';

export interface DashboardSetup {
  /** Which dashboard: its OAuth client, its navigation item, who may open it (`@ates/roles`). */
  readonly dashboard: Dashboard;
  readonly config: Omit<DashboardSessionConfig, 'AUTH_INTERNAL_URL'> & {
    readonly AUTH_INTERNAL_URL?: string | undefined;
  };
  readonly links: DashboardLinks;
  /** The service's database, with the dashboard session migrations applied. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  /** Where "back" goes from a message page, and what it says. */
  readonly home: { readonly href: string; readonly label: string };
  /** Where the dashboard is mounted (the auth service's admin pages: /admin); default the root. */
  readonly basePath?: string;
  /** Where the service reaches the auth service, when not at AUTH_INTERNAL_URL or the issuer. */
  readonly internalUrl?: string;
}

export interface SignedInDashboard {
  readonly session: DashboardSession;
  /** Route options for a page: signed in (else to sign-in and back), and of a role that may open this dashboard. */
  readonly guarded: {
    schema: { hide: true };
    preHandler: Array<(request: FastifyRequest, reply: FastifyReply) => Promise<unknown>>;
  };
}

/**
 * Everything a dashboard needs before its first route, the same way for every one: the shared
 * look's assets, sign-in through the auth service (@ates/dashboard-session), pages with the
 * security headers, flash messages and refusals (registerDashboardPages), and the guard that
 * lets in only the roles that may open this dashboard — anyone else gets a "not for your role"
 * page. Call it first in the dashboard's own scope.
 */
export const setUpDashboard = async (scope: FastifyInstance, setup: DashboardSetup): Promise<SignedInDashboard> => {
  const { config } = setup;
  registerUiAssets(scope);
  const internalUrl = setup.internalUrl ?? config.AUTH_INTERNAL_URL;
  const session = await registerDashboardSession(scope, {
    clientId: dashboardClientIds[setup.dashboard],
    clientSecret: config.DASHBOARD_CLIENT_SECRET,
    issuer: config.AUTH_ISSUER,
    ...(internalUrl ? { internalUrl } : {}),
    publicUrl: config.PUBLIC_URL,
    ...(setup.basePath ? { basePath: setup.basePath } : {}),
    sessionSecrets: config.DASHBOARD_SESSION_SECRET,
    db: setup.db,
    verifier: setup.verifier,
    logger: setup.logger,
  });
  await registerDashboardPages(scope, {
    dashboard: setup.dashboard,
    links: setup.links,
    signOutUrl: session.signOutUrl,
    home: setup.home,
    secrets: config.DASHBOARD_SESSION_SECRET,
    secureCookies: config.PUBLIC_URL.startsWith('https:'),
    ...(setup.basePath ? { basePath: setup.basePath } : {}),
  });
  const forItsAudience = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (mayOpenDashboard(request.viewer.role, setup.dashboard)) return undefined;
    return reply.message({
      title: 'Not for your role',
      message: `${dashboardLabels[setup.dashboard]} is not for your role: you are signed in as ${aRole(request.viewer.role)}.`,
      status: 403,
    });
  };
  return { session, guarded: { schema: { hide: true }, preHandler: [session.requireViewer, forItsAudience] } };
};
