import { describe, expect, it } from 'vitest';
import type { ExpensiveTask } from '../reports/queries.js';
import { analyticsPage, type AnalyticsView } from './views.js';

const top: ExpensiveTask = {
  task: { id: '44444444-4444-4444-8444-444444444444', title: 'Write the <onboarding> guide', jira_id: 'UBERPOP-42' },
  reward: 3800,
  completed_at: new Date('2026-03-02T11:00:00Z'),
  completion_day: '2026-03-02',
};
const view = (over: Partial<AnalyticsView> = {}): AnalyticsView => ({
  today: {
    day: '2026-03-03',
    fees: 1600,
    rewards: 5300,
    management_earnings: -3700,
    payouts: 0,
    closed: false,
    negative_popugs: 2,
  },
  periods: [
    { label: 'Today', range: { from: '2026-03-03', to: '2026-03-03' }, top: null },
    { label: 'This week', range: { from: '2026-03-02', to: '2026-03-08' }, top },
  ],
  range: { from: '2026-03-02', to: '2026-03-03' },
  days: [
    { day: '2026-03-02', fees: 5400, rewards: 9600, management_earnings: -4200, payouts: 5100 },
    { day: '2026-03-03', fees: 0, rewards: 0, management_earnings: 0, payouts: 0 },
  ],
  rangeTop: top,
  form: { from: '2026-03-02', to: '2026-03-03', errors: {} },
  ...over,
});

describe('the analytics page (N1–N3)', () => {
  it("shows today's earnings and negative popugs, each period's most expensive task, escaped", () => {
    const { title, body } = analyticsPage(view());
    expect(title).toBe('Analytics');
    expect(body.toString()).toContain('−$37');
    expect(body.toString()).toContain('No task completed yet');
    expect(body.toString()).toContain('Write the &lt;onboarding&gt; guide');
    expect(body.toString()).not.toContain('<onboarding>');
    expect(body.toString()).toContain('UBERPOP-42');
  });

  it('lists only the days with activity, and shows a refused field beside it', () => {
    const body = analyticsPage(
      view({ form: { from: 'x', to: '2026-03-03', errors: { from: 'is not a date.' } } }),
    ).body.toString();
    expect(body.match(/<tr/g)?.length).toBe(1 + 2 + 1 + 1); // periods: head + 2 rows; days: head + 1 row
    expect(body).toContain('is not a date.');
    expect(body).toContain('aria-invalid="true"');
  });
});
