import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { AppError } from '@ates/errors';
import { createDb, createPool, migrate } from '@ates/db';
import { registry, type AnyEvent } from '@ates/schema-registry';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { migrations } from '../../migrations/index.js';
import type { AuthDb } from '../db.js';
import { revokeAccountAccess } from '../oidc/adapter.js';
import { createAccountCommands, type PublishEvents } from './commands.js';

// The accounts use cases against a real database, with the publisher replaced: that a refused or
// failed publish leaves nothing saved, that concurrent changes cannot remove the last admin, and
// that every event published is valid against the schema registry.

let database: TestDatabase;
let db: AuthDb;
const published: AnyEvent[] = [];
const recording: PublishEvents = async (_tx, events) => {
  for (const e of events) registry.assertValid(e);
  published.push(...events);
};

beforeAll(async () => {
  database = await createTestDatabase('auth');
  db = createDb(createPool(database.url, { max: 10 })) as unknown as AuthDb;
  await migrate(db, migrations, 'auth');
});
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const count = async () =>
  Number((await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db)).rows[0]?.n);

describe('accounts service', () => {
  it('saves nothing when publishing the events fails', async () => {
    const failing = createAccountCommands({
      db,
      revokeAccess: revokeAccountAccess,
      publish: async () => {
        throw new Error('outbox unavailable');
      },
    });
    const before = await count();
    await expect(
      failing.create(
        { kind: 'system' },
        { email: 'lost@example.com', full_name: 'Lost', role: 'worker', password: 'long-enough-password' },
      ),
    ).rejects.toThrow('outbox unavailable');
    expect(await count()).toBe(before);
  });

  it('creates several accounts all or none', async () => {
    const accounts = createAccountCommands({ db, revokeAccess: revokeAccountAccess, publish: recording });
    const before = await count();
    const error = await accounts
      .createAll({ kind: 'system' }, [
        { email: 'one@example.com', full_name: 'One', role: 'worker' },
        { email: 'ONE@example.com', full_name: 'Twice', role: 'worker' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(409);
    expect(await count()).toBe(before);
  });

  it('lets only one of two concurrent demotions of the last two admins through', async () => {
    const accounts = createAccountCommands({ db, revokeAccess: revokeAccountAccess, publish: recording });
    const [a, b] = await accounts.createAll({ kind: 'system' }, [
      { email: 'admin-a@example.com', full_name: 'Admin A', role: 'admin' },
      { email: 'admin-b@example.com', full_name: 'Admin B', role: 'admin' },
    ]);
    // The first demotion stops inside its transaction, after deciding and saving, before commit.
    let reached!: () => void;
    let release!: () => void;
    const atPublish = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paused = createAccountCommands({
      db,
      revokeAccess: revokeAccountAccess,
      publish: async () => (reached(), gate),
    });
    const first = paused.changeRole({ kind: 'system' }, a?.account.public_id as string, 'worker');
    await atPublish;
    // The second runs meanwhile: it must either wait for the first (and then refuse) or finish
    // first having seen both admins — which is the bug this test exists to catch.
    const second = accounts.changeRole({ kind: 'system' }, b?.account.public_id as string, 'worker');
    const waitingForLock = async (): Promise<void> => {
      for (;;) {
        const rows = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`.execute(db);
        if ((rows.rows[0]?.n ?? 0) > 0) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.race([
      second.then(
        () => undefined,
        () => undefined,
      ),
      waitingForLock(),
    ]);
    release();
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(((results[1] as PromiseRejectedResult).reason as AppError).message).toMatch(/last active admin/);
    const admins = await sql<{
      n: number;
    }>`select count(*)::int as n from accounts where role = 'admin' and active`.execute(db);
    expect(admins.rows[0]?.n).toBe(1);
  });

  it('publishes only events the schema registry accepts', () => {
    expect(published.length).toBeGreaterThan(0);
    for (const e of published) expect(registry.validate(e).ok).toBe(true);
  });
});
