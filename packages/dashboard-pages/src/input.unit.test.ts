import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, refuse } from '@ates/errors';
import { formField, pageNumberOf, shownRefusal, textOf } from './input.js';

describe('dashboard input', () => {
  it('reads one string, and nothing else, as text', () => {
    expect(textOf('open')).toBe('open');
    expect(textOf(['open', 'done'])).toBeUndefined();
    expect(textOf(undefined)).toBeUndefined();
    expect(formField({ email: 'kiwi@uberpopug.example' }, 'email')).toBe('kiwi@uberpopug.example');
    expect(formField({ email: ['a', 'b'] }, 'email')).toBe('');
    expect(formField(undefined, 'email')).toBe('');
  });

  it('reads a page number from 1 to max whatever the query holds', () => {
    expect(pageNumberOf('3', 10)).toBe(3);
    expect(pageNumberOf('99999999999999999999', 10)).toBe(10);
    expect(pageNumberOf('-4', 10)).toBe(1);
    expect(pageNumberOf('abc', 10)).toBe(1);
    expect(pageNumberOf(undefined, 10)).toBe(1);
    fc.assert(
      fc.property(fc.anything(), fc.integer({ min: 1, max: 1_000_000 }), (value, max) => {
        const page = pageNumberOf(value, max);
        return Number.isInteger(page) && page >= 1 && page <= max;
      }),
    );
  });

  it('hands back a refusal to show, and rethrows anything else', () => {
    const refused = refuse('account.not_found');
    expect(shownRefusal(refused)).toBe(refused);
    const bug = new AppError('server.internal_error', 'boom');
    expect(bug.status).toBeGreaterThanOrEqual(500);
    expect(() => shownRefusal(bug)).toThrow(bug);
    const plain = new Error('boom');
    expect(() => shownRefusal(plain)).toThrow(plain);
  });
});
