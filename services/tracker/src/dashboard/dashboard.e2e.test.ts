import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccount, freePort, startAuth, testSecret, type RunningAuth } from '@ates/auth/testing';
import { createDb, createPool } from '@ates/db';
import { AppError } from '@ates/errors';
import { envelopesOf } from '@ates/schema-registry';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import { launchChromium } from '@ates/testing/chromium';
import type { TrackerDb } from '../db.js';
import { trackerService } from '../service.js';
import { completeTask } from '../tasks/commands.js';
import { decideCreateTask } from '../tasks/decide.js';
import { insertTaskPublishing } from '../tasks/store.js';

// The tracker dashboard end to end (issue 5, item 5): the real auth service and the real tracker
// on their own PostgreSQL databases and the embedded event transport, driven by headless
// Chromium through the real sign-in page. A worker sees and completes their task; a manager
// reassigns every open task after confirming; a worker is refused the reassign.

const screenshots = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

let authDb: TestDatabase;
let trackerDb: TestDatabase;
let transport: TestDatabase;
let auth: RunningAuth;
let tracker: RunningService;
let db: Kysely<TrackerDb>;
let browser: Browser;
let trackerUrl: string;
/** The auth service's issuer (and URL); chosen here, since the tracker starts before auth. */
let issuer: string;
/** Content-Security-Policy violations and script errors seen by any page: there must be none. */
const problems: string[] = [];

const ids: Record<string, string> = {};
const tasks: Record<string, string> = {};

/** Waits for the auth events to reach the tracker's copy of accounts (bounded: a broken pipeline fails, it does not hang). */
const untilAccountsArrive = async (expected: number): Promise<void> => {
  await eventually("the demo accounts in the tracker's copy", async () => {
    const row = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('full_name', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(row.n) >= expected;
  });
};

/** A task assigned to a chosen person, through the same decision and outbox as `createTask` (which draws the assignee at random). */
const seedTask = async (
  assignee: string,
  title: string,
  jiraId: string | null,
  description: string,
): Promise<string> => {
  const now = new Date();
  const decision = decideCreateTask(
    { assigneeId: ids[assignee] },
    { taskId: randomUUID(), title, jiraId, description, creatorId: ids.manager as string },
    now,
  );
  if (decision instanceof AppError) throw decision;
  await insertTaskPublishing(db, decision.state, envelopesOf(decision.events, { producer: 'tracker', now }));
  return decision.state.public_id;
};

const openAssignments = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await db.selectFrom('tasks').select(['public_id', 'assignee_id']).where('status', '=', 'open').execute()).map(
      (r) => [r.public_id, r.assignee_id],
    ),
  );

const newContext = (): Promise<BrowserContext> =>
  browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2, reducedMotion: 'reduce' });

/** Opens the tracker in `context`, is sent to the auth service's sign-in page, signs in and lands back on the dashboard. */
const signIn = async (context: BrowserContext, who: { email: string; password: string }): Promise<Page> => {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${trackerUrl}/`);
  expect(new URL(page.url()).origin).toBe(issuer);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForURL(`${trackerUrl}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
};

/** Clicks and waits for the page the click navigates to; answers its HTTP status. */
const submit = async (page: Page, click: () => Promise<void>): Promise<number> => {
  const [response] = await Promise.all([page.waitForNavigation(), click()]);
  return response?.status() ?? 0;
};

const flashText = async (page: Page): Promise<string> => (await page.locator('.flash').allInnerTexts()).join('\n');

beforeAll(async () => {
  [authDb, trackerDb, transport] = await Promise.all([
    createTestDatabase('auth'),
    createTestDatabase('tracker'),
    createTestDatabase('bus'),
  ]);
  const [authPort, trackerPort] = [await freePort(), await freePort()];
  issuer = `http://127.0.0.1:${authPort}`;
  trackerUrl = `http://127.0.0.1:${trackerPort}`;
  const clientSecret = testSecret();
  // The tracker starts first, as under `npm start`, so that its consumer is bound on the
  // transport when auth seeds the demo accounts: a queue only gets what is published after it
  // exists. It starts with auth still down (discovery and keys are fetched when needed).
  tracker = await runService(trackerService, {
    DATABASE_URL: trackerDb.url,
    EVENT_TRANSPORT_URL: transport.url,
    PORT: String(trackerPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: issuer,
    PUBLIC_URL: trackerUrl,
    DASHBOARD_CLIENT_SECRET: clientSecret,
    DASHBOARD_SESSION_SECRET: testSecret(),
  });
  // Auth on the port the tracker was told, with the tracker dashboard registered as a client
  // (its /callback under TRACKER_URL).
  auth = await startAuth(
    authDb,
    { PORT: String(authPort), AUTH_ISSUER: issuer, TRACKER_URL: trackerUrl, DASHBOARD_CLIENT_SECRET: clientSecret },
    transport,
  );
  db = createDb<TrackerDb>(createPool(trackerDb.url, { max: 3 }));
  [browser] = await Promise.all([
    launchChromium(),
    mkdir(screenshots, { recursive: true }),
    untilAccountsArrive(auth.demo.length),
  ]);

  const people = await db.selectFrom('accounts').select(['public_id', 'email']).execute();
  const idOf = (email: string): string => people.find((p) => p.email === email)?.public_id ?? '';
  const workers = auth.demo.filter((d) => d.role === 'worker');
  Object.assign(ids, {
    manager: idOf(demoAccount(auth, 'manager').email),
    accountant: idOf(demoAccount(auth, 'accountant').email),
    ...Object.fromEntries(workers.map((w, i) => [`worker${i}`, idOf(w.email)])),
  });
  tasks.millet = await seedTask('worker0', 'Refill the millet dispenser on floor 3', null, 'It squeaks when empty.');
  tasks.guide = await seedTask(
    'worker0',
    'Write the onboarding guide for new popugs',
    'DOCS-7',
    'Two pages, with pictures.',
  );
  tasks.seeds = await seedTask('worker0', 'Sort the sunflower seeds by size', null, 'Large ones go to the break room.');
  await completeTask(db, tasks.seeds, { id: ids.worker0 as string, role: 'worker' });
  tasks.green = await seedTask(
    'worker1',
    'Change the green of the button',
    'UBERPOP-42',
    'Marketing wants a greener green.',
  );
  tasks.perch = await seedTask(
    'worker2',
    'Migrate the perch booking to the new calendar',
    'UBERPOP-57',
    'Keep the old links working.',
  );
  tasks.budget = await seedTask('accountant', 'Reconcile the seed budget for March', null, '');
});

afterAll(async () => {
  await browser?.close();
  await tracker?.stop();
  await db?.destroy();
  await auth?.close();
  await Promise.all([authDb?.drop(), trackerDb?.drop(), transport?.drop()]);
});

describe('the tracker dashboard in a browser', () => {
  it('a worker signs in through auth, sees their tasks, creates one and completes theirs', async () => {
    const worker = demoAccount(auth, 'worker');
    const context = await newContext();
    const page = await signIn(context, worker);

    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('My tasks');
    expect(await page.locator('.user__name').innerText()).toBe(worker.full_name);
    const millet = page.getByRole('row').filter({ hasText: 'Refill the millet dispenser on floor 3' });
    expect(await millet.count()).toBe(1);
    // Open tasks first, then done ones.
    const rows = await page.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toContain('Sort the sunflower seeds by size');
    expect(await page.getByRole('button', { name: 'Reassign open tasks' }).count()).toBe(0);

    // A title with the Jira id in brackets (T6) is refused inline, the values kept.
    await page.getByLabel('Title').fill('[UBERPOP-7] Untangle the swing in the break room');
    await page.getByLabel('Description').fill('Somebody tied a knot in it again.');
    expect(await submit(page, () => page.getByRole('button', { name: 'Create task' }).click())).toBe(400);
    expect(await page.locator('.field__error').innerText()).toContain('A title cannot contain [ or ]');
    expect(await page.getByLabel('Title').inputValue()).toBe('[UBERPOP-7] Untangle the swing in the break room');
    expect(await page.getByLabel('Description').inputValue()).toBe('Somebody tied a knot in it again.');

    await page.getByLabel('Title').fill('Untangle the swing in the break room');
    await page.getByLabel('Jira id').fill('UBERPOP-7');
    expect(await submit(page, () => page.getByRole('button', { name: 'Create task' }).click())).toBe(200);
    const created = /Task “Untangle the swing in the break room” created and assigned to (.+)\./.exec(
      await flashText(page),
    );
    const eligible = [
      'you',
      ...auth.demo.filter((d) => d.role === 'worker' || d.role === 'accountant').map((d) => d.full_name),
    ];
    expect(eligible).toContain(created?.[1]);
    const stored = await db
      .selectFrom('tasks')
      .select(['jira_id', 'description', 'creator_id'])
      .where('title', '=', 'Untangle the swing in the break room')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      jira_id: 'UBERPOP-7',
      description: 'Somebody tied a knot in it again.',
      creator_id: ids.worker0,
    });
    await page.screenshot({ path: `${screenshots}tracker-my-tasks-worker.png`, fullPage: true });

    expect(await submit(page, () => millet.getByRole('button', { name: /^Complete/ }).click())).toBe(200);
    expect(await flashText(page)).toContain('Task “Refill the millet dispenser on floor 3” completed.');
    expect(
      await page
        .getByRole('row')
        .filter({ hasText: 'Refill the millet dispenser on floor 3' })
        .getByText('Done', { exact: true })
        .count(),
    ).toBe(1);
    const done = await db
      .selectFrom('tasks')
      .select('status')
      .where('public_id', '=', tasks.millet as string)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
    const completed = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where event_name = 'Task.Completed' and envelope->'data'->>'task_id' = ${tasks.millet}`.execute(
      db,
    );
    expect(completed.rows[0]?.n).toBe(1);

    // Domain refusals come back as the page with a message and their status, never a 500.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const again = await page.request.post(`${trackerUrl}/tasks/${tasks.millet}/complete`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain('This task is already done.');
    const notMine = await page.request.post(`${trackerUrl}/tasks/${tasks.green}/complete`, {
      form: { _csrf: csrf },
      maxRedirects: 0,
    });
    expect(notMine.status()).toBe(403);
    expect(await notMine.text()).toContain('Only its assignee can complete a task');
    await context.close();
  });

  it('a worker has no reassign button, and a forged reassign is refused with 403', async () => {
    const context = await newContext();
    const page = await signIn(context, demoAccount(auth, 'worker'));
    expect(await page.getByRole('button', { name: 'Reassign open tasks' }).count()).toBe(0);
    expect(await page.locator('form[action="/tasks/reassign"]').count()).toBe(0);

    const before = await openAssignments();
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    // A forged form, with the page's own CSRF token, posted by the browser: refused with a page.
    // (A string, evaluated in the page: this file is compiled without the DOM's types.)
    const status = await submit(page, () =>
      page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/tasks/reassign';
        const input = document.createElement('input');
        input.name = '_csrf';
        input.value = ${JSON.stringify(csrf)};
        form.append(input);
        document.body.append(form);
        form.submit();
      })()`),
    );
    expect(status).toBe(403);
    expect(await page.getByRole('heading', { level: 3 }).innerText()).toBe('Not for your role');
    expect(await page.locator('main').innerText()).toContain('Reassigning tasks is for managers and admins');
    await page.screenshot({ path: `${screenshots}tracker-worker-refused.png` });
    // Without the page's CSRF token it is refused before anything else.
    expect((await page.request.post(`${trackerUrl}/tasks/reassign`, { form: {}, maxRedirects: 0 })).status()).toBe(403);
    // Nor may a worker look at everyone's tasks.
    expect((await page.request.get(`${trackerUrl}/?assignee=all`, { maxRedirects: 0 })).status()).toBe(403);
    expect(await openAssignments()).toEqual(before);

    // Signing out ends the dashboard session and hands over to the auth service's sign-out.
    await page.goto(`${trackerUrl}/`);
    await Promise.all([
      page.waitForURL((url) => url.origin === issuer),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    expect((await page.request.get(`${trackerUrl}/`, { maxRedirects: 0 })).headers().location).toMatch(
      /^\/login\?return_to=/,
    );
    await context.close();
  });

  it('a manager sees everyone’s tasks and reassigns every open one after confirming', async () => {
    const context = await newContext();
    const page = await signIn(context, demoAccount(auth, 'manager'));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('All tasks');
    // Everyone's tasks, each with its assignee's name from the tracker's copy of accounts.
    const kiwi = auth.demo.filter((d) => d.role === 'worker')[1]?.full_name ?? '';
    expect(await page.getByRole('row').filter({ hasText: 'Change the green of the button' }).innerText()).toContain(
      kiwi,
    );

    const before = await openAssignments();
    const open = Object.keys(before).length;
    const assignedBefore = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where event_name = 'Task.Assigned'`.execute(db);

    await page.getByRole('button', { name: 'Reassign open tasks' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reassign every open task?' });
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.innerText()).toContain(`All ${open} open tasks get a new assignee`);
    await page.screenshot({ path: `${screenshots}tracker-manager-reassign.png` });

    expect(await submit(page, () => dialog.getByRole('button', { name: 'Reassign all' }).click())).toBe(200);
    expect(await flashText(page)).toContain(`${open} tasks reassigned at random.`);
    await page.screenshot({ path: `${screenshots}tracker-manager-all-tasks.png`, fullPage: true });
    const after = await openAssignments();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const eligible = new Set([
      ids.accountant,
      ...Object.entries(ids)
        .filter(([k]) => k.startsWith('worker'))
        .map(([, v]) => v),
    ]);
    expect(Object.values(after).every((a) => eligible.has(a))).toBe(true);
    const assignedAfter = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where event_name = 'Task.Assigned'`.execute(db);
    expect((assignedAfter.rows[0]?.n ?? 0) - (assignedBefore.rows[0]?.n ?? 0)).toBe(open);

    // One person's tasks, through the filter.
    const worker = demoAccount(auth, 'worker');
    await page.getByLabel('Show the tasks of').selectOption({ label: worker.full_name });
    expect(await submit(page, () => page.getByRole('button', { name: 'Show' }).click())).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Tasks of ${worker.full_name}`);
    await context.close();
  });

  it('an admin is told, with 409 and nothing saved, when nobody can take tasks', async () => {
    const context = await newContext();
    const page = await signIn(context, demoAccount(auth, 'admin'));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('All tasks');
    // Everyone who could take a task leaves (as the replica would learn from Account.Deactivated).
    const eligible = await db
      .updateTable('accounts')
      .set({ active: false })
      .where('active', '=', true)
      .where('role', 'in', ['worker', 'accountant'])
      .returning('public_id')
      .execute();
    const tasksBefore = await db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    try {
      await page.getByLabel('Title').fill('Order more millet');
      expect(await submit(page, () => page.getByRole('button', { name: 'Create task' }).click())).toBe(409);
      expect(await flashText(page)).toContain('The task was not created. No eligible assignee');
      expect(await page.getByLabel('Title').inputValue()).toBe('Order more millet');

      await page.getByRole('button', { name: 'Reassign open tasks' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reassign every open task?' });
      await dialog.waitFor({ state: 'visible' });
      expect(await submit(page, () => dialog.getByRole('button', { name: 'Reassign all' }).click())).toBe(409);
      expect(await flashText(page)).toContain('Nothing was reassigned. No eligible assignee');
      const tasksAfter = await db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(tasksAfter.n).toBe(tasksBefore.n);
    } finally {
      await db
        .updateTable('accounts')
        .set({ active: true })
        .where(
          'public_id',
          'in',
          eligible.map((e) => e.public_id),
        )
        .execute();
    }
    await context.close();
  });

  it('loaded every page without a CSP violation or script error', () => {
    expect(problems).toEqual([]);
  });
});
