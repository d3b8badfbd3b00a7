import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, businessDayOf } from '@ates/business-days';
import { deliverToGroups } from '@ates/event-bus/testing';
import { analyticsLedger } from '../ledger/consumer.js';
import { analyticsTasks } from '../tasks/consumer.js';
import { requirementsExample } from '../testing/example.js';
import { utc } from '../testing/fixtures.js';
import { recordedEvents } from '../testing/history.js';
import { startAnalytics, type RunningAnalytics } from '../testing/service.js';

// Analytics' JSON API as a client sees it: the real service on real PostgreSQL, the REQUIREMENTS
// example (N3) given as accounting and the tracker published it, through the service's own
// consumers, newest events first.

let analytics: RunningAnalytics;
const example = requirementsExample();
const fields = (body: Record<string, unknown>) => ((body.errors ?? []) as { field: string }[]).map((e) => e.field);
const dollars = (body: Record<string, unknown>) => (body.reward as number) / 100;

beforeAll(async () => {
  analytics = await startAnalytics({ ACCOUNTING_TIMEZONE: 'UTC' });
  const feed = deliverToGroups(analytics.db, [analyticsLedger, analyticsTasks(utc)]);
  await feed.deliver(recordedEvents(example.history, utc).reverse());
});
afterAll(() => analytics?.close());

describe('the most expensive task (N3)', () => {
  it('reads the REQUIREMENTS example: 03.03 — $28; 02.03 — $38; 01.03 — $23; 01.03–03.03 — $38', async () => {
    const of = (query: string) => analytics.get('admin', `/api/most-expensive-task?${query}`);
    expect(dollars((await of('from=2026-03-03&to=2026-03-03')).body)).toBe(28);
    expect(dollars((await of('from=2026-03-02&to=2026-03-02')).body)).toBe(38);
    expect(dollars((await of('from=2026-03-01&to=2026-03-01')).body)).toBe(23);
    const range = await of('from=2026-03-01&to=2026-03-03');
    expect(range.status).toBe(200);
    // Two tasks paid $38 on 02.03: the one completed first.
    expect(range.body).toEqual({
      from: '2026-03-01',
      to: '2026-03-03',
      task: { id: example.tasks.guide.id, title: 'Write the onboarding guide', jira_id: 'UBERPOP-42' },
      reward: 3800,
      completed_at: '2026-03-02T11:00:00.000Z',
      completion_day: '2026-03-02',
    });
  });

  it('answers for a day, an ISO week and a month', async () => {
    const of = (query: string) => analytics.get('admin', `/api/most-expensive-task?${query}`);
    const day = await of('period=day&date=2026-03-01');
    expect(day.body).toMatchObject({ from: '2026-03-01', to: '2026-03-01', reward: 2300 });
    // A task created with a v1 event: its Jira id was in the title (T6).
    expect(day.body.task).toEqual({
      id: example.tasks.seeds.id,
      title: 'Sort the sunflower seeds',
      jira_id: 'UBERPOP-1',
    });
    expect((await of('period=week&date=2026-03-03')).body).toMatchObject({
      from: '2026-03-02',
      to: '2026-03-08',
      reward: 3800,
    });
    expect((await of('period=month&date=2026-03-31')).body).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      reward: 3800,
    });
    expect((await of('period=week&date=2026-02-25')).body).toEqual({
      from: '2026-02-23',
      to: '2026-03-01',
      task: { id: example.tasks.seeds.id, title: 'Sort the sunflower seeds', jira_id: 'UBERPOP-1' },
      reward: 2300,
      completed_at: '2026-03-01T15:00:00.000Z',
      completion_day: '2026-03-01',
    });
    expect((await of('period=month&date=2026-02-10')).body).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      task: null,
    });
  });
});

describe("management's earnings and the popugs in the negative (N2, A5)", () => {
  it("gives a day's earnings, and the negative count at its close", async () => {
    expect((await analytics.get('admin', '/api/summary?day=2026-03-02')).body).toEqual({
      day: '2026-03-02',
      fees: 5400,
      rewards: 9600,
      management_earnings: -4200,
      payouts: 5100,
      negative_popugs: 1,
      closed: true,
    });
    // 03.03 is still open: the count is the one now (Polly paid off her debt).
    expect((await analytics.get('admin', '/api/summary?day=2026-03-03')).body).toMatchObject({
      management_earnings: 1600 - 5300,
      negative_popugs: 0,
      closed: false,
    });
  });

  it('gives today by default, and earnings day by day, a quiet day as zeros', async () => {
    const today = businessDayOf(new Date(), utc);
    expect((await analytics.get('admin', '/api/summary')).body).toMatchObject({ day: today, management_earnings: 0 });
    const rows = await analytics.get('admin', '/api/earnings?from=2026-02-28&to=2026-03-03');
    expect(rows.body).toEqual({
      from: '2026-02-28',
      to: '2026-03-03',
      items: [
        { day: '2026-02-28', fees: 0, rewards: 0, management_earnings: 0, payouts: 0 },
        { day: '2026-03-01', fees: 2700, rewards: 4400, management_earnings: -1700, payouts: 1700 },
        { day: '2026-03-02', fees: 5400, rewards: 9600, management_earnings: -4200, payouts: 5100 },
        { day: '2026-03-03', fees: 1600, rewards: 5300, management_earnings: -3700, payouts: 0 },
      ],
    });
    const month = await analytics.get('admin', '/api/earnings');
    expect(month.body).toMatchObject({ from: addDays(today, -29), to: today });
    expect(month.body.items).toHaveLength(30);
  });
});

describe('who may ask, and what (N1)', () => {
  it.each(['manager', 'accountant', 'worker'] as const)('refuses a %s with 403', async (role) => {
    for (const path of ['/api/summary', '/api/earnings?from=2026-03-01', '/api/most-expensive-task?period=week']) {
      const answer = await analytics.get(role, path);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('analytics.admins_only');
    }
  });

  it.each([
    ['/api/summary?day=2026-02-30', 'querystring.day', 'analytics.invalid_day'],
    ['/api/summary?day=yesterday', 'querystring.day', 'request.invalid'],
    ['/api/earnings?from=2026-03-04&to=2026-03-03', 'querystring.from', 'analytics.invalid_range'],
    ['/api/earnings?from=2025-03-02&to=2026-03-03', 'querystring.from', 'analytics.invalid_range'],
    ['/api/most-expensive-task?from=2025-03-02&to=2026-03-03', 'querystring.from', 'analytics.invalid_range'],
    ['/api/most-expensive-task?to=2026-13-01', 'querystring.to', 'analytics.invalid_day'],
    ['/api/most-expensive-task?period=year', 'querystring.period', 'request.invalid'],
    ['/api/most-expensive-task?period=week&date=2026-02-29', 'querystring.date', 'analytics.invalid_day'],
    ['/api/most-expensive-task?period=week&from=2026-03-01', 'querystring.from', 'analytics.invalid_range'],
    ['/api/most-expensive-task?date=2026-03-01', 'querystring.date', 'analytics.invalid_range'],
  ])('answers %s with 400 naming %s', async (path, field, code) => {
    const answer = await analytics.get('admin', path);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe(code);
    expect(fields(answer.body)).toContain(field);
  });

  it('accepts a range of exactly 366 days', async () => {
    expect((await analytics.get('admin', '/api/earnings?from=2025-03-03&to=2026-03-03')).status).toBe(200);
  });

  it('documents its routes at /docs, with their 400 and 403', async () => {
    const spec = (await (await fetch(`${analytics.service.url}/docs/json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    for (const path of ['/api/summary', '/api/earnings', '/api/most-expensive-task'])
      expect(Object.keys(spec.paths[path]?.get.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '400', '401', '403']),
      );
  });
});
