import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { addDays, businessDayOf, type BusinessCalendar } from '@ates/business-days';
import { dashboardLinksOf, setUpDashboard } from '@ates/dashboard-pages';
import { AppError } from '@ates/errors';
import type { Logger } from '@ates/logger';
import type { TokenVerifier } from '@ates/token-verifier';
import type { AnalyticsConfig } from '../config.js';
import type { AnalyticsDb } from '../db.js';
import { checkedRange, dayOf } from '../http.js';
import { periodRange } from '../reports/periods.js';
import { daySummary, earnings, mostExpensiveTask, type DayRange } from '../reports/queries.js';
import { analyticsPage, type AnalyticsView } from './views.js';

export interface DashboardDeps {
  readonly db: Kysely<AnalyticsDb>;
  readonly config: AnalyticsConfig;
  readonly calendar: BusinessCalendar;
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
}

const single = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * The range the form asks for (the last 30 days when it asks for none), or the last 30 days
 * with the refused field's reason, shown beside that field.
 */
const pickedRange = (
  query: Readonly<Record<string, unknown>>,
  today: string,
): { range: DayRange; form: AnalyticsView['form'] } => {
  const [from, to] = [single(query.from), single(query.to)];
  const fallback = { from: addDays(today, -29), to: today };
  try {
    const end = dayOf(to, 'querystring.to', today);
    const range = checkedRange({ from: dayOf(from, 'querystring.from', addDays(end, -29)), to: end });
    return { range, form: { ...range, errors: {} } };
  } catch (error) {
    if (!(error instanceof AppError) || error.category !== 'validation') throw error;
    const errors = Object.fromEntries(error.issues.map((i) => [i.field.replace('querystring.', ''), `${i.message}.`]));
    return { range: fallback, form: { from: from ?? '', to: to ?? '', errors } };
  }
};

/**
 * The analytics dashboard (REQUIREMENTS N1–N3), for admins only — `setUpDashboard` gives anyone
 * else a "not for your role" page, by the same rule the API asks (access.ts). Signed in through
 * the auth service, served as every dashboard is. Register it in a scope of its own.
 */
export const registerDashboard = async (scope: FastifyInstance, deps: DashboardDeps): Promise<void> => {
  const { db, config, calendar } = deps;
  const { guarded } = await setUpDashboard(scope, {
    dashboard: 'analytics',
    config,
    links: dashboardLinksOf('analytics', config),
    db,
    verifier: deps.verifier,
    logger: deps.logger,
    home: { href: '/', label: 'Back to analytics' },
  });

  scope.get('/', guarded, async (request, reply) => {
    const today = businessDayOf(new Date(), calendar);
    const { range, form } = pickedRange(request.query as Record<string, unknown>, today);
    const periods = (
      [
        ['Today', 'day'],
        ['This week', 'week'],
        ['This month', 'month'],
      ] as const
    ).map(([label, period]) => ({ label, range: periodRange(period, today) }));
    const [summary, tops, days, rangeTop] = await Promise.all([
      daySummary(db, today),
      Promise.all(periods.map((p) => mostExpensiveTask(db, p.range))),
      earnings(db, range),
      mostExpensiveTask(db, range),
    ]);
    const { title, body } = analyticsPage({
      today: summary,
      periods: periods.map((p, i) => ({ ...p, top: tops[i] ?? null })),
      range,
      days,
      rangeTop,
      form,
    });
    return reply.page(title, body, form.errors.from || form.errors.to ? { status: 400 } : {});
  });
};
