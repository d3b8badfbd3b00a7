import { describe, expect, it } from 'vitest';
import type { Caller } from '@ates/token-verifier';
import type { AccountSummary, AuditEntry } from '../accounts/queries.js';
import { accountHref, accountPage, companyPage, type AccountView } from './views.js';

const worker: Caller = {
  id: '11111111-1111-4111-8111-111111111111',
  role: 'worker',
  name: 'Polly Popug',
  email: 'polly@uberpopug.example',
};
const accountant: Caller = {
  id: '22222222-2222-4222-8222-222222222222',
  role: 'accountant',
  name: 'Kea Nestor',
  email: 'kea@uberpopug.example',
};
const today = '2026-03-03';
const account = (over: Partial<AccountSummary> = {}): AccountSummary => ({
  account_id: worker.id,
  full_name: 'Polly Popug',
  email: worker.email,
  role: 'worker',
  balance: -1300,
  version: 2,
  ...over,
});
const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  transaction_id: '33333333-3333-4333-8333-333333333333',
  kind: 'fee',
  reverses: null,
  amount: -1300,
  balance_after: -1300,
  business_day: today,
  occurred_at: new Date('2026-03-03T09:12:00Z'),
  recorded_at: new Date('2026-03-03T09:12:01Z'),
  task: {
    id: '44444444-4444-4444-8444-444444444444',
    title: 'Refill the millet',
    jira_id: 'UBERPOP-42',
    description: 'It squeaks.',
  },
  ...over,
});
const view = (over: Partial<AccountView> = {}): AccountView => ({
  viewer: worker,
  account: account(),
  today,
  days: [{ business_day: today, fees: 1300, rewards: 0, earned: -1300, payout: 0 }],
  log: { items: [entry()], total: 1, page: 1, pageSize: 25 },
  day: undefined,
  ...over,
});
const bodyOf = (page: { body: unknown }): string => String(page.body);

describe('accounting pages', () => {
  it("show a worker their balance, today's figures and each entry with its task", () => {
    const html = bodyOf(accountPage(view(), '/'));
    expect(html).toContain('<h1 class="page-header__title">My account</h1>');
    expect(html).toContain('−$13');
    expect(html).toContain('<span class="code">UBERPOP-42</span> Refill the millet');
    expect(html).toContain('carried over until rewards pay it off');
    expect(html).not.toContain('Company figures');
  });

  it('say when a task has not reached accounting yet, and show a payout as the day’s', () => {
    const html = bodyOf(
      accountPage(
        view({
          log: {
            items: [
              entry({
                task: { id: '44444444-4444-4444-8444-444444444444', title: null, jira_id: null, description: null },
              }),
              entry({ kind: 'payout', amount: -5800, task: null }),
            ],
            total: 2,
            page: 1,
            pageSize: 25,
          },
        }),
        '/',
      ),
    );
    expect(html).toContain('A task accounting has not seen yet');
    expect(html).toContain('Paid out at the close of 3 Mar 2026');
  });

  it('escape what people typed', () => {
    const html = bodyOf(
      accountPage(
        view({
          account: account({ full_name: '<img src=x onerror=alert(1)>' }),
          viewer: accountant,
          log: {
            items: [entry({ task: { id: 'x', title: '<script>x</script>', jira_id: null, description: '"><b>' } })],
            total: 1,
            page: 1,
            pageSize: 25,
          },
        }),
        `/accounts/${worker.id}`,
      ),
    );
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('Account of &lt;img src=x onerror=alert(1)&gt;');
  });

  it("show admins and accountants management's earnings per day and every account", () => {
    const html = bodyOf(
      companyPage({
        viewer: accountant,
        today,
        days: [
          {
            business_day: today,
            status: 'open',
            fees: 4500,
            rewards: 3200,
            management_earnings: 1300,
            payouts: 0,
            payout_count: 0,
            negative_accounts: 2,
            closed_at: null,
          },
          {
            business_day: '2026-03-02',
            status: 'closed',
            fees: 1000,
            rewards: 4000,
            management_earnings: -3000,
            payouts: 5800,
            payout_count: 1,
            negative_accounts: 0,
            closed_at: new Date(),
          },
        ],
        accounts: { items: [account()], total: 1, page: 1, pageSize: 50 },
      }),
    );
    expect(html).toContain('Management earned today');
    expect(html).toContain('$13');
    expect(html).toContain('−$30');
    expect(html).toContain('Closed');
    expect(html).toContain(`href="/accounts/${worker.id}"`);
    // The chart draws the days oldest first, from data the page embeds (never executed).
    const data = /<script type="application\/json" class="chart__data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(JSON.parse(data)).toMatchObject({
      labels: ['2 Mar 2026', '3 Mar 2026'],
      series: [{ values: [-3000, 1300], tone: 'signed' }],
    });
  });

  it('link days and pages without the defaults', () => {
    expect(accountHref({ base: '/' })).toBe('/');
    expect(accountHref({ base: '/', day: today, page: 2 })).toBe(`/?day=${today}&page=2`);
  });
});
