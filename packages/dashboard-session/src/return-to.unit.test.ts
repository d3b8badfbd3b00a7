import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

const site = 'http://localhost:4001';

describe('safeReturnTo', () => {
  it.each([
    ['/tasks?status=open', '/tasks?status=open'],
    ['/', '/'],
    ['/admin/accounts?q=kiwi', '/admin/accounts?q=kiwi'],
    ['/a b', '/a%20b'],
    ['//evil.example/phish', '/home'],
    ['/\\evil.example', '/home'],
    // Browsers strip tabs and newlines before parsing: these are //evil.example to them.
    ['/\t/evil.example', '/home'],
    ['/\n/evil.example', '/home'],
    ['/\r\n/evil.example', '/home'],
    ['\t//evil.example', '/home'],
    ['https://evil.example/', '/home'],
    ['javascript:alert(1)', '/home'],
    ['tasks', '/home'],
    [undefined, '/home'],
    [42, '/home'],
    [`/${'a'.repeat(2001)}`, '/home'],
  ])('sends %j back to %j after sign-in (only paths of this site)', (given, expected) => {
    expect(safeReturnTo(given, '/home', site)).toBe(expected);
  });

  it('never lets a CR or LF through into a Location header', () => {
    const kept = safeReturnTo('/tasks\r\nSet-Cookie: x=1', '/home', site);
    expect(kept).not.toMatch(/[\r\n]/);
    expect(new URL(kept, site).origin).toBe(site);
  });
});
