import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { DashboardSession } from '@ates/dashboard-session';
import { AppError, refuse, refusalMessage, type FieldIssue } from '@ates/errors';
import type { ServiceApp } from '@ates/http';
import {
  badge,
  button,
  card,
  confirmAction,
  contentSecurityPolicy,
  descriptionList,
  emptyState,
  field,
  form,
  formatDateTime,
  html,
  page,
  pageHeader,
  pagination,
  table,
  type DashboardLinks,
  type Flash,
  type SafeHtml,
} from '@ates/ui';
import { roleLabels, roles } from '@ates/roles';
import { maxEmailLength, maxFullNameLength, type Account } from '../accounts/account.js';
import type { AccountCommands, ActorRef } from '../accounts/commands.js';
import {
  deleteApplication,
  listApplications,
  registerApplication,
  type Application,
} from '../applications/applications.js';
import type { AuthDb } from '../db.js';

/**
 * The admin dashboard of the auth service (REQUIREMENTS U2): accounts (list, search, create,
 * edit, change role, deactivate, activate, reset password) and OAuth applications (list,
 * register, remove). Server-rendered with @ates/ui; every form posts with the session's CSRF
 * token; every change goes through the same use cases — rules, events — as the JSON API.
 *
 * The pages are a first-party client of the auth service itself, signed in through
 * @ates/dashboard-session like every other dashboard (see docs/auth.md for why).
 */
export interface AdminPagesDeps {
  readonly db: AuthDb;
  readonly accounts: AccountCommands;
  readonly session: DashboardSession;
  readonly links: DashboardLinks;
  /** Where the pages live, e.g. /admin. */
  readonly basePath: string;
}

const perPage = 20;
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ClientId = Type.Object({ client_id: Type.String({ minLength: 1, maxLength: 200 }) });

/** Fixed messages a redirect can ask for (`?done=…`): a flash never carries user text through a URL. */
const doneMessages: Record<string, string> = {
  updated: 'Changes saved.',
  role: 'Role changed.',
  deactivated: 'Account deactivated; its sessions have ended.',
  activated: 'Account activated.',
  removed: 'Application removed; everything issued to it was revoked.',
};

const text = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

const roleBadge = (account: Account): SafeHtml =>
  html`<span class="role role--${account.role}">${roleLabels[account.role]}</span>`;
const statusBadge = (account: Account): SafeHtml =>
  account.active ? badge('Active', 'done') : badge('Deactivated', 'danger');

export const registerAdminPages = (app: ServiceApp, deps: AdminPagesDeps): void => {
  const base = deps.basePath;
  const { session } = deps;

  const actor = (request: FastifyRequest): ActorRef => ({ kind: 'account', id: request.viewer.id });

  const render = (
    reply: FastifyReply,
    request: FastifyRequest,
    title: string,
    body: SafeHtml,
    options: { status?: number; flash?: Flash[] } = {},
  ): FastifyReply =>
    reply
      .status(options.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', contentSecurityPolicy)
      .send(
        page({
          title,
          current: 'admin',
          viewer: request.viewer,
          links: deps.links,
          signOutUrl: session.signOutUrl,
          csrf: request.csrfToken,
          flash: options.flash ?? doneFlash(request),
          body: html`${tabsOf(title)}${body}`,
        }),
      );

  const doneFlash = (request: FastifyRequest): Flash[] => {
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const message = typeof done === 'string' ? doneMessages[done] : undefined;
    return message ? [{ kind: 'success', message }] : [];
  };

  const tabsOf = (title: string): SafeHtml =>
    html`<nav class="tabs" aria-label="Admin"><ul>
      <li><a class="tab" href="${base}/accounts"${title.startsWith('Account') || title === 'New account' ? html` aria-current="page"` : ''}>Accounts</a></li>
      <li><a class="tab" href="${base}/applications"${title.startsWith('Application') ? html` aria-current="page"` : ''}>Applications</a></li>
    </ul></nav>`;

  const adminOnly = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.viewer.role === 'admin') return undefined;
    const refused = refuse(
      'auth.role_required',
      `The admin pages are for admins; your role is ${roleLabels[request.viewer.role].toLowerCase()}.`,
    );
    return render(
      reply,
      request,
      'Not for your role',
      card({ title: 'Not for your role', body: html`<p>${refused.message}</p>` }),
      { status: refused.status },
    );
  };
  const guarded = { schema: { hide: true }, preHandler: [session.requireViewer, adminOnly] };
  const issuesByField = (error: unknown): Record<string, string> =>
    error instanceof AppError
      ? Object.fromEntries(error.issues.map((i: FieldIssue) => [i.field.replace(/^body\./, ''), i.message]))
      : {};

  /** Refusals (4xx) are shown on the page; anything else is a bug and goes to the error handler. */
  const refusal = (error: unknown): AppError => {
    if (error instanceof AppError && error.status < 500) return error;
    throw error;
  };

  app.get(base === '' ? '/' : base, { schema: { hide: true } }, async (_request, reply) =>
    reply.redirect(`${base}/accounts`, 303),
  );
  app.get(`${base}/`, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${base}/accounts`, 303));

  // --- Accounts -----------------------------------------------------------------------------

  app.get(`${base}/accounts`, guarded, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.slice(0, 200) : '';
    const pageNumber = Math.max(1, Number.parseInt(typeof query.page === 'string' ? query.page : '1', 10) || 1);
    const { items, total } = await deps.accounts.list({ q, page: pageNumber, perPage });
    const href = (p: number) =>
      `${base}/accounts?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
    const search = html`<form class="form form-row" method="get" action="${base}/accounts" role="search">
      ${field({ label: 'Search', name: 'q', type: 'search', value: q, placeholder: 'Name or email' })}
      <div class="form-actions">${button({ label: 'Search', kind: 'secondary' })}</div>
    </form>`;
    const list = table<Account>({
      caption: 'Accounts',
      columns: [
        {
          header: 'Name',
          cell: (a) =>
            html`<a class="cell-title" href="${base}/accounts/${a.public_id}">${a.full_name}</a><span class="cell-sub">${a.email}</span>`,
        },
        { header: 'Role', cell: roleBadge },
        { header: 'Status', cell: statusBadge },
        { header: 'Changed', cell: (a) => formatDateTime(a.updated_at) },
      ],
      rows: items,
      empty: q
        ? emptyState({
            title: 'No account matches',
            message: `Nothing has “${q}” in its name or email.`,
            icon: 'search',
          })
        : 'No accounts yet.',
    });
    return render(
      reply,
      request,
      'Accounts',
      html`${pageHeader({ title: 'Accounts', subtitle: 'Everyone who can sign in to aTES, and their role.', actions: button({ label: 'New account', href: `${base}/accounts/new`, icon: 'plus' }) })}
      ${card({ body: search })}
      ${card({ flush: true, body: list, footer: pagination({ page: pageNumber, pageSize: perPage, total, href }) })}`,
    );
  });

  const accountForm = (
    request: FastifyRequest,
    values: { email?: string; full_name?: string; role?: string },
    errors: Record<string, string>,
  ): SafeHtml =>
    form({
      action: `${base}/accounts`,
      csrf: request.csrfToken,
      body: html`
        ${field({ label: 'Full name', name: 'full_name', value: values.full_name ?? '', required: true, maxLength: maxFullNameLength, error: errors.full_name, autocomplete: 'off' })}
        ${field({ label: 'Email', name: 'email', type: 'email', value: values.email ?? '', required: true, maxLength: maxEmailLength, error: errors.email, autocomplete: 'off' })}
        ${field({ label: 'Role', name: 'role', type: 'select', value: values.role ?? 'worker', options: roles.map((r) => ({ value: r, label: roleLabels[r] })), error: errors.role })}
        ${field({ label: 'Password', name: 'password', type: 'password', hint: 'Leave empty to generate one; it is shown once.', error: errors.password, autocomplete: 'new-password' })}
        <div class="form-actions">${button({ label: 'Create account' })}${button({ label: 'Cancel', kind: 'ghost', href: `${base}/accounts` })}</div>`,
    });

  app.get(`${base}/accounts/new`, guarded, async (request, reply) =>
    render(
      reply,
      request,
      'New account',
      html`${pageHeader({ title: 'New account' })}${card({ body: accountForm(request, {}, {}) })}`,
    ),
  );

  app.post(`${base}/accounts`, guarded, async (request, reply) => {
    const values = {
      email: text(request.body, 'email'),
      full_name: text(request.body, 'full_name'),
      role: text(request.body, 'role'),
    };
    const password = text(request.body, 'password');
    try {
      const created = await deps.accounts.create(actor(request), { ...values, ...(password ? { password } : {}) });
      return render(
        reply,
        request,
        'Account created',
        html`${pageHeader({ title: created.account.full_name, subtitle: created.account.email })}
        ${card({
          title: 'Account created',
          body: html`${
            created.generatedPassword
              ? html`<p>Give this password to ${created.account.full_name}. It is shown only now:</p><p><code class="code">${created.generatedPassword}</code></p>`
              : html`<p>They can sign in with the password you chose.</p>`
          }
          <div class="form-actions">${button({ label: 'Open account', href: `${base}/accounts/${created.account.public_id}` })}${button({ label: 'Back to accounts', kind: 'secondary', href: `${base}/accounts` })}</div>`,
        })}`,
        { status: 201, flash: [{ kind: 'success', message: 'Account created.' }] },
      );
    } catch (error) {
      const refused = refusal(error);
      return render(
        reply,
        request,
        'New account',
        html`${pageHeader({ title: 'New account' })}${card({ body: accountForm(request, values, issuesByField(refused)) })}`,
        {
          status: refused.status,
          flash: [
            {
              kind: 'error',
              message: refusalMessage(refused),
            },
          ],
        },
      );
    }
  });

  const accountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    account: Account,
    options: {
      status?: number;
      flash?: Flash[];
      errors?: Record<string, string>;
      values?: { email?: string; full_name?: string };
    } = {},
  ) => {
    const errors = options.errors ?? {};
    const self = account.public_id === request.viewer.id;
    const action = (path: string) => `${base}/accounts/${account.public_id}${path}`;
    const details = descriptionList([
      { label: 'Role', value: roleBadge(account) },
      { label: 'Status', value: statusBadge(account) },
      { label: 'Account id', value: html`<code class="code">${account.public_id}</code>` },
      { label: 'Version', value: String(account.version) },
      { label: 'Created', value: formatDateTime(account.created_at) },
      { label: 'Changed', value: formatDateTime(account.updated_at) },
    ]);
    const edit = form({
      action: action(''),
      csrf: request.csrfToken,
      body: html`
        ${field({ label: 'Full name', name: 'full_name', value: options.values?.full_name ?? account.full_name, required: true, maxLength: maxFullNameLength, error: errors.full_name })}
        ${field({ label: 'Email', name: 'email', type: 'email', value: options.values?.email ?? account.email, required: true, maxLength: maxEmailLength, error: errors.email })}
        <div class="form-actions">${button({ label: 'Save' })}</div>`,
    });
    const role = form({
      action: action('/role'),
      csrf: request.csrfToken,
      body: html`
        ${field({ label: 'Role', name: 'role', type: 'select', value: account.role, options: roles.map((r) => ({ value: r, label: roleLabels[r] })), hint: self ? 'Another admin has to change your role.' : undefined, error: errors.role })}
        <div class="form-actions">${button({ label: 'Change role', kind: 'secondary' })}</div>`,
    });
    const actions = html`<div class="stack">
      ${
        account.active
          ? self
            ? html`<p class="muted">You cannot deactivate your own account.</p>`
            : confirmAction({
                action: action('/deactivate'),
                label: 'Deactivate',
                title: `Deactivate ${account.full_name}?`,
                message:
                  'They will be signed out everywhere, cannot sign in, and get no new tasks. Their history stays.',
                confirmLabel: 'Deactivate',
                csrf: request.csrfToken,
                danger: true,
              })
          : confirmAction({
              action: action('/activate'),
              label: 'Activate',
              title: `Activate ${account.full_name}?`,
              message: 'They can sign in again and get tasks.',
              confirmLabel: 'Activate',
              csrf: request.csrfToken,
            })
      }
      ${confirmAction({
        action: action('/password'),
        label: 'Reset password',
        title: `Reset the password of ${account.full_name}?`,
        message: 'A new password is generated and shown once; their sessions end.',
        confirmLabel: 'Reset password',
        csrf: request.csrfToken,
      })}
    </div>`;
    return render(
      reply,
      request,
      'Account',
      html`${pageHeader({ title: account.full_name, subtitle: account.email, actions: button({ label: 'All accounts', kind: 'ghost', href: `${base}/accounts` }) })}
      ${card({ title: 'Details', body: details })}
      ${card({ title: 'Name and email', body: edit })}
      ${card({ title: 'Role', description: 'Every person has exactly one role.', body: role })}
      ${card({ title: 'Access', body: actions })}`,
      { status: options.status, ...(options.flash ? { flash: options.flash } : {}) },
    );
  };

  const loadOr404 = async (request: FastifyRequest, reply: FastifyReply, id: string): Promise<Account | undefined> => {
    try {
      return await deps.accounts.get(id);
    } catch (error) {
      const refused = refusal(error);
      render(
        reply,
        request,
        'Account not found',
        card({ title: 'Account not found', body: html`<p>${refused.message}</p>` }),
        { status: refused.status },
      );
      return undefined;
    }
  };

  app.get(`${base}/accounts/:id`, { ...guarded, schema: { hide: true, params: Id } }, async (request, reply) => {
    const account = await loadOr404(request, reply, request.params.id);
    return account ? accountPage(request, reply, account) : reply;
  });

  app.post(`${base}/accounts/:id`, { ...guarded, schema: { hide: true, params: Id } }, async (request, reply) => {
    const values = { email: text(request.body, 'email'), full_name: text(request.body, 'full_name') };
    try {
      await deps.accounts.update(actor(request), request.params.id, values);
      return reply.redirect(`${base}/accounts/${request.params.id}?done=updated`, 303);
    } catch (error) {
      const refused = refusal(error);
      const account = await loadOr404(request, reply, request.params.id);
      if (!account) return reply;
      return accountPage(request, reply, account, {
        status: refused.status,
        errors: issuesByField(refused),
        values,
        flash: [
          {
            kind: 'error',
            message: refusalMessage(refused),
          },
        ],
      });
    }
  });

  const change = (path: string, done: string, run: (request: FastifyRequest, id: string) => Promise<unknown>) =>
    app.post(
      `${base}/accounts/:id${path}`,
      { ...guarded, schema: { hide: true, params: Id } },
      async (request, reply) => {
        try {
          await run(request, request.params.id);
          return reply.redirect(`${base}/accounts/${request.params.id}?done=${done}`, 303);
        } catch (error) {
          const refused = refusal(error);
          const account = await loadOr404(request, reply, request.params.id);
          if (!account) return reply;
          return accountPage(request, reply, account, {
            status: refused.status,
            errors: issuesByField(refused),
            flash: [{ kind: 'error', message: refused.message }],
          });
        }
      },
    );

  change('/role', 'role', (request, id) => deps.accounts.changeRole(actor(request), id, text(request.body, 'role')));
  change('/deactivate', 'deactivated', (request, id) => deps.accounts.deactivate(actor(request), id));
  change('/activate', 'activated', (request, id) => deps.accounts.activate(actor(request), id));

  app.post(
    `${base}/accounts/:id/password`,
    { ...guarded, schema: { hide: true, params: Id } },
    async (request, reply) => {
      try {
        const result = await deps.accounts.setPassword(actor(request), request.params.id, undefined);
        return render(
          reply,
          request,
          'Account',
          html`${pageHeader({ title: result.account.full_name, subtitle: result.account.email })}
        ${card({
          title: 'New password',
          body: html`<p>Give this password to ${result.account.full_name}. It is shown only now:</p><p><code class="code">${result.generatedPassword ?? ''}</code></p>
          <div class="form-actions">${button({ label: 'Back to the account', href: `${base}/accounts/${result.account.public_id}` })}</div>`,
        })}`,
          { flash: [{ kind: 'success', message: 'Password reset; their sessions have ended.' }] },
        );
      } catch (error) {
        const refused = refusal(error);
        const account = await loadOr404(request, reply, request.params.id);
        return account
          ? accountPage(request, reply, account, {
              status: refused.status,
              flash: [{ kind: 'error', message: refused.message }],
            })
          : reply;
      }
    },
  );

  // --- Applications -------------------------------------------------------------------------

  const applicationsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      status?: number;
      flash?: Flash[];
      errors?: Record<string, string>;
      values?: Record<string, string>;
      created?: { application: Application; clientSecret?: string };
    } = {},
  ) => {
    const applications = await listApplications(deps.db);
    const errors = options.errors ?? {};
    const values = options.values ?? {};
    const list = table<Application>({
      caption: 'Applications',
      columns: [
        {
          header: 'Name',
          cell: (a) =>
            html`<span class="cell-title">${a.name}</span><span class="cell-sub"><code class="code">${a.client_id}</code></span>`,
        },
        {
          header: 'Kind',
          cell: (a) =>
            html`${a.public ? badge('Public', 'info') : badge('Confidential', 'neutral')} ${a.first_party ? badge('First-party', 'done') : ''}`,
        },
        {
          header: 'Redirect URIs',
          cell: (a) => html`${a.redirect_uris.map((u) => html`<span class="cell-sub">${u}</span>`)}`,
        },
        {
          header: '',
          cell: (a) =>
            a.configured
              ? html`<span class="muted text-sm">From configuration</span>`
              : confirmAction({
                  action: `${base}/applications/${encodeURIComponent(a.client_id)}/delete`,
                  label: 'Remove',
                  title: `Remove ${a.name}?`,
                  message: 'It can no longer sign anyone in; tokens issued to it are revoked.',
                  confirmLabel: 'Remove',
                  csrf: request.csrfToken,
                  danger: true,
                  size: 'sm',
                }),
        },
      ],
      rows: applications,
      empty: 'No applications.',
    });
    const register = form({
      action: `${base}/applications`,
      csrf: request.csrfToken,
      body: html`
        ${field({ label: 'Name', name: 'name', value: values.name ?? '', required: true, maxLength: 100, error: errors.name })}
        ${field({ label: 'Redirect URIs', name: 'redirect_uris', type: 'textarea', rows: 2, value: values.redirect_uris ?? '', required: true, hint: 'One per line; must match exactly, e.g. https://app.example.com/callback.', error: errors.redirect_uris ?? Object.entries(errors).find(([k]) => k.startsWith('redirect_uris.'))?.[1] })}
        ${field({ label: 'Post-logout redirect URIs', name: 'post_logout_redirect_uris', type: 'textarea', rows: 2, value: values.post_logout_redirect_uris ?? '', hint: 'Optional; one per line.', error: Object.entries(errors).find(([k]) => k.startsWith('post_logout_redirect_uris'))?.[1] })}
        ${field({
          label: 'Client type',
          name: 'kind',
          type: 'select',
          value: values.kind ?? 'confidential',
          options: [
            { value: 'confidential', label: 'Confidential (a server that keeps a secret)' },
            { value: 'public', label: 'Public (native or single-page app, PKCE only)' },
          ],
        })}
        <div class="form-actions">${button({ label: 'Register application' })}</div>`,
    });
    const created = options.created
      ? card({
          title: `Registered ${options.created.application.name}`,
          body: html`${descriptionList([
            { label: 'Client id', value: html`<code class="code">${options.created.application.client_id}</code>` },
            ...(options.created.clientSecret
              ? [
                  {
                    label: 'Client secret',
                    value: html`<code class="code">${options.created.clientSecret}</code> <span class="muted text-sm">shown only now</span>`,
                  },
                ]
              : []),
          ])}`,
        })
      : '';
    return render(
      reply,
      request,
      'Applications',
      html`${pageHeader({ title: 'Applications', subtitle: 'OAuth clients that may sign people in through aTES. Third-party ones ask for consent; aTES dashboards do not.' })}
      ${created}
      ${card({ flush: true, body: list })}
      ${card({ title: 'Register an application', body: register })}`,
      { status: options.status, ...(options.flash ? { flash: options.flash } : {}) },
    );
  };

  app.get(`${base}/applications`, guarded, async (request, reply) => applicationsPage(request, reply));

  app.post(`${base}/applications`, guarded, async (request, reply) => {
    const values = {
      name: text(request.body, 'name'),
      redirect_uris: text(request.body, 'redirect_uris'),
      post_logout_redirect_uris: text(request.body, 'post_logout_redirect_uris'),
      kind: text(request.body, 'kind'),
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
      return applicationsPage(request, reply, {
        status: 201,
        created,
        flash: [{ kind: 'success', message: 'Application registered.' }],
      });
    } catch (error) {
      const refused = refusal(error);
      return applicationsPage(request, reply, {
        status: refused.status,
        errors: issuesByField(refused),
        values,
        flash: [{ kind: 'error', message: 'Check the fields marked below.' }],
      });
    }
  });

  app.post(
    `${base}/applications/:client_id/delete`,
    { ...guarded, schema: { hide: true, params: ClientId } },
    async (request, reply) => {
      try {
        await deleteApplication(deps.db, request.params.client_id);
        return reply.redirect(`${base}/applications?done=removed`, 303);
      } catch (error) {
        const refused = refusal(error);
        return applicationsPage(request, reply, {
          status: refused.status,
          flash: [{ kind: 'error', message: refused.message }],
        });
      }
    },
  );
};
