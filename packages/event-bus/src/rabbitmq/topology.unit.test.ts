import { describe, expect, it } from 'vitest';
import { deadQueue, delayBucket, delayBucketsMs, groupQueueArguments } from './topology.js';

describe('delay buckets', () => {
  it('puts a delay in the smallest bucket that is not shorter, so it is never early', () => {
    expect(delayBucket(1)).toEqual({ bucket: 25, remaining: 0 });
    expect(delayBucket(25)).toEqual({ bucket: 25, remaining: 0 });
    expect(delayBucket(1_001)).toEqual({ bucket: 2_500, remaining: 0 });
    for (const ms of [0, 7, 99, 4_999, 29_999, 1_800_000]) expect(delayBucket(ms).bucket).toBeGreaterThanOrEqual(ms);
  });

  it('splits a delay longer than the longest bucket into that bucket and what remains', () => {
    expect(delayBucket(2 * 3_600_000)).toEqual({ bucket: 1_800_000, remaining: 5_400_000 });
  });

  it('has fixed, increasing TTLs', () => {
    expect([...delayBucketsMs].sort((a, b) => a - b)).toEqual(delayBucketsMs);
  });
});

describe('group queue', () => {
  it('is a quorum queue with an explicit delivery limit, dead-lettering at least once into <group>:dead', () => {
    expect(groupQueueArguments('tracker.accounts', { deliveryLimit: 20 })).toEqual({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 20,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'tracker.accounts:dead',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
    expect(deadQueue('a.b')).toBe('a.b:dead');
  });
});
