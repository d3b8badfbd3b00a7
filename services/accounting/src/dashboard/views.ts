import type { BusinessDay } from '@ates/business-days';
import type { Caller } from '@ates/token-verifier';
import {
  amount,
  badge,
  button,
  card,
  chart,
  emptyState,
  formatDate,
  formatDateTime,
  html,
  pageHeader,
  pagination,
  stat,
  statGroup,
  table,
  time,
  type SafeHtml,
} from '@ates/ui';
import type { AccountDay, AccountSummary, AuditEntry } from '../accounts/queries.js';
import type { CompanyDay } from '../days/queries.js';
import { dollars } from '../money.js';

// The accounting dashboard's pages, as plain functions from what the routes read to HTML
// (@ates/ui). Amounts are cents in the data and dollars on the page.

const cents = (value: number, o: { signed?: boolean } = {}): SafeHtml => amount(value / 100, o);
const dayLabel = (day: BusinessDay): string => formatDate(`${day}T12:00:00Z`);
const tone = (value: number): 'positive' | 'negative' | undefined =>
  value > 0 ? 'positive' : value < 0 ? 'negative' : undefined;
const count = new Intl.NumberFormat('en-US');

export const nameOf = (a: Pick<AccountSummary, 'full_name' | 'email'>): string =>
  a.full_name ?? a.email ?? 'Unknown popug';

export interface AccountView {
  readonly viewer: Caller;
  readonly account: AccountSummary;
  readonly today: BusinessDay;
  readonly days: readonly AccountDay[];
  readonly log: {
    readonly items: readonly AuditEntry[];
    readonly total: number;
    readonly page: number;
    readonly pageSize: number;
  };
  /** The day the audit log is narrowed to, if any. */
  readonly day: BusinessDay | undefined;
}

export const accountHref = (o: { base: string; day?: BusinessDay | undefined; page?: number }): string => {
  const params = new URLSearchParams();
  if (o.day) params.set('day', o.day);
  if (o.page !== undefined && o.page > 1) params.set('page', String(o.page));
  const query = params.toString();
  return query ? `${o.base}?${query}` : o.base;
};

/** A7 on a page: today, and every past day something was posted on (a quiet day has nothing to show). */
const worthShowing = (today: BusinessDay) => (d: { business_day: BusinessDay; fees: number; rewards: number }) =>
  d.business_day === today || d.fees !== 0 || d.rewards !== 0 || ('status' in d && d.status !== 'open');

const kindBadges: Record<AuditEntry['kind'], SafeHtml> = {
  fee: badge('Fee', 'danger'),
  reward: badge('Reward', 'done'),
  payout: badge('Payout', 'info'),
  reversal: badge('Reversal', 'neutral'),
};

const whatCell = (e: AuditEntry): SafeHtml =>
  e.reverses
    ? html`${kindBadges.reversal}<div class="cell-sub">of a ${e.reverses.kind}: ${e.reverses.reason}</div>`
    : kindBadges[e.kind];

const taskCell = (e: AuditEntry): SafeHtml => {
  if (!e.task)
    return html`<div class="cell-title">Payout of the day</div><div class="cell-sub">Paid out at the close of ${dayLabel(e.business_day)}</div>`;
  if (e.task.title === null)
    return html`<div class="cell-title muted">A task accounting has not seen yet</div><div class="cell-sub"><span class="code">${e.task.id}</span></div>`;
  return html`<div class="cell-title">${e.task.jira_id ? html`<span class="code">${e.task.jira_id}</span> ` : ''}${e.task.title}</div>${e.task.description?.trim() ? html`<div class="cell-sub">${e.task.description}</div>` : ''}`;
};

const auditTable = (view: AccountView): SafeHtml =>
  table<AuditEntry>({
    caption: 'Audit log',
    empty: emptyState({
      title: view.day ? 'Nothing on this day' : 'No entries yet',
      message: view.day
        ? 'No fee, reward or payout was posted to this account on that day.'
        : 'Every assignment debits its fee and every completed task credits its reward here.',
    }),
    columns: [
      {
        header: 'When',
        cell: (e) =>
          html`${time(e.occurred_at.toISOString(), formatDateTime(e.occurred_at))}<div class="cell-sub">Day ${dayLabel(e.business_day)}</div>`,
      },
      { header: 'What', cell: whatCell },
      { header: 'Task', cell: taskCell },
      { header: 'Amount', align: 'right', cell: (e) => cents(e.amount, { signed: true }) },
      { header: 'Balance after', align: 'right', cell: (e) => cents(e.balance_after) },
    ],
    rows: view.log.items,
  });

const accountDaysTable = (view: AccountView, base: string): SafeHtml =>
  table<AccountDay>({
    caption: 'Day by day',
    empty: 'No days yet.',
    columns: [
      {
        header: 'Day',
        cell: (d) =>
          html`<a href="${accountHref({ base, day: d.business_day })}">${dayLabel(d.business_day)}</a>${d.business_day === view.today ? html` ${badge('Today', 'open')}` : ''}`,
      },
      { header: 'Fees', align: 'right', cell: (d) => cents(-d.fees) },
      { header: 'Rewards', align: 'right', cell: (d) => cents(d.rewards) },
      { header: 'Earned', align: 'right', cell: (d) => cents(d.earned, { signed: true }) },
      { header: 'Paid out', align: 'right', cell: (d) => cents(d.payout) },
    ],
    rows: view.days.filter(worthShowing(view.today)),
  });

/** A1, A2, A7: one account — its balance, today's figures, day by day, and its audit log. */
export const accountPage = (view: AccountView, base: string): { title: string; body: SafeHtml } => {
  const own = view.account.account_id === view.viewer.id;
  const title = own ? 'My account' : `Account of ${nameOf(view.account)}`;
  const today = view.days.find((d) => d.business_day === view.today);
  const earned = today?.earned ?? 0;
  return {
    title,
    body: html`
      ${pageHeader({
        title,
        subtitle: own
          ? 'What you earned today, and every fee and reward behind it. A positive balance is paid out when the day ends.'
          : `${nameOf(view.account)}'s balance and audit log.`,
        actions: own
          ? undefined
          : button({ label: 'Company figures', kind: 'secondary', href: '/', icon: 'chevronLeft' }),
      })}
      ${statGroup([
        stat({
          label: 'Balance',
          value: dollars(view.account.balance),
          hint: view.account.balance < 0 ? 'carried over until rewards pay it off' : 'paid out at the end of the day',
          tone: tone(view.account.balance),
        }),
        stat({ label: 'Earned today', value: dollars(earned), hint: 'rewards − fees', tone: tone(earned) }),
        stat({ label: 'Fees today', value: dollars(today?.fees ?? 0), hint: 'debited at each assignment' }),
        stat({ label: 'Rewards today', value: dollars(today?.rewards ?? 0), hint: 'credited for completed tasks' }),
      ])}
      ${card({
        title: view.day ? `Audit log — ${dayLabel(view.day)}` : 'Audit log',
        description: 'Every debit and credit, newest first, with the task it was for.',
        actions: view.day ? button({ label: 'All days', kind: 'ghost', size: 'sm', href: base }) : undefined,
        flush: true,
        body: auditTable(view),
        footer:
          view.log.total > view.log.pageSize
            ? pagination({
                page: view.log.page,
                pageSize: view.log.pageSize,
                total: view.log.total,
                href: (p) => accountHref({ base, day: view.day, page: p }),
              })
            : undefined,
      })}
      ${card({
        title: 'Day by day',
        description:
          'What was earned each day of the last two weeks; the table lists the days with entries. Pick a day to see them.',
        body: chart({
          title: 'Earned per day, last 14 days',
          labels: [...view.days].reverse().map((d) => dayLabel(d.business_day)),
          unit: 'cents',
          height: 180,
          series: [
            { label: 'Earned', values: [...view.days].reverse().map((d) => d.earned), kind: 'bar', tone: 'signed' },
          ],
        }),
      })}
      ${card({ flush: true, body: accountDaysTable(view, base) })}`,
  };
};

export interface CompanyView {
  readonly viewer: Caller;
  readonly today: BusinessDay;
  readonly days: readonly CompanyDay[];
  readonly accounts: {
    readonly items: readonly AccountSummary[];
    readonly total: number;
    readonly page: number;
    readonly pageSize: number;
  };
}

const statusBadge = (d: CompanyDay, today: BusinessDay): SafeHtml =>
  d.business_day === today
    ? badge('Today', 'open')
    : d.status === 'closed'
      ? badge('Closed', 'done')
      : d.status === 'closing'
        ? badge('Closing', 'info')
        : badge('Open', 'neutral');

/** A1, A5, A7 for admins and accountants: management's earnings today and day by day, and every account. */
export const companyPage = (view: CompanyView): { title: string; body: SafeHtml } => {
  const today = view.days.find((d) => d.business_day === view.today);
  const earnings = today?.management_earnings ?? 0;
  return {
    title: 'Company figures',
    body: html`
      ${pageHeader({
        title: 'Company figures',
        subtitle: "Management's earnings: the fees debited less the rewards credited, day by day.",
        actions: button({
          label: 'My account',
          kind: 'secondary',
          href: `/accounts/${view.viewer.id}`,
          icon: 'accounting',
        }),
      })}
      ${statGroup([
        stat({
          label: 'Management earned today',
          value: dollars(earnings),
          hint: 'fees − rewards',
          tone: tone(earnings),
        }),
        stat({ label: 'Fees today', value: dollars(today?.fees ?? 0), hint: 'debited from assignees' }),
        stat({ label: 'Rewards today', value: dollars(today?.rewards ?? 0), hint: 'credited for completed tasks' }),
        stat({
          label: 'Popugs in the negative',
          value: count.format(today?.negative_accounts ?? 0),
          hint: 'right now',
          tone: (today?.negative_accounts ?? 0) > 0 ? 'negative' : undefined,
        }),
      ])}
      ${card({
        title: "Management's earnings per day",
        description: 'The last 30 days: fees debited less rewards credited.',
        body: chart({
          title: "Management's earnings per day, last 30 days",
          labels: [...view.days].reverse().map((d) => dayLabel(d.business_day)),
          unit: 'cents',
          series: [
            {
              label: 'Earned',
              values: [...view.days].reverse().map((d) => d.management_earnings),
              kind: 'bar',
              tone: 'signed',
            },
          ],
        }),
      })}
      ${card({
        title: 'Day by day',
        description:
          'Today and every day of the last 30 with activity. Closed days are final; today grows as tasks are assigned and completed.',
        flush: true,
        body: table<CompanyDay>({
          caption: 'Day by day',
          empty: 'No days yet.',
          columns: [
            { header: 'Day', cell: (d) => html`${dayLabel(d.business_day)} ${statusBadge(d, view.today)}` },
            { header: 'Fees', align: 'right', cell: (d) => cents(d.fees) },
            { header: 'Rewards', align: 'right', cell: (d) => cents(d.rewards) },
            {
              header: 'Management earned',
              align: 'right',
              cell: (d) => cents(d.management_earnings, { signed: true }),
            },
            {
              header: 'Paid out',
              align: 'right',
              cell: (d) =>
                html`${cents(d.payouts)}<div class="cell-sub">${count.format(d.payout_count)} ${d.payout_count === 1 ? 'popug' : 'popugs'}</div>`,
            },
          ],
          rows: view.days.filter(worthShowing(view.today)),
        }),
      })}
      ${card({
        title: 'Accounts',
        description: 'Every popug accounting knows, lowest balance first.',
        flush: true,
        body: table<AccountSummary>({
          caption: 'Accounts',
          empty: emptyState({
            title: 'No accounts yet',
            message: 'Accounts appear here as soon as the auth service announces them.',
          }),
          columns: [
            {
              header: 'Popug',
              cell: (a) =>
                html`<a href="/accounts/${a.account_id}">${nameOf(a)}</a>${a.email && a.full_name ? html`<div class="cell-sub">${a.email}</div>` : ''}`,
            },
            { header: 'Role', cell: (a) => a.role ?? '—' },
            { header: 'Balance', align: 'right', cell: (a) => cents(a.balance) },
          ],
          rows: view.accounts.items,
        }),
        footer:
          view.accounts.total > view.accounts.pageSize
            ? pagination({
                page: view.accounts.page,
                pageSize: view.accounts.pageSize,
                total: view.accounts.total,
                href: (p) => (p > 1 ? `/?page=${p}` : '/'),
              })
            : undefined,
      })}`,
  };
};
