import type { RefusalSpec } from '../categories.js';

/** Refusals of the task tracker (T3–T5). */
export const taskRefusals = {
  'task.not_found': { category: 'not_found', message: 'There is no such task.' },
  'task.not_assignee': {
    category: 'forbidden',
    message:
      'Only its assignee can complete a task, and this one is not assigned to you (it may have been reassigned).',
  },
  'task.already_done': { category: 'conflict', message: 'This task is already done.' },
  'task.no_eligible_assignee': {
    category: 'conflict',
    message: 'No eligible assignee: a task needs an active account that is neither a manager nor an admin.',
  },
  'task.reassign_not_allowed': {
    category: 'forbidden',
    message: 'Reassigning tasks is for managers and admins.',
  },
  'task.others_hidden': {
    category: 'forbidden',
    message: "Only managers and admins see other people's tasks.",
  },
} as const satisfies Record<string, RefusalSpec>;
