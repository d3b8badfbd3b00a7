import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { eventBusMigrations } from '@ates/event-bus';
import { deliverTo } from '@ates/event-bus/testing';
import type { AnyEvent } from '@ates/schema-registry';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import type { AccountingDb } from '../db.js';
import { migrations } from '../../migrations/index.js';
import { accountingTasks } from './consumer.js';

// T6, "Event evolution": a stream recorded from the old tracker (Task.Created v1, the Jira id in
// the title) consumed by today's code leaves the same state as the equivalent v2 stream.
const recorded = async (version: 1 | 2): Promise<AnyEvent[]> =>
  JSON.parse(
    await readFile(new URL(`./fixtures/task-created-v${version}.json`, import.meta.url), 'utf8'),
  ) as AnyEvent[];

const databases: TestDatabase[] = [];
const dbs: Kysely<AccountingDb>[] = [];

const freshAccountingDb = async (): Promise<Kysely<AccountingDb>> => {
  const database = await createTestDatabase('accounting');
  databases.push(database);
  const db = createDb<AccountingDb>(createPool(database.url, { max: 2 }));
  dbs.push(db);
  await migrate(db, [...eventBusMigrations, ...migrations], 'accounting');
  return db;
};

const state = (db: Kysely<AccountingDb>) => db.selectFrom('tasks').selectAll().orderBy('public_id').execute();

beforeAll(async () => {
  await Promise.all([freshAccountingDb(), freshAccountingDb()]);
});
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.destroy()));
  await Promise.all(databases.map((d) => d.drop()));
});

describe('accounting.tasks consumes Task.Created v1 and v2', () => {
  it('a recorded v1 stream and the equivalent v2 stream leave the same tasks', async () => {
    const [fromV1, fromV2] = dbs as [Kysely<AccountingDb>, Kysely<AccountingDb>];
    const outcomesV1 = await deliverTo(fromV1, accountingTasks).deliver(...(await recorded(1)));
    const outcomesV2 = await deliverTo(fromV2, accountingTasks).deliver(...(await recorded(2)));
    expect([...outcomesV1, ...outcomesV2].every((o) => o.kind === 'applied')).toBe(true);
    const tasks = await state(fromV1);
    expect(tasks).toHaveLength(4);
    expect(tasks).toEqual(await state(fromV2));
    expect(tasks.find((t) => t.jira_id === 'UBERPOP-42')?.title).toBe('Change the green of the button');
  });

  it('applies a redelivered event once', async () => {
    const db = await freshAccountingDb();
    const [first] = await recorded(1);
    const outcomes = await deliverTo(db, accountingTasks).deliver(first as AnyEvent, first as AnyEvent);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'duplicate']);
    expect(await state(db)).toHaveLength(1);
  });
});
