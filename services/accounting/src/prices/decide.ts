import type { Decision } from '@ates/event-bus';
import type { Drawn, PriceEvent, TaskPrices } from './prices.js';

/**
 * A3: a task is priced once. Given the prices it already has (or none) and prices the use case
 * drew for it (`drawPrices`), the task keeps what it has, or gets the drawn ones and Task.Priced
 * says so.
 */
export const decidePricing = (
  state: { readonly priced: TaskPrices | undefined },
  command: { readonly taskId: string; readonly drawn: Drawn },
  now: Date,
): Decision<TaskPrices, PriceEvent> => {
  if (state.priced) return { state: state.priced, events: [] };
  const priced: TaskPrices = { task_id: command.taskId, ...command.drawn, priced_at: now };
  return {
    state: priced,
    events: [
      {
        name: 'Task.Priced',
        version: 1,
        data: {
          task_id: priced.task_id,
          assignment_fee: priced.assignment_fee,
          completion_reward: priced.completion_reward,
          priced_at: now.toISOString(),
        },
      },
    ],
  };
};
