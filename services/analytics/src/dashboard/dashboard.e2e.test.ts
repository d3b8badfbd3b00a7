import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDayOf } from '@ates/business-days';
import { demoAccount, freePort, signIn, startAuth, testSecret, type RunningAuth } from '@ates/auth/testing';
import { connectTransport, type Transport } from '@ates/event-bus';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import { launchChromium, signInToDashboard } from '@ates/testing/chromium';
import { analyticsService } from '../service.js';
import { requirementsExample } from '../testing/example.js';
import { utc } from '../testing/fixtures.js';
import { recordedEvents } from '../testing/history.js';

// The analytics dashboard end to end: the real auth and analytics services on their own
// databases and the embedded event transport, headless Chromium through the real sign-in page.
// The REQUIREMENTS example (N3) is moved to the last three days and published on the transport
// as accounting and the tracker would have published it.

const screenshots = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const databases: TestDatabase[] = [];
let auth: RunningAuth;
let analytics: RunningService;
let transport: Transport;
let browser: Browser;
let issuer: string;
const today = businessDayOf(new Date(), utc);
const example = requirementsExample([addDays(today, -2), addDays(today, -1), today]);

beforeAll(async () => {
  const [authDb, own, bus] = await Promise.all(['auth', 'analytics', 'bus'].map((name) => createTestDatabase(name)));
  databases.push(authDb as TestDatabase, own as TestDatabase, bus as TestDatabase);
  const [authPort, analyticsPort] = [await freePort(), await freePort()];
  issuer = `http://127.0.0.1:${authPort}`;
  const analyticsUrl = `http://127.0.0.1:${analyticsPort}`;
  const common = {
    EVENT_TRANSPORT_URL: bus?.url as string,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: issuer,
    DASHBOARD_CLIENT_SECRET: testSecret(),
    DASHBOARD_SESSION_SECRET: testSecret(),
    ANALYTICS_URL: analyticsUrl,
  };
  // Analytics first, so that its groups are bound before anything is published.
  analytics = await runService(analyticsService, {
    ...common,
    DATABASE_URL: own?.url as string,
    PORT: String(analyticsPort),
    PUBLIC_URL: analyticsUrl,
    ACCOUNTING_TIMEZONE: 'UTC',
  });
  auth = await startAuth(authDb as TestDatabase, { PORT: String(authPort), ...common }, bus);
  transport = await connectTransport(bus?.url as string, { applicationName: 'analytics-e2e' });
  await transport.publish(
    recordedEvents(example.history, utc).map((e) => ({ eventName: e.event_name, body: JSON.stringify(e) })),
  );
  await mkdir(screenshots, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await transport?.close();
  await analytics?.stop();
  await auth?.close();
  await Promise.all(databases.map((d) => d.drop()));
});

const newContext = (): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2, reducedMotion: 'reduce' });

const apiAs = async (role: 'admin' | 'manager', path: string) => {
  const { access_token } = await signIn(auth, demoAccount(auth, role));
  const response = await fetch(`${analytics.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the analytics dashboard in a browser (N1–N3)', () => {
  it("gives an admin's token the figures, and a manager's 403", async () => {
    const range = `/api/most-expensive-task?from=${addDays(today, -2)}&to=${today}`;
    const top = await eventually('the example in analytics', async () => {
      const r = await apiAs('admin', range);
      return r.body.reward === 3800 && r;
    });
    expect(top.body.task).toMatchObject({ id: example.tasks.guide.id, title: 'Write the onboarding guide' });
    expect((await apiAs('admin', `/api/most-expensive-task?period=day&date=${today}`)).body.reward).toBe(2800);
    expect((await apiAs('manager', '/api/summary')).status).toBe(403);
  });

  it('shows an admin today’s earnings, the negative popugs, the most expensive tasks and earnings day by day', async () => {
    const context = await newContext();
    const admin = demoAccount(auth, 'admin');
    const { page, problems } = await signInToDashboard(context, {
      dashboardUrl: `${analytics.url}/`,
      issuer,
      credentials: admin,
    });
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Analytics');
    // Today: fees $16, rewards $53 (the example's third day).
    await expect.poll(() => page.locator('.stat').first().innerText()).toContain('−$37');
    const periods = page.getByRole('table', { name: 'The most expensive task of today, this week and this month' });
    const today$ = await periods.getByRole('row').nth(1).innerText();
    expect(today$).toContain('Refill the millet');
    expect(today$).toContain('$28');
    expect(await page.locator('figure.chart canvas').count()).toBe(1);
    await page.screenshot({ path: `${screenshots}analytics-dashboard.png`, fullPage: true });

    // The date-range form: the first two days only.
    await page.getByLabel('From').fill(addDays(today, -2));
    await page.getByLabel('To').fill(addDays(today, -1));
    await Promise.all([page.waitForURL(/from=/), page.getByRole('button', { name: 'Show these days' }).click()]);
    const days = page.getByRole('table', { name: 'Day by day' });
    expect(await days.getByRole('row').count()).toBe(3);
    expect(await page.getByText('Write the onboarding guide').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${screenshots}analytics-date-range.png`, fullPage: true });

    // A refused range is shown beside its field, not as an error page.
    await page.getByLabel('From').fill(today);
    await page.getByLabel('To').fill(addDays(today, -1));
    await Promise.all([page.waitForURL(/from=/), page.getByRole('button', { name: 'Show these days' }).click()]);
    expect(await page.locator('.field__error').innerText()).toContain('must not be after to');
    // The page itself answers 400 (the browser notes it in the console); nothing else went wrong.
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await context.close();
  });

  it('shows a manager a clear "not for your role" page', async () => {
    const context = await newContext();
    const { page, problems } = await signInToDashboard(context, {
      dashboardUrl: `${analytics.url}/`,
      issuer,
      credentials: demoAccount(auth, 'manager'),
    });
    expect(await page.getByRole('heading', { name: 'Not for your role' }).count()).toBe(1);
    expect(await page.getByText('is not for your role: you are signed in as a manager').count()).toBe(1);
    expect(await page.getByText('Management earned today').count()).toBe(0);
    await page.screenshot({ path: `${screenshots}analytics-not-for-your-role.png`, fullPage: true });
    expect(problems.filter((p) => !p.includes('status of 403'))).toEqual([]);
    await context.close();
  });
});
