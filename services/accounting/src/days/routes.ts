import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { businessDayOf, type BusinessCalendar } from '@ates/business-days';
import { refuse } from '@ates/errors';
import { problemResponses, type ApiScope } from '@ates/http';
import { mayCloseDay, seesCompanyFigures } from '../access.js';
import type { AccountingDb } from '../db.js';
import { Cents, checkedDay, dayRange, DayString } from '../http.js';
import { closeDaysThrough } from './commands.js';
import type { DaySummary } from './day.js';
import { companyDays, type CompanyDay } from './queries.js';

const figures = {
  business_day: Type.String({ format: 'date' }),
  fees: Cents('Sum of the fees debited that day'),
  rewards: Cents('Sum of the rewards credited that day'),
  management_earnings: Cents("Management's earnings: fees − rewards (A5)"),
  payouts: Cents('Sum paid out at the close'),
  payout_count: Type.Integer(),
  negative_accounts: Type.Integer({ description: 'Accounts in the negative: at the close, or now for an open day' }),
  closed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
const DayView = Type.Object(
  { ...figures, status: Type.Union([Type.Literal('open'), Type.Literal('closing'), Type.Literal('closed')]) },
  { $id: 'BusinessDay' },
);
const SummaryView = Type.Object({ ...figures, closed_at: Type.String({ format: 'date-time' }) }, { $id: 'DaySummary' });

const dayView = (d: CompanyDay): Static<typeof DayView> => ({ ...d, closed_at: d.closed_at?.toISOString() ?? null });
const summaryView = (s: DaySummary): Static<typeof SummaryView> => ({ ...s, closed_at: s.closed_at.toISOString() });

const Day = Type.Object({ day: DayString }, { additionalProperties: false });

/** Business days in the JSON API (A5–A7): the company's figures day by day, and closing a day by hand. */
export const registerDayRoutes = (api: ApiScope, db: Kysely<AccountingDb>, calendar: BusinessCalendar): void => {
  const tags = ['business days'];
  api.addSchema(DayView);
  api.addSchema(SummaryView);
  const today = () => businessDayOf(new Date(), calendar);

  api.get(
    '/api/days',
    {
      schema: {
        tags,
        summary: "The company's figures day by day, newest first (admins and accountants; the last 30 days by default)",
        querystring: Type.Object(
          { from: Type.Optional(DayString), to: Type.Optional(DayString) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ today: Type.String({ format: 'date' }), items: Type.Array(Type.Ref(DayView)) }),
          ...problemResponses(400, 403),
        },
      },
    },
    async (request) => {
      if (!seesCompanyFigures(request.caller.role)) throw refuse('figures.company_only');
      const range = dayRange(request.query, today());
      return { today: today(), items: (await companyDays(db, range)).map(dayView) };
    },
  );

  api.get(
    '/api/days/:day',
    {
      schema: {
        tags,
        summary: "One day's figures: final once it is closed, so far while it is open (admins and accountants)",
        params: Day,
        response: { 200: Type.Ref(DayView), ...problemResponses(400, 403) },
      },
    },
    async (request) => {
      if (!seesCompanyFigures(request.caller.role)) throw refuse('figures.company_only');
      const day = checkedDay(request.params.day, 'params.day');
      const [found] = await companyDays(db, { from: day, to: day });
      return dayView(found as CompanyDay);
    },
  );

  api.post(
    '/api/days/:day/close',
    {
      schema: {
        tags,
        summary:
          'Close a day that has ended, and every earlier one still open, now rather than at the next scheduled check (A6). Idempotent: a closed day answers its summary.',
        params: Day,
        response: {
          200: Type.Object({ closed: Type.Array(Type.Ref(SummaryView)) }),
          ...problemResponses(400, 403, 409),
        },
      },
    },
    async (request) => {
      if (!mayCloseDay(request.caller.role)) throw refuse('day.close_not_allowed');
      const day = checkedDay(request.params.day, 'params.day');
      return { closed: (await closeDaysThrough(db, day, { calendar })).map(summaryView) };
    },
  );
};
