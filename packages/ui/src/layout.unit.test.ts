import { describe, expect, it } from 'vitest';
import { html } from './html.js';
import { dashboardsFor } from '@ates/roles';
import { page, signInPage } from './layout.js';
import type { Dashboard, DashboardLinks, Role } from './layout.js';

const links: DashboardLinks = {
  tracker: 'http://tracker.test/',
  accounting: 'http://accounting.test/',
  analytics: 'http://analytics.test/',
  admin: 'http://auth.test/admin',
};
const evil = '<script>alert(1)</script>';

const navHrefs = (doc: string): string[] =>
  [...doc.matchAll(/<a class="nav__link" href="([^"]+)"/g)].map((m) => m[1] ?? '');

describe('dashboardsFor', () => {
  it.each<[Role, Dashboard[]]>([
    ['admin', ['tracker', 'accounting', 'analytics', 'admin']],
    ['manager', ['tracker', 'accounting']],
    ['accountant', ['tracker', 'accounting']],
    ['worker', ['tracker', 'accounting']],
  ])('%s may open %j', (role, expected) => {
    expect(dashboardsFor(role)).toEqual(expected);
  });
});

describe('page', () => {
  const render = (role: Role, current: Dashboard = 'tracker'): string =>
    page({
      title: 'My tasks',
      current,
      viewer: { name: 'Kesha Popugaev', email: 'kesha@example.test', role },
      links,
      signOutUrl: 'http://auth.test/signout',
      body: html`<p>content</p>`,
    });

  it.each<Role>(['admin', 'manager', 'accountant', 'worker'])(
    'navigation for %s shows only the dashboards the role may open',
    (role) => {
      const doc = render(role);
      expect(navHrefs(doc)).toEqual(dashboardsFor(role).map((d) => links[d]));
      if (role !== 'admin') {
        expect(doc).not.toContain(links.analytics);
        expect(doc).not.toContain(links.admin);
        expect(doc).not.toContain('Analytics');
      }
    },
  );

  it('highlights the current dashboard', () => {
    const doc = render('admin', 'accounting');
    expect(doc.match(/aria-current="page"/g)).toHaveLength(1);
    expect(doc).toContain(`href="${links.accounting}" aria-current="page"`);
  });

  it('is a complete document', () => {
    const doc = render('worker');
    expect(doc.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(doc).toContain('<meta charset="utf-8">');
    expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(doc).toContain('<title>My tasks · aTES</title>');
    expect(doc).toMatch(/<link rel="stylesheet" href="\/assets\/ui\.css\?v=[0-9a-f]{12}">/);
    expect(doc).toMatch(/<script src="\/assets\/ui\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    expect(doc).toContain('<link rel="icon" href="data:image/svg+xml,');
    expect(doc).toContain('<main class="main" id="main" tabindex="-1">');
    expect(doc).toContain('<p>content</p>');
    expect(doc.trimEnd().endsWith('</html>')).toBe(true);
    expect(doc).toContain('aTES');
    expect(doc).toContain('UberPopug Inc');
  });

  it('shows the viewer, the role and a sign-out POST form', () => {
    const doc = page({
      title: 'T',
      current: 'tracker',
      viewer: { name: 'Kesha', email: 'k@e.test', role: 'accountant' },
      links,
      signOutUrl: 'http://auth.test/signout',
      csrf: 'tok',
      body: html``,
    });
    expect(doc).toContain('<span class="role role--accountant">Accountant</span>');
    expect(doc).toContain(
      '<form class="user__signout" method="post" action="http://auth.test/signout"><input type="hidden" name="_csrf" value="tok">',
    );
  });

  it('has no inline script, inline handler or inline style (CSP)', () => {
    const doc = render('admin');
    expect(doc).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(doc).not.toMatch(/\son[a-z]+=/i);
    expect(doc).not.toMatch(/\sstyle=/i);
  });

  it('escapes title, flash messages and viewer details', () => {
    const doc = page({
      title: evil,
      current: 'tracker',
      viewer: { name: evil, email: `"${evil}`, role: 'worker' },
      links,
      flash: [
        { kind: 'error', message: evil },
        { kind: 'success', message: evil },
        { kind: 'info', message: evil },
      ],
      body: html``,
    });
    expect(doc).not.toContain('<script>alert');
    expect(doc.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('announces errors assertively and other flashes politely', () => {
    const doc = page({
      title: 'T',
      current: 'tracker',
      flash: [
        { kind: 'error', message: 'bad' },
        { kind: 'success', message: 'ok' },
      ],
      body: html``,
    });
    expect(doc).toContain('<div class="flash flash--error" role="alert">');
    expect(doc).toContain('<div class="flash flash--success" role="status">');
  });

  it('renders without a viewer (no navigation, no user menu)', () => {
    const doc = page({ title: 'Signed out', current: 'signin', body: html`<p>bye</p>` });
    expect(navHrefs(doc)).toEqual([]);
    expect(doc).not.toContain('class="user"');
  });
});

describe('signInPage', () => {
  it('renders the form with email, password, hidden fields and no error by default', () => {
    const doc = signInPage({ action: '/signin', hiddenFields: { return_to: 'http://tracker.test/' } });
    expect(doc.startsWith('<!doctype html>')).toBe(true);
    expect(doc).toContain('<form class="form" method="post" action="/signin">');
    expect(doc).toContain('name="email" type="email" autocomplete="username" required');
    expect(doc).toContain('name="password" type="password" autocomplete="current-password" required');
    expect(doc).toContain('<input type="hidden" name="return_to" value="http://tracker.test/">');
    expect(doc).not.toContain('role="alert"');
    expect(doc).toContain('<title>Sign in · aTES</title>');
  });

  it('shows the error tied to the fields and keeps the email', () => {
    const doc = signInPage({ action: '/signin', email: 'k@e.test', error: 'Wrong email or password.' });
    expect(doc).toContain('role="alert" id="signin-error"');
    expect(doc).toContain('value="k@e.test"');
    expect(doc.match(/aria-describedby="signin-error"/g)).toHaveLength(2);
  });

  it('escapes the email, the error and hidden fields', () => {
    const doc = signInPage({
      action: '/signin',
      email: `"><${evil}`,
      error: evil,
      hiddenFields: { return_to: `"><${evil}` },
    });
    expect(doc).not.toContain('<script>alert');
  });
});
