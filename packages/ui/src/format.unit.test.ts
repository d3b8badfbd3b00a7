import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, money, signedMoney } from './format.js';

const minus = '\u2212';

describe('money', () => {
  it('formats whole dollars with a real minus sign', () => {
    expect(money(12)).toBe('$12');
    expect(money(-5)).toBe(`${minus}$5`);
    expect(money(-5)).not.toContain('-');
    expect(money(0)).toBe('$0');
    expect(money(-0)).toBe('$0');
    expect(money(1250)).toBe('$1,250');
    expect(money(-1234567)).toBe(`${minus}$1,234,567`);
  });

  it('shows cents only when there are any', () => {
    expect(money(12.5)).toBe('$12.50');
    expect(money(-0.05)).toBe(`${minus}$0.05`);
    expect(money(0.001)).toBe('$0');
  });

  it('renders an em dash for what is not a number', () => {
    expect(money(Number.NaN)).toBe('—');
    expect(money(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('signedMoney adds + to credits only', () => {
    expect(signedMoney(32)).toBe('+$32');
    expect(signedMoney(-14)).toBe(`${minus}$14`);
    expect(signedMoney(0)).toBe('$0');
  });
});

describe('dates', () => {
  it('formats in UTC whatever the time zone of the process', () => {
    expect(formatDateTime('2026-03-03T09:05:00Z')).toBe('3 Mar 2026, 09:05 UTC');
    expect(formatDateTime('2026-03-03T23:30:00-02:00')).toBe('4 Mar 2026, 01:30 UTC');
    expect(formatDateTime(new Date(Date.UTC(2025, 11, 31, 0, 0)))).toBe('31 Dec 2025, 00:00 UTC');
    expect(formatDate('2026-03-03T23:59:59Z')).toBe('3 Mar 2026');
  });

  it('returns an unparsable value unchanged', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
