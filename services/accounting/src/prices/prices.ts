import type { BareEvent } from '@ates/schema-registry';

/** A task's prices in cents (A3): drawn once, never changed. */
export interface TaskPrices {
  readonly task_id: string;
  readonly assignment_fee: number;
  readonly completion_reward: number;
  readonly priced_at: Date;
}

export type Drawn = Pick<TaskPrices, 'assignment_fee' | 'completion_reward'>;

export type PriceEvent = BareEvent<'Task.Priced', 1>;

/** A3, in whole dollars: the fee from 10 to 20, the reward from 20 to 40, both ends included. */
export const priceRanges = {
  assignment_fee: { min: 10, max: 20 },
  completion_reward: { min: 20, max: 40 },
} as const;

/**
 * Draws a task's prices uniformly from `priceRanges`, in cents. `randomInt(min, max)` answers a
 * whole number with min ≤ n < max, as node:crypto's does; the use case passes that one.
 */
export const drawPrices = (randomInt: (min: number, max: number) => number): Drawn => ({
  assignment_fee: randomInt(priceRanges.assignment_fee.min, priceRanges.assignment_fee.max + 1) * 100,
  completion_reward: randomInt(priceRanges.completion_reward.min, priceRanges.completion_reward.max + 1) * 100,
});
