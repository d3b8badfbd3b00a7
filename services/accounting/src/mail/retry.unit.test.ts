import { describe, expect, it } from 'vitest';
import { mailRetryDelayMs } from './retry.js';

describe('payout email retries', () => {
  it('wait 1, 3, 5, 10 and 30 s after the first failures, then every 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(mailRetryDelayMs)).toEqual([
      1_000, 3_000, 5_000, 10_000, 30_000, 300_000, 300_000, 300_000,
    ]);
  });
});
