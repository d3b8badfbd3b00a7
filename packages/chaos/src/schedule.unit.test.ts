import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { affects, faultSchedule, services } from './schedule.js';

describe('faultSchedule', () => {
  const options = fc.record({
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
    durationS: fc.integer({ min: 60, max: 7200 }),
    instances: fc.integer({ min: 1, max: 3 }),
    rabbitmq: fc.boolean(),
  });

  it('is the same for the same seed, and puts every fault of the issue in the run', () => {
    fc.assert(
      fc.property(options, (o) => {
        const dayEndS = o.durationS / 2;
        const faults = faultSchedule({ ...o, dayEndS });
        expect(faultSchedule({ ...o, dayEndS })).toEqual(faults);
        const kinds = new Set(faults.map((f) => f.kind));
        for (const kind of [
          'kill',
          'kill-relay-holder',
          'restart-postgres',
          'cut-links',
          'stop-auth',
          'kill-during-close',
        ])
          expect(kinds).toContain(kind);
        expect(kinds.has('restart-rabbitmq')).toBe(o.rabbitmq);
        for (const service of services)
          expect(faults.some((f) => f.kind === 'kill' && f.service === service)).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 30_000);

  it('spreads faults over 10–80 % of the run, links cut for 10–30 s, instances that exist', () => {
    fc.assert(
      fc.property(options, (o) => {
        for (const f of faultSchedule({ ...o, dayEndS: o.durationS / 2 })) {
          expect(f.atS).toBeGreaterThanOrEqual(0);
          if (f.kind !== 'kill-during-close') {
            expect(f.atS).toBeGreaterThanOrEqual(Math.floor(0.1 * o.durationS));
            expect(f.atS).toBeLessThanOrEqual(Math.ceil(0.8 * o.durationS));
          }
          expect(f.atS + f.forS).toBeLessThanOrEqual(o.durationS);
          if (f.kind === 'cut-links') expect([f.forS >= 10, f.forS <= 30]).toEqual([true, true]);
          if (f.kind === 'kill') expect(f.instance).toBeLessThan(o.instances);
          expect(affects(f).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 40 },
    );
  }, 30_000);
});
