import { describe, expect, it } from 'vitest';
import { childSpan, currentTraceparent, parseTraceparent, runInSpan } from './index.js';

const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('continues a valid trace in a new span, and starts a new trace from nothing or garbage', () => {
    const child = childSpan(parent);
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child).not.toBe(parent);
    for (const bad of [
      undefined,
      '',
      'garbage',
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `01-${parent.slice(3)}\n`,
    ]) {
      const fresh = childSpan(bad);
      expect(parseTraceparent(fresh)).toBeDefined();
      expect(fresh.slice(3, 35)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    }
  });

  it('is the current span inside runInSpan, across awaits, and absent outside', async () => {
    expect(currentTraceparent()).toBeUndefined();
    const seen = await runInSpan(parent, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentTraceparent();
    });
    expect(seen?.slice(0, 36)).toBe(parent.slice(0, 36));
    expect(currentTraceparent()).toBeUndefined();
  });
});
