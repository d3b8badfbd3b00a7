import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceApp, listen, type ServiceApp } from '@ates/http';
import { createLogger } from '@ates/logger';
import { launchChromium, watchProblems } from '@ates/testing/chromium';
import { contentSecurityPolicy } from '@ates/ui';
import { catalogFile, readCatalogFile } from './document-file.js';
import { registerEventCatalog } from './routes.js';

// The catalog page in a real browser (headless Chromium from Debian's package), served by the
// service shell exactly as every service serves it: it must render under the dashboards'
// Content-Security-Policy with no violation and no script error.

/** The browser's `getComputedStyle`, which the page function runs with (this package has no DOM types). */
interface StyleReader {
  getComputedStyle(element: unknown): { borderRadius: string };
}

let app: ServiceApp;
let url: string;
let browser: Browser;

beforeAll(async () => {
  app = await createServiceApp({
    service: 'tracker',
    version: '0.1.0',
    description: 'catalog page under test',
    logger: createLogger('tracker', 'silent'),
    readiness: [],
  });
  registerEventCatalog(app);
  url = await listen(app, 0, '127.0.0.1');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('GET /docs/events in Chromium', () => {
  it('shows every event and version of the checked-in catalog, with no CSP violation or script error', async () => {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    const response = await page.goto(`${url}/docs/events`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(contentSecurityPolicy);
    // ui.js runs on load (it is deferred): wait for it, so that an error it throws is seen.
    await page.waitForLoadState('load');

    const document = readCatalogFile();
    const titles = Object.values(document.channels).flatMap((c) => Object.values(c.messages).map((m) => m.title));
    const headings = await page.locator('.card__title').allInnerTexts();
    expect(headings).toEqual(['Events', 'Transports', 'Envelope', ...titles]);
    // The stylesheet applied: the page has the dashboards' look, not the browser's defaults.
    const radius = await page
      .locator('.card')
      .first()
      .evaluate((el) => (globalThis as unknown as StyleReader).getComputedStyle(el).borderRadius);
    expect(radius).not.toBe('0px');
    await page.locator('a[href="#Task.Created.v1"]').click();
    expect(await page.locator('[id="Task.Created.v1"] .badge').first().innerText()).toBe('retired');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves the document itself as JSON, byte for byte the checked-in file', async () => {
    const response = await fetch(`${url}/docs/events.json`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.text()).toBe(readFileSync(catalogFile, 'utf8'));
  });
});
