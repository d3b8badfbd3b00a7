/**
 * The out-of-order example: a replica of accounts fed by Account.Created and Account.Updated,
 * written the easy way (`upsertIfNewer` on the source's row version). Events arrive late, early
 * and twice; the replica always ends at the newest state.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { newEnvelope, type DataOf } from '@ates/schema-registry';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { consumer } from './consumer.js';
import { eventBusMigrations } from './migrations.js';
import { publish } from './outbox.js';
import { upsertIfNewer } from './replica.js';
import type { BusTables } from './tables.js';
import { deliverTo, watchOutbox } from './testing.js';

interface Db extends BusTables {
  accounts: { public_id: string; email: string; full_name: string; role: string; active: boolean; version: number };
}

let database: TestDatabase;
let db: Kysely<Db>;

beforeAll(async () => {
  database = await createTestDatabase('replica');
  db = createDb<Db>(createPool(database.url, { max: 2 }));
  await migrate(
    db,
    [
      ...eventBusMigrations,
      {
        name: '0001_accounts',
        up: async (m) => {
          await sql`create table accounts (public_id uuid primary key, email text not null, full_name text not null, role text not null, active boolean not null, version integer not null)`.execute(
            m,
          );
        },
      },
    ],
    'replica-test',
  );
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

type AccountData = DataOf<'Account.Created', 1> | DataOf<'Account.Updated', 1>;
const toRow = ({ public_id, email, full_name, role, active, version }: AccountData) => ({
  public_id,
  email,
  full_name,
  role,
  active,
  version,
});

/** The consumer a service would write: two upserts, no "does it exist yet?" logic. */
const accountsReplica = consumer<Db>({
  name: 'example.accounts',
  handlers: {
    'Account.Created': {
      versions: [1],
      handle: (tx, e) =>
        upsertIfNewer(tx, 'accounts', toRow(e.data), { key: ['public_id'], version: 'version' }).then(() => undefined),
    },
    'Account.Updated': {
      versions: [1],
      handle: (tx, e) =>
        upsertIfNewer(tx, 'accounts', toRow(e.data), { key: ['public_id'], version: 'version' }).then(() => undefined),
    },
  },
});

const account = (publicId: string, version: number, fullName: string) => ({
  public_id: publicId,
  email: 'kiwi@uberpopug.test',
  full_name: fullName,
  role: 'worker' as const,
  active: true,
  version,
});
const created = (id: string, version: number, name: string) =>
  newEnvelope(
    'Account.Created',
    1,
    { ...account(id, version, name), created_at: '2024-03-03T10:00:00.000Z' },
    { producer: 'auth' },
  );
const updated = (id: string, version: number, name: string) =>
  newEnvelope(
    'Account.Updated',
    1,
    { ...account(id, version, name), updated_at: '2024-03-03T11:00:00.000Z' },
    { producer: 'auth' },
  );

describe('out-of-order tolerant replica', () => {
  test('an update that overtakes its create, a late older update and a duplicate leave the newest state', async () => {
    const id = randomUUID();
    const replica = deliverTo(db, accountsReplica);
    const v3 = updated(id, 3, 'Kiwi the Third');
    const outcomes = await replica.deliver(v3, created(id, 1, 'Kiwi'), updated(id, 2, 'Kiwi the Second'), v3);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied', 'duplicate']);
    expect(await db.selectFrom('accounts').selectAll().where('public_id', '=', id).execute()).toMatchObject([
      { full_name: 'Kiwi the Third', version: 3 },
    ]);
  });

  test('in order, each newer version wins', async () => {
    const id = randomUUID();
    await deliverTo(db, accountsReplica).deliver(created(id, 1, 'Mango'), updated(id, 2, 'Mango Jr'));
    expect(
      await db.selectFrom('accounts').select(['full_name', 'version']).where('public_id', '=', id).executeTakeFirst(),
    ).toEqual({ full_name: 'Mango Jr', version: 2 });
  });

  test('upsertIfNewer tells whether it wrote', async () => {
    const id = randomUUID();
    const row = account(id, 5, 'Pear');
    expect(await upsertIfNewer(db, 'accounts', row, { key: ['public_id'], version: 'version' })).toBe(true);
    expect(
      await upsertIfNewer(
        db,
        'accounts',
        { ...row, full_name: 'Stale Pear' },
        { key: ['public_id'], version: 'version' },
      ),
    ).toBe(false);
    expect(
      await upsertIfNewer(
        db,
        'accounts',
        { ...row, version: 6, full_name: 'Ripe Pear' },
        { key: ['public_id'], version: 'version' },
      ),
    ).toBe(true);
  });

  test('bad input given to a test consumer becomes a dead letter, as in production', async () => {
    const [outcome] = await deliverTo(db, accountsReplica).deliver('{not json');
    expect(outcome).toMatchObject({ kind: 'dead_letter', reason: 'body is not JSON' });
    const [late] = await deliverTo(db, accountsReplica).deliver(
      newEnvelope('Test.Pinged', 1, { producer_seq: 1, note: 'x' }, { producer: 'test' }),
    );
    expect(late).toMatchObject({ kind: 'dead_letter', reason: 'Test.Pinged is not handled by example.accounts' });
  });

  test('watchOutbox returns what a command published (then events)', async () => {
    const published = await watchOutbox(db);
    const event = created(randomUUID(), 1, 'Papaya');
    await db.transaction().execute((tx) => publish(tx, event));
    expect(await published.events()).toEqual([event]);
  });
});
