import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { businessDayOf, type BusinessCalendar } from '@ates/business-days';
import { refuse } from '@ates/errors';
import { problemResponses, type ApiScope } from '@ates/http';
import type { Caller } from '@ates/token-verifier';
import { maySeeAccount, seesCompanyFigures } from '../access.js';
import type { AccountingDb } from '../db.js';
import { Cents, checkedDay, dayRange, DayString } from '../http.js';
import { accountDays, auditLog, findAccount, listAccounts, type AccountSummary, type AuditEntry } from './queries.js';

const AccountView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    full_name: Type.Union([Type.String(), Type.Null()], {
      description: 'null until the account’s profile reaches accounting',
    }),
    email: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
    balance: Cents('What the account holds now: earned today, or a negative balance carried over (A2, A4)'),
    version: Type.Integer({ description: 'Entries posted to the account so far' }),
  },
  { $id: 'AccountBalance' },
);

const EntryView = Type.Object(
  {
    transaction_id: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('fee'), Type.Literal('reward'), Type.Literal('payout'), Type.Literal('reversal')]),
    amount: Cents(
      'Signed as it changed the balance: fees and payouts negative, a reversal the opposite of its original',
    ),
    reverses: Type.Union(
      [
        Type.Object({
          transaction_id: Type.String({ format: 'uuid' }),
          kind: Type.Union([Type.Literal('fee'), Type.Literal('reward')]),
          reason: Type.String(),
        }),
        Type.Null(),
      ],
      { description: 'For a reversal: the transaction it undoes, its kind and why; null otherwise' },
    ),
    balance_after: Cents('The balance right after it'),
    business_day: Type.String({ format: 'date' }),
    occurred_at: Type.String({ format: 'date-time' }),
    recorded_at: Type.String({ format: 'date-time' }),
    task: Type.Union([
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        title: Type.Union([Type.String(), Type.Null()], { description: 'null until the task reaches accounting' }),
        jira_id: Type.Union([Type.String(), Type.Null()]),
        description: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
  },
  { $id: 'AuditEntry' },
);

const AccountId = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const Page = {
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};
const Range = { from: Type.Optional(DayString), to: Type.Optional(DayString) };

export const accountView = (a: AccountSummary): Static<typeof AccountView> => ({
  id: a.account_id,
  full_name: a.full_name,
  email: a.email,
  role: a.role,
  balance: a.balance,
  version: a.version,
});

const entryView = (e: AuditEntry): Static<typeof EntryView> => ({
  ...e,
  occurred_at: e.occurred_at.toISOString(),
  recorded_at: e.recorded_at.toISOString(),
});

/** The caller's own id for `me`; someone else's only for those who see the company's figures (A1). */
const visibleAccount = (caller: Caller, id: string): string => {
  if (!maySeeAccount(caller, id)) throw refuse('account.not_visible');
  return id;
};

/** Accounts in the JSON API (A1, A2, A7). Register inside a context where `authenticate` ran. */
export const registerAccountRoutes = (api: ApiScope, db: Kysely<AccountingDb>, calendar: BusinessCalendar): void => {
  const tags = ['accounts'];
  api.addSchema(AccountView);
  api.addSchema(EntryView);

  api.get(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: 'Every account with its balance, lowest first (admins and accountants)',
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref(AccountView)),
            page: Type.Integer(),
            page_size: Type.Integer(),
            total: Type.Integer(),
          }),
          ...problemResponses(400, 403),
        },
      },
    },
    async (request) => {
      if (!seesCompanyFigures(request.caller.role)) throw refuse('figures.company_only');
      const { page, page_size: pageSize } = request.query;
      const { items, total } = await listAccounts(db, { page, pageSize });
      return { items: items.map(accountView), page, page_size: pageSize, total };
    },
  );

  api.get(
    '/api/accounts/me',
    {
      schema: {
        tags,
        summary: 'Your own account and balance (A2)',
        response: { 200: Type.Ref(AccountView), ...problemResponses() },
      },
    },
    async (request) =>
      accountView(
        (await findAccount(db, request.caller.id)) ?? {
          account_id: request.caller.id,
          full_name: request.caller.name,
          email: request.caller.email,
          role: request.caller.role,
          balance: 0,
          version: 0,
        },
      ),
  );

  api.get(
    '/api/accounts/:id',
    {
      schema: {
        tags,
        summary: "One account's balance: your own, or anyone's for admins and accountants",
        params: AccountId,
        response: { 200: Type.Ref(AccountView), ...problemResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const account = await findAccount(db, visibleAccount(request.caller, request.params.id));
      if (!account) throw refuse('account.not_found', `Accounting has no account ${request.params.id}.`);
      return accountView(account);
    },
  );

  api.get(
    '/api/accounts/:id/transactions',
    {
      schema: {
        tags,
        summary: "An account's audit log: every fee, reward and payout with its task (A2)",
        params: AccountId,
        querystring: Type.Object({ day: Type.Optional(DayString), ...Page }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref(EntryView)),
            page: Type.Integer(),
            page_size: Type.Integer(),
            total: Type.Integer(),
          }),
          ...problemResponses(400, 403),
        },
      },
    },
    async (request) => {
      const id = visibleAccount(request.caller, request.params.id);
      const { day, page, page_size: pageSize } = request.query;
      const { items, total } = await auditLog(db, id, {
        ...(day === undefined ? {} : { day: checkedDay(day, 'querystring.day') }),
        page,
        pageSize,
      });
      return { items: items.map(entryView), page, page_size: pageSize, total };
    },
  );

  api.get(
    '/api/accounts/:id/days',
    {
      schema: {
        tags,
        summary: "An account's figures day by day, newest first (A7; the last 30 days by default)",
        params: AccountId,
        querystring: Type.Object(Range, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                business_day: Type.String({ format: 'date' }),
                fees: Cents('Fees debited that day'),
                rewards: Cents('Rewards credited that day'),
                earned: Cents('Rewards − fees'),
                payout: Cents('Paid out at the close'),
              }),
            ),
          }),
          ...problemResponses(400, 403),
        },
      },
    },
    async (request) => {
      const id = visibleAccount(request.caller, request.params.id);
      const range = dayRange(request.query, businessDayOf(new Date(), calendar));
      return { items: await accountDays(db, id, range) };
    },
  );
};
