import { chromium, type Browser, type Page } from 'playwright-core';

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
