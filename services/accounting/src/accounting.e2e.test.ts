import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDayOf } from '@ates/business-days';
import { demoAccount, freePort, signIn, startAuth, testSecret, type RunningAuth } from '@ates/auth/testing';
import { createDb, createPool } from '@ates/db';
import { publishMany } from '@ates/event-bus';
import { outboxEvents } from '@ates/event-bus/testing';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import { launchChromium, watchProblems } from '@ates/testing/chromium';
import { trackerService } from '@ates/tracker/testing';
import type { AccountingDb } from './db.js';
import { accountingService } from './service.js';
import { assigned, completed, created, newId, utc } from './testing/fixtures.js';
import { startMailDev, type RunningMailDev } from './testing/maildev.js';

// Accounting end to end: the real auth, tracker and accounting services on their own databases
// and the embedded event transport, a real MailDev catching the payout emails, and headless
// Chromium through the real sign-in page.
//
// A day cannot be made to end during a test, so yesterday's work is given as the tracker would
// have published it yesterday — Task.Created/Assigned/Completed with yesterday's times, written to
// the tracker's own outbox and carried by its relay — and the accountant closes yesterday through
// the API. Today's work goes through the tracker's API: a task is created, assigned at random,
// and completed by its assignee.

const screenshots = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

const databases: TestDatabase[] = [];
let auth: RunningAuth;
let tracker: RunningService;
let accounting: RunningService;
let maildev: RunningMailDev;
let db: Kysely<AccountingDb>;
let trackerDb: Kysely<unknown>;
let browser: Browser;
let issuer: string;
const today = businessDayOf(new Date(), utc);
const yesterday = addDays(today, -1);
const at = (time: string) => new Date(`${yesterday}T${time}.000Z`);
const ids: Record<string, string> = {};

const tokenOf = async (role: 'worker' | 'accountant' | 'manager', email?: string): Promise<string> => {
  const who = email ? auth.demo.find((d) => d.email === email) : demoAccount(auth, role);
  if (!who) throw new Error(`no demo account ${email}`);
  return (await signIn(auth, who)).access_token;
};
const api = async (base: string, token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  const [authDb, trackerData, accountingData, transport] = await Promise.all(
    ['auth', 'tracker', 'accounting', 'bus'].map((name) => createTestDatabase(name)),
  );
  databases.push(
    authDb as TestDatabase,
    trackerData as TestDatabase,
    accountingData as TestDatabase,
    transport as TestDatabase,
  );
  maildev = await startMailDev();
  const [authPort, trackerPort, accountingPort] = [await freePort(), await freePort(), await freePort()];
  issuer = `http://127.0.0.1:${authPort}`;
  const [trackerUrl, accountingUrl] = [`http://127.0.0.1:${trackerPort}`, `http://127.0.0.1:${accountingPort}`];
  const clientSecret = testSecret();
  const common = {
    EVENT_TRANSPORT_URL: transport?.url as string,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: issuer,
    DASHBOARD_CLIENT_SECRET: clientSecret,
    DASHBOARD_SESSION_SECRET: testSecret(),
    TRACKER_URL: trackerUrl,
    ACCOUNTING_URL: accountingUrl,
  };
  // Tracker and accounting first, so that their consumers are bound when auth seeds the demo accounts.
  tracker = await runService(trackerService, {
    ...common,
    DATABASE_URL: trackerData?.url as string,
    PORT: String(trackerPort),
    PUBLIC_URL: trackerUrl,
  });
  accounting = await runService(accountingService, {
    ...common,
    DATABASE_URL: accountingData?.url as string,
    PORT: String(accountingPort),
    PUBLIC_URL: accountingUrl,
    SMTP_URL: maildev.smtpUrl,
  });
  auth = await startAuth(authDb as TestDatabase, { PORT: String(authPort), ...common }, transport);
  db = createDb<AccountingDb>(createPool(accountingData?.url as string, { max: 3 }));
  trackerDb = createDb(createPool(trackerData?.url as string, { max: 2 }));
  [browser] = await Promise.all([
    launchChromium(),
    mkdir(screenshots, { recursive: true }),
    eventually('the demo accounts in accounting', async () => {
      const rows = await db
        .selectFrom('accounts')
        .select(['public_id', 'email'])
        .where('email', 'is not', null)
        .execute();
      return rows.length === auth.demo.length && rows;
    }).then((rows) => {
      for (const r of rows) ids[r.email as string] = r.public_id;
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await accounting?.stop();
  await tracker?.stop();
  await auth?.close();
  await db?.destroy();
  await trackerDb?.destroy();
  await maildev?.stop();
  await Promise.all(databases.map((d) => d.drop()));
});

const polly = 'polly.popug@uberpopug.example';
const kiwi = 'kiwi.budgie@uberpopug.example';
const tasks = { guide: newId(), seeds: newId(), swing: newId() };

describe('a day of work, closed and paid out (A2–A6)', () => {
  let earned = 0;

  it("posts yesterday's fees and rewards from the tracker's events, closes the day and emails the payout", async () => {
    const [p, k] = [ids[polly] as string, ids[kiwi] as string];
    // What the tracker published yesterday, through its own outbox and relay.
    await publishMany(trackerDb, [
      created(tasks.guide, p, at('09:00:00'), 'Write the onboarding guide for new popugs'),
      assigned(tasks.guide, p, at('09:00:00')),
      created(tasks.seeds, p, at('09:30:00'), 'Sort the sunflower seeds by size'),
      assigned(tasks.seeds, p, at('09:30:00')),
      created(tasks.swing, k, at('10:00:00'), 'Untangle the swing in the break room'),
      assigned(tasks.swing, k, at('10:00:00')),
      completed(tasks.guide, p, at('15:00:00')),
      completed(tasks.seeds, p, at('16:00:00')),
    ]);
    const accountant = await tokenOf('accountant');
    const pollyLog = await eventually("yesterday's four entries of Polly", async () => {
      const r = await api(accounting.url, accountant, 'GET', `/api/accounts/${p}/transactions?day=${yesterday}`);
      return r.body.total === 4 && r;
    });
    const items = pollyLog.body.items as Array<{ kind: string; amount: number; task: { title: string } }>;
    earned = items.reduce((sum, e) => sum + e.amount, 0);
    expect(items.map((e) => e.task.title)).toContain('Write the onboarding guide for new popugs');

    const closed = await api(accounting.url, accountant, 'POST', `/api/days/${yesterday}/close`);
    expect(closed.status).toBe(200);
    const summary = (closed.body.closed as Array<Record<string, number | string>>).find(
      (s) => s.business_day === yesterday,
    );
    expect(summary).toMatchObject({
      payout_count: earned > 0 ? 1 : 0,
      payouts: Math.max(earned, 0),
      negative_accounts: 1,
    });
    expect(summary?.management_earnings).toBe((summary?.fees as number) - (summary?.rewards as number));
    // Closing again (the scheduler, or a second click) pays nobody twice.
    expect((await api(accounting.url, accountant, 'POST', `/api/days/${yesterday}/close`)).status).toBe(200);

    const me = await api(accounting.url, await tokenOf('worker', polly), 'GET', '/api/accounts/me');
    expect(me.body.balance).toBe(0);
    const kiwiAccount = await api(accounting.url, accountant, 'GET', `/api/accounts/${k}`);
    expect(kiwiAccount.body.balance).toBeLessThan(0);

    const published = (await outboxEvents(db)).filter(
      (e) => e.event_name === 'Payout.Made' || e.event_name === 'BusinessDay.Closed',
    );
    expect(published.map((e) => e.event_name)).toEqual(['Payout.Made', 'BusinessDay.Closed']);

    const mails = await eventually("Polly's payout email in MailDev", async () => {
      const all = await maildev.emails();
      return all.some((m) => m.to.some((to) => to.address === polly)) && all;
    });
    const payoutMails = mails.filter((m) => m.to.some((to) => to.address === polly));
    expect(payoutMails).toHaveLength(1);
    expect(payoutMails[0]?.subject).toMatch(new RegExp(`^aTES payout for .+: \\$${earned / 100}$`));
    expect(mails.some((m) => m.to.some((to) => to.address === kiwi))).toBe(false);
    const row = await db.selectFrom('mails').select(['sent_at', 'attempts']).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.sent_at).not.toBeNull();
  });

  it("posts today's task from the tracker's API: the assignee's fee at creation, the reward at completion", async () => {
    // Every balance before: the fee may be posted before the tracker's answer arrives here.
    const everyone = await api(accounting.url, await tokenOf('accountant'), 'GET', '/api/accounts?page_size=200');
    const before = new Map(
      (everyone.body.items as Array<{ id: string; balance: number }>).map((a) => [a.id, a.balance]),
    );
    const created = await api(tracker.url, await tokenOf('manager'), 'POST', '/api/tasks', {
      title: 'Refill the millet dispenser on floor 3',
      jira_id: 'UBERPOP-77',
      description: 'It squeaks when empty.',
    });
    expect(created.status).toBe(201);
    const assignee = created.body.assignee_id as string;
    const email = Object.entries(ids).find(([, id]) => id === assignee)?.[0] as string;
    const token = await tokenOf('worker', email);
    expect((await api(tracker.url, token, 'POST', `/api/tasks/${created.body.id}/complete`)).status).toBe(200);
    const log = await eventually("the new task's fee and reward", async () => {
      const r = await api(accounting.url, token, 'GET', `/api/accounts/${assignee}/transactions?day=${today}`);
      const mine = (r.body.items as Array<{ task: { id: string } | null }>).filter(
        (e) => e.task?.id === created.body.id,
      );
      return mine.length === 2 && r;
    });
    const entries = (log.body.items as Array<{ kind: string; amount: number; task: Record<string, unknown> }>).filter(
      (e) => e.task.id === created.body.id,
    );
    expect(entries.map((e) => e.kind).sort()).toEqual(['fee', 'reward']);
    expect(entries[0]?.task).toMatchObject({ title: 'Refill the millet dispenser on floor 3', jira_id: 'UBERPOP-77' });
    const after = await api(accounting.url, token, 'GET', '/api/accounts/me');
    expect(after.body.balance).toBe((before.get(assignee) ?? 0) + entries.reduce((s, e) => s + e.amount, 0));
    const days = await api(accounting.url, await tokenOf('accountant'), 'GET', `/api/days?from=${yesterday}`);
    expect((days.body.items as Array<Record<string, unknown>>)[0]).toMatchObject({
      business_day: today,
      status: 'open',
    });
  });
});

const newContext = (): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2, reducedMotion: 'reduce' });

/** Opens the dashboard, is sent to the auth service's sign-in page, signs in and lands back. */
const signInToDashboard = async (
  context: BrowserContext,
  email: string,
): Promise<{ page: Page; problems: string[] }> => {
  const who = auth.demo.find((d) => d.email === email) ?? demoAccount(auth, 'accountant');
  const page = await context.newPage();
  // CSP violations, console errors and script errors: there must be none.
  const problems = watchProblems(page);
  await page.goto(`${accounting.url}/`);
  expect(new URL(page.url()).origin).toBe(issuer);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForURL(`${accounting.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  return { page, problems };
};

describe('the accounting dashboard in a browser (A1, A2, A7)', () => {
  it('shows a worker their own account: balance, the audit log with each task, the payout, and nobody else’s', async () => {
    const context = await newContext();
    const { page, problems } = await signInToDashboard(context, polly);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('My account');
    expect(await page.getByText('Company figures').count()).toBe(0);
    const guide = page.getByRole('row').filter({ hasText: 'Write the onboarding guide for new popugs' });
    expect(await guide.count()).toBe(2);
    expect(await page.getByRole('row').filter({ hasText: 'Payout of the day' }).count()).toBe(1);
    await page.screenshot({ path: `${screenshots}accounting-my-account-worker.png`, fullPage: true });
    expect(problems).toEqual([]);

    const other = await page.goto(`${accounting.url}/accounts/${ids[kiwi]}`);
    expect(other?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 3 }).innerText()).toBe('Not for your role');
    await context.close();
  });

  it("shows an accountant the company's figures day by day and anyone's account", async () => {
    const context = await newContext();
    const { page, problems } = await signInToDashboard(context, demoAccount(auth, 'accountant').email);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Company figures');
    const closedDay = page.getByRole('row').filter({ hasText: 'Closed' });
    expect(await closedDay.count()).toBe(1);
    expect(await page.getByRole('row').filter({ hasText: 'Today' }).count()).toBe(1);
    // The chart of the shared component, drawn by Chart.js from the page's own scripts (the CSP allows no other).
    await page.waitForFunction('document.querySelector("figure.chart canvas")?.width > 0');
    await page.screenshot({ path: `${screenshots}accounting-company-accountant.png`, fullPage: true });
    await Promise.all([
      page.waitForURL(`${accounting.url}/accounts/${ids[polly]}`),
      page.getByRole('link', { name: 'Polly Popug' }).click(),
    ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Account of Polly Popug');
    expect(problems).toEqual([]);
    await context.close();
  });
});
