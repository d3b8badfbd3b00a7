import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfig } from '@ates/config';
import { addDays, businessDayOf, dayEnd, dayStart, daysBetween, isBusinessDay } from './calendar.js';
import { businessDayEnv, calendarOf } from './env.js';

const utc = { timeZone: 'UTC', dayEndMinutes: 1440 };
const berlinSix = { timeZone: 'Europe/Berlin', dayEndMinutes: 18 * 60 };
const at = (iso: string) => new Date(iso);

describe('business days', () => {
  it('by default are UTC dates, each ending at midnight', () => {
    expect(businessDayOf(at('2026-03-03T00:00:00.000Z'), utc)).toBe('2026-03-03');
    expect(businessDayOf(at('2026-03-03T23:59:59.999Z'), utc)).toBe('2026-03-03');
    expect(dayEnd('2026-03-03', utc).toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(dayStart('2026-03-03', utc).toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('end at the configured local time on their own date; what comes after belongs to the next day', () => {
    // 18:00 in Berlin is 17:00 UTC in winter.
    expect(dayEnd('2026-03-03', berlinSix).toISOString()).toBe('2026-03-03T17:00:00.000Z');
    expect(businessDayOf(at('2026-03-03T16:59:59.999Z'), berlinSix)).toBe('2026-03-03');
    expect(businessDayOf(at('2026-03-03T17:00:00.000Z'), berlinSix)).toBe('2026-03-04');
    expect(businessDayOf(at('2026-03-02T17:00:00.000Z'), berlinSix)).toBe('2026-03-03');
  });

  it('follow daylight saving as the wall clock does: a 23-hour and a 25-hour day', () => {
    const berlin = { timeZone: 'Europe/Berlin', dayEndMinutes: 1440 };
    const length = (day: string) => (dayEnd(day, berlin).getTime() - dayStart(day, berlin).getTime()) / 3_600_000;
    expect(length('2026-03-29')).toBe(23);
    expect(length('2026-10-25')).toBe(25);
    // A day end inside the skipped hour (02:30 does not exist on 29 March) is the first instant after the gap.
    expect(dayEnd('2026-03-29', { timeZone: 'Europe/Berlin', dayEndMinutes: 150 }).toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
    // A day end the clock shows twice (02:30 on 25 October) is the first of them.
    expect(dayEnd('2026-10-25', { timeZone: 'Europe/Berlin', dayEndMinutes: 150 }).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('always put an instant in the day whose interval holds it, and days follow each other without gaps', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'Pacific/Chatham',
      'Australia/Lord_Howe',
    ];
    fc.assert(
      fc.property(
        fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 1440 }),
        (instant, timeZone, dayEndMinutes) => {
          const calendar = { timeZone, dayEndMinutes };
          const day = businessDayOf(instant, calendar);
          expect(dayStart(day, calendar).getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(dayEnd(day, calendar).getTime()).toBeGreaterThan(instant.getTime());
          expect(dayStart(addDays(day, 1), calendar).getTime()).toBe(dayEnd(day, calendar).getTime());
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('are written YYYY-MM-DD, real dates only', () => {
    expect(isBusinessDay('2026-02-28')).toBe(true);
    expect(isBusinessDay('2026-02-29')).toBe(false);
    expect(isBusinessDay('2026-2-28')).toBe(false);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

describe('ACCOUNTING_TIMEZONE and ACCOUNTING_DAY_END', () => {
  it('default to UTC days ending at midnight', () => {
    expect(calendarOf(readConfig(businessDayEnv, {}))).toEqual(utc);
  });

  it('read an IANA zone and HH:MM up to 24:00, and refuse anything else naming the variable', () => {
    expect(
      calendarOf(readConfig(businessDayEnv, { ACCOUNTING_TIMEZONE: 'Europe/Berlin', ACCOUNTING_DAY_END: '18:00' })),
    ).toEqual(berlinSix);
    expect(() => readConfig(businessDayEnv, { ACCOUNTING_TIMEZONE: 'Mars/Olympus' })).toThrow(/ACCOUNTING_TIMEZONE/);
    for (const bad of ['24:01', '00:00', '7:00', '12:60', 'noon']) {
      expect(() => readConfig(businessDayEnv, { ACCOUNTING_DAY_END: bad })).toThrow(/ACCOUNTING_DAY_END/);
    }
  });
});
