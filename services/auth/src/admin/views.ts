import { roleLabels, roles } from '@ates/roles';
import {
  badge,
  button,
  card,
  confirmAction,
  descriptionList,
  emptyState,
  field,
  form,
  formatDateTime,
  html,
  pageHeader,
  pagination,
  table,
  type SafeHtml,
} from '@ates/ui';
import { maxEmailLength, maxFullNameLength, type Account } from '../accounts/account.js';
import type { Application } from '../applications/applications.js';

// The admin dashboard's pages, as plain functions from what the routes read to a title and HTML
// (@ates/ui). Every form posts with the session's CSRF token.

/** What every admin page needs: where the pages live, the form token, and who is looking. */
export interface AdminView {
  /** Where the pages live, e.g. /admin. */
  readonly base: string;
  readonly csrf: string;
  readonly viewerId: string;
}

export interface AdminPage {
  readonly title: string;
  readonly body: SafeHtml;
}

/** Messages by field (`email`, `redirect_uris.0`, …), as a refusal's issues name them. */
export type FieldErrors = Readonly<Record<string, string>>;

export interface AccountValues {
  readonly email?: string;
  readonly full_name?: string;
  readonly role?: string;
}

export interface ApplicationValues {
  readonly name?: string;
  readonly redirect_uris?: string;
  readonly post_logout_redirect_uris?: string;
  readonly kind?: string;
}

const roleBadge = (account: Account): SafeHtml =>
  html`<span class="role role--${account.role}">${roleLabels[account.role]}</span>`;
const statusBadge = (account: Account): SafeHtml =>
  account.active ? badge('Active', 'done') : badge('Deactivated', 'danger');
const roleOptions = roles.map((r) => ({ value: r, label: roleLabels[r] }));
const code = (value: string): SafeHtml => html`<code class="code">${value}</code>`;

const tabs = (base: string, current: 'accounts' | 'applications'): SafeHtml => {
  const tab = (name: typeof current, label: string) =>
    html`<li><a class="tab" href="${base}/${name}"${name === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="tabs" aria-label="Admin"><ul>${tab('accounts', 'Accounts')}${tab('applications', 'Applications')}</ul></nav>`;
};

const adminPage = (v: AdminView, tab: 'accounts' | 'applications', title: string, body: SafeHtml): AdminPage => ({
  title,
  body: html`${tabs(v.base, tab)}${body}`,
});

/** A password shown once, with where to go next. */
const shownOnce = (account: Account, password: string, actions: SafeHtml): SafeHtml =>
  html`<p>Give this password to ${account.full_name}. It is shown only now:</p><p>${code(password)}</p>
          <div class="form-actions">${actions}</div>`;

export const accountsPage = (
  v: AdminView,
  list: {
    readonly items: readonly Account[];
    readonly total: number;
    readonly q: string;
    readonly page: number;
    readonly perPage: number;
  },
): AdminPage => {
  const { base } = v;
  const { q } = list;
  const href = (p: number) =>
    `${base}/accounts?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
  const search = html`<form class="form form-row" method="get" action="${base}/accounts" role="search">
      ${field({ label: 'Search', name: 'q', type: 'search', value: q, placeholder: 'Name or email' })}
      <div class="form-actions">${button({ label: 'Search', kind: 'secondary' })}</div>
    </form>`;
  const rows = table<Account>({
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
    rows: list.items,
    empty: q
      ? emptyState({
          title: 'No account matches',
          message: `Nothing has “${q}” in its name or email.`,
          icon: 'search',
        })
      : 'No accounts yet.',
  });
  return adminPage(
    v,
    'accounts',
    'Accounts',
    html`${pageHeader({ title: 'Accounts', subtitle: 'Everyone who can sign in to aTES, and their role.', actions: button({ label: 'New account', href: `${base}/accounts/new`, icon: 'plus' }) })}
      ${card({ body: search })}
      ${card({ flush: true, body: rows, footer: pagination({ page: list.page, pageSize: list.perPage, total: list.total, href }) })}`,
  );
};

export const newAccountPage = (v: AdminView, values: AccountValues = {}, errors: FieldErrors = {}): AdminPage => {
  const { base } = v;
  const body = form({
    action: `${base}/accounts`,
    csrf: v.csrf,
    body: html`
        ${field({ label: 'Full name', name: 'full_name', value: values.full_name ?? '', required: true, maxLength: maxFullNameLength, error: errors.full_name, autocomplete: 'off' })}
        ${field({ label: 'Email', name: 'email', type: 'email', value: values.email ?? '', required: true, maxLength: maxEmailLength, error: errors.email, autocomplete: 'off' })}
        ${field({ label: 'Role', name: 'role', type: 'select', value: values.role ?? 'worker', options: roleOptions, error: errors.role })}
        ${field({ label: 'Password', name: 'password', type: 'password', hint: 'Leave empty to generate one; it is shown once.', error: errors.password, autocomplete: 'new-password' })}
        <div class="form-actions">${button({ label: 'Create account' })}${button({ label: 'Cancel', kind: 'ghost', href: `${base}/accounts` })}</div>`,
  });
  return adminPage(v, 'accounts', 'New account', html`${pageHeader({ title: 'New account' })}${card({ body })}`);
};

export const accountCreatedPage = (
  v: AdminView,
  created: { readonly account: Account; readonly generatedPassword?: string | undefined },
): AdminPage => {
  const { account } = created;
  const next = html`${button({ label: 'Open account', href: `${v.base}/accounts/${account.public_id}` })}${button({ label: 'Back to accounts', kind: 'secondary', href: `${v.base}/accounts` })}`;
  return adminPage(
    v,
    'accounts',
    'Account created',
    html`${pageHeader({ title: account.full_name, subtitle: account.email })}
        ${card({
          title: 'Account created',
          body: created.generatedPassword
            ? shownOnce(account, created.generatedPassword, next)
            : html`<p>They can sign in with the password you chose.</p>
          <div class="form-actions">${next}</div>`,
        })}`,
  );
};

export const newPasswordPage = (
  v: AdminView,
  result: { readonly account: Account; readonly generatedPassword?: string | undefined },
): AdminPage =>
  adminPage(
    v,
    'accounts',
    'Account',
    html`${pageHeader({ title: result.account.full_name, subtitle: result.account.email })}
        ${card({
          title: 'New password',
          body: shownOnce(
            result.account,
            result.generatedPassword ?? '',
            button({ label: 'Back to the account', href: `${v.base}/accounts/${result.account.public_id}` }),
          ),
        })}`,
  );

export const accountPage = (
  v: AdminView,
  account: Account,
  options: { readonly errors?: FieldErrors; readonly values?: AccountValues } = {},
): AdminPage => {
  const errors = options.errors ?? {};
  const self = account.public_id === v.viewerId;
  const action = (path: string) => `${v.base}/accounts/${account.public_id}${path}`;
  const details = descriptionList([
    { label: 'Role', value: roleBadge(account) },
    { label: 'Status', value: statusBadge(account) },
    { label: 'Account id', value: code(account.public_id) },
    { label: 'Version', value: String(account.version) },
    { label: 'Created', value: formatDateTime(account.created_at) },
    { label: 'Changed', value: formatDateTime(account.updated_at) },
  ]);
  const edit = form({
    action: action(''),
    csrf: v.csrf,
    body: html`
        ${field({ label: 'Full name', name: 'full_name', value: options.values?.full_name ?? account.full_name, required: true, maxLength: maxFullNameLength, error: errors.full_name })}
        ${field({ label: 'Email', name: 'email', type: 'email', value: options.values?.email ?? account.email, required: true, maxLength: maxEmailLength, error: errors.email })}
        <div class="form-actions">${button({ label: 'Save' })}</div>`,
  });
  const role = form({
    action: action('/role'),
    csrf: v.csrf,
    body: html`
        ${field({ label: 'Role', name: 'role', type: 'select', value: account.role, options: roleOptions, hint: self ? 'Another admin has to change your role.' : undefined, error: errors.role })}
        <div class="form-actions">${button({ label: 'Change role', kind: 'secondary' })}</div>`,
  });
  const access = html`<div class="stack">
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
                csrf: v.csrf,
                danger: true,
              })
          : confirmAction({
              action: action('/activate'),
              label: 'Activate',
              title: `Activate ${account.full_name}?`,
              message: 'They can sign in again and get tasks.',
              confirmLabel: 'Activate',
              csrf: v.csrf,
            })
      }
      ${confirmAction({
        action: action('/password'),
        label: 'Reset password',
        title: `Reset the password of ${account.full_name}?`,
        message: 'A new password is generated and shown once; their sessions end.',
        confirmLabel: 'Reset password',
        csrf: v.csrf,
      })}
    </div>`;
  return adminPage(
    v,
    'accounts',
    'Account',
    html`${pageHeader({ title: account.full_name, subtitle: account.email, actions: button({ label: 'All accounts', kind: 'ghost', href: `${v.base}/accounts` }) })}
      ${card({ title: 'Details', body: details })}
      ${card({ title: 'Name and email', body: edit })}
      ${card({ title: 'Role', description: 'Every person has exactly one role.', body: role })}
      ${card({ title: 'Access', body: access })}`,
  );
};

/** The first message among fields named `name` or `name.…` (one per redirect URI). */
const errorFor = (errors: FieldErrors, name: string): string | undefined =>
  errors[name] ?? Object.entries(errors).find(([k]) => k.startsWith(`${name}.`))?.[1];

export const applicationsPage = (
  v: AdminView,
  applications: readonly Application[],
  options: {
    readonly errors?: FieldErrors;
    readonly values?: ApplicationValues;
    readonly created?: { readonly application: Application; readonly clientSecret?: string | undefined };
  } = {},
): AdminPage => {
  const { base } = v;
  const errors = options.errors ?? {};
  const values = options.values ?? {};
  const list = table<Application>({
    caption: 'Applications',
    columns: [
      {
        header: 'Name',
        cell: (a) => html`<span class="cell-title">${a.name}</span><span class="cell-sub">${code(a.client_id)}</span>`,
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
                csrf: v.csrf,
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
    csrf: v.csrf,
    body: html`
        ${field({ label: 'Name', name: 'name', value: values.name ?? '', required: true, maxLength: 100, error: errors.name })}
        ${field({ label: 'Redirect URIs', name: 'redirect_uris', type: 'textarea', rows: 2, value: values.redirect_uris ?? '', required: true, hint: 'One per line; must match exactly, e.g. https://app.example.com/callback.', error: errorFor(errors, 'redirect_uris') })}
        ${field({ label: 'Post-logout redirect URIs', name: 'post_logout_redirect_uris', type: 'textarea', rows: 2, value: values.post_logout_redirect_uris ?? '', hint: 'Optional; one per line.', error: errorFor(errors, 'post_logout_redirect_uris') })}
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
  const created = options.created;
  const registered = created
    ? card({
        title: `Registered ${created.application.name}`,
        body: descriptionList([
          { label: 'Client id', value: code(created.application.client_id) },
          ...(created.clientSecret
            ? [
                {
                  label: 'Client secret',
                  value: html`${code(created.clientSecret)} <span class="muted text-sm">shown only now</span>`,
                },
              ]
            : []),
        ]),
      })
    : '';
  return adminPage(
    v,
    'applications',
    'Applications',
    html`${pageHeader({ title: 'Applications', subtitle: 'OAuth clients that may sign people in through aTES. Third-party ones ask for consent; aTES dashboards do not.' })}
      ${registered}
      ${card({ flush: true, body: list })}
      ${card({ title: 'Register an application', body: register })}`,
  );
};
