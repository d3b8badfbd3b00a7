import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '@ates/business-days';
import { periodRange, rangeLength } from './periods.js';

describe('periodRange (N3)', () => {
  it.each([
    ['day', '2026-03-03', '2026-03-03', '2026-03-03'],
    ['week', '2026-03-03', '2026-03-02', '2026-03-08'], // a Tuesday: Monday 2 to Sunday 8
    ['week', '2026-03-08', '2026-03-02', '2026-03-08'], // a Sunday ends its ISO week
    ['week', '2021-01-01', '2020-12-28', '2021-01-03'], // ISO week 53 of 2020 spans the new year
    ['month', '2026-03-03', '2026-03-01', '2026-03-31'],
    ['month', '2024-02-10', '2024-02-01', '2024-02-29'],
    ['month', '2026-12-31', '2026-12-01', '2026-12-31'],
  ] as const)('%s of %s is %s to %s', (period, date, from, to) => {
    expect(periodRange(period, date)).toEqual({ from, to });
  });

  it('a week is seven days from a Monday and a month 28 to 31 days from the 1st, each holding the date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const date = addDays('1990-01-01', n);
        const week = periodRange('week', date);
        const month = periodRange('month', date);
        expect(new Date(`${week.from}T00:00:00Z`).getUTCDay()).toBe(1);
        expect(rangeLength(week)).toBe(7);
        expect(month.from.endsWith('-01') && month.from.slice(0, 7) === date.slice(0, 7)).toBe(true);
        expect(addDays(month.to, 1).endsWith('-01')).toBe(true);
        for (const r of [week, month]) expect(r.from <= date && date <= r.to).toBe(true);
      }),
    );
  });
});
