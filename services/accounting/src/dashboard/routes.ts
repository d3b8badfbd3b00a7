import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { addDays, businessDayOf, isBusinessDay, type BusinessCalendar, type BusinessDay } from '@ates/business-days';
import { dashboardLinksOf, pageNumberOf, setUpDashboard, textOf } from '@ates/dashboard-pages';
import { refuse } from '@ates/errors';
import type { Logger } from '@ates/logger';
import type { Caller, TokenVerifier } from '@ates/token-verifier';
import { maySeeAccount, seesCompanyFigures } from '../access.js';
import { accountDays, auditLog, findAccount, listAccounts, type AccountSummary } from '../accounts/queries.js';
import type { AccountingConfig } from '../config.js';
import type { AccountingDb } from '../db.js';
import { companyDays } from '../days/queries.js';
import { accountPage, companyPage } from './views.js';

export interface DashboardDeps {
  readonly db: Kysely<AccountingDb>;
  readonly config: AccountingConfig;
  readonly calendar: BusinessCalendar;
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const logPageSize = 25;
const accountsPageSize = 50;

const pageOf = (query: Readonly<Record<string, unknown>>): number => pageNumberOf(query.page, 100_000);
const dayOf = (query: Readonly<Record<string, unknown>>): BusinessDay | undefined => {
  const day = textOf(query.day);
  if (day === undefined || day === '') return undefined;
  if (!isBusinessDay(day)) throw refuse('day.invalid');
  return day;
};

/**
 * The accounting dashboard (REQUIREMENTS A1, A2, A7): everyone sees their own account — balance,
 * today's figures, day by day, the audit log with each task; admins and accountants land on the
 * company's figures (management's earnings today and day by day, every account) and may open
 * anyone's account. Signed in through the auth service, served as every dashboard is; the access
 * rules are access.ts, as for the API. Register it in a scope of its own.
 */
export const registerDashboard = async (scope: FastifyInstance, deps: DashboardDeps): Promise<void> => {
  const { db, config, calendar } = deps;
  const { guarded } = await setUpDashboard(scope, {
    dashboard: 'accounting',
    config,
    links: dashboardLinksOf('accounting', config),
    db,
    verifier: deps.verifier,
    logger: deps.logger,
    home: { href: '/', label: 'Back to accounting' },
  });
  const today = () => businessDayOf(new Date(), calendar);

  const renderAccount = async (viewer: Caller, accountId: string, query: Readonly<Record<string, unknown>>) => {
    const day = dayOf(query);
    const now = today();
    const self: AccountSummary = {
      account_id: viewer.id,
      full_name: viewer.name,
      email: viewer.email,
      role: viewer.role,
      balance: 0,
      version: 0,
    };
    const [account, days, log] = await Promise.all([
      findAccount(db, accountId),
      accountDays(db, accountId, { from: addDays(now, -13), to: now }),
      auditLog(db, accountId, { ...(day ? { day } : {}), page: pageOf(query), pageSize: logPageSize }),
    ]);
    if (!account && accountId !== viewer.id) throw refuse('account.not_found', 'Accounting has no such account.');
    return accountPage(
      {
        viewer,
        account: account ?? self,
        today: now,
        days,
        log: { ...log, page: pageOf(query), pageSize: logPageSize },
        day,
      },
      accountId === viewer.id && !seesCompanyFigures(viewer.role) ? '/' : `/accounts/${accountId}`,
    );
  };

  scope.get('/', guarded, async (request, reply) => {
    const viewer = request.viewer;
    const query = request.query as Record<string, unknown>;
    if (!seesCompanyFigures(viewer.role)) {
      const { title, body } = await renderAccount(viewer, viewer.id, query);
      return reply.page(title, body);
    }
    const now = today();
    const page = pageOf(query);
    const [days, accounts] = await Promise.all([
      companyDays(db, { from: addDays(now, -29), to: now }),
      listAccounts(db, { page, pageSize: accountsPageSize }),
    ]);
    const { title, body } = companyPage({
      viewer,
      today: now,
      days,
      accounts: { ...accounts, page, pageSize: accountsPageSize },
    });
    return reply.page(title, body);
  });

  scope.get('/accounts/:id', guarded, async (request, reply) => {
    const viewer = request.viewer;
    const { id } = request.params as { id: string };
    if (!uuid.test(id)) throw refuse('account.not_found', 'There is no such account.');
    if (!maySeeAccount(viewer, id.toLowerCase()))
      return reply.message({
        title: 'Not for your role',
        message: `${refuse('account.not_visible').message}`,
        status: 403,
      });
    const { title, body } = await renderAccount(viewer, id.toLowerCase(), request.query as Record<string, unknown>);
    return reply.page(title, body);
  });
};
