/** A task as the tracker keeps it (T2: only tasks — no projects, scopes or sprints). */
export interface Task {
  readonly publicId: string;
  readonly title: string;
  readonly jiraId: string | null;
  readonly description: string;
  readonly status: 'open' | 'done';
  readonly assigneeId: string;
  readonly creatorId: string;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

/** Who may be given tasks (T3): active accounts that are neither managers nor admins. */
export const assignableRoles = ['worker', 'accountant'] as const;

/** Roles that may press "reassign" (T4). */
export const reassignRoles = ['manager', 'admin'] as const;

/** A Jira key: project letters, a dash, a number (UBERPOP-42). */
export const jiraIdPattern = '^[A-Z][A-Z0-9]*-[0-9]+$';

export const titleMaxLength = 200;

/** Longer than any Jira key; bounded so that a key cannot be a megabyte. */
export const jiraIdMaxLength = 50;

/**
 * A title (T6): not blank, without [ or ] — every character, the one that is not blank included
 * (a lone "[" used to be taken for that one, and surfaced as an invalid event instead of a 400).
 */
export const titlePattern = '^[^\\[\\]]*[^\\[\\]\\s][^\\[\\]]*$';
