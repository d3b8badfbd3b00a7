import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { eventBusMigrations } from '@ates/event-bus';
import { deliverTo } from '@ates/event-bus/testing';
import { newEnvelope, type AnyEvent } from '@ates/schema-registry';
import { createTestDatabase, eventually, type TestDatabase } from '@ates/testing';
import { createLogger } from '@ates/logger';
import { accountReplica, replicaStandings, type AccountReplicaDb } from './index.js';
import { accountsTableMigrations } from './testing.js';

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
  await migrate(db, [...eventBusMigrations, ...accountsTableMigrations], 'test');
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

describe('account standings, as every process of a service sees them', () => {
  const logger = createLogger('test', 'silent');
  // Two processes of one service: each its own pool and its own LISTEN connection.
  const processes = () =>
    [1, 2].map(() => {
      const own = createDb<AccountReplicaDb>(createPool(database.url, { max: 2 }));
      return { db: own, standings: replicaStandings({ db: own, databaseUrl: database.url, logger }) };
    });
  const withoutNotifications = async (work: () => Promise<unknown>) => {
    await sql`alter table accounts disable trigger accounts_notify_changed`.execute(db);
    await work();
    await sql`alter table accounts enable trigger accounts_notify_changed`.execute(db);
  };

  it('a deactivation applied by one process reaches the other, which kept the account in memory', async () => {
    // Created before the processes listen, so that no notification of it can arrive while they read.
    await deliverTo(db, replica).deliver(created);
    const [a, b] = processes() as [ReturnType<typeof processes>[number], ReturnType<typeof processes>[number]];
    try {
      await Promise.all([a.standings.ready(), b.standings.ready()]);
      expect(await b.standings.of(id)).toEqual({ role: 'worker', active: true, roleVersion: 1, activeVersion: 1 });
      // Kept: a change the table does not announce is not seen...
      await withoutNotifications(() => sql`update accounts set role = 'admin' where public_id = ${id}`.execute(db));
      expect((await b.standings.of(id))?.role).toBe('worker');
      // ...and one it announces is, in the other process, without asking it.
      await deliverTo(a.db, replica).deliver(promoted, deactivated);
      await eventually(
        'the deactivation to reach the other process',
        async () => (await b.standings.of(id))?.active === false,
      );
      expect(await b.standings.of(id)).toEqual({ role: 'manager', active: false, roleVersion: 3, activeVersion: 4 });
      // An account never heard of is unknown, and learnt of as soon as it is.
      const other = randomUUID();
      expect(await b.standings.of(other)).toBeUndefined();
      await sql`insert into accounts (public_id, active, version) values (${other}, true, 1)`.execute(a.db);
      await eventually(
        'the other process to learn of the new account',
        async () => (await b.standings.of(other)) !== undefined,
      );
      expect(await b.standings.of(other)).toMatchObject({ active: true, role: null });
    } finally {
      for (const p of [a, b]) {
        await p.standings.stop();
        await p.db.destroy();
      }
    }
  });

  it('reads the table while its LISTEN connection is down, and keeps answers again once it is back', async () => {
    const [a] = processes() as [ReturnType<typeof processes>[number]];
    try {
      await a.standings.ready();
      await deliverTo(a.db, replica).deliver(created);
      expect((await a.standings.of(id))?.active).toBe(true);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ates-account-standings' and datname = current_database()`.execute(
        db,
      );
      await eventually('the LISTEN connection to be seen down', async () => !a.standings.listening());
      expect(a.standings.listening()).toBe(false);
      await withoutNotifications(() => sql`update accounts set active = false where public_id = ${id}`.execute(db));
      expect((await a.standings.of(id))?.active).toBe(false);
      await a.standings.ready();
      expect(a.standings.listening()).toBe(true);
      await sql`truncate accounts`.execute(db);
      await eventually('the truncation to be noticed', async () => (await a.standings.of(id)) === undefined);
      expect(await a.standings.of(id)).toBeUndefined();
    } finally {
      await a.standings.stop();
      await a.db.destroy();
    }
  });
});
