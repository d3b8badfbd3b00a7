import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, seededRandom } from './random.js';

describe('seededRandom', () => {
  it('repeats the same choices for the same seed, and stays in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: -50, max: 50 }), (seed, min) => {
        const [a, b] = [seededRandom(seed), seededRandom(seed)];
        for (let i = 0; i < 20; i++) {
          const x = a.int(min, min + 10);
          expect(b.int(min, min + 10)).toBe(x);
          expect(x).toBeGreaterThanOrEqual(min);
          expect(x).toBeLessThanOrEqual(min + 10);
        }
      }),
    );
  });

  it('picks by weight, never a key of weight 0', () => {
    const random = seededRandom(1);
    const seen = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 4000; i++) seen[random.weighted({ a: 3, b: 1, never: 0 })]++;
    expect(seen.never).toBe(0);
    expect(seen.a).toBeGreaterThan(seen.b * 2);
  });
});

describe('parseDuration', () => {
  it('reads seconds and h/m/s forms, and refuses anything else', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('3m')).toBe(180);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('45s')).toBe(45);
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('3 minutes')).toBeUndefined();
  });
});
