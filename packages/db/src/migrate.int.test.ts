import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import {
  assertReachable,
  createDb,
  createPool,
  ensureDatabase,
  migrate,
  withDatabase,
  type Migration,
} from './index.js';

let database: TestDatabase;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: Kysely<any>;

const table = (name: string): Migration => ({
  name,
  up: async (tx) => void (await sql`create table ${sql.id(name.slice(5))} (id int)`.execute(tx)),
});
const tables = async (): Promise<string[]> =>
  (
    await sql<{
      tablename: string;
    }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(db)
  ).rows.map((r) => r.tablename);

beforeAll(async () => {
  database = await createTestDatabase('migrate');
  db = createDb(createPool(database.url, { max: 4 }));
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('migrate', () => {
  it('applies new migrations in order, once', async () => {
    expect(await migrate(db, [table('0001_a')], 'test')).toEqual({ applied: ['0001_a'] });
    expect(await migrate(db, [table('0001_a'), table('0002_b')], 'test')).toEqual({ applied: ['0002_b'] });
    expect(await migrate(db, [table('0001_a'), table('0002_b')], 'test')).toEqual({ applied: [] });
    expect(await tables()).toEqual(['a', 'b', 'schema_migrations']);
  });

  it('serialises instances starting at once: each migration runs exactly once', async () => {
    const migrations = [table('0001_a'), table('0002_b'), table('0003_c'), table('0004_d')];
    const results = await Promise.all([1, 2, 3].map(() => migrate(db, migrations, 'test')));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0003_c', '0004_d']);
  });

  it('leaves nothing half-applied when a migration fails', async () => {
    const failing: Migration = {
      name: '0005_broken',
      up: async (tx) => {
        await sql`create table e (id int)`.execute(tx);
        await sql`select * from no_such_table`.execute(tx);
      },
    };
    const all = [table('0001_a'), table('0002_b'), table('0003_c'), table('0004_d')];
    await expect(migrate(db, [...all, failing], 'test')).rejects.toThrow(/no_such_table/);
    expect(await tables()).not.toContain('e');
    expect(await migrate(db, [...all, table('0005_e')], 'test')).toEqual({ applied: ['0005_e'] });
  });

  it('refuses a database migrated by newer code', async () => {
    await expect(migrate(db, [table('0001_a')], 'test')).rejects.toThrow(/belongs to a newer version/);
  });
});

describe('ensureDatabase and assertReachable', () => {
  it('creates a missing database once, even when asked concurrently', async () => {
    const name = `${database.name}_x`;
    const created = await Promise.all([1, 2, 3].map(() => ensureDatabase(database.url, name)));
    expect(created.filter(Boolean)).toHaveLength(1);
    await assertReachable(withDatabase(database.url, name));
    const admin = createDb(createPool(database.url, { max: 1 }));
    await sql.raw(`drop database "${name}"`).execute(admin);
    await admin.destroy();
  });

  it('explains an unreachable server in one line', async () => {
    await expect(assertReachable('postgres://u:pw@127.0.0.1:1/x')).rejects.toThrow(
      /^Cannot reach PostgreSQL at 127\.0\.0\.1:1\/x: connection refused\.$/,
    );
    await expect(assertReachable(withDatabase(database.url, 'no_such_db'))).rejects.toThrow(/database does not exist/);
  });
});
