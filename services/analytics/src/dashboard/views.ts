import type { BusinessDay } from '@ates/business-days';
import {
  amount,
  badge,
  button,
  card,
  chart,
  emptyState,
  field,
  form,
  formatDate,
  formatDateTime,
  html,
  money,
  pageHeader,
  stat,
  statGroup,
  table,
  time,
  type SafeHtml,
} from '@ates/ui';
import type { DayRange, DaySummary, DayEarnings, ExpensiveTask } from '../reports/queries.js';

// The analytics dashboard's page, as plain functions from what the route reads to HTML
// (@ates/ui). Amounts are cents in the data and dollars on the page.

const dollars = (cents: number): string => money(cents / 100);
const cents = (value: number, o: { signed?: boolean } = {}): SafeHtml => amount(value / 100, o);
const dayLabel = (day: BusinessDay): string => formatDate(`${day}T12:00:00Z`);
const rangeLabel = (r: DayRange): string =>
  r.from === r.to ? dayLabel(r.from) : `${dayLabel(r.from)} – ${dayLabel(r.to)}`;
const tone = (value: number): 'positive' | 'negative' | undefined =>
  value > 0 ? 'positive' : value < 0 ? 'negative' : undefined;

export interface PeriodTop {
  readonly label: string;
  readonly range: DayRange;
  readonly top: ExpensiveTask | null;
}

export interface AnalyticsView {
  readonly today: DaySummary;
  /** Today, this week and this month (N3). */
  readonly periods: readonly PeriodTop[];
  /** The range the form picked (the last 30 days by default). */
  readonly range: DayRange;
  readonly days: readonly DayEarnings[];
  readonly rangeTop: ExpensiveTask | null;
  /** What the form was sent with, and why it was refused, when it was. */
  readonly form: {
    readonly from: string;
    readonly to: string;
    readonly errors: Readonly<Partial<Record<'from' | 'to', string>>>;
  };
}

const taskName = (t: ExpensiveTask): SafeHtml =>
  html`${t.task.jira_id ? html`<span class="code">${t.task.jira_id}</span> ` : ''}${t.task.title ?? html`<span class="muted">A task the tracker has not named yet</span>`}`;

const periodsTable = (periods: readonly PeriodTop[]): SafeHtml =>
  table<PeriodTop>({
    caption: 'The most expensive task of today, this week and this month',
    empty: 'No periods.',
    columns: [
      {
        header: 'Period',
        cell: (p) => html`<div class="cell-title">${p.label}</div><div class="cell-sub">${rangeLabel(p.range)}</div>`,
      },
      {
        header: 'Task',
        cell: (p) =>
          p.top
            ? html`<div class="cell-title">${taskName(p.top)}</div>`
            : html`<span class="muted">No task completed yet</span>`,
      },
      {
        header: 'Completed',
        cell: (p) => (p.top ? time(p.top.completed_at.toISOString(), formatDateTime(p.top.completed_at)) : '—'),
      },
      { header: 'Reward', align: 'right', cell: (p) => (p.top ? cents(p.top.reward) : '—') },
    ],
    rows: periods,
  });

const rangeForm = (view: AnalyticsView): SafeHtml =>
  form({
    action: '/',
    method: 'get',
    body: html`<div class="form-row">
      ${field({ label: 'From', name: 'from', value: view.form.from, placeholder: 'YYYY-MM-DD', hint: 'First day, e.g. 2026-03-01', ...(view.form.errors.from ? { error: view.form.errors.from } : {}) })}
      ${field({ label: 'To', name: 'to', value: view.form.to, placeholder: 'YYYY-MM-DD', hint: 'Last day, at most 366 days after', ...(view.form.errors.to ? { error: view.form.errors.to } : {}) })}
    </div>
    <div class="form-actions">${button({ label: 'Show these days', type: 'submit' })}</div>`,
  });

/** N1–N3 for admins: today's earnings and negative popugs, the most expensive tasks, earnings day by day. */
export const analyticsPage = (view: AnalyticsView): { title: string; body: SafeHtml } => {
  const total = view.days.reduce((sum, d) => sum + d.management_earnings, 0);
  const rangeText = rangeLabel(view.range);
  return {
    title: 'Analytics',
    body: html`
      ${pageHeader({
        title: 'Analytics',
        subtitle:
          "Management's earnings — fees debited less rewards credited — and the most expensive tasks, from accounting's events.",
      })}
      ${statGroup([
        stat({
          label: 'Management earned today',
          value: dollars(view.today.management_earnings),
          hint: 'fees − rewards',
          tone: tone(view.today.management_earnings),
        }),
        stat({
          label: 'Popugs in the negative',
          value: String(view.today.negative_popugs),
          hint: 'right now',
          tone: view.today.negative_popugs > 0 ? 'negative' : undefined,
        }),
        stat({ label: 'Fees today', value: dollars(view.today.fees), hint: 'debited at each assignment' }),
        stat({ label: 'Rewards today', value: dollars(view.today.rewards), hint: 'credited for completed tasks' }),
      ])}
      ${card({
        title: 'Most expensive tasks',
        description:
          'The completed task with the highest completion reward; of equal rewards, the one completed first. Weeks run Monday to Sunday.',
        flush: true,
        body: periodsTable(view.periods),
      })}
      ${card({ title: 'Pick the days', body: rangeForm(view) })}
      ${card({
        title: `Earnings per day — ${rangeText}`,
        description: `Management earned ${dollars(total)} in these ${view.days.length} ${view.days.length === 1 ? 'day' : 'days'}.`,
        body: chart({
          title: `Management's earnings per day, ${rangeText}`,
          labels: view.days.map((d) => dayLabel(d.day)),
          unit: 'cents',
          series: [
            {
              label: 'Management earned',
              values: view.days.map((d) => d.management_earnings),
              kind: 'bar',
              tone: 'signed',
            },
          ],
        }),
      })}
      ${card({
        title: `Most expensive task — ${rangeText}`,
        body: view.rangeTop
          ? html`<p class="cell-title">${taskName(view.rangeTop)} ${badge(dollars(view.rangeTop.reward), 'done')}</p>
              <p class="cell-sub">Completed ${time(view.rangeTop.completed_at.toISOString(), formatDateTime(view.rangeTop.completed_at))}, day ${dayLabel(view.rangeTop.completion_day)}</p>`
          : emptyState({ title: 'No task completed', message: 'No task was completed on these days.' }),
      })}
      ${card({
        title: 'Day by day',
        description: 'The days of the range with a fee, a reward or a payout, newest first.',
        flush: true,
        body: table<DayEarnings>({
          caption: 'Day by day',
          empty: emptyState({
            title: 'A quiet range',
            message: 'Nothing was assigned, completed or paid out on these days.',
          }),
          columns: [
            { header: 'Day', cell: (d) => dayLabel(d.day) },
            { header: 'Fees', align: 'right', cell: (d) => cents(d.fees) },
            { header: 'Rewards', align: 'right', cell: (d) => cents(d.rewards) },
            {
              header: 'Management earned',
              align: 'right',
              cell: (d) => cents(d.management_earnings, { signed: true }),
            },
            { header: 'Paid out', align: 'right', cell: (d) => cents(d.payouts) },
          ],
          rows: [...view.days].reverse().filter((d) => d.fees !== 0 || d.rewards !== 0 || d.payouts !== 0),
        }),
      })}`,
  };
};
