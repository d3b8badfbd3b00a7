import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { migrations } from '../../migrations/index.js';
import type { AuthDb } from '../db.js';
import { createSignInThrottle } from './sign-in-throttle.js';

// The sign-in rate limit against PostgreSQL: counted per email typed and per address, in fixed
// windows; windows are moved into the past by hand instead of waiting for them.

let database: TestDatabase;
let db: AuthDb;
const policy = { accountLimit: 3, addressLimit: 5, windowSeconds: 900 };

beforeAll(async () => {
  database = await createTestDatabase('auth');
  db = createDb(createPool(database.url, { max: 3 })) as unknown as AuthDb;
  await migrate(db, migrations, 'auth');
});
afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});
beforeEach(async () => {
  await sql`truncate sign_in_failures`.execute(db);
});

describe('sign-in throttle', () => {
  it('blocks an email after its limit of failures, in any case, and not another email', async () => {
    const throttle = createSignInThrottle(db, policy);
    for (let i = 0; i < 3; i++) {
      expect(await throttle.check('kiwi@example.com', '10.0.0.1')).toEqual({ blocked: false });
      await throttle.recordFailure('kiwi@example.com', `10.0.0.${i + 1}`);
    }
    const verdict = await throttle.check(' KIWI@example.com', '10.0.0.9');
    expect(verdict.blocked).toBe(true);
    expect(verdict.blocked && verdict.retryAfterSeconds).toBeGreaterThan(890);
    expect(await throttle.check('polly@example.com', '10.0.0.9')).toEqual({ blocked: false });
  });

  it('blocks an address after its limit, whatever the emails tried', async () => {
    const throttle = createSignInThrottle(db, policy);
    for (let i = 0; i < 5; i++) await throttle.recordFailure(`guess${i}@example.com`, '192.0.2.7');
    expect((await throttle.check('anyone@example.com', '192.0.2.7')).blocked).toBe(true);
    expect((await throttle.check('anyone@example.com', '192.0.2.8')).blocked).toBe(false);
  });

  it('stores no email, only a hash of it', async () => {
    await createSignInThrottle(db, policy).recordFailure('secret.person@example.com', '10.1.1.1');
    const keys = (await sql<{ key: string }>`select key from sign_in_failures`.execute(db)).rows.map((r) => r.key);
    expect(keys.join(' ')).not.toContain('secret.person');
  });

  it('forgets an email after a successful sign-in, and every count once its window has ended', async () => {
    const throttle = createSignInThrottle(db, policy);
    for (let i = 0; i < 3; i++) await throttle.recordFailure('lori@example.com', '10.2.2.2');
    await throttle.recordSuccess('lori@example.com');
    expect((await throttle.check('lori@example.com', '10.2.2.3')).blocked).toBe(false);

    for (let i = 0; i < 3; i++) await throttle.recordFailure('tiko@example.com', '10.3.3.3');
    await sql`update sign_in_failures set window_started_at = now() - interval '16 minutes'`.execute(db);
    expect((await throttle.check('tiko@example.com', '10.3.3.3')).blocked).toBe(false);
    // A failure after the window starts a new count at one.
    await throttle.recordFailure('tiko@example.com', '10.3.3.3');
    expect((await throttle.check('tiko@example.com', '10.3.3.3')).blocked).toBe(false);
    // Only the count whose window ended (lori's address) goes; tiko's new window stays.
    expect(await throttle.purge()).toBe(1);
    await sql`update sign_in_failures set window_started_at = now() - interval '1 hour'`.execute(db);
    expect(await throttle.purge()).toBe(2);
  });
});
