import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { authForTests, demoAccount, signInForm } from '../testing/harness.js';

// Issue 9, defect 4: the sign-in rate limits were bypassed by parallel requests — 20 wrong
// passwords for one email sent at once were all checked (limit 5), and an address at 31 failures
// took 30 more (limit 50): every request was checked against the count before any failure was
// written. Now each attempt is counted, atomically, before its password is looked at.

const running = authForTests();

const statuses = async (posts: Promise<{ status: number }>[]): Promise<Record<number, number>> => {
  const counts: Record<number, number> = {};
  for (const { status } of await Promise.all(posts)) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

beforeEach(async () => {
  await sql`truncate sign_in_failures`.execute(running.current.db);
});

describe('sign-in limits under parallel requests', () => {
  it('checks 5 of 20 wrong passwords sent at once for one email, and refuses the rest with 429', async () => {
    const auth = running.current;
    const { browser, action } = await signInForm(auth);
    const email = demoAccount(auth, 'worker').email;
    const posts = Array.from({ length: 20 }, (_, i) => browser.post(action, { email, password: `wrong-guess-${i}` }));
    expect(await statuses(posts)).toEqual({ 401: 5, 429: 15 });
    // And the right password too, now: the email is blocked for the rest of its window.
    const { password } = demoAccount(auth, 'worker');
    const right = await browser.post(action, { email, password });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets an address at 31 failures have 19 more, of 30 sent at once, and no more than its limit of 50', async () => {
    const auth = running.current;
    const { browser, action } = await signInForm(auth);
    // This address has failed 31 times already (the test server sees the loopback address).
    const probe = await browser.post(action, { email: 'probe@uberpopug.example', password: 'wrong-password-0' });
    expect(probe.status).toBe(401);
    await sql`update sign_in_failures set failures = 31 where key like 'address:%'`.execute(auth.db);
    const posts = Array.from({ length: 30 }, (_, i) =>
      browser.post(action, { email: `guess${i}@uberpopug.example`, password: 'wrong-password-1' }),
    );
    expect(await statuses(posts)).toEqual({ 401: 19, 429: 11 });
  });
});
