import { attributes, classes, html, raw } from './html.js';
import type { SafeHtml } from './html.js';
import { faviconHref, icon, logo } from './icons.js';
import type { IconName } from './icons.js';
import { hiddenFields } from './components.js';
import { chartScriptHrefs, uiCssHref, uiJsHref } from './assets.js';
import { dashboardsFor, roleLabels, type Dashboard, type Role } from '@ates/roles';

export type { Dashboard, Role } from '@ates/roles';

export interface Viewer {
  readonly name: string;
  readonly email: string;
  readonly role: Role;
}

/** Absolute URLs of each dashboard's home. */
export interface DashboardLinks {
  readonly tracker: string;
  readonly accounting: string;
  readonly analytics: string;
  readonly admin: string;
}

export interface Flash {
  readonly kind: 'success' | 'error' | 'info';
  readonly message: string;
}

export const dashboardLabels: Readonly<Record<Dashboard, string>> = {
  tracker: 'Tasks',
  accounting: 'Accounting',
  analytics: 'Analytics',
  admin: 'Admin',
};
const dashboardIcons: Readonly<Record<Dashboard, IconName>> = {
  tracker: 'tasks',
  accounting: 'accounting',
  analytics: 'analytics',
  admin: 'admin',
};

export const brandName = 'aTES';
export const companyName = 'UberPopug Inc';

const initials = (name: string): string => {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return (
    letters
      .map((w) => [...(w ?? '')][0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
};

/** A page that holds a chart (`chart()` marks its figure) loads Chart.js and the script that draws it. */
const chartScripts = (body: SafeHtml): SafeHtml =>
  String(body).includes('<figure class="chart" data-chart>')
    ? html`${chartScriptHrefs().map((href) => html`<script src="${href}" defer></script>`)}`
    : html``;

const htmlDocument = (o: { title: string; bodyClass: string; body: SafeHtml }): string =>
  `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#15803d">
<title>${o.title}</title>
<link rel="icon" href="${faviconHref}" type="image/svg+xml">
<link rel="stylesheet" href="${uiCssHref}">
<script src="${uiJsHref}" defer></script>
${chartScripts(o.body)}
</head>
<body class="${o.bodyClass}">
${o.body}
</body>
</html>`}\n`;

const brand = (href: string | undefined): SafeHtml => {
  const inner = html`${logo(28)}<span class="brand__text"><span class="brand__name">${brandName}</span><span class="brand__org"><span aria-hidden="true">·</span> ${companyName}</span></span>`;
  return href ? html`<a class="brand" href="${href}">${inner}</a>` : html`<span class="brand">${inner}</span>`;
};

const flashIcons: Readonly<Record<Flash['kind'], IconName>> = { success: 'success', error: 'error', info: 'info' };

/** Flash messages; errors are announced assertively (`role="alert"`), the rest politely. */
export const flashes = (list: readonly Flash[] | undefined): SafeHtml =>
  list && list.length > 0
    ? html`<div class="flashes">${list.map(
        (f) =>
          html`<div class="flash flash--${f.kind}" role="${f.kind === 'error' ? 'alert' : 'status'}">${icon(flashIcons[f.kind])}<p>${f.message}</p></div>`,
      )}</div>`
    : raw('');

/**
 * A complete dashboard page: head, the top bar (brand, navigation to the dashboards the viewer's
 * role may open with the current one highlighted, the viewer and sign-out), flash messages and
 * the content. `csrf`, when given, is posted with the sign-out form. `current` is left out by a
 * page that belongs to no dashboard (the event catalog every service serves).
 */
export const page = (options: {
  title: string;
  current?: Dashboard | 'signin';
  viewer?: Viewer;
  links?: DashboardLinks;
  signOutUrl?: string;
  csrf?: string;
  flash?: readonly Flash[];
  body: SafeHtml;
}): string => {
  const { viewer, links } = options;
  const allowed = viewer ? dashboardsFor(viewer.role) : [];
  const home =
    links && allowed.length > 0
      ? links[
          allowed.includes(options.current as Dashboard) ? (options.current as Dashboard) : (allowed[0] as Dashboard)
        ]
      : undefined;
  const nav =
    links && allowed.length > 0
      ? html`<nav class="nav" aria-label="Dashboards"><ul class="nav__list">${allowed.map(
          (d) =>
            html`<li><a class="nav__link" href="${links[d]}"${attributes({ 'aria-current': d === options.current ? 'page' : undefined })}>${icon(dashboardIcons[d])}<span>${dashboardLabels[d]}</span></a></li>`,
        )}</ul></nav>`
      : '';
  const user = viewer
    ? html`<div class="user">
      <span class="avatar" aria-hidden="true">${initials(viewer.name)}</span>
      <span class="user__text"><span class="user__name" title="${viewer.email}">${viewer.name}</span><span class="sr-only">, ${viewer.email}, </span><span class="${classes('role', `role--${viewer.role}`)}">${roleLabels[viewer.role]}</span></span>
      ${
        options.signOutUrl
          ? html`<form class="user__signout" method="post" action="${options.signOutUrl}">${options.csrf !== undefined ? hiddenFields({ _csrf: options.csrf }) : ''}<button class="btn btn--ghost btn--sm" type="submit" title="Sign out">${icon('signOut')}<span class="user__signout-label">Sign out</span></button></form>`
          : ''
      }
    </div>`
    : '';
  return htmlDocument({
    title: `${options.title} · ${brandName}`,
    bodyClass: 'app',
    body: html`<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <div class="topbar__inner">
    ${brand(home)}
    ${nav}
    ${user}
  </div>
</header>
<main class="main" id="main" tabindex="-1">
  ${flashes(options.flash)}
  ${options.body}
</main>`,
  });
};

/**
 * The sign-in page of the auth service: a centred card with the brand, email and password, the
 * error (tied to both fields) and the submit button. `hiddenFields` carry e.g. the return URL and
 * the CSRF token.
 */
export const signInPage = (options: {
  action: string;
  email?: string;
  error?: string;
  hiddenFields?: Record<string, string>;
  flash?: readonly Flash[];
}): string => {
  const describedBy = options.error ? 'signin-error' : undefined;
  const invalid = options.error ? 'true' : undefined;
  return htmlDocument({
    title: `Sign in · ${brandName}`,
    bodyClass: 'signin',
    body: html`<main class="signin__main" id="main">
  <div class="signin__panel">
    <div class="signin__brand">${logo(40)}<p><span class="brand__name">${brandName}</span> <span class="brand__org"><span aria-hidden="true">·</span> ${companyName}</span></p></div>
    <div class="signin__card">
      <h1 class="signin__title">Sign in</h1>
      <p class="signin__subtitle">One account for every UberPopug dashboard.</p>
      ${flashes(options.flash)}
      ${options.error ? html`<div class="flash flash--error" role="alert" id="signin-error">${icon('error')}<p>${options.error}</p></div>` : ''}
      <form class="form" method="post" action="${options.action}">
        ${hiddenFields(options.hiddenFields)}
        <div class="field">
          <label class="field__label" for="signin-email">Email</label>
          <input class="control" id="signin-email" name="email" type="email" autocomplete="username" required${attributes({ value: options.email, autofocus: options.email ? undefined : '', 'aria-invalid': invalid, 'aria-describedby': describedBy })}>
        </div>
        <div class="field">
          <label class="field__label" for="signin-password">Password</label>
          <input class="control" id="signin-password" name="password" type="password" autocomplete="current-password" required${attributes({ autofocus: options.email ? '' : undefined, 'aria-invalid': invalid, 'aria-describedby': describedBy })}>
        </div>
        <button class="btn btn--primary btn--block btn--lg" type="submit"><span>Sign in</span></button>
      </form>
    </div>
    <p class="signin__footer">No account yet, or forgot your password? Ask an admin.</p>
  </div>
</main>`,
  });
};
