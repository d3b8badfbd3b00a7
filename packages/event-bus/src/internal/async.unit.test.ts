import { describe, expect, test } from 'vitest';
import { Batcher, Wakeup, backoffDelay } from './async.js';
import { defaultRelayRetryDelaysMs } from '../relay.js';

describe('backoffDelay', () => {
  test('follows the relay schedule 1, 3, 5, 10, 30 s, then every 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(n, defaultRelayRetryDelaysMs))).toEqual([
      1_000, 3_000, 5_000, 10_000, 30_000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(3, [])).toBe(0);
  });
});

describe('Batcher', () => {
  test('flushes the first item at once and groups the items that arrive during a flush', async () => {
    const flushed: number[][] = [];
    let release = (): void => undefined;
    const batcher = new Batcher<number>(async (items) => {
      flushed.push(items);
      if (flushed.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = batcher.add(1);
    const rest = [batcher.add(2), batcher.add(3), batcher.add(4)];
    expect(flushed).toEqual([[1]]);
    release();
    await Promise.all([first, ...rest]);
    expect(flushed).toEqual([[1], [2, 3, 4]]);
  });

  test('rejects every item of a failed flush, and goes on with the next', async () => {
    let fail = true;
    const batcher = new Batcher<number>(async () => {
      if (fail) throw new Error('database down');
    });
    await expect(batcher.add(1)).rejects.toThrow('database down');
    fail = false;
    await expect(batcher.add(2)).resolves.toBeUndefined();
  });
});

describe('Wakeup', () => {
  test('a notify that arrives while nobody waits is not lost', async () => {
    const wakeup = new Wakeup();
    wakeup.notify();
    // With an hour's timeout, only the remembered notify can make this resolve.
    await wakeup.wait(3_600_000);
    const waiting = wakeup.wait(3_600_000);
    wakeup.notify();
    await waiting;
  });
});
