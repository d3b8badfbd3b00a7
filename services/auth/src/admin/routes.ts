import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { dashboardLinksOf, formField, pageNumberOf, setUpDashboard, shownRefusal, textOf } from '@ates/dashboard-pages';
import { refusalMessage, type AppError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import type { TokenVerifier } from '@ates/token-verifier';
import type { Account } from '../accounts/account.js';
import type { AccountCommands, ActorRef } from '../accounts/commands.js';
import { deleteApplication, listApplications, registerApplication } from '../applications/applications.js';
import type { AuthConfig } from '../config.js';
import type { AuthDb } from '../db.js';
import {
  accountCreatedPage,
  accountPage,
  accountsPage,
  applicationsPage,
  newAccountPage,
  newPasswordPage,
  type AdminView,
  type ApplicationValues,
  type FieldErrors,
} from './views.js';

export interface AdminPagesDeps {
  readonly db: AuthDb;
  readonly accounts: AccountCommands;
  /** With the port this process listens on: the session calls the provider in this very process. */
  readonly config: AuthConfig & { readonly PORT: number };
  /** Auth's own verifier: the admin pages act as the account is now, not as its token says. */
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  /** Where the pages live, e.g. /admin. */
  readonly basePath: string;
}

const perPage = 20;
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ClientId = Type.Object({ client_id: Type.String({ minLength: 1, maxLength: 200 }) });

/** A refusal's field messages by form field (`body.email` → `email`). */
const issuesByField = (error: AppError): FieldErrors =>
  Object.fromEntries(error.issues.map((i) => [i.field.replace(/^body\./, ''), i.message]));

/**
 * The admin dashboard of the auth service (REQUIREMENTS U2): accounts (list, search, create,
 * edit, change role, deactivate, activate, reset password) and OAuth applications (list,
 * register, remove). Every change goes through the same use cases — rules, events — as the
 * JSON API.
 *
 * The pages are a first-party client of the auth service itself, signed in at /admin/login
 * through @ates/dashboard-session and served as every dashboard is (@ates/dashboard-pages; see
 * docs/auth.md for why). Register it in a scope of its own.
 */
export const registerAdminPages = async (scope: FastifyInstance, deps: AdminPagesDeps): Promise<void> => {
  const { config, basePath: base } = deps;
  const { guarded } = await setUpDashboard(scope, {
    dashboard: 'admin',
    config: { ...config, PUBLIC_URL: config.AUTH_ISSUER },
    links: dashboardLinksOf('admin', { ...config, PUBLIC_URL: `${config.AUTH_ISSUER}${base}` }),
    db: deps.db,
    verifier: deps.verifier,
    logger: deps.logger,
    home: { href: `${base}/accounts`, label: 'Back to accounts' },
    basePath: base,
    // The session's back-channel calls (token, refresh) go to this very process.
    internalUrl: `http://127.0.0.1:${config.PORT}`,
  });
  const withId = { ...guarded, schema: { hide: true, params: Id } } as const;

  const view = (request: FastifyRequest): AdminView => ({
    base,
    csrf: request.csrfToken,
    viewerId: request.viewer.id,
  });
  const actor = (request: FastifyRequest): ActorRef => ({ kind: 'account', id: request.viewer.id });

  scope.get(base, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${base}/accounts`, 303));
  scope.get(`${base}/`, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${base}/accounts`, 303));

  // --- Accounts -----------------------------------------------------------------------------

  scope.get(`${base}/accounts`, guarded, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const q = (textOf(query.q) ?? '').slice(0, 200);
    const page = pageNumberOf(query.page, 1_000_000);
    const { items, total } = await deps.accounts.list({ q, page, perPage });
    const { title, body } = accountsPage(view(request), { items, total, q, page, perPage });
    return reply.page(title, body);
  });

  scope.get(`${base}/accounts/new`, guarded, async (request, reply) => {
    const { title, body } = newAccountPage(view(request));
    return reply.page(title, body);
  });

  scope.post(`${base}/accounts`, guarded, async (request, reply) => {
    const values = {
      email: formField(request.body, 'email'),
      full_name: formField(request.body, 'full_name'),
      role: formField(request.body, 'role'),
    };
    const password = formField(request.body, 'password');
    try {
      const created = await deps.accounts.create(actor(request), { ...values, ...(password ? { password } : {}) });
      const { title, body } = accountCreatedPage(view(request), created);
      return reply.page(title, body, { status: 201, flash: [{ kind: 'success', message: 'Account created.' }] });
    } catch (error) {
      const refused = shownRefusal(error);
      const { title, body } = newAccountPage(view(request), values, issuesByField(refused));
      return reply.page(title, body, {
        status: refused.status,
        flash: [{ kind: 'error', message: refusalMessage(refused) }],
      });
    }
  });

  /** The account, or undefined after answering that there is none. */
  const loadOr404 = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    try {
      return await deps.accounts.get(request.params.id);
    } catch (error) {
      const refused = shownRefusal(error);
      reply.message({ title: 'Account not found', message: refused.message, status: refused.status });
      return undefined;
    }
  };

  /** The account page again, with why the change was refused. */
  const refusedOn = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    refused: AppError,
    options: {
      readonly message?: string;
      readonly errors?: FieldErrors;
      readonly values?: { email: string; full_name: string };
    } = {},
  ) => {
    const account: Account | undefined = await loadOr404(request, reply);
    if (!account) return reply;
    const { title, body } = accountPage(view(request), account, {
      ...(options.errors ? { errors: options.errors } : {}),
      ...(options.values ? { values: options.values } : {}),
    });
    return reply.page(title, body, {
      status: refused.status,
      flash: [{ kind: 'error', message: options.message ?? refused.message }],
    });
  };

  scope.get<{ Params: { id: string } }>(`${base}/accounts/:id`, withId, async (request, reply) => {
    const account = await loadOr404(request, reply);
    if (!account) return reply;
    const { title, body } = accountPage(view(request), account);
    return reply.page(title, body);
  });

  scope.post<{ Params: { id: string } }>(`${base}/accounts/:id`, withId, async (request, reply) => {
    const values = { email: formField(request.body, 'email'), full_name: formField(request.body, 'full_name') };
    try {
      await deps.accounts.update(actor(request), request.params.id, values);
      return reply
        .flash({ kind: 'success', message: 'Changes saved.' })
        .redirect(`${base}/accounts/${request.params.id}`, 303);
    } catch (error) {
      const refused = shownRefusal(error);
      return refusedOn(request, reply, refused, {
        values,
        errors: issuesByField(refused),
        message: refusalMessage(refused),
      });
    }
  });

  const change = (path: string, done: string, run: (request: FastifyRequest, id: string) => Promise<unknown>) =>
    scope.post<{ Params: { id: string } }>(`${base}/accounts/:id${path}`, withId, async (request, reply) => {
      try {
        await run(request, request.params.id);
        return reply.flash({ kind: 'success', message: done }).redirect(`${base}/accounts/${request.params.id}`, 303);
      } catch (error) {
        const refused = shownRefusal(error);
        return refusedOn(request, reply, refused, { errors: issuesByField(refused) });
      }
    });

  change('/role', 'Role changed.', (request, id) =>
    deps.accounts.changeRole(actor(request), id, formField(request.body, 'role')),
  );
  change('/deactivate', 'Account deactivated; its sessions have ended.', (request, id) =>
    deps.accounts.deactivate(actor(request), id),
  );
  change('/activate', 'Account activated.', (request, id) => deps.accounts.activate(actor(request), id));

  scope.post<{ Params: { id: string } }>(`${base}/accounts/:id/password`, withId, async (request, reply) => {
    try {
      const result = await deps.accounts.setPassword(actor(request), request.params.id, undefined);
      const { title, body } = newPasswordPage(view(request), result);
      return reply.page(title, body, {
        flash: [{ kind: 'success', message: 'Password reset; their sessions have ended.' }],
      });
    } catch (error) {
      return refusedOn(request, reply, shownRefusal(error));
    }
  });

  // --- Applications -------------------------------------------------------------------------

  const applications = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: Parameters<typeof applicationsPage>[2] & { readonly status?: number; readonly flash?: string } = {},
  ) => {
    const { status, flash, ...shown } = options;
    const { title, body } = applicationsPage(view(request), await listApplications(deps.db), shown);
    return reply.page(title, body, {
      ...(status ? { status } : {}),
      ...(flash ? { flash: [{ kind: status && status >= 400 ? 'error' : 'success', message: flash }] } : {}),
    });
  };

  scope.get(`${base}/applications`, guarded, async (request, reply) => applications(request, reply));

  scope.post(`${base}/applications`, guarded, async (request, reply) => {
    const values: Required<ApplicationValues> = {
      name: formField(request.body, 'name'),
      redirect_uris: formField(request.body, 'redirect_uris'),
      post_logout_redirect_uris: formField(request.body, 'post_logout_redirect_uris'),
      kind: formField(request.body, 'kind'),
    };
    const lines = (value: string) => value.split(/\s+/).filter(Boolean);
    try {
      const created = await registerApplication(deps.db, {
        name: values.name,
        redirect_uris: lines(values.redirect_uris),
        post_logout_redirect_uris: lines(values.post_logout_redirect_uris),
        public: values.kind === 'public',
        first_party: false,
      });
      return applications(request, reply, { status: 201, created, flash: 'Application registered.' });
    } catch (error) {
      const refused = shownRefusal(error);
      return applications(request, reply, {
        status: refused.status,
        errors: issuesByField(refused),
        values,
        flash: 'Check the fields marked below.',
      });
    }
  });

  scope.post<{ Params: { client_id: string } }>(
    `${base}/applications/:client_id/delete`,
    { ...guarded, schema: { hide: true, params: ClientId } },
    async (request, reply) => {
      try {
        await deleteApplication(deps.db, request.params.client_id);
        return reply
          .flash({ kind: 'success', message: 'Application removed; everything issued to it was revoked.' })
          .redirect(`${base}/applications`, 303);
      } catch (error) {
        const refused = shownRefusal(error);
        return applications(request, reply, { status: refused.status, flash: refused.message });
      }
    },
  );
};
