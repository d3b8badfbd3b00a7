import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { eventBusMigrations } from '@ates/event-bus';
import { deliverTo } from '@ates/event-bus/testing';
import { newEnvelope, type AnyEvent } from '@ates/schema-registry';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { accountReplica, allowPartialAccounts, type AccountReplicaDb } from './index.js';

let database: TestDatabase;
let db: Kysely<AccountReplicaDb>;
const replica = accountReplica<AccountReplicaDb>('test');

const meta = { producer: 'auth' };
const id = randomUUID();
const at = '2026-03-03T10:00:00.000Z';
const created = newEnvelope(
  'Account.Created',
  1,
  {
    public_id: id,
    email: 'kesha@uberpopug.example',
    full_name: 'Kesha',
    role: 'worker',
    active: true,
    version: 1,
    created_at: at,
  },
  meta,
);
const renamed = newEnvelope(
  'Account.Updated',
  1,
  {
    public_id: id,
    email: 'kesha@uberpopug.example',
    full_name: 'Kesha Popugaev',
    role: 'worker',
    active: true,
    version: 2,
    updated_at: at,
  },
  meta,
);
const promoted = newEnvelope(
  'Account.RoleChanged',
  1,
  { public_id: id, old_role: 'worker', new_role: 'manager', version: 3, changed_at: at },
  meta,
);
const deactivated = newEnvelope('Account.Deactivated', 1, { public_id: id, version: 4, deactivated_at: at }, meta);
const history: AnyEvent[] = [created, renamed, promoted, deactivated];

const permutations = <T>(items: readonly T[]): T[][] =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, i) =>
        permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
      );

const row = () =>
  db
    .selectFrom('accounts')
    .select(['email', 'full_name', 'role', 'active', 'version'])
    .where('public_id', '=', id)
    .executeTakeFirst();

beforeAll(async () => {
  database = await createTestDatabase('replica');
  db = createDb<AccountReplicaDb>(createPool(database.url, { max: 2 }));
  await migrate(
    db,
    [
      ...eventBusMigrations,
      {
        name: '0001_accounts',
        up: async (tx) =>
          void (await sql`create table accounts (public_id uuid primary key, email text not null, full_name text not null, role text not null, active boolean not null, version integer not null, updated_at timestamptz not null default now())`.execute(
            tx,
          )),
      },
      { name: '0002_accounts_partial', up: allowPartialAccounts },
    ],
    'test',
  );
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});
beforeEach(async () => {
  await sql`truncate accounts, inbox`.execute(db);
});

describe('account replica', () => {
  it('in order: ends at the newest state', async () => {
    await deliverTo(db, replica).deliver(...history);
    expect(await row()).toEqual({
      email: 'kesha@uberpopug.example',
      full_name: 'Kesha Popugaev',
      role: 'manager',
      active: false,
      version: 4,
    });
  });

  it('reaches the same state in every one of the 24 arrival orders, and with every event twice', async () => {
    const expected = {
      email: 'kesha@uberpopug.example',
      full_name: 'Kesha Popugaev',
      role: 'manager',
      active: false,
      version: 4,
    };
    for (const order of permutations(history)) {
      await sql`truncate accounts, inbox`.execute(db);
      await deliverTo(db, replica).deliver(...order, ...order);
      expect(await row(), order.map((e) => e.event_name).join(' → ')).toEqual(expected);
    }
  });

  it('a deactivation that overtakes the creation leaves an inactive account, named once the creation arrives', async () => {
    await deliverTo(db, replica).deliver(deactivated);
    expect(await row()).toEqual({ email: null, full_name: null, role: null, active: false, version: 4 });
    await deliverTo(db, replica).deliver(created);
    expect(await row()).toEqual({
      email: 'kesha@uberpopug.example',
      full_name: 'Kesha',
      role: 'worker',
      active: false,
      version: 4,
    });
  });
});
