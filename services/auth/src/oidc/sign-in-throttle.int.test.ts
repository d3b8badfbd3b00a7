import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createPool, migrate } from '@ates/db';
import { createTestDatabase, type TestDatabase } from '@ates/testing';
import { migrations } from '../../migrations/index.js';
import type { AuthDb } from '../db.js';
import { createSignInThrottle } from './sign-in-throttle.js';

// The sign-in rate limit against PostgreSQL: attempts counted per email typed and per address, in
// fixed windows, before the password is checked; windows are moved into the past by hand instead of waiting for them.

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

const allowed = async (attempts: Promise<{ blocked: boolean }>[]) =>
  (await Promise.all(attempts)).filter((v) => !v.blocked).length;

describe('sign-in throttle', () => {
  it('lets an email be tried up to its limit, in any case, and not another email', async () => {
    const throttle = createSignInThrottle(db, policy);
    for (let i = 0; i < 3; i++)
      expect(await throttle.attempt('kiwi@example.com', `10.0.0.${i + 1}`)).toEqual({ blocked: false });
    const verdict = await throttle.attempt(' KIWI@example.com', '10.0.0.9');
    expect(verdict.blocked).toBe(true);
    expect(verdict.blocked && verdict.retryAfterSeconds).toBeGreaterThan(890);
    expect(await throttle.attempt('polly@example.com', '10.0.0.9')).toEqual({ blocked: false });
  });

  it('blocks an address after its limit, whatever the emails tried', async () => {
    const throttle = createSignInThrottle(db, policy);
    for (let i = 0; i < 5; i++) await throttle.attempt(`guess${i}@example.com`, '192.0.2.7');
    expect((await throttle.attempt('anyone@example.com', '192.0.2.7')).blocked).toBe(true);
    expect((await throttle.attempt('anyone@example.com', '192.0.2.8')).blocked).toBe(false);
  });

  it('counts attempts made at the same moment one by one: never more than the limit get through', async () => {
    const throttle = createSignInThrottle(db, policy);
    const sameEmail = Array.from({ length: 20 }, (_, i) => throttle.attempt('rush@example.com', `10.9.0.${i}`));
    expect(await allowed(sameEmail)).toBe(3);
    const sameAddress = Array.from({ length: 20 }, (_, i) => throttle.attempt(`rush${i}@example.com`, '10.9.9.9'));
    expect(await allowed(sameAddress)).toBe(5);
  });

  it('gives back refused and successful attempts: what stays counted is failures', async () => {
    const throttle = createSignInThrottle(db, policy);
    // Two failures, then many refused attempts for a blocked email: the address still has room.
    for (let i = 0; i < 3; i++) await throttle.attempt('blocked@example.com', '10.4.4.4');
    for (let i = 0; i < 10; i++) expect((await throttle.attempt('blocked@example.com', '10.4.4.4')).blocked).toBe(true);
    // A whole office signing in successfully from one address uses none of its failures.
    for (let i = 0; i < 10; i++) {
      expect((await throttle.attempt(`office${i}@example.com`, '10.4.4.4')).blocked).toBe(false);
      await throttle.succeeded(`office${i}@example.com`, '10.4.4.4');
    }
    expect((await throttle.attempt('last@example.com', '10.4.4.4')).blocked).toBe(false);
    expect((await throttle.attempt('other@example.com', '10.4.4.4')).blocked).toBe(false);
    expect((await throttle.attempt('third@example.com', '10.4.4.4')).blocked).toBe(true);
  });

  it('stores no email, only a hash of it', async () => {
    await createSignInThrottle(db, policy).attempt('secret.person@example.com', '10.1.1.1');
    const keys = (await sql<{ key: string }>`select key from sign_in_failures`.execute(db)).rows.map((r) => r.key);
    expect(keys.join(' ')).not.toContain('secret.person');
  });

  it('forgets an email after a successful sign-in, and every count once its window has ended', async () => {
    const throttle = createSignInThrottle(db, policy);
    for (let i = 0; i < 3; i++) await throttle.attempt('lori@example.com', '10.2.2.2');
    await throttle.succeeded('lori@example.com', '10.2.2.2');
    expect((await throttle.attempt('lori@example.com', '10.2.2.3')).blocked).toBe(false);

    for (let i = 0; i < 3; i++) await throttle.attempt('tiko@example.com', '10.3.3.3');
    await sql`update sign_in_failures set window_started_at = now() - interval '16 minutes'`.execute(db);
    // After the window a new count starts at one.
    expect((await throttle.attempt('tiko@example.com', '10.3.3.3')).blocked).toBe(false);
    // Only the counts whose window ended (lori's addresses and email) go; tiko's new windows stay.
    expect(await throttle.purge()).toBe(3);
    await sql`update sign_in_failures set window_started_at = now() - interval '1 hour'`.execute(db);
    expect(await throttle.purge()).toBe(2);
  });
});
