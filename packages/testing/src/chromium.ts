import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Headless Chromium as the tests run it: Debian's package (or CHROMIUM_PATH), quiet, no network of its own. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

/**
 * Collects what must never happen on a page of ours: a Content-Security-Policy violation, a
 * console error, an uncaught script error. The returned array fills as the page runs.
 */
export const watchProblems = (page: Page): string[] => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
};

/**
 * Opens `dashboardUrl` in a fresh page of `context` as a person would: sent to the auth
 * service's sign-in page at `issuer`, signs in with `credentials`, and lands back on the
 * dashboard. Returns the page and the problems `watchProblems` collects on it.
 */
export const signInToDashboard = async (
  context: BrowserContext,
  o: {
    readonly dashboardUrl: string;
    readonly issuer: string;
    readonly credentials: { readonly email: string; readonly password: string };
  },
): Promise<{ page: Page; problems: string[] }> => {
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(o.dashboardUrl);
  if (new URL(page.url()).origin !== new URL(o.issuer).origin)
    throw new Error(`expected the sign-in page of ${o.issuer}, got ${page.url()}`);
  await page.getByLabel('Email').fill(o.credentials.email);
  await page.getByLabel('Password').fill(o.credentials.password);
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(o.dashboardUrl)),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return { page, problems };
};
