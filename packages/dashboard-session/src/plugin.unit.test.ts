import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './plugin.js';

describe('safeReturnTo', () => {
  it.each([
    ['/tasks?status=open', '/tasks?status=open'],
    ['/', '/'],
    ['//evil.example/phish', '/home'],
    ['/\\evil.example', '/home'],
    ['https://evil.example/', '/home'],
    ['javascript:alert(1)', '/home'],
    ['tasks', '/home'],
    [undefined, '/home'],
    [42, '/home'],
    [`/${'a'.repeat(2001)}`, '/home'],
  ])('sends %j back to %j after sign-in (only paths of this site)', (given, expected) => {
    expect(safeReturnTo(given, '/home')).toBe(expected);
  });
});
