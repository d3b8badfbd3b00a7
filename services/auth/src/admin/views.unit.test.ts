import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account.js';
import type { Application } from '../applications/applications.js';
import { accountPage, accountsPage, applicationsPage, type AdminView } from './views.js';

const admin = '11111111-1111-4111-8111-111111111111';
const view: AdminView = { base: '/admin', csrf: 'csrf-token', viewerId: admin };

const account = (over: Partial<Account> = {}): Account => ({
  public_id: '22222222-2222-4222-8222-222222222222',
  email: 'polly@uberpopug.example',
  full_name: 'Polly Popug',
  role: 'worker',
  active: true,
  version: 3,
  created_at: new Date('2026-03-03T09:12:00Z'),
  updated_at: new Date('2026-03-04T09:12:00Z'),
  ...over,
});

const application = (over: Partial<Application> = {}): Application => ({
  client_id: 'kiwi-app',
  name: 'Kiwi App',
  public: false,
  redirect_uris: ['https://kiwi.example/callback'],
  post_logout_redirect_uris: [],
  backchannel_logout_uri: null,
  first_party: false,
  configured: false,
  created_at: new Date('2026-03-03T09:12:00Z'),
  ...over,
});

const current = (body: string): string | undefined =>
  /<a class="tab" href="([^"]+)" aria-current="page"/.exec(body)?.[1];

describe('admin pages', () => {
  it('list accounts with their names escaped, under the Accounts tab', () => {
    const { title, body } = accountsPage(view, {
      items: [account({ full_name: '<script>alert(1)</script>' })],
      total: 1,
      q: '',
      page: 1,
      perPage: 20,
    });
    expect(title).toBe('Accounts');
    expect(current(String(body))).toBe('/admin/accounts');
    expect(String(body)).not.toContain('<script>alert(1)</script>');
    expect(String(body)).toContain('&lt;script&gt;');
  });

  it('offer to deactivate someone else, never oneself', () => {
    const other = String(accountPage(view, account()).body);
    expect(other).toContain('action="/admin/accounts/22222222-2222-4222-8222-222222222222/deactivate"');
    expect(other).toContain('value="csrf-token"');
    const self = String(accountPage(view, account({ public_id: admin, role: 'admin' })).body);
    expect(self).not.toContain('/deactivate"');
    expect(self).toContain('You cannot deactivate your own account.');
    expect(self).toContain('Another admin has to change your role.');
  });

  it('offer to activate a deactivated account', () => {
    const body = String(accountPage(view, account({ active: false })).body);
    expect(body).toContain('/activate"');
    expect(body).not.toContain('/deactivate"');
  });

  it('show the message of the first refused redirect URI, and no Remove for configured applications', () => {
    const { body } = applicationsPage(view, [application(), application({ client_id: 'tracker', configured: true })], {
      errors: { 'redirect_uris.1': 'Must be an absolute https URL.' },
      values: { name: 'Kiwi', redirect_uris: 'https://a.example/cb\nhttp://b' },
    });
    const html = String(body);
    expect(current(html)).toBe('/admin/applications');
    expect(html).toContain('Must be an absolute https URL.');
    expect(html).toContain('action="/admin/applications/kiwi-app/delete"');
    expect(html).not.toContain('action="/admin/applications/tracker/delete"');
    expect(html).toContain('From configuration');
  });
});
