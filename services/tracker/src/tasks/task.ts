/**
 * A task as the tracker keeps it (T2: only tasks — no projects, scopes or sprints). Field names
 * are the wire names — database columns, event data — so that the store selects it as it is and
 * only the API view (routes.ts) renames anything (`public_id` → `id`, dates → ISO strings).
 */
export interface Task {
  readonly public_id: string;
  readonly title: string;
  readonly jira_id: string | null;
  readonly description: string;
  readonly status: 'open' | 'done';
  readonly assignee_id: string;
  readonly creator_id: string;
  readonly created_at: Date;
  readonly completed_at: Date | null;
}

/** The columns of `tasks` that make a Task (everything but the internal serial id). */
export const taskColumns = [
  'public_id',
  'title',
  'jira_id',
  'description',
  'status',
  'assignee_id',
  'creator_id',
  'created_at',
  'completed_at',
] as const satisfies readonly (keyof Task)[];

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
