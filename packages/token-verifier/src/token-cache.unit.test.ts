import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenCache, type VerifiedToken } from './token-cache.js';

type Command =
  | { readonly kind: 'set'; readonly token: string; readonly exp: number; readonly keysVersion: number }
  | { readonly kind: 'get'; readonly token: string; readonly now: number; readonly keysVersion: number };

const tokens = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    token: tokens,
    exp: fc.integer({ min: 0, max: 100 }),
    keysVersion: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('get' as const),
    token: tokens,
    now: fc.integer({ min: 0, max: 100 }),
    keysVersion: fc.integer({ min: 0, max: 2 }),
  }),
);

describe('createTokenCache', () => {
  it('behaves as a list in order of use, bounded, that never answers for an expired token or another key set', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(command, { maxLength: 60 }),
        (max, tolerance, commands) => {
          const cache = createTokenCache<string>(max, tolerance);
          // The model: least recently used first.
          let model: Array<[string, VerifiedToken<string>]> = [];
          commands.forEach((c, i) => {
            if (c.kind === 'set') {
              const entry: VerifiedToken<string> = { value: `v${i}`, exp: c.exp, keysVersion: c.keysVersion };
              cache.set(c.token, entry);
              if (max > 0)
                model = [
                  ...model.filter(([t]) => t !== c.token),
                  [c.token, entry] as [string, VerifiedToken<string>],
                ].slice(-max);
            } else {
              const kept = model.find(([t]) => t === c.token)?.[1];
              const valid = kept && kept.exp > c.now - tolerance && kept.keysVersion === c.keysVersion;
              expect(cache.get(c.token, c.now, c.keysVersion)).toBe(valid ? kept.value : undefined);
              model = model.filter(([t]) => t !== c.token);
              if (valid) model.push([c.token, kept]);
            }
            expect(cache.size).toBe(model.length);
            expect(cache.size).toBeLessThanOrEqual(max);
          });
        },
      ),
    );
  });

  it('keeps a token until, and not including, its exp less the tolerance, as jose counts it', () => {
    const cache = createTokenCache<string>(10, 30);
    const entry = { value: 'caller', exp: 1_000, keysVersion: 0 };
    cache.set('t', entry);
    expect(cache.get('t', 1_029, 0)).toBe('caller');
    expect(cache.get('t', 1_030, 0)).toBeUndefined();
    // An expired entry is dropped, not kept for later.
    expect(cache.size).toBe(0);
  });
});
