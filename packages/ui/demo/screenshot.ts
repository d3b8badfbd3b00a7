/**
 * Serves the demo pages through `registerUiAssets` under the strict Content-Security-Policy and
 * screenshots them in headless Chromium (Debian's `chromium`, driven by playwright-core):
 *   docs/screenshots/ui-demo.png, docs/screenshots/ui-signin.png, and in packages/ui/demo/ the
 *   375 px, dark-scheme and confirmation-dialog variants.
 * Run: `npx tsx packages/ui/demo/screenshot.ts`. Fails on any console error (a CSP violation
 * included) and when the dialog does not open.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { contentSecurityPolicy, registerUiAssets } from '../src/index.js';
import { renderDemo, renderSignIn } from './render-demo.js';

const here = dirname(fileURLToPath(import.meta.url));
const docs = join(here, '..', '..', '..', 'docs', 'screenshots');
mkdirSync(docs, { recursive: true });

const app = Fastify();
registerUiAssets(app);
app.addHook('onSend', async (_request, reply) => {
  reply.header('content-security-policy', contentSecurityPolicy);
});
app.get('/', (request, reply) => {
  const role = (request.query as { role?: string }).role === 'worker' ? 'worker' : 'manager';
  return reply.type('text/html; charset=utf-8').send(renderDemo(role));
});
app.get('/signin', (_request, reply) => reply.type('text/html; charset=utf-8').send(renderSignIn()));
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
  done(null, new URLSearchParams(String(body))),
);
const reassigns: string[] = [];
app.post('/tasks/reassign', (request, reply) => {
  reassigns.push((request.body as URLSearchParams).get('_csrf') ?? '');
  return reply.redirect('/', 303);
});
const base = await app.listen({ port: 0, host: '127.0.0.1' });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const problems: string[] = [];
try {
  const shoot = async (o: {
    path: string;
    url: string;
    width: number;
    height?: number;
    dark?: boolean;
    fullPage?: boolean;
    before?: (p: Page) => Promise<void>;
  }): Promise<void> => {
    const context = await browser.newContext({
      viewport: { width: o.width, height: o.height ?? 900 },
      deviceScaleFactor: 2,
      colorScheme: o.dark ? 'dark' : 'light',
    });
    const p = await context.newPage();
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${o.path}: console ${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`${o.path}: ${e.message}`));
    await p.goto(base + o.url, { waitUntil: 'load' });
    if (o.before) await o.before(p);
    await p.screenshot({ path: o.path, fullPage: o.fullPage ?? true });
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0) problems.push(`${o.path}: the page scrolls sideways by ${overflow}px`);
    await context.close();
    process.stdout.write(`${o.path}\n`);
  };
  await shoot({ path: join(docs, 'ui-demo.png'), url: '/', width: 1280 });
  await shoot({ path: join(docs, 'ui-signin.png'), url: '/signin', width: 1280, height: 800, fullPage: false });
  await shoot({ path: join(here, 'ui-demo-375.png'), url: '/?role=worker', width: 375, height: 812 });
  await shoot({ path: join(here, 'ui-signin-375.png'), url: '/signin', width: 375, height: 812, fullPage: false });
  await shoot({ path: join(here, 'ui-demo-dark.png'), url: '/', width: 1280, dark: true });
  await shoot({
    path: join(here, 'ui-demo-dialog.png'),
    url: '/',
    width: 1280,
    height: 800,
    fullPage: false,
    before: async (p) => {
      await p.getByRole('button', { name: 'Reassign open tasks' }).click();
      const dialog = p.getByRole('dialog', { name: 'Reassign every open task?' });
      await dialog.waitFor({ state: 'visible', timeout: 2000 });
      await p.waitForTimeout(300);
    },
  });
  // The confirmation works from the keyboard: Cancel sends nothing, confirming POSTs once with the token.
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(base + '/');
  const trigger = p.getByRole('button', { name: 'Reassign open tasks' });
  const dialog = p.getByRole('dialog', { name: 'Reassign every open task?' });
  await trigger.focus();
  await p.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible', timeout: 2000 });
  if (!(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((b) => b === document.activeElement)))
    problems.push('dialog: Cancel is not focused when it opens');
  await p.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden', timeout: 2000 });
  await trigger.click();
  await p.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', timeout: 2000 });
  if (reassigns.length !== 0) problems.push(`dialog: cancelling posted ${reassigns.length} time(s)`);
  await trigger.click();
  await Promise.all([p.waitForURL(base + '/'), dialog.getByRole('button', { name: 'Reassign all' }).click()]);
  if (reassigns.length !== 1 || reassigns[0] !== 'demo-csrf-token')
    problems.push(`dialog: confirming posted ${JSON.stringify(reassigns)}`);
  await context.close();
  process.stdout.write(`confirmation dialog: cancel sends nothing, confirm posts once (${reassigns.length})\n`);
} finally {
  await browser.close();
  await app.close();
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
