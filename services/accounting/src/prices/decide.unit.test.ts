import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideSpecification } from '@ates/event-bus/testing';
import { decidePricing } from './decide.js';
import { drawPrices, priceRanges, type TaskPrices } from './prices.js';

const taskId = '44444444-4444-4444-8444-444444444444';
const now = new Date('2026-03-03T10:00:00.000Z');
const pricing = decideSpecification(decidePricing);
const drawn = { assignment_fee: 1300, completion_reward: 2700 };

describe('pricing a task (A3)', () => {
  it('given a task without prices, when prices are drawn, then it gets them and Task.Priced says so', () => {
    pricing
      .given({ priced: undefined })
      .when({ taskId, drawn }, now)
      .then(
        [
          {
            name: 'Task.Priced',
            version: 1,
            data: { task_id: taskId, assignment_fee: 1300, completion_reward: 2700, priced_at: now.toISOString() },
          },
        ],
        { task_id: taskId, assignment_fee: 1300, completion_reward: 2700, priced_at: now },
      );
  });

  it('given a priced task, when other prices are drawn, then it keeps its own and nothing is published', () => {
    const priced: TaskPrices = { task_id: taskId, assignment_fee: 1000, completion_reward: 4000, priced_at: now };
    const { state } = pricing.given({ priced }).when({ taskId, drawn }).thenNothingHappens();
    expect(state).toBe(priced);
  });
});

describe('drawing prices (A3)', () => {
  it('draws whole dollars, fees from $10 to $20 and rewards from $20 to $40, every value reachable', () => {
    const fees = new Set<number>();
    const rewards = new Set<number>();
    for (let i = 0; i < 5_000; i += 1) {
      const prices = drawPrices(randomInt);
      fees.add(prices.assignment_fee);
      rewards.add(prices.completion_reward);
    }
    const cents = (r: { min: number; max: number }) =>
      Array.from({ length: r.max - r.min + 1 }, (_, i) => (r.min + i) * 100);
    expect([...fees].sort((a, b) => a - b)).toEqual(cents(priceRanges.assignment_fee));
    expect([...rewards].sort((a, b) => a - b)).toEqual(cents(priceRanges.completion_reward));
  });

  it('maps the lowest and highest draws to the ends of the ranges', () => {
    expect(drawPrices((min) => min)).toEqual({ assignment_fee: 1000, completion_reward: 2000 });
    expect(drawPrices((_min, max) => max - 1)).toEqual({ assignment_fee: 2000, completion_reward: 4000 });
  });
});
