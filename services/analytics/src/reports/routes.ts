import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { addDays, businessDayOf, type BusinessCalendar } from '@ates/business-days';
import { refuse } from '@ates/errors';
import { problemResponses, type ApiScope } from '@ates/http';
import { maySeeAnalytics } from '../access.js';
import type { AnalyticsDb } from '../db.js';
import { Cents, DayQuery, checkedRange, dayOf, rangeOf } from '../http.js';
import { periods } from './periods.js';
import { daySummary, earnings, mostExpensiveTask, type ExpensiveTask } from './queries.js';

const Day = Type.String({ format: 'date' });
const figures = {
  fees: Cents('Fees debited that day'),
  rewards: Cents('Rewards credited that day'),
  management_earnings: Cents("Management's earnings: fees − rewards (A5)"),
  payouts: Cents('Paid out at the close of the day'),
};
const Summary = Type.Object(
  {
    day: Day,
    ...figures,
    negative_popugs: Type.Integer({
      description: 'Popugs in the negative: at the close for a closed day, now otherwise',
    }),
    closed: Type.Boolean({ description: 'Whether accounting has closed the day (its figures are final)' }),
  },
  { $id: 'AnalyticsSummary' },
);
const Earnings = Type.Object(
  { from: Day, to: Day, items: Type.Array(Type.Object({ day: Day, ...figures })) },
  { $id: 'AnalyticsEarnings' },
);
const Task = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.Union([Type.String(), Type.Null()], { description: 'Null until the tracker’s Task.Created arrives' }),
  jira_id: Type.Union([Type.String(), Type.Null()]),
});
const MostExpensive = Type.Object(
  {
    from: Day,
    to: Day,
    task: Type.Union([Task, Type.Null()], { description: 'Null when no task was completed in the range' }),
    reward: Type.Optional(Cents('Its completion reward')),
    completed_at: Type.Optional(Type.String({ format: 'date-time' })),
    completion_day: Type.Optional(Day),
  },
  { $id: 'MostExpensiveTask' },
);

const expensiveView = (
  range: { from: string; to: string },
  found: ExpensiveTask | null,
): Static<typeof MostExpensive> =>
  found
    ? {
        ...range,
        task: found.task,
        reward: found.reward,
        completed_at: found.completed_at.toISOString(),
        completion_day: found.completion_day,
      }
    : { ...range, task: null };

const strict = { additionalProperties: false } as const;

/**
 * Analytics' JSON API (N1–N3), in a scope of its own after `authenticate`: admins only; days are
 * accounting's business days.
 */
export const registerReportRoutes = (api: ApiScope, db: Kysely<AnalyticsDb>, calendar: BusinessCalendar): void => {
  const tags = ['analytics'];
  for (const schema of [Summary, Earnings, MostExpensive]) api.addSchema(schema);
  const today = () => businessDayOf(new Date(), calendar);
  // After the query's schema check (a request its document calls invalid is a 400 for anyone, as
  // everywhere in aTES) and before any reading: non-admins get 403 (N1).
  api.addHook('preHandler', async (request) => {
    if (!maySeeAnalytics(request.caller.role)) throw refuse('analytics.admins_only');
  });

  api.get(
    '/api/summary',
    {
      schema: {
        tags,
        summary: "Management's earnings of a day and how many popugs are in the negative (N2; today by default)",
        querystring: Type.Object({ day: Type.Optional(DayQuery('The business day; today by default')) }, strict),
        response: { 200: Type.Ref(Summary), ...problemResponses(400, 403) },
      },
    },
    async (request) => daySummary(db, dayOf(request.query.day, 'querystring.day', today())),
  );

  api.get(
    '/api/earnings',
    {
      schema: {
        tags,
        summary: "Management's earnings day by day, oldest first (A5; the last 30 days by default, at most 366)",
        querystring: Type.Object(
          { from: Type.Optional(DayQuery('First day')), to: Type.Optional(DayQuery('Last day; today by default')) },
          strict,
        ),
        response: { 200: Type.Ref(Earnings), ...problemResponses(400, 403) },
      },
    },
    async (request) => {
      const to = dayOf(request.query.to, 'querystring.to', today());
      const range = checkedRange({ from: dayOf(request.query.from, 'querystring.from', addDays(to, -29)), to });
      return { ...range, items: await earnings(db, range) };
    },
  );

  api.get(
    '/api/most-expensive-task',
    {
      schema: {
        tags,
        summary:
          'The completed task with the highest completion reward in a range of days or a period (N3); of equal rewards the one completed first',
        querystring: Type.Object(
          {
            from: Type.Optional(DayQuery('First day; `to` by default')),
            to: Type.Optional(DayQuery('Last day; today by default')),
            period: Type.Optional(
              Type.Union(
                periods.map((p) => Type.Literal(p)),
                { description: 'day, week (ISO) or month' },
              ),
            ),
            date: Type.Optional(DayQuery('With period: a day of the period; today by default')),
          },
          strict,
        ),
        response: { 200: Type.Ref(MostExpensive), ...problemResponses(400, 403) },
      },
    },
    async (request) => {
      const range = rangeOf(request.query, today());
      return expensiveView(range, await mostExpensiveTask(db, range));
    },
  );
};
