import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { addDays, businessDayOf } from '@ates/business-days';
import { createDb, createPool } from '@ates/db';
import { runService, type RunningService } from '@ates/service';
import { createTestDatabase, freePort, type TestDatabase } from '@ates/testing';
import { apiAudience } from '@ates/token-verifier';
import { createTestKey, startJwksServer, type JwksServer, type TestKey } from '@ates/token-verifier/testing';
import type { AccountingDb } from '../db.js';
import { inconsistentBalances } from '../days/store.js';
import { ledgerConsumer } from '../ledger/consumer.js';
import { accountingTasks } from '../tasks/consumer.js';
import { accountingService } from '../service.js';
import { assigned, created, deliverBatch, newId, utc } from '../testing/fixtures.js';

// Accounting's JSON API as a client sees it: the real service on real PostgreSQL, tokens signed
// by a test key served as the auth service would. Events are given through the service's own
// consumers, against its database.

let service: RunningService;
let jwks: JwksServer;
let key: TestKey;
let issuer: string;
let db: Kysely<AccountingDb>;
const databases: TestDatabase[] = [];
const people = { worker: newId(), other: newId(), accountant: newId(), manager: newId() };
type Person = keyof typeof people;
const today = businessDayOf(new Date(), utc);
const task = newId();

const call = async (who: Person, method: string, path: string, body?: unknown) => {
  const token = await key.sign(
    { sub: people[who], role: who === 'other' ? 'worker' : who, name: who, email: `${who}@uberpopug.example` },
    { issuer, audience: apiAudience },
  );
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const fields = (body: Record<string, unknown>) => ((body.errors ?? []) as { field: string }[]).map((e) => e.field);

beforeAll(async () => {
  const [own, bus] = await Promise.all([createTestDatabase('accounting_api'), createTestDatabase('bus')]);
  databases.push(own, bus);
  key = await createTestKey('test-key');
  jwks = await startJwksServer([key.publicJwk]);
  issuer = jwks.url.replace(/\/oidc\/jwks$/, '');
  service = await runService(accountingService, {
    DATABASE_URL: own.url,
    EVENT_TRANSPORT_URL: bus.url,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_ISSUER: issuer,
    DASHBOARD_CLIENT_SECRET: 'c'.repeat(32),
    DASHBOARD_SESSION_SECRET: 's'.repeat(32),
  });
  db = createDb<AccountingDb>(createPool(own.url, { max: 2 }));
  await deliverBatch(db, ledgerConsumer(utc), [assigned(task, people.worker, new Date())]);
  await deliverBatch(db, accountingTasks, [created(task, people.worker, new Date(), 'Refill the millet dispenser')]);
});

afterAll(async () => {
  await service?.stop();
  await db?.destroy();
  await jwks?.close();
  await Promise.all(databases.map((d) => d.drop()));
});

describe('accounts (A1, A2)', () => {
  it('shows a worker their own balance and audit log, with the task each entry was for', async () => {
    const me = await call('worker', 'GET', '/api/accounts/me');
    expect(me.status).toBe(200);
    expect(me.body.balance).toBeLessThanOrEqual(-1000);
    const log = await call('worker', 'GET', `/api/accounts/${people.worker}/transactions`);
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({
      total: 1,
      items: [
        {
          kind: 'fee',
          amount: me.body.balance,
          business_day: today,
          task: {
            id: task,
            title: 'Refill the millet dispenser',
            jira_id: null,
            description: 'It squeaks when empty.',
          },
        },
      ],
    });
    const days = await call('worker', 'GET', `/api/accounts/${people.worker}/days?from=${addDays(today, -1)}`);
    expect(days.body.items).toEqual([
      { business_day: today, fees: -(me.body.balance as number), rewards: 0, earned: me.body.balance, payout: 0 },
      { business_day: addDays(today, -1), fees: 0, rewards: 0, earned: 0, payout: 0 },
    ]);
  });

  it("refuses a worker someone else's account, and shows it to an accountant", async () => {
    for (const path of [`/api/accounts/${people.worker}`, `/api/accounts/${people.worker}/transactions`]) {
      const refused = await call('other', 'GET', path);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('account.not_visible');
    }
    expect((await call('accountant', 'GET', `/api/accounts/${people.worker}`)).body).toMatchObject({
      id: people.worker,
      version: 1,
    });
    expect((await call('accountant', 'GET', `/api/accounts/${newId()}`)).status).toBe(404);
    const all = await call('accountant', 'GET', '/api/accounts');
    expect(all.body).toMatchObject({ total: 1, items: [{ id: people.worker }] });
    expect((await call('manager', 'GET', '/api/accounts')).body.code).toBe('figures.company_only');
  });
});

describe('business days (A5–A7)', () => {
  it("shows admins and accountants the company's figures day by day, and refuses everyone else", async () => {
    const days = await call('accountant', 'GET', `/api/days?from=${addDays(today, -2)}`);
    expect(days.status).toBe(200);
    expect(days.body.today).toBe(today);
    const items = days.body.items as Array<Record<string, unknown>>;
    expect(items.map((d) => d.business_day)).toEqual([today, addDays(today, -1), addDays(today, -2)]);
    expect(items[0]).toMatchObject({ status: 'open', rewards: 0, payouts: 0, negative_accounts: 1 });
    expect(items[0]?.management_earnings).toBe(items[0]?.fees);
    expect((await call('worker', 'GET', '/api/days')).body.code).toBe('figures.company_only');
  });

  it('refuses to close a day that has not ended, or for a worker; closes an ended one idempotently', async () => {
    const early = await call('accountant', 'POST', `/api/days/${today}/close`);
    expect(early).toMatchObject({ status: 409, body: { code: 'day.not_ended' } });
    expect((await call('worker', 'POST', `/api/days/${addDays(today, -1)}/close`)).body.code).toBe(
      'day.close_not_allowed',
    );
    const closed = await call('accountant', 'POST', `/api/days/${addDays(today, -1)}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.closed).toEqual(
      expect.arrayContaining([expect.objectContaining({ business_day: addDays(today, -1), payouts: 0 })]),
    );
    expect((await call('accountant', 'POST', `/api/days/${addDays(today, -1)}/close`)).status).toBe(200);
  });

  it('answers bad input with 400 naming the field, never 500', async () => {
    const cases: Array<[Person, string, string, string]> = [
      ['accountant', 'GET', '/api/days/2026-02-30', 'params.day'],
      ['accountant', 'GET', '/api/days/yesterday', 'params.day'],
      ['accountant', 'GET', '/api/days?from=2026-03-05&to=2026-03-01', 'querystring.from'],
      ['accountant', 'GET', '/api/days?from=2020-01-01&to=2026-03-01', 'querystring.from'],
      ['accountant', 'POST', '/api/days/2026-13-01/close', 'params.day'],
      ['worker', 'GET', '/api/accounts/not-a-uuid', 'params.id'],
      ['worker', 'GET', `/api/accounts/${people.worker}/transactions?page=0`, 'querystring.page'],
      ['worker', 'GET', `/api/accounts/${people.worker}/transactions?day=03-03-2026`, 'querystring.day'],
      ['worker', 'GET', `/api/accounts/${people.worker}/days?bogus=1`, 'querystring.bogus'],
    ];
    for (const [who, method, path, field] of cases) {
      const answer = await call(who, method, path);
      expect([path, answer.status]).toEqual([path, 400]);
      expect(fields(answer.body)).toContain(field);
    }
  });
});

describe('corrections by reversal (A2)', () => {
  const feeOf = async (taskId: string) =>
    db
      .selectFrom('transactions')
      .select(['transaction_id', 'amount', 'account_id'])
      .where('task_id', '=', taskId)
      .where('kind', '=', 'fee')
      .executeTakeFirstOrThrow();
  it("reverses a fee once: the amount comes back, the audit log says why, today's fees net it out", async () => {
    const mistake = newId();
    const before = await call('accountant', 'GET', `/api/days/${today}`);
    await deliverBatch(db, ledgerConsumer(utc), [assigned(mistake, people.other, new Date())]);
    const fee = await feeOf(mistake);
    const reversed = await call('accountant', 'POST', `/api/transactions/${fee.transaction_id}/reverse`, {
      reason: '  assigned to the wrong popug ',
    });
    expect(reversed.status).toBe(201);
    expect(reversed.body).toMatchObject({
      account_id: people.other,
      amount: -fee.amount,
      balance_after: 0,
      task_id: mistake,
      reverses: { transaction_id: fee.transaction_id, kind: 'fee' },
      reason: 'assigned to the wrong popug',
      business_day: today,
    });
    const log = await call('other', 'GET', `/api/accounts/${people.other}/transactions`);
    expect(log.body.items).toEqual([
      expect.objectContaining({
        kind: 'reversal',
        amount: -fee.amount,
        reverses: { transaction_id: fee.transaction_id, kind: 'fee', reason: 'assigned to the wrong popug' },
      }),
      expect.objectContaining({ kind: 'fee', amount: fee.amount, reverses: null }),
    ]);
    const after = await call('accountant', 'GET', `/api/days/${today}`);
    expect(after.body.fees).toBe(before.body.fees);
    const again = await call('accountant', 'POST', `/api/transactions/${fee.transaction_id}/reverse`, { reason: 'x' });
    expect([again.status, again.body.code]).toEqual([409, 'transaction.already_reversed']);
    const ofReversal = await call(
      'accountant',
      'POST',
      `/api/transactions/${String(reversed.body.transaction_id)}/reverse`,
      {
        reason: 'x',
      },
    );
    expect([ofReversal.status, ofReversal.body.code]).toEqual([409, 'transaction.not_reversible']);
    expect(await inconsistentBalances(db)).toBe(0);
  });

  it('reverses a transaction at most once however many ask at the same time', async () => {
    const racing = newId();
    await deliverBatch(db, ledgerConsumer(utc), [assigned(racing, people.other, new Date())]);
    const fee = await feeOf(racing);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        call('accountant', 'POST', `/api/transactions/${fee.transaction_id}/reverse`, { reason: 'duplicate click' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await inconsistentBalances(db)).toBe(0);
  });

  it('refuses a worker and a manager, an unknown transaction, and a missing or blank reason', async () => {
    const fee = await feeOf(task);
    const path = `/api/transactions/${fee.transaction_id}/reverse`;
    for (const who of ['worker', 'manager'] as const) {
      const refused = await call(who, 'POST', path, { reason: 'mine' });
      expect([refused.status, refused.body.code]).toEqual([403, 'transaction.reverse_not_allowed']);
    }
    const unknown = await call('accountant', 'POST', `/api/transactions/${newId()}/reverse`, { reason: 'x' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'transaction.not_found']);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'r'.repeat(501) }]) {
      const bad = await call('accountant', 'POST', path, body);
      expect([JSON.stringify(body), bad.status, [...new Set(fields(bad.body))]]).toEqual([
        JSON.stringify(body),
        400,
        ['body.reason'],
      ]);
    }
    const badId = await call('accountant', 'POST', '/api/transactions/not-a-uuid/reverse', { reason: 'x' });
    expect([badId.status, fields(badId.body)]).toEqual([400, ['params.id']]);
    expect(await call('worker', 'GET', `/api/accounts/me`)).toMatchObject({ status: 200 });
  });
});

describe('the OpenAPI document', () => {
  it('lists every accounting route with the refusals each can answer', async () => {
    const doc = (await (await fetch(`${service.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths['/api/days/{day}/close']?.post?.responses ?? {}).sort()).toEqual(
      ['200', '400', '401', '403', '409', '413', '415', '500', '503'].sort(),
    );
    expect(Object.keys(doc.paths['/api/accounts/{id}']?.get?.responses ?? {}).sort()).toEqual(
      ['200', '400', '401', '403', '404', '500', '503'].sort(),
    );
  });
});
