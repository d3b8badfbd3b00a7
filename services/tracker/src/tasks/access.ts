import type { Role } from '@ates/roles';

/**
 * Who may do what with tasks, once: the API routes, the dashboard and the use cases all ask
 * these (REQUIREMENTS T3–T5). Anyone may create a task; only its assignee completes it (decide.ts).
 */

/** Who may be given tasks (T3): active accounts that are neither managers nor admins. */
export const assignableRoles = ['worker', 'accountant'] as const satisfies readonly Role[];

/** Who may press "reassign" (T4). */
export const mayReassign = (role: Role): boolean => role === 'manager' || role === 'admin';

/** Who sees everyone's tasks, not only their own: those who reassign them. */
export const seesEveryonesTasks = (role: Role): boolean => mayReassign(role);

/** One task is visible to those who see everyone's, to its assignee and to whoever created it. */
export const maySeeTask = (
  viewer: { readonly id: string; readonly role: Role },
  task: { readonly assignee_id: string; readonly creator_id: string },
): boolean => seesEveryonesTasks(viewer.role) || task.assignee_id === viewer.id || task.creator_id === viewer.id;
