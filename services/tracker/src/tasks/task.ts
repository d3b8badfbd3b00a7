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
